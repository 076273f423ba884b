/**
 * `lshift status` of a stalled release: the resume it offers names what the resume needs of every
 * function, as `lshift check` does (check-release-resume-flags.test.ts). It named only the
 * stalled function's guards (`plus the first run's --alarm flag`) though another function had
 * its own hook and the analysis off (found by a docs pass, session 59).
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { fingerprintGuards, type GuardSet } from '../../src/domain/guard-fingerprint.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { ALIAS } from './world.js';

const watched = (fn: string): GuardSet => ({
  alarms: [`${fn}-errors`],
  hooks: [],
  bakeSeconds: 0,
  analysis: true,
});

const stalled = (functionName: string, guards: GuardSet) =>
  ({
    functionName,
    alias: ALIAS,
    functionVersion: '1',
    additionalWeights: { '2': 0.1 },
    split: true,
    revisionId: 'r',
    alarms: [],
    record: {
      id: `d-${functionName}`,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:5m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: 0,
      owner: 'ci@runner:1',
      heartbeatAt: 0,
      history: ['1'],
      releaseId: 'r-abc123',
      guards: fingerprintGuards(guards),
      heartbeatAgeSeconds: 500,
      stale: true,
    },
  }) satisfies Parameters<typeof renderReleaseStatus>[0][number];

describe('lshift status of a stalled release: the resume names every function’s guards', () => {
  it('a function with a hook of its own and the analysis off is named with what it needs', () => {
    const pre = parseHookSpec('cmd:./smoke.sh', '--pre-hook');
    const line = renderReleaseStatus([
      stalled('alpha', watched('alpha')),
      stalled('beta', { ...watched('beta'), hooks: [{ pre: [pre] }], analysis: false }),
    ]).split('\n')[0];
    expect(line).toContain(
      "finish it with `lshift deploy alpha beta --alias live --resume` plus the first run's flags and config file, not the same for every function " +
        '(alpha watched 1 alarm; beta watched 1 alarm, ran a pre-traffic hook and had the canary analysis off), or undo it',
    );
  });

  it('the same guards in every function: one set of flags', () => {
    const line = renderReleaseStatus([
      stalled('alpha', watched('alpha')),
      stalled('beta', watched('beta')),
    ]).split('\n')[0];
    expect(line).toContain(
      "finish it with `lshift deploy alpha beta --alias live --resume` plus the first run's --alarm flag (it watched 1 alarm), or undo it",
    );
  });
});
