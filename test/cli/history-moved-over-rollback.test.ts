/**
 * `lshift history` of a record lshift had decided to roll back (its pre-traffic hook failed) when
 * the hook itself put all traffic on the new version, and lshift left that move (closed `promoted
 * (moved by hand)`, its cause kept). Found by a hostile pass (session 66, F2): history said
 * `PROMOTED version 1 → 2 … why: moved by hand`, nothing of the failed hook or the decision, while
 * `lshift status` says MOVED OVER LSHIFT'S ROLLBACK. It says both; a move with no decision is as before.
 */
import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, canary, createWorld, FN, request } from '../engine/world.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { cmdHook } from '../helpers/fake-hooks.js';

const failed = { ok: false, reason: 'exit code 1', durationMs: 0 };

async function historyOf(w: ReturnType<typeof createWorld>) {
  const alias = await w.lambda.getAlias(FN, ALIAS);
  if (!alias) throw new Error('no alias');
  return buildHistory(FN, ALIAS, alias, w.store.peek(FN, ALIAS), w.clock.now());
}

describe('lshift history of a record moved over lshift’s rollback', () => {
  it('names the failed hook and lshift’s decision, not "moved by hand" alone', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      return failed;
    });
    await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
    const h = await historyOf(w);
    expect(h.latest?.reason).toBe(
      "moved by hand over lshift's rollback: lshift had decided to roll it back (a pre-traffic hook failed) when someone else (a hook, or a person) put all traffic on version 2, and lshift left that move",
    );
    expect(renderHistory(h)).toContain('a pre-traffic hook failed');
    expectValidResultOf('history', { schemaVersion: 4, ...h });
  });

  it('a move with no rollback decided (a person promoting by hand): "moved by hand" as before', async () => {
    const w = createWorld({ auto: false });
    w.lambda.moveAliasAt(w.start + 30_000, FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const running = runDeploy(w.deps, request({ ...canary(10, 60) }));
    for (let i = 0; i < 200; i++) await w.clock.advance(1000);
    await running;
    const h = await historyOf(w);
    expect(h.latest?.reason).toBe('moved by hand');
  });
});
