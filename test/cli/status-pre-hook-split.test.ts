/**
 * A pre-traffic hook that split the alias, then failed: lshift wrote none of its weights (the hook
 * runs before the first), but `lshift status` said "stopped at step 1" — the RevisionId rule for
 * "stopped before any traffic moved" (status-before-traffic.ts) cannot tell once the hook wrote the
 * alias (the lead's brief, session 68). The record's `y=HOOK_FAILED.pre` says it.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, canary, createWorld, FN, request } from '../engine/world.js';
import { cmdHook } from '../helpers/fake-hooks.js';

describe('status of a deployment whose pre-traffic hook split the alias and failed', () => {
  it("says it stopped before lshift moved any traffic, not 'stopped at step 1'", async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
      return { ok: false, reason: 'exit code 1', durationMs: 0 };
    });
    await runDeploy(w.deps, request({ ...canary(10, 60), hooks: { pre: [cmdHook('pre')] } }));
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      'version 1 → 2, stopped by its pre-traffic hook before lshift moved any traffic (canary:10%:1m)',
    );
    expect(text).not.toContain('stopped at step 1');
  });
});
