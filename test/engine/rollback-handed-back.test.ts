/**
 * A runner whose rollback retries through a throttle storm is taken over by another rollback of
 * the same deployment (`deploy --supersede`'s, a person's `lshift rollback`), whose own writes
 * fail too: it gives up and puts the record back as it was before its claim (check-claim.ts,
 * releaseClaim). Nobody drives the split alias then. Found by a hostile pass (session 54): the
 * runner ended "taken over" (exit 5), which a pipeline reads as "someone else has it".
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALARM, ALIAS, createWorld, FN, linear, request } from './world.js';

const TAKER = 'rollback:deploy@ci:7';

const isRollbackWrite = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

describe('a rollback taken over by another rollback that then gives up', () => {
  it('the record handed back, the alias still split: unsafe (exit 4) with the command that finishes it', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    w.lambda.fail({ op: 'updateAlias', match: isRollbackWrite, times: Number.POSITIVE_INFINITY });
    let before: ReturnType<typeof w.store.peek>;
    // The taker claims the record while the runner's rollback retries…
    w.clock.after(150_000, () => {
      before = w.store.peek(FN, ALIAS);
      w.store.seed(FN, ALIAS, {
        ...before!,
        phase: 'rolling-back',
        owner: TAKER,
        heartbeatAt: w.clock.now(),
      });
    });
    // …and, its own writes failing as long, puts it back after the runner gave up its own.
    w.clock.after(450_000, () => w.store.seed(FN, ALIAS, before!));
    const result = await runDeploy(w.deps, request(linear(10, 60)));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_ABANDONED',
      data: { owner: TAKER, handedBack: true },
    });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(result.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.2 } });
    expect(describeReason(result)).toContain(
      `the rollback by ${TAKER} that claimed this deployment at step 2 (20%) gave up without putting alias live back`,
    );
    // The record stays as the taker put it back (not closed): a scheduled check takes a stale one over.
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
  });
});
