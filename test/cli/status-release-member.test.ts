/**
 * The head line of a release in `lshift status fnA fnB …` names where a function's alias is when
 * its record's phase does not say it: "STALLED (fa rolled-back, fb rolled-back)" was read of a
 * release whose fa someone had put all on version 2 (session 68).
 */
import { describe, expect, it } from 'vitest';
import { describeReleaseMember } from '../../src/cli/renderers/status-release-member.js';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import type { AliasStatus } from '../../src/engine/status.js';

function member(phase: string, functionVersion: string, additionalWeights: Record<string, number> = {}) {
  return {
    functionName: 'fa',
    alias: 'live',
    functionVersion,
    additionalWeights,
    split: Object.keys(additionalWeights).length > 0,
    revisionId: 'r',
    alarms: [],
    record: {
      id: 'd-fa',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:5m',
      stepIndex: 0,
      percent: 0,
      phase,
      startedAt: 0,
      owner: 'ci@runner:1',
      heartbeatAt: 0,
      history: ['1'],
      releaseId: 'r-abc123',
      heartbeatAgeSeconds: 5,
      stale: false,
    },
  } as AliasStatus;
}

describe('a release member in the status head', () => {
  it.each([
    ['rolled-back', '1', {}, 'fa rolled-back'],
    ['rolled-back', '2', {}, 'fa rolled-back though all traffic is on version 2'],
    [
      'rolled-back',
      '1',
      { '2': 0.3 },
      'fa rolled-back though its alias is split: version 1 (70%) + version 2 (30%)',
    ],
    ['promoted', '2', {}, 'fa promoted'],
    ['promoted', '1', {}, 'fa promoted though all traffic is on version 1'],
    ['failed', '1', { '2': 0.1 }, 'fa failed with its alias split: version 1 (90%) + version 2 (10%)'],
    ['failed', '1', {}, 'fa failed with all traffic on version 1'],
    // An open deployment's alias is where its shift put it: its phase says so.
    ['shifting', '1', { '2': 0.1 }, 'fa shifting'],
  ] as const)('%s on version %s %o: %s', (phase, version, weights, said) => {
    expect(describeReleaseMember(member(phase, version, weights))).toBe(said);
  });

  it('no record: said so', () => {
    expect(describeReleaseMember({ ...member('shifting', '1'), record: undefined })).toBe('fa no record');
  });
});

// A release's post-traffic hook is recorded on the function that runs it; the others' records say
// baking (or 100%): the head said NOT CONSISTENT of a live release running it (h4's pass, s68).
describe('the head of a release running its post-traffic hook', () => {
  const at = (name: string, phase: string, percent = 100) => {
    const m = member(phase, '2');
    return {
      ...m,
      functionName: name,
      record: { ...m.record!, percent, heartbeatAgeSeconds: 1 },
    } as AliasStatus;
  };
  it('says so, not NOT CONSISTENT', () => {
    const head = renderReleaseStatus([at('fa', 'post-hook'), at('fb', 'baking'), at('fc', 'shifting')]).split(
      '\n',
    )[0];
    expect(head).toBe(
      'release r-abc123: running its post-traffic hook (fa post-hook, fb baking, fc shifting)',
    );
  });
  it('a function still below 100% beside it: NOT CONSISTENT, as before', () => {
    const head = renderReleaseStatus([at('fa', 'post-hook'), at('fb', 'shifting', 50)]).split('\n')[0];
    expect(head).toContain('NOT CONSISTENT');
  });
});
