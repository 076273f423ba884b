/**
 * No weight write while the deployment record lags (health-monitor-types.ts, RecordLagWatch): a runner
 * whose TagResource failed walked 20% → 70% while `lshift status` elsewhere said STALE and
 * `--resume` refused (found by a hostile pass). The hold before the next weight goes on until a
 * write lands; once nothing has landed for the stale limit, the deployment rolls back.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, canary, createWorld, FN, linear, request, writesOf } from './world.js';

const throttled = () => new OperationError('THROTTLED', 'tag write throttled');

/** When each alias write landed, after the deployment's start (s). */
function aliasWriteTimes(w: ReturnType<typeof createWorld>): number[] {
  return w.lambda.callsOf('updateAlias').map((c) => (c.at - w.start) / 1000);
}

describe('a hold before a weight write waits for the deployment record', () => {
  it('rolls back from the weight it holds, never writing the next, when the record stays unwritten for the stale limit', async () => {
    const w = createWorld();
    w.store.failWritesAfter(1, throttled());
    const result = await runDeploy(w.deps, request(canary(10, 60)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'RECORD_UNWRITTEN' });
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(seconds).toBeLessThan(140);
    // 10%, then straight back to version 1: 100% was never written.
    expect(writesOf(w.lambda).map((x) => x.slice(0, 2))).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}],
    ]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const held = w.sink.logs('warn').filter((m) => m.includes('as the hold at 10% was to end'));
    expect(held).toHaveLength(1);
    expect(held[0]).toContain('holding 10% until it is written');
    expect(held[0]).toContain('THROTTLED');
    // Said again every 30 s while it lasts, not one warning for up to 2 minutes.
    const still = w.sink
      .logs('info')
      .filter((m) => m.startsWith('still holding 10%: the deployment record is unwritten'));
    expect(still.length).toBeGreaterThanOrEqual(1);
    expect(still.length).toBeLessThanOrEqual(4);
    expect(still[0]).toMatch(/rolls back at 2m$/);
    expect(w.sink.logs('warn')[0]).toMatch(
      /^could not write the deployment record \(shifting\) of demo alias live: THROTTLED: .*; the shift continues, but moves no more traffic until a write lands, and rolls back once none has landed for 2m$/,
    );
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(10%\): the deployment record of demo alias live could not be written for 2m( \d+s)? \(.*THROTTLED.*\): `lshift status`, `check` and another deploy could not see this deployment/,
    );
  });

  it('goes on once a write lands again, later than planned and with the record caught up', async () => {
    const w = createWorld();
    // From 20 s: the next three writes fail (the heartbeat at 30 s, the retry at the hold's end
    // and the one at the poll after it); the fourth lands.
    w.clock.at(w.start + 20_000, () => w.store.failWrites(throttled(), 3));
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    const [first, second] = aliasWriteTimes(w);
    expect(first).toBe(0);
    // Held past its 60 s until a write landed.
    expect(second).toBeGreaterThan(70);
    // The 100% write came after a record of the 50% step had landed again.
    const at100 = w.store.writes.findIndex((x) => x.record.percent === 100);
    const caughtUp = w.store.writes[at100 - 1]?.record;
    expect(caughtUp).toMatchObject({ phase: 'shifting', percent: 50 });
    expect((caughtUp?.heartbeatAt ?? 0) - w.start).toBeGreaterThan(60_000);
    expect(w.sink.logs('warn').filter((m) => m.includes('as the hold at 50% was to end'))).toHaveLength(1);
    expect(w.sink.logs('info')).toContain('the deployment record is written again: the hold at 50% ends');
  });

  it('does not hold when the record kept up (a write that failed and a later one that landed)', async () => {
    const w = createWorld();
    w.clock.at(w.start + 25_000, () => w.store.failWrites(throttled(), 1));
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    expect(aliasWriteTimes(w)[1]).toBeLessThan(70);
    expect(w.sink.logs('warn').filter((m) => m.includes('was to end'))).toEqual([]);
  });

  it('an operator’s promote that comes while the record lags is obeyed once a write lands, not rolled back', async () => {
    const w = createWorld();
    // linear:10%:1m: 20% holds from 60 s to 120 s. The heartbeat at 90 s and the next try fail.
    w.clock.at(w.start + 85_000, () => w.store.failWrites(throttled(), 2));
    w.clock.at(w.start + 95_000, () => {
      const record = w.store.peek(FN, ALIAS)!;
      w.store.seed(FN, ALIAS, {
        ...record,
        command: { verb: 'promote', nonce: 'n1', state: 'sent', by: 'ann@laptop:9' },
      });
    });
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('promoted');
    const promoted = w.sink.events.find((e) => e.type === 'operator.command');
    expect(promoted).toMatchObject({ verb: 'promote', obeyed: true });
    // Obeyed at the 100 s poll, but 30% waited for the record: written once a write landed again.
    const thirty = w.lambda.callsOf('updateAlias')[2]!;
    expect((thirty.args[2] as { additionalWeights: Record<string, number> }).additionalWeights).toEqual({
      '2': 0.3,
    });
    expect(thirty.at - w.start).toBeGreaterThanOrEqual(110_000);
  });
});
