/**
 * No weight write while the deployment record cannot be read (health-monitor-types.ts, RecordLagWatch,
 * `unread`): a runner whose ListTags failed walked on to 100%, blind to an operator's `abort` and
 * `pause` (`lshift abort` timed out unanswered) and to a takeover (found by a hostile pass). The
 * hold before the next weight goes on until a read lands; once none has for the stale limit, the
 * deployment rolls back (RECORD_UNREAD).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, canary, createWorld, FN, linear, request, writesOf } from './world.js';

const denied = () => new OperationError('ACCESS_DENIED', 'not authorized to perform lambda:ListTags');

/** The weights lshift wrote to the alias, in order (`{}`: all on the primary). */
function weightsWritten(w: ReturnType<typeof createWorld>) {
  return writesOf(w.lambda).map((x) => x[1]);
}

describe('a hold before a weight write waits for a read of the deployment record', () => {
  it('rolls back from the weight it holds, never writing the next, when the record stays unread for the stale limit', async () => {
    const w = createWorld();
    w.clock.at(w.start + 5_000, () => w.store.failReads(denied()));
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD' });
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(seconds).toBeLessThan(140);
    // 50%, then straight back to version 1: 100% was never written.
    expect(weightsWritten(w)).toEqual([{ '2': 0.5 }, {}]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const held = w.sink.logs('warn').filter((m) => m.includes('as the hold at 50% was to end'));
    expect(held).toHaveLength(1);
    expect(held[0]).toMatch(/^could not read the deployment record of demo alias live/);
    expect(held[0]).toContain("it cannot see an operator's abort or pause");
    expect(held[0]).toContain('ACCESS_DENIED');
    const still = w.sink
      .logs('info')
      .filter((m) => m.startsWith('still holding 50%: the deployment record is unread'));
    expect(still.length).toBeGreaterThanOrEqual(1);
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(50%\): the deployment record of demo alias live could not be read for 2m( \d+s)? \(.*ACCESS_DENIED.*\): lshift could not see an operator's `lshift abort` or `pause`/,
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'RECORD_UNREAD' } });
  });

  it('goes on once a read lands again, later than planned', async () => {
    const w = createWorld();
    w.clock.at(w.start + 45_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 85_000, () => w.store.healReads());
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    const at100 = w.lambda.callsOf('updateAlias')[1]!;
    expect(at100.at - w.start).toBeGreaterThanOrEqual(85_000);
    expect(w.sink.logs('warn').filter((m) => m.includes('as the hold at 50% was to end'))).toHaveLength(1);
    expect(w.sink.logs('info')).toContain('the deployment record is read again: the hold at 50% ends');
  });

  it('an abort sent while the record could not be read is obeyed from the weight it holds, not after the next', async () => {
    const w = createWorld();
    const sendAbort = () => {
      const record = w.store.peek(FN, ALIAS)!;
      if (record.command?.nonce === 'n1') return;
      w.store.seed(FN, ALIAS, {
        ...record,
        command: { verb: 'abort', nonce: 'n1', state: 'sent', by: 'ann@laptop:9', reason: 'bad build' },
      });
    };
    w.clock.at(w.start + 45_000, () => {
      w.store.failReads(denied());
      sendAbort();
    });
    // A heartbeat put off for the failed reads is written blind after a minute, over the command;
    // `lshift abort` writes it again when it sees it gone (operator-await-answer.ts resend).
    w.clock.at(w.start + 95_000, () => {
      w.store.healReads();
      sendAbort();
    });
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED' });
    expect(weightsWritten(w)).toEqual([{ '2': 0.5 }, {}]);
    expect(w.sink.events.find((e) => e.type === 'operator.command')).toMatchObject({
      verb: 'abort',
      obeyed: true,
    });
  });

  it('a read that failed once and landed at the next poll holds nothing', async () => {
    const w = createWorld();
    w.clock.at(w.start + 25_000, () => w.store.failReads(denied(), 1));
    const result = await runDeploy(w.deps, request(linear(50, 60)));

    expect(result.status).toBe('promoted');
    expect(w.lambda.callsOf('updateAlias')[1]!.at - w.start).toBeLessThan(70_000);
    expect(w.sink.logs('warn').filter((m) => m.includes('was to end'))).toEqual([]);
  });

  it('a first weight after a wait (--warm) during which the record could not be read is not written', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array<'IN_PROGRESS'>(12).fill('IN_PROGRESS'));
    w.clock.at(w.start + 5_000, () => w.store.failReads(denied()));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));

    expect(result).toMatchObject({ status: 'rolled_back', trafficMoved: false });
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD' });
    expect(weightsWritten(w)).toEqual([]);
    expect(describeReason(result)).toContain('so it did not write the next weight');
  });

  it('a first weight after a wait is written once a read landed again before it', async () => {
    const w = createWorld();
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    w.lambda.setPcAfterPut(FN, '2', Array<'IN_PROGRESS'>(12).fill('IN_PROGRESS'));
    w.clock.at(w.start + 5_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 30_000, () => w.store.healReads());
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), warm: true }));

    expect(result.status).toBe('promoted');
    expect(weightsWritten(w)[0]).toEqual({ '2': 0.1 });
  });
});
