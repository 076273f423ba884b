import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';

const RECORD: DeploymentRecord = {
  id: 'd-abc123',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 0,
  phase: 'rolled-back',
  startedAt: Date.parse('2026-11-30T10:00:00Z'),
  heartbeatAt: Date.parse('2026-11-30T10:03:00Z'),
  endedAt: Date.parse('2026-11-30T10:03:00Z'),
  owner: 'ci@runner:42',
  history: ['6', '5', '4'],
};
const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('lshift history from the deployment record', () => {
  it('shows the latest deployment in full and the earlier stable versions without repeating its own', () => {
    const h = buildHistory('orders', 'live', on('6'), RECORD, NOW);
    expect(h.latest).toMatchObject({
      outcome: 'rolled back',
      fromVersion: '6',
      toVersion: '7',
      owner: 'ci@runner:42',
    });
    expect(h.earlierStableVersions).toEqual(['5', '4']);
    const text = renderHistory(h);
    expect(text).toContain('latest: d-abc123 ROLLED BACK version 6 → 7 (canary:10%:5m)');
    expect(text).toContain('took 3m');
    expect(text).toContain('earlier stable versions, most recent first: 5, 4');
    expect(text).toContain('keeps only the latest deployment in full');
  });

  it('a deployment still running has no end and says so; the reason shows when lshift did not end it', () => {
    const running = buildHistory(
      'orders',
      'live',
      on('6'),
      {
        ...RECORD,
        phase: 'shifting',
        endedAt: undefined,
      },
      NOW,
    );
    expect(running.latest?.outcome).toBe('in progress');
    expect(renderHistory(running)).not.toContain('ended');
    const byHand = buildHistory(
      'orders',
      'live',
      on('5'),
      {
        ...RECORD,
        phase: 'failed',
        endReason: 'moved by hand',
      },
      NOW,
    );
    expect(renderHistory(byHand)).toContain('why: moved by hand');
  });

  it('a deployment an operator aborted says who and why', () => {
    const aborted = buildHistory(
      'orders',
      'live',
      on('6'),
      {
        ...RECORD,
        command: { verb: 'abort', nonce: 'k3j9', state: 'done', by: 'ann@laptop:9', reason: 'p99 doubled' },
      },
      NOW,
    );
    expect(aborted.latest?.reason).toBe('aborted by ann@laptop:9: p99 doubled');
    expect(renderHistory(aborted)).toContain('why: aborted by ann@laptop:9: p99 doubled');
    const pausedOnce = buildHistory(
      'orders',
      'live',
      on('6'),
      {
        ...RECORD,
        command: { verb: 'pause', nonce: 'k3j9', state: 'done', by: 'ann@laptop:9' },
      },
      NOW,
    );
    expect(pausedOnce.latest?.reason).toBeUndefined();
  });

  it('a record that does not add up is said so as status says it (recordError), text and JSON, never IN PROGRESS', () => {
    // A heartbeat a day ahead of this clock: a live-looking runner that is no sign of one.
    const ahead = buildHistory(
      'orders',
      'live',
      on('6'),
      { ...RECORD, phase: 'shifting', endedAt: undefined, heartbeatAt: NOW + 86_400_000 },
      NOW,
    );
    expect(ahead.latest).toBeUndefined();
    expect(ahead.earlierStableVersions).toEqual([]);
    expect(ahead.recordError).toMatch(
      /^The deployment record `lshift:live` on function orders does not add up, so lshift will not act on it: heartbeat .* is in the future/,
    );
    expect(ahead.recordError).toContain('untag-resource');
    const text = renderHistory(ahead);
    expect(text).not.toContain('IN PROGRESS');
    expect(text).toContain(
      '  deployment record not usable: The deployment record `lshift:live` on function orders does not add up',
    );
    expect(JSON.stringify(ahead)).not.toContain('"outcome"');
    // A weight over 100% on a record that says promoted is no outcome either.
    const over = buildHistory(
      'orders',
      'live',
      on('7'),
      { ...RECORD, phase: 'promoted', percent: 999_999 },
      NOW,
    );
    expect(over.latest).toBeUndefined();
    expect(over.recordError).toContain('weight 999999% is outside 0–100%');
    expect(renderHistory(over)).not.toContain('PROMOTED');
  });

  it('no record: says nothing was recorded', () => {
    expect(renderHistory(buildHistory('orders', 'live', on('1'), undefined, NOW))).toContain(
      'no lshift deployment recorded',
    );
  });

  it('a split alias is said whole, not "now on version 3" (its primary)', () => {
    const h = buildHistory(
      'orders',
      'live',
      { functionVersion: '3', additionalWeights: { '1': 0.3 } },
      RECORD,
      NOW,
    );
    expect(h.aliasRouting).toBe('version 3 (70%) + version 1 (30%)');
    expect(renderHistory(h).split('\n')[0]).toBe(
      'orders:live (now routes version 3 (70%) + version 1 (30%))',
    );
    expect(buildHistory('orders', 'live', on('6'), RECORD, NOW).aliasRouting).toBeUndefined();
  });

  // A deploy interrupted in its pre-traffic hook read "ROLLED BACK version 7 → 8" and no reason,
  // while the deploy itself said "Not started … unchanged" (found by a hostile pass).
  it('rolled back before any traffic moved (the alias not written since it started): says so, and why', () => {
    const record: DeploymentRecord = {
      ...RECORD,
      aliasRevision: '71b76b12',
      cause: { code: 'INTERRUPTED' },
    };
    const h = buildHistory('orders', 'live', { ...on('6'), revisionId: '71b76b12-6701-4356' }, record, NOW);
    expect(h.latest).toMatchObject({ outcome: 'rolled back', trafficMoved: false });
    const text = renderHistory(h);
    expect(text).toContain(
      'latest: d-abc123 ROLLED BACK version 6 → 7 (canary:10%:5m) before any traffic moved: all of it stayed on version 6',
    );
    expect(text).toContain(
      'why: its run was interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT or another signal)',
    );
  });

  it('rolled back after traffic moved (the alias written since): the cause, not "before any traffic moved"', () => {
    const record: DeploymentRecord = {
      ...RECORD,
      aliasRevision: '71b76b12',
      cause: { code: 'GATE_FAILED', gates: ['alarms'] },
    };
    const h = buildHistory('orders', 'live', { ...on('6'), revisionId: '0c1d2e3f-aaaa' }, record, NOW);
    expect(h.latest?.trafficMoved).toBeUndefined();
    const text = renderHistory(h);
    expect(text).toContain('latest: d-abc123 ROLLED BACK version 6 → 7 (canary:10%:5m)\n');
    expect(text).toContain('why: a health gate failed (alarms)');
    // Unknown (no revision kept, an older lshift's record): not said either way.
    const old = buildHistory('orders', 'live', { ...on('6'), revisionId: '71b76b12-6701' }, RECORD, NOW);
    expect(old.latest?.trafficMoved).toBeUndefined();
  });

  it("a release's cause is the release's: said so", () => {
    const record: DeploymentRecord = {
      ...RECORD,
      releaseId: 'r-k3j9x2',
      cause: { code: 'HOOK_FAILED', phase: 'post' },
    };
    expect(renderHistory(buildHistory('orders', 'live', on('6'), record, NOW))).toContain(
      'why: a post-traffic hook failed (in this function or another of release r-k3j9x2)',
    );
  });
});

function on(version: string) {
  return { functionVersion: version, additionalWeights: {} };
}
