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
      code: 'FUNCTION_NOT_FOUND',
      exitCode: 1,
      message:
        'Function fb of release r-both01 does not exist in this account and region any more: it was deleted, and its deployment record with it.',
    });
    expect((error as { hint: string }).hint).toMatch(
      /^Leave fb out: resume the release’s other functions with `lshift deploy fa fc --alias live --resume`.*, or roll them back with `lshift rollback --release r-both01 fa fc`\./,
    );
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
  });
});
