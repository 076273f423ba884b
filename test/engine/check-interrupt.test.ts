/**
 * `lshift check` interrupted (a scheduler's SIGTERM, Ctrl-C) between two functions: the one
 * being rolled back is finished — alias and record — and no other function is touched; the
 * report says which were not checked, and the check exits 130 with one clear line.
 */
import { describe, expect, it } from 'vitest';
import { describeInterruptedCheck, exitCodeForCheck } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { ExitCode } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

const NAMES = ['fa', 'fb'];

/** Two functions, each with an unfinished deployment at 20% whose runner died, alarms in ALARM. */
function abandonedWorld(overrides: Partial<DeploymentRecord> = {}): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.store.seed(fn, ALIAS, deadRecord(w, { id: `d-${i}`, ...overrides }));
    w.metrics.setAlarm(`${fn}-errors`, 'ALARM', { reason: 'errors over 3' });
  }
  return w;
}

/** The world's deps, with `controller` aborted (as by SIGTERM) once `fn`'s alias write landed. */
function abortAfterAliasWrite(w: World, fn: string, controller: AbortController) {
  const lambda = new Proxy(w.lambda, {
    get: (obj, key, receiver) => {
      const value = Reflect.get(obj, key, receiver);
      if (key !== 'updateAlias' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(obj, args);
        if (args[0] === fn) controller.abort(new Error('interrupted by SIGTERM'));
        return result;
      };
    },
  });
  return { ...w.deps, lambda, store: w.store };
}

const request = (signal: AbortSignal) => ({
  functionNames: NAMES,
  alias: ALIAS,
  windowSeconds: 3600,
  alarms: ['{function}-errors'],
  signal,
});

describe('lshift check interrupted between two functions', () => {
  it('finishes the rollback under way (alias and record), leaves the next function untouched, exits 130', async () => {
    const w = abandonedWorld();
    const controller = new AbortController();
    const deps = abortAfterAliasWrite(w, 'fa', controller);
    const fbRecord = w.store.peek('fb', ALIAS);
    const report = await checkReleases(deps, await runCheck(deps, request(controller.signal)));

    // fa: fully rolled back, its record closed although the signal came mid-rollback.
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek('fa', ALIAS)?.phase).toBe('rolled-back');
    // fb: untouched — alias still split, record as the dead runner left it.
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.2 },
    });
    expect(w.store.peek('fb', ALIAS)).toEqual(fbRecord);
    expect(w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb')).toHaveLength(0);

    const [fa, fb] = report.results;
    expect(fa).toMatchObject({ functionName: 'fa', action: 'rolled_back' });
    expect(fb).toMatchObject({ functionName: 'fb', action: 'skipped', interrupted: true });
    expect(fb?.reason).toContain('interrupted by SIGTERM');
    expect(fb?.reason).toContain('nothing was changed');
    expect(report.interrupted).toBe('interrupted by SIGTERM');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Interrupted);
    expect(ExitCode.Interrupted).toBe(130);
    expect(describeInterruptedCheck(report)).toBe(
      'lshift check interrupted by SIGTERM: stopped between functions (1 rolled back); 1 function left untouched, not checked — run lshift check again.',
    );
  });

  it('a signal before the first function: nothing is read or written, every function untouched', async () => {
    const w = abandonedWorld();
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    const deps = { ...w.deps, store: w.store };
    const writes = w.lambda.aliasWrites().length;
    const report = await runCheck(deps, request(controller.signal));

    expect(w.lambda.aliasWrites()).toHaveLength(writes);
    expect(report.results.map((r) => r.interrupted)).toEqual([true, true]);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Interrupted);
  });

  it("a release: the function rolled back does not take its release's others along once interrupted", async () => {
    const w = abandonedWorld({ releaseId: 'r-int001' });
    w.metrics.setAlarm('fb-errors', 'OK');
    const controller = new AbortController();
    const deps = abortAfterAliasWrite(w, 'fa', controller);
    const report = await checkReleases(deps, await runCheck(deps, request(controller.signal)));

    expect(w.store.peek('fa', ALIAS)?.phase).toBe('rolled-back');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.2 } });
    expect(w.lambda.callsOf('updateAlias').filter((c) => c.args[0] === 'fb')).toHaveLength(0);
    const fb = report.results[1]!;
    expect(fb.action).toBe('skipped');
    expect(fb.reason).toContain('lshift rollback --release r-int001 fa fb');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Interrupted);
  });
});
