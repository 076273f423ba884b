/**
 * `lshift rollback --release R` with no function named was refused (USAGE), though the release id
 * may be all one has at 3 a.m. (found by a hostile pass, session 60, F8b). The records in reach
 * say which functions the release has, at every alias; a listing refused is said, for the refusal.
 */
import { describe, expect, it } from 'vitest';
import { findReleaseMembers } from '../../src/engine/release-members-found.js';
import { lookForUnnamedMembers } from '../../src/engine/release-rollback-open.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord } from './world.js';

const RELEASE = 'r-f8b8b8';

async function world() {
  const w = createFleetWorld(['fa', 'fb', 'fc']);
  w.lambda.addFunction('ga');
  w.lambda.addVersion('ga');
  w.lambda.addAlias('ga', 'prod', '1');
  const store = new TagStateStore(w.lambda);
  await store.write('fa', ALIAS, deadRecord(w, { id: 'd-1', releaseId: RELEASE }));
  await store.write('ga', 'prod', deadRecord(w, { id: 'd-2', releaseId: RELEASE }));
  // Another release's record, and a deployment of one function: not this release's.
  await store.write('fb', ALIAS, deadRecord(w, { id: 'd-3', releaseId: 'r-other1' }));
  await store.write('fc', ALIAS, deadRecord(w, { id: 'd-4' }));
  return w;
}

describe('the functions of a release, found by their records', () => {
  it('every record of the release, at every alias; none of another release', async () => {
    const w = await world();
    expect(await findReleaseMembers(w.lambda, RELEASE)).toMatchObject({
      kind: 'found',
      targets: [
        { functionName: 'fa', alias: ALIAS },
        { functionName: 'ga', alias: 'prod' },
      ],
    });
  });

  it('--alias: only those at it', async () => {
    const w = await world();
    expect(await findReleaseMembers(w.lambda, RELEASE, 'prod')).toMatchObject({
      kind: 'found',
      targets: [{ functionName: 'ga', alias: 'prod' }],
    });
  });

  it('no record of the release: not found, said', async () => {
    const w = await world();
    expect(await findReleaseMembers(w.lambda, 'r-nonexi')).toEqual({
      kind: 'not-found',
      unlisted: false,
      why: 'no record in reach names release r-nonexi at any alias',
    });
  });

  it('ListFunctions refused: not found, with why', async () => {
    const w = await world();
    w.lambda.listFunctions = async () => {
      throw new Error('AccessDeniedException: not authorized to perform lambda:ListFunctions');
    };
    const found = await findReleaseMembers(w.lambda, RELEASE);
    expect(found).toMatchObject({
      kind: 'not-found',
      unlisted: true,
      why: expect.stringContaining('could not be listed (AccessDeniedException'),
    });
  });

  // Session 60, F1: a Ctrl-C during the listing is no "not found" and no partial answer.
  it('interrupted during the listing: interrupted, nothing found', async () => {
    const w = await world();
    const stop = new AbortController();
    stop.abort();
    expect(await findReleaseMembers(w.lambda, RELEASE, undefined, stop.signal)).toEqual({
      kind: 'interrupted',
    });
  });

  // Session 60, F3: the rollback listed every function twice (find, then the unnamed check).
  it('the listing that found them answers the unnamed check: ListFunctions once', async () => {
    const w = await world();
    let listings = 0;
    const list = w.lambda.listFunctions.bind(w.lambda);
    w.lambda.listFunctions = async (...args: Parameters<typeof list>) => {
      listings += 1;
      return list(...args);
    };
    const found = await findReleaseMembers(w.lambda, RELEASE, 'prod');
    if (found.kind !== 'found') throw new Error(found.kind);
    const unnamed = await lookForUnnamedMembers(
      { lambda: w.lambda, clock: w.clock, events: { emit: () => {} } },
      RELEASE,
      found.targets,
      undefined,
      found.reach,
    );
    expect(listings).toBe(1);
    // fa's record at the other alias, found by that one listing.
    expect(unnamed).toMatchObject({ kind: 'looked', open: [{ functionName: 'fa', alias: ALIAS }] });
  });
});
