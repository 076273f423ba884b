/**
 * `lshift rollback --release R fa fb` of a release that also has ga (on `prod`, from a config
 * file) said "Release R: rolled back", exit 0, with ga:prod still split (found by a hostile pass,
 * session 59, F1). Now the records in reach are listed at every alias after the rollback: a
 * function of the release not named and not rolled back is reported with its command, left as
 * it is, and the release is `unsafe` (exit 4); a listing refused is said.
 */
import { describe, expect, it } from 'vitest';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createFleetWorld, deadRecord, type World } from './world.js';

const RELEASE = 'r-f1f1f1';
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.1 } };

async function release(): Promise<{ w: World; store: TagStateStore }> {
  const w = createFleetWorld(['fa', 'fb']);
  w.lambda.addFunction('ga');
  w.lambda.addVersion('ga');
  w.lambda.addVersion('ga');
  w.lambda.addAlias('ga', 'prod', '1');
  const store = new TagStateStore(w.lambda);
  const members = [
    { fn: 'fa', alias: ALIAS },
    { fn: 'fb', alias: ALIAS },
    { fn: 'ga', alias: 'prod' },
  ];
  for (const [i, { fn, alias }] of members.entries()) {
    await store.write(
      fn,
      alias,
      deadRecord(w, { id: `d-${i}`, releaseId: RELEASE, percent: 10, stepIndex: 0 }),
    );
    w.lambda.moveAlias(fn, alias, SPLIT);
  }
  return { w, store };
}

function rollBack(w: World, store: TagStateStore, targets: { functionName: string; alias: string }[]) {
  return rollbackReleaseClaimed(
    { ...w.deps, store, owner: 'rollback:ann@laptop:41' },
    { releaseId: RELEASE, targets, reason: 'manual rollback' },
  );
}

const FA_FB = [
  { functionName: 'fa', alias: ALIAS },
  { functionName: 'fb', alias: ALIAS },
];

describe('rollback --release naming only some of the release', () => {
  it('ga:prod not named, still split: reported with its command, left as it is, the release unsafe', async () => {
    const { w, store } = await release();
    const result = await rollBack(w, store, FA_FB);
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'rolled_back'],
    ]);
    expect(result.unnamed).toEqual({
      kind: 'looked',
      open: [
        {
          functionName: 'ga',
          alias: 'prod',
          phase: 'shifting',
          percent: 10,
          command: `lshift rollback --release ${RELEASE} ga --alias prod`,
        },
      ],
    });
    expect(result.status).toBe('unsafe');
    expect(w.lambda.peekAlias('ga', 'prod')).toMatchObject(SPLIT);
    expect((await store.read('ga', 'prod'))?.phase).toBe('shifting');
  });

  // Session 60, F2: fa named, fb and fc open at one alias, got a command each; the first run
  // ended exit 4 again for the other. One command per alias names every open function there.
  it('two open at one alias: one command naming both', async () => {
    const { w, store } = await release();
    const result = await rollBack(w, store, [FA_FB[0]!]);
    const commands = result.unnamed.open.map((m) => [m.functionName, m.command]);
    expect(commands).toEqual([
      ['fb', `lshift rollback --release ${RELEASE} fb --alias ${ALIAS}`],
      ['ga', `lshift rollback --release ${RELEASE} ga --alias prod`],
    ]);
    w.lambda.addFunction('gb');
    w.lambda.addVersion('gb');
    w.lambda.addVersion('gb');
    w.lambda.addAlias('gb', 'prod', '1');
    await store.write(
      'gb',
      'prod',
      deadRecord(w, { id: 'd-9', releaseId: RELEASE, percent: 10, stepIndex: 0 }),
    );
    const again = await rollBack(w, store, FA_FB);
    expect(again.unnamed.open.map((m) => [m.functionName, m.command])).toEqual([
      ['ga', `lshift rollback --release ${RELEASE} ga gb --alias prod`],
      ['gb', `lshift rollback --release ${RELEASE} ga gb --alias prod`],
    ]);
  });

  it('ga promoted at prod: open too (the release’s rollback would take it back)', async () => {
    const { w, store } = await release();
    w.lambda.moveAlias('ga', 'prod', { functionVersion: '2', additionalWeights: {} });
    const ga = (await store.read('ga', 'prod'))!;
    await store.write('ga', 'prod', { ...ga, phase: 'promoted', percent: 100 });
    const result = await rollBack(w, store, FA_FB);
    expect(result.unnamed.open.map((m) => [m.functionName, m.phase])).toEqual([['ga', 'promoted']]);
    expect(result.status).toBe('unsafe');
  });

  it('every function named: nothing open, rolled back', async () => {
    const { w, store } = await release();
    const result = await rollBack(w, store, [...FA_FB, { functionName: 'ga', alias: 'prod' }]);
    expect(result.unnamed).toEqual({ kind: 'looked', open: [] });
    expect(result.status).toBe('rolled_back');
  });

  it('ga already rolled back: not open', async () => {
    const { w, store } = await release();
    await rollBack(w, store, [{ functionName: 'ga', alias: 'prod' }]);
    const result = await rollBack(w, store, FA_FB);
    expect(result.unnamed).toEqual({ kind: 'looked', open: [] });
    expect(result.status).toBe('rolled_back');
  });

  it('a Ctrl-C during the listing ends it: said as not looked for, nothing more read', async () => {
    const { w, store } = await release();
    const stop = new AbortController();
    const list = w.lambda.listFunctions.bind(w.lambda);
    w.lambda.listFunctions = async () => {
      stop.abort();
      return list();
    };
    const result = await rollbackReleaseClaimed(
      { ...w.deps, store, owner: 'rollback:ann@laptop:41' },
      { releaseId: RELEASE, targets: FA_FB, reason: 'manual rollback', signal: stop.signal },
    );
    expect(result.unnamed).toEqual({
      kind: 'not-looked',
      cause: 'interrupted',
      why: 'the rollback was interrupted during the listing',
      open: [],
    });
    expect(w.lambda.callsOf('listTags').filter((c) => String(c.args[0]).includes(':ga'))).toEqual([]);
  });

  it('ListFunctions refused: said, the named ones still rolled back (status as theirs)', async () => {
    const { w, store } = await release();
    w.lambda.listFunctions = async () => {
      throw new Error('AccessDeniedException: not authorized to perform lambda:ListFunctions');
    };
    const result = await rollBack(w, store, FA_FB);
    expect(result.unnamed).toMatchObject({
      kind: 'not-looked',
      cause: 'unlisted',
      why: expect.stringContaining('could not be listed (AccessDeniedException'),
      open: [],
    });
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
