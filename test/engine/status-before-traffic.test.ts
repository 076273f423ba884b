/**
 * A deploy interrupted during its pre-traffic hook wrote no weight; its record (closed rolled-back,
 * `y=INTERRUPTED`) says step 1 at 0%, and `lshift status` said "stopped at step 1" (session 67,
 * item 10). The record's `ar=` (the alias's RevisionId at its start) still matching the alias says
 * nothing wrote it since: "stopped before any traffic moved". Once anything writes the alias, or
 * for a deployment that wrote its first weight, it says what it said before.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

async function interruptedInPreHook(): Promise<World> {
  const w = createWorld();
  const controller = new AbortController();
  w.hooks.script('cmd:pre', () => {
    controller.abort();
    return { ok: false, durationMs: 0 };
  });
  await runDeploy(
    w.deps,
    request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] }, signal: controller.signal }),
  );
  return w;
}

const statusText = async (w: World) =>
  renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));

describe('status of a deploy stopped before any traffic moved', () => {
  it('interrupted during its pre-traffic hook: "stopped before any traffic moved", not "stopped at step 1"', async () => {
    const w = await interruptedInPreHook();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
    const text = await statusText(w);
    expect(text).toContain('version 1 → 2, stopped before any traffic moved (canary:10%:1m)');
    expect(text).not.toContain('stopped at step 1');
  });

  it('the alias written since (a person, the next deploy): said as before', async () => {
    const w = await interruptedInPreHook();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    expect(await statusText(w)).toContain('stopped at step 1');
  });
});
