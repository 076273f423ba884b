/**
 * `lshift deploy fa fb fc --resume` after the release's runner died and someone moved fb's alias
 * by hand. The refusal's hint was a single function's — `lshift rollback fb --alias live --to 1`,
 * "then deploy again" — which left fa and fc split, and a new deployment of the three is refused
 * while they hold their aliases (found by a hostile pass over releases). It now names the
 * release's ways out: undo it all, or close fb where it is and resume the others.
 */
import { describe, expect, it } from 'vitest';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, resumeRequest } from './world.js';

function resumeAll() {
  return NAMES.map((fn) =>
    resumeRequest({ functionName: fn, alarms: [`${fn}-errors`], releaseFunctions: NAMES }),
  );
}

describe('deploy --resume of a release one of whose functions was moved by hand', () => {
  it('all of fb on the new version (ahead of its record): undo the release, or keep fb and resume fa fc', async () => {
    const w = abandonedRelease();
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '2', additionalWeights: {} });
    const error = await resumeRelease(w.deps, { members: resumeAll() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ALIAS_AHEAD_OF_RECORD', exitCode: 4 });
    expect((error as { hint: string }).hint).toBe(
      'Decide where traffic should be. fb is a function of release r-both01: undo the whole release with `lshift rollback --release r-both01 fa fb fc`; ' +
        "or keep fb on version 2 and close its deployment with `lshift alias fb live 2`, then resume its other functions with `lshift deploy fa fc --alias live --resume` plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them).",
    );
  });

  it('fb moved to a version of its own: the same ways out (ALIAS_MISMATCH)', async () => {
    const w = abandonedRelease();
    w.lambda.addVersion('fb');
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '4', additionalWeights: {} });
    const error = await resumeRelease(w.deps, { members: resumeAll() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ALIAS_MISMATCH' });
    expect((error as { hint: string }).hint).toContain(
      'first put fb back on its stable version 1 with `lshift rollback fb --alias live --to 1`, or keep fb on version 4 and close its deployment with `lshift alias fb live 4` (either closes its deployment); then resume its other functions with `lshift deploy fa fc --alias live --resume`',
    );
    expect((error as { hint: string }).hint).not.toContain('deploy again');
  });

  it('fb split by hand further than its record: only the release’s undo (a split has no version to keep)', async () => {
    const w = abandonedRelease();
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.9 } });
    const error = await resumeRelease(w.deps, { members: resumeAll() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ALIAS_AHEAD_OF_RECORD' });
    expect((error as { hint: string }).hint).toBe(
      'Decide where traffic should be. fb is a function of release r-both01: undo the whole release with `lshift rollback --release r-both01 fa fb fc`.',
    );
  });

  // A person's rollback of fb (all back on stable) was undone: the resume walked fb to 30% at once,
  // the highest level the release had reached (found by a hostile pass).
  it('fb put back on stable by hand: refused (exit 5), nothing written, with the release’s ways out', async () => {
    const w = abandonedRelease();
    w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
    const error = await resumeRelease(w.deps, { members: resumeAll() }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ALIAS_MISMATCH', exitCode: 5 });
    expect((error as { message: string }).message).toContain(
      'Alias live of function fb routes all traffic to its stable version 1, but deployment d-1 recorded 20% (step 2): someone moved it back',
    );
    expect((error as { hint: string }).hint).toContain(
      "or keep fb on version 1 and close its deployment with `lshift alias fb live 1`, then, if they still carry the release's traffic, resume its other functions with `lshift deploy fa fc --alias live --resume`",
    );
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });
});
