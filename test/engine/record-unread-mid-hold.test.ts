/**
 * A runner whose record cannot be read mid-hold (ListTags failing) cannot see an operator's
 * `lshift abort` or `pause`, which travel through the record. It was judged only where the hold
 * was to end: in a 30-minute canary whose reads failed from minute 1, an abort sent at minute 2
 * went unanswered (its sender timed out and withdrew it) while 10% stayed on the new version for
 * 28 more minutes. A hold with traffic moved now ends once no read has landed for the stale limit
 * (RECORD_UNREAD), as it does for an unwritten record (hold-record-lag.ts, lagPastLimit).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, canary, createWorld, FN, request, sendCommandAt } from './world.js';

const denied = () => new OperationError('ACCESS_DENIED', 'not authorized to perform lambda:ListTags');

describe('a record that cannot be read in the middle of a long hold', () => {
  it('rolls back once no read has landed for the stale limit, not at the hold’s end', async () => {
    const w = createWorld();
    w.clock.at(w.start + 60_000, () => w.store.failReads(denied()));
    sendCommandAt(w, 120_000);
    const result = await runDeploy(w.deps, request(canary(10, 1800)));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'RECORD_UNREAD' });
    const seconds = (result.cause as { data: { seconds: number } }).data.seconds;
    expect(seconds).toBeGreaterThanOrEqual(120);
    expect(seconds).toBeLessThan(140);
    const back = w.lambda.callsOf('updateAlias').at(-1)!;
    expect(back.at - w.start).toBeLessThan(200_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(describeReason(result)).toMatch(
      /^rolled back at step 1 \(10%\): the deployment record of demo alias live could not be read for 2m( \d+s)? \(.*ACCESS_DENIED.*\): lshift could not see an operator's `lshift abort` or `pause`, or another lshift taking this deployment over, so it rolled back rather than hold 10% without seeing them$/,
    );
    // Said once as it began, not first at the hold's end.
    expect(w.sink.logs('warn')).toEqual([
      expect.stringMatching(
        /^could not read the deployment record of demo alias live during the hold at 10% \(.*ACCESS_DENIED.*\): it cannot see an operator's abort or pause, or another lshift taking this deployment over; lshift rolls back if nothing is read 2m after the last read that landed$/,
      ),
    ]);
  });

  it('holds on through a shorter outage, and obeys the abort it could not see once a read lands', async () => {
    const w = createWorld();
    w.clock.at(w.start + 60_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 150_000, () => w.store.healReads());
    sendCommandAt(w, 120_000);
    const result = await runDeploy(w.deps, request(canary(10, 1800)));

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'OPERATOR_ABORTED' });
    const back = w.lambda.callsOf('updateAlias').at(-1)!;
    expect(back.at - w.start).toBeGreaterThanOrEqual(150_000);
    expect(back.at - w.start).toBeLessThan(170_000);
    expect(w.sink.logs('warn').filter((m) => m.includes('during the hold at 10%'))).toHaveLength(1);
  });

  it('a shorter outage with no command: the hold goes on to its end and promotes', async () => {
    const w = createWorld();
    w.clock.at(w.start + 60_000, () => w.store.failReads(denied()));
    w.clock.at(w.start + 150_000, () => w.store.healReads());
    const result = await runDeploy(w.deps, request(canary(10, 300)));

    expect(result.status).toBe('promoted');
    expect(w.lambda.callsOf('updateAlias').at(-1)!.at - w.start).toBeGreaterThanOrEqual(300_000);
  });
});
