/**
 * A runner still retrying its rollback (UpdateAlias throttled, each try slow) while a scheduled
 * `lshift check` takes its `rolling-back` record for abandoned and rolls the alias back itself.
 * Both aim at the stable version, so the alias ends right; the runner must then say it was
 * rolled back (exit 3), by whom — never a conflict (exit 5), which a pipeline reads as "busy,
 * retry later" and would redeploy the bad version.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { AliasWrite, LambdaPort } from '../../src/ports/lambda.js';
import { throttled } from '../helpers/fake-lambda.js';
import { ALARM, ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const CHECK_OWNER = 'check:cron@host-b:2';

/** The runner's Lambda: its rollback writes (all on version 1) each hang `ms`, then are throttled. */
function stuckRollbackWrites(w: World, ms: number): LambdaPort {
  return new Proxy(w.lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (fn: string, alias: string, write: AliasWrite) => {
          if (write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0) {
            await w.clock.sleep(ms);
            throw throttled();
          }
          return target.updateAlias(fn, alias, write);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Moves the manual clock a second at a time until `work` ends (the runner and the check overlap). */
async function driveUntil<T>(w: World, work: Promise<T>): Promise<T> {
  let done = false;
  const settled = work.finally(() => {
    done = true;
  });
  for (let i = 0; !done && i < 3600; i++) await w.clock.advance(1000);
  return settled;
}

describe('a check finishes the rollback its runner is still retrying', () => {
  it('the runner reports rolled back (exit 3) and who finished it, not a conflict', async () => {
    const w = createWorld({ auto: false });
    // The alarm fires during the canary: the runner rolls back at its poll at 90 s.
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
    const runner = runDeploy(
      { ...w.deps, lambda: stuckRollbackWrites(w, 110_000) },
      request(canary(10, 600)),
    );
    // 185 s into the runner's rollback (its heartbeat as old), a check takes the record for
    // abandoned (--stale-after 2m + the 60 s skew margin) and rolls back.
    let check: ReturnType<typeof runCheck> | undefined;
    w.clock.at(w.start + 275_000, () => {
      check = runCheck(
        { ...w.deps, store: w.store, owner: CHECK_OWNER },
        { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] },
      );
    });
    const result = await driveUntil(w, runner);
    const report = await driveUntil(w, check!);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status, JSON.stringify(result.cause)).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.finishedBy).toMatchObject({ owner: CHECK_OWNER, phase: 'rolled-back' });
    expect(describeReason(result)).toBe(
      'rolled back at step 1 (10%): alarm demo-errors is ALARM: errors over 3; ' +
        'check:cron@host-b:2 finished the rollback while this lshift was still on it ' +
        '(recorded rolled back at 2026-01-01T00:06:38Z): all traffic is on version 1',
    );
    // The check's record stays as the check closed it: who finished the rollback.
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: CHECK_OWNER });
  });
});
