/**
 * `lshift rollback --release R fa fb ga` listed every function in reach after the rollback — one
 * ListFunctions and one ListTags per function, the named ones read again though each was just
 * read and rolled back (session 62, carried). The listing must stay (a record names its release,
 * never how many functions it has: only reading every record tells whether the names were all of
 * it), but the functions named are not read again; and a Ctrl-C that abandons the listing's call
 * in flight (the CLI's runtime signal) is said as an interruption, not as a refused listing.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord, type World } from './world.js';

const RELEASE = 'r-c4115a';
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.1 } };
const NAMED = ['fa', 'fb', 'fc'].map((functionName) => ({ functionName, alias: ALIAS }));

/**
 * A release of fa, fb, fc (split, runner dead) in an account with `others` functions besides
 * (and the world's own `demo`).
 */
async function account(
  others: number,
  size: Partial<DeploymentRecord> = {},
): Promise<{ w: World; store: TagStateStore }> {
  const w = createFleetWorld(['fa', 'fb', 'fc', ...Array.from({ length: others }, (_, i) => `other${i}`)]);
  const store = new TagStateStore(w.lambda);
  for (const [i, { functionName }] of NAMED.entries()) {
    await store.write(
      functionName,
      ALIAS,
      deadRecord(w, { id: `d-${i}`, releaseId: RELEASE, percent: 10, stepIndex: 0, ...size }),
    );
    w.lambda.moveAlias(functionName, ALIAS, SPLIT);
  }
  return { w, store };
}

/** The calls of the listing after the rollback (from its start, told by `beginListing`). */
async function listingCalls(w: World, store: TagStateStore, signal?: AbortSignal) {
  let from = Number.NaN;
  const result = await rollbackReleaseClaimed(
    {
      ...w.deps,
      store,
      owner: 'rollback:ann@laptop:41',
      beginListing: () => {
        from = w.lambda.calls.length;
      },
    },
    { releaseId: RELEASE, targets: NAMED, reason: 'manual rollback', ...(signal ? { signal } : {}) },
  );
  const calls = w.lambda.calls.slice(from);
  const count = (op: string) => calls.filter((c) => c.op === op).length;
  const read = calls.filter((c) => c.op === 'listTags').map((c) => String(c.args[0]).split(':').at(-1));
  return { result, listFunctions: count('listFunctions'), listTags: count('listTags'), read };
}

describe('rollback --release: the listing after the rollback', () => {
  it('the functions named are not read again: one ListFunctions, ListTags of demo only (4 before)', async () => {
    const { w, store } = await account(0);
    const { result, listFunctions, listTags, read } = await listingCalls(w, store);
    expect(result.status).toBe('rolled_back');
    expect(result.unnamed).toEqual({ kind: 'looked', open: [] });
    expect({ listFunctions, listTags, read }).toEqual({ listFunctions: 1, listTags: 1, read: ['demo'] });
  });

  it('100 other functions: one ListTags each of them and demo, none of the 3 named (104 before)', async () => {
    const { w, store } = await account(100);
    const { result, listFunctions, listTags, read } = await listingCalls(w, store);
    expect(result.unnamed).toEqual({ kind: 'looked', open: [] });
    expect({ listFunctions, listTags }).toEqual({ listFunctions: 1, listTags: 101 });
    expect(read.filter((f) => ['fa', 'fb', 'fc'].includes(f!))).toEqual([]);
  });

  it('a function of the release not named is still found (its ListTags is made)', async () => {
    const { w, store } = await account(2);
    await store.write(
      'other1',
      ALIAS,
      deadRecord(w, { id: 'd-9', releaseId: RELEASE, percent: 10, stepIndex: 0 }),
    );
    const { result } = await listingCalls(w, store);
    expect(result.unnamed.open.map((m) => m.functionName)).toEqual(['other1']);
    expect(result.status).toBe('unsafe');
  });

  it('named by ARN: not read again either', async () => {
    const { w, store } = await account(1);
    const arn = (await w.lambda.getFunction('fb')).functionArn;
    let from = Number.NaN;
    const targets = [NAMED[0]!, { functionName: arn, alias: ALIAS }, NAMED[2]!];
    await rollbackReleaseClaimed(
      {
        ...w.deps,
        store,
        owner: 'rollback:ann@laptop:41',
        beginListing: () => (from = w.lambda.calls.length),
      },
      { releaseId: RELEASE, targets, reason: 'manual rollback' },
    );
    const read = w.lambda.calls.slice(from).filter((c) => c.op === 'listTags');
    expect(read.map((c) => String(c.args[0]).split(':').at(-1))).toEqual(['demo', 'other0']);
  });

  // The CLI's runtime abandons the call in flight at a Ctrl-C (CallInterruptedError): the
  // listing then fails, and that is the interruption, not "could not be listed".
  it('a Ctrl-C abandoning ListFunctions in flight: said as interrupted, not as refused', async () => {
    const { w, store } = await account(2);
    const stop = new AbortController();
    w.lambda.listFunctions = async () => {
      stop.abort();
      throw new Error('interrupted');
    };
    const { result } = await listingCalls(w, store, stop.signal);
    expect(result.unnamed).toEqual({
      kind: 'not-looked',
      cause: 'interrupted',
      why: 'the rollback was interrupted during the listing',
      open: [],
    });
  });
});

// h3 F6 (session 62): the records now name the release (`rf=`) and its size (`rz=`): every
// function named, nothing is left to look for, and the listing is not made at all.
describe('rollback --release naming every function its records name', () => {
  it.each([
    ['their names (rf=)', { releaseSize: 3, releaseFunctions: ['fa', 'fb', 'fc'] }],
    ['only their count (rz=, the names did not fit)', { releaseSize: 3 }],
  ])('%s: no listing', async (_n, size) => {
    const { w, store } = await account(100, size);
    const { result, listFunctions, read } = await listingCalls(w, store);
    expect(result.status).toBe('rolled_back');
    expect(result.unnamed).toEqual({ kind: 'looked', open: [] });
    // No listing began (its calls are then every call of the run): no function but those named read.
    expect(listFunctions).toBe(0);
    expect(read.filter((f) => !['fa', 'fb', 'fc'].includes(f!))).toEqual([]);
  });

  it.each([
    ['a fourth name', { releaseSize: 4, releaseFunctions: ['fa', 'fb', 'fc', 'fd'] }],
    ['a count of 4', { releaseSize: 4 }],
  ])('the records name more (%s): listed, as before', async (_n, size) => {
    const { w, store } = await account(2, size);
    const { listFunctions, listTags } = await listingCalls(w, store);
    expect({ listFunctions, listTags }).toEqual({ listFunctions: 1, listTags: 3 });
  });
});
