/**
 * An alias of 122–128 characters (valid for Lambda) is too long to name the record's tag. deploy
 * and rollback said STATE_UNREADABLE (exit 1) with "lshift needs lambda:ListTags" — a missing
 * permission to look for; history said ALIAS_TOO_LONG, exit 2 (found by a hostile pass).
 */
import { describe, expect, it } from 'vitest';
import { runPreflight } from '../../src/engine/preflight.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { ALARM, createWorld, FN } from './world.js';

const LONG = 'a'.repeat(125);

function world() {
  const w = createWorld();
  w.lambda.addAlias(FN, LONG, '1', { '2': 0.2 });
  return { w, deps: { ...w.deps, store: new TagStateStore(w.lambda) } };
}

describe('an alias too long to name the deployment record tag', () => {
  it('deploy: ALIAS_TOO_LONG (exit 2) before any write, not STATE_UNREADABLE', async () => {
    const { w, deps } = world();
    const run = runPreflight(deps, { functionName: FN, alias: LONG, targetVersion: '2', alarms: [ALARM] });
    await expect(run).rejects.toMatchObject({ code: 'ALIAS_TOO_LONG', exitCode: 2 });
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('rollback of an alias on one version: ALIAS_TOO_LONG (exit 2), nothing written', async () => {
    const { w, deps } = world();
    w.lambda.moveAlias(FN, LONG, { functionVersion: '2', additionalWeights: {} });
    const run = rollbackDeployment(deps, { functionName: FN, alias: LONG, reason: 'r' });
    await expect(run).rejects.toMatchObject({ code: 'ALIAS_TOO_LONG', exitCode: 2 });
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('rollback of a split alias: back on its primary version, as any split without a record', async () => {
    const { w, deps } = world();
    await expect(
      rollbackDeployment(deps, { functionName: FN, alias: LONG, reason: 'r' }),
    ).resolves.toMatchObject({
      status: 'rolled_back',
      toVersion: '1',
    });
    expect(w.lambda.peekAlias(FN, LONG)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  // No record can name it, and none is needed: `--to` is the way to put such an alias back.
  it('rollback --to: rolls back without the record (it needs none)', async () => {
    const { w, deps } = world();
    const result = await rollbackDeployment(deps, { functionName: FN, alias: LONG, reason: 'r', to: '1' });
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, LONG)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
