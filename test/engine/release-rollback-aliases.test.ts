/**
 * `lshift rollback --release r-… orders billing` of a release whose functions were on different
 * aliases (billing on `prod`, orders on `live`), run without the config file that gave them:
 * billing is looked for at `live`. It said "rolled back", exit 0, with billing:prod still split
 * (found by a hostile pass, session 59). Now refused before anything is claimed or written.
 */
import { describe, expect, it } from 'vitest';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALIAS, createWorld, deadRecord, type World } from './world.js';

const RELEASE = 'r-alias01';

async function seed(w: World, store: TagStateStore, fn: string, alias: string, id: string): Promise<void> {
  w.lambda.addFunction(fn);
  w.lambda.addVersion(fn);
  w.lambda.addVersion(fn);
  w.lambda.addAlias(fn, alias, '1');
  await store.write(fn, alias, deadRecord(w, { id, releaseId: RELEASE, percent: 10 }));
  w.lambda.moveAlias(fn, alias, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
}

async function releaseOnTwoAliases() {
  const w = createWorld();
  const store = new TagStateStore(w.lambda);
  await seed(w, store, 'orders', ALIAS, 'd-o');
  await seed(w, store, 'billing', 'prod', 'd-b');
  const writes = () => w.lambda.callsOf('updateAlias').length + w.lambda.callsOf('tagResource').length;
  return { w, store, before: writes(), writes };
}

function rollBack(w: World, store: TagStateStore, targets: { functionName: string; alias: string }[]) {
  return rollbackReleaseClaimed(
    { ...w.deps, store, owner: 'rollback:ann@laptop:41' },
    { releaseId: RELEASE, targets, reason: 'manual rollback' },
  );
}

describe('rollback --release naming a function at an alias its record of the release is not at', () => {
  it('billing has no alias live: ALIAS_NOT_FOUND would hide its record at prod — NOT_IN_RELEASE names prod, nothing written', async () => {
    const { w, store, before, writes } = await releaseOnTwoAliases();
    const error = await rollBack(w, store, [
      { functionName: 'orders', alias: ALIAS },
      { functionName: 'billing', alias: ALIAS },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NOT_IN_RELEASE',
      message:
        "billing's record of release r-alias01 is at alias prod (shifting at 10%), not live: a rollback at the alias given would leave it where it is; nothing was rolled back.",
      hint: expect.stringContaining(
        '`lshift rollback --release r-alias01 orders --alias live` and `lshift rollback --release r-alias01 billing --alias prod`',
      ),
    });
    expect(writes()).toBe(before);
    expect((await w.lambda.getAlias('billing', 'prod'))?.additionalWeights).toEqual({ '2': 0.1 });
  });

  it('billing has an alias live with no record: still refused, its record of the release is at prod', async () => {
    const { w, store, before, writes } = await releaseOnTwoAliases();
    w.lambda.addAlias('billing', ALIAS, '1');
    const error = await rollBack(w, store, [
      { functionName: 'orders', alias: ALIAS },
      { functionName: 'billing', alias: ALIAS },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_IN_RELEASE' });
    expect(writes()).toBe(before);
  });

  it('an alias that does not exist and no record of the release anywhere: ALIAS_NOT_FOUND, nothing written', async () => {
    const { w, store, before, writes } = await releaseOnTwoAliases();
    w.lambda.addFunction('mailer');
    const error = await rollBack(w, store, [
      { functionName: 'orders', alias: ALIAS },
      { functionName: 'mailer', alias: 'nope' },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ALIAS_NOT_FOUND',
      message:
        'Alias nope of function mailer does not exist, so no function of release r-alias01 is there; nothing was rolled back.',
    });
    expect(writes()).toBe(before);
  });

  it('billing promoted at prod, an alias live with no record: refused too (its rollback takes a promoted one back)', async () => {
    // Found by a hostile pass: only unfinished records elsewhere were looked for, so a promoted
    // one was "left alone" at live and the release said "rolled back", exit 0, prod on version 2.
    const { w, store, writes } = await releaseOnTwoAliases();
    w.lambda.addAlias('billing', ALIAS, '1');
    w.lambda.moveAlias('billing', 'prod', { functionVersion: '2', additionalWeights: {} });
    const promoted = await store.read('billing', 'prod');
    await store.write('billing', 'prod', { ...promoted!, phase: 'promoted', percent: 100 });
    const before = writes();
    const error = await rollBack(w, store, [
      { functionName: 'orders', alias: ALIAS },
      { functionName: 'billing', alias: ALIAS },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NOT_IN_RELEASE',
      message: expect.stringContaining('is at alias prod (promoted at 100%), not live'),
    });
    expect(writes()).toBe(before);
    expect((await w.lambda.getAlias('orders', ALIAS))?.additionalWeights).toEqual({ '2': 0.1 });
  });

  it('billing alone at live: the hint names its own alias', async () => {
    const { w, store } = await releaseOnTwoAliases();
    w.lambda.addAlias('billing', ALIAS, '1');
    const error = await rollBack(w, store, [{ functionName: 'billing', alias: ALIAS }]).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'NOT_IN_RELEASE',
      hint: 'Name its alias: `lshift rollback --release r-alias01 billing --alias prod`.',
    });
  });

  it('each function at its own alias: both rolled back', async () => {
    const { w, store } = await releaseOnTwoAliases();
    const result = await rollBack(w, store, [
      { functionName: 'orders', alias: ALIAS },
      { functionName: 'billing', alias: 'prod' },
    ]);
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['orders', 'rolled_back'],
      ['billing', 'rolled_back'],
    ]);
    expect(result.status).toBe('rolled_back');
  });
});
