/**
 * A release whose one function is refused by its preflight shifts none: no function's
 * `shift.started` may be said (the log printed `alpha: shift: d-… alpha:live 1 → 2` for a
 * function the release never touched), no record or alias is written.
 */
import { describe, expect, it } from 'vitest';
import type { ReleaseRequest } from '../../src/engine/release.js';
import { runRelease } from '../../src/engine/release.js';
import { ALIAS, canary, createFleetWorld, request } from './world.js';

const FNS = ['alpha', 'beta', 'gamma'];

describe('runRelease: a refused function', () => {
  it('no shift.started for the functions that passed: the release never shifted them', async () => {
    const w = createFleetWorld(FNS);
    // beta's target runs under another role than its stable version: ROLE_MISMATCH.
    const betaTarget = w.lambda.addVersion('beta', { role: 'arn:aws:iam::123456789012:role/new-role' });
    const rel: ReleaseRequest = {
      releaseId: 'r-abc123',
      members: FNS.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-abc12${i}`,
          targetVersion: fn === 'beta' ? betaTarget : '2',
          ...canary(10, 300),
        }),
      ),
    };
    await expect(runRelease(w.deps, rel)).rejects.toMatchObject({ code: 'ROLE_MISMATCH', exitCode: 2 });
    expect(w.sink.ofType('shift.started')).toEqual([]);
    expect(w.sink.ofType('release.started')).toEqual([]);
    // The others' preflights passed and say so.
    expect(w.sink.ofType('preflight.completed').map((e) => e.functionName)).toEqual(['alpha', 'gamma']);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.store.writes).toEqual([]);
    for (const fn of FNS) expect(w.lambda.peekAlias(fn, ALIAS)?.functionVersion).toBe('1');
  });

  it('every function passed: each shift.started, then release.started, before the first record write', async () => {
    const w = createFleetWorld(FNS);
    const rel: ReleaseRequest = {
      releaseId: 'r-abc123',
      members: FNS.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-abc12${i}`,
          ...canary(10, 60),
        }),
      ),
    };
    const result = await runRelease(w.deps, rel);
    expect(result.status).toBe('promoted');
    const types = w.sink.types();
    const started = w.sink.ofType('shift.started');
    expect(started.map((e) => [e.functionName, e.stableVersion, e.targetVersion])).toEqual(
      FNS.map((fn) => [fn, '1', '2']),
    );
    const lastCompleted = types.lastIndexOf('preflight.completed');
    expect(types.indexOf('shift.started')).toBeGreaterThan(lastCompleted);
    expect(types.lastIndexOf('shift.started')).toBeLessThan(types.indexOf('release.started'));
  });
});
