/**
 * Health watched during the wait for provisioned concurrency after a weight write
 * (src/engine/wait-watch.ts): the alias is split at the new weight while the allocation is
 * IN_PROGRESS (here 2 minutes), and its hold counts only once it is READY. Before, nothing read
 * the alarms meanwhile: an alarm that fired during the wait was seen at the hold's first poll.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALARM, ALIAS, createWorld, driven, FN, linear, request, writesOf } from './world.js';

const TWO_MINUTES_IN_PROGRESS = Array<'IN_PROGRESS'>(24).fill('IN_PROGRESS');

describe('health during the wait for provisioned concurrency', () => {
  it('an alarm firing during the wait after the 25% write rolls back within a poll, ending the wait', async () => {
    const w = createWorld({ auto: false });
    w.lambda.setProvisionedConcurrency(FN, ALIAS, 10, TWO_MINUTES_IN_PROGRESS);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 45_000, reason: 'errors' });
    const result = await driven(w, runDeploy(w.deps, request(linear(25, 60))));
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('at step 1 (25%): alarm demo-errors is ALARM: errors');
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.25 }],
      ['1', {}],
    ]);
    const rolledBack = w.sink.ofType('rollback.started')[0]!;
    expect(rolledBack.at - (w.start + 45_000)).toBeLessThanOrEqual(11_000);
    // The wait ended with the failure: no read of the allocation after it.
    const reads = w.lambda.callsOf('getProvisionedConcurrency').filter((c) => c.at > rolledBack.at);
    expect(reads).toEqual([]);
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'provisioned-concurrency');
    expect(during.length).toBeGreaterThan(0);
    expect(result.steps[0]).toMatchObject({ percent: 25, result: 'failed' });
  });

  it('no provisioned concurrency: no wait, no poll beside it', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request(linear(25, 60)));
    expect(result.status).toBe('promoted');
    expect(w.sink.ofType('health.polled').some((e) => e.during !== undefined)).toBe(false);
  });
});
