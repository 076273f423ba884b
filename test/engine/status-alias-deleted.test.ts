/**
 * `lshift status demo --alias live` after the alias was deleted under an unfinished deployment
 * (the line `lshift check` prints points there): it said `ALIAS_NOT_FOUND … Check the function
 * name and --alias`, a typo's hint, although the deployment record for that alias is still on
 * the function and every later check reports it. The hint now says so and how to delete it.
 */
import { describe, expect, it } from 'vitest';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

describe('status of an alias deleted under its deployment record', () => {
  it('ALIAS_NOT_FOUND still, with a hint naming the record left and the command that deletes it', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    w.lambda.deleteAlias(FN, ALIAS);
    const error = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; hint?: string },
    );

    expect(error?.code).toBe('ALIAS_NOT_FOUND');
    expect(error?.hint).toContain(
      'the deployment record of deployment d-dead01 (shifting at 20%) for alias live is still on function demo',
    );
    expect(error?.hint).toContain('aws lambda untag-resource');
    expect(error?.hint).toContain('--tag-keys lshift:live');
  });

  it('keeps the typo hint when no record names the alias', async () => {
    const w = createWorld();
    const error = await getStatus(w.deps, { functionName: FN, alias: 'liev', alarms: [] }).then(
      () => undefined,
      (e: unknown) => e as { code?: string; hint?: string },
    );
    expect(error).toMatchObject({ code: 'ALIAS_NOT_FOUND', hint: 'Check the function name and --alias.' });
  });
});
