/**
 * `lshift check` rolls the functions it must roll back one after another, and each rollback
 * retries a failure that may pass (a throttle) for a while (step-restore.ts). The run shares one
 * such time (CheckDeps.rollbackPersistUntilMs): a throttle storm over several functions must not
 * keep a scheduled check for that many times 5 minutes. Each rollback still makes its 4 tries.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { ROLLBACK_PERSIST_MS } from '../../src/engine/step-restore.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

const FUNCTIONS = ['fa', 'fb', 'fc'];

/** Each function at 25% on version 2 with a dead runner; its alarm fires. */
function abandonedDeploys(): World {
  const w = createWorld();
  for (const fn of FUNCTIONS) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.store.seed(fn, ALIAS, deadRecord(w, { id: `d-${fn}`, strategy: 'linear:25%:1m' }));
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
    w.metrics.setAlarm(`${fn}-errors`, 'ALARM', { reason: 'errors over 3' });
  }
  return w;
}

function check(w: World, deps: Partial<CheckDeps> = {}) {
  return runCheck(
    { ...w.deps, store: w.store, owner: 'check:cron@host:1', ...deps },
    { functionNames: FUNCTIONS, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
  );
}

const restoresOf = (w: World, fn: string) =>
  w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.args[0] === fn)
    .filter((c) => (c.args[2] as { functionVersion: string }).functionVersion === '1');

describe('lshift check: one persistence time for the rollbacks of a run', () => {
  it('three functions throttled for good: the run gives up about 5 minutes after its first rollback, each tried at least 4 times', async () => {
    const w = abandonedDeploys();
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY });
    const report = await check(w);

    expect(report.results.map((r) => r.action)).toEqual([
      'rollback_failed',
      'rollback_failed',
      'rollback_failed',
    ]);
    expect(exitCodeForCheck(report)).toBe(4);
    const writes = FUNCTIONS.map((fn) => restoresOf(w, fn));
    for (const tried of writes) expect(tried.length).toBeGreaterThanOrEqual(4);
    // The first function used the run's time; the others made their fixed tries only.
    expect(writes[0]!.length).toBeGreaterThan(4);
    expect(writes[1]).toHaveLength(4);
    expect(writes[2]).toHaveLength(4);
    // From the first rollback write to the last: the run's one persistence time, and the fixed
    // tries of the two after it (3 s claim wait + 3.5 s of waits each).
    const at = writes.flat().map((c) => c.at);
    const span = Math.max(...at) - Math.min(...at);
    expect(span).toBeGreaterThanOrEqual(ROLLBACK_PERSIST_MS);
    expect(span).toBeLessThan(ROLLBACK_PERSIST_MS + 30_000);
  });

  it('a throttle storm of 2 minutes from the first rollback write: ridden out, all three rolled back in the one run', async () => {
    const w = abandonedDeploys();
    const storm: { untilMs?: number } = {};
    const throttled = () => {
      storm.untilMs ??= w.clock.elapsedMs() + 120_000;
      return w.clock.elapsedMs() < storm.untilMs;
    };
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, match: throttled });
    const report = await check(w);

    expect(report.results.map((r) => r.action)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    expect(exitCodeForCheck(report)).toBe(3);
    for (const fn of FUNCTIONS) {
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
    expect(restoresOf(w, 'fa').length).toBeGreaterThan(4);
  });
});
