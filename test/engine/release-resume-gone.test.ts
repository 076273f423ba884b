/**
 * `deploy fa fb fc --resume` of a release whose runner died, fb deleted since (its record went
 * with it). fb's refusal was the generic "Function fb does not exist … Check the function name,
 * --region and --profile" (found by a hostile pass over releases): it now says fb belongs to the
 * release and how to go on without it.
 */
import { describe, expect, it } from 'vitest';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { resumeRequest } from './world.js';

describe('deploy --resume of a release one of whose functions was deleted', () => {
  it('says it was deleted with its record, and how to resume or roll back the others without it', async () => {
    const w = abandonedRelease();
    w.lambda.deleteFunction('fb');
    const members = NAMES.map((fn) =>
      resumeRequest({ functionName: fn, alarms: [`${fn}-errors`], releaseFunctions: NAMES }),
    );
    const error = await resumeRelease(w.deps, { members }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NOT_IN_RELEASE',
      exitCode: 2,
      message:
        'Function fb does not exist in this account and region, so it is no function of release r-both01 to resume: mistyped, or deleted since the release started (its deployment record with it). Nothing was taken over.',
    });
    expect((error as { hint: string }).hint).toMatch(
      /^Correct fb \(check the name, --region and --profile\), or leave it out: resume the release’s other functions with `lshift deploy fa fc --alias live --resume`.*, or roll them back with `lshift rollback --release r-both01 fa fc`\./,
    );
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });

  // Found by a hostile pass: a name that was never of the release (a typo) was called a deleted
  // member of it (FUNCTION_NOT_FOUND, exit 1); `abort --release` refuses it as NOT_IN_RELEASE.
  it('a name that was never of the release is not called deleted: NOT_IN_RELEASE, exit 2, nothing taken over', async () => {
    const w = abandonedRelease();
    const named = [...NAMES, 'nosuch'];
    const members = named.map((fn) =>
      resumeRequest({ functionName: fn, alarms: [`${fn}-errors`], releaseFunctions: named }),
    );
    const error = await resumeRelease(w.deps, { members }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_IN_RELEASE', exitCode: 2 });
    expect((error as Error).message).not.toContain('it was deleted');
    expect((error as Error).message).toContain('mistyped, or deleted since the release started');
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.store.writes).toEqual([]);
  });
});
