/**
 * `lshift status` (text and history) of a deployment whose record `lshift rollback --to <its own new
 * version>` closed: it said "promoted (moved by hand)" and history "why: moved by hand", as if
 * someone outside lshift had moved the alias — the words the deploy stopped beside that rollback
 * no longer says (rollback-to-new-beside-live.test.ts). They name the rollback now, from the
 * close's `rt=`; the same close without it (a claimer that met an outside move) reads as before.
 */
import { describe, expect, it } from 'vitest';
import { buildHistory, renderHistory } from '../../src/cli/history.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';

/** A live canary of demo:live at 10%, and `lshift rollback --to 2` of OPERATOR at 100 s. */
async function promotedByRollbackTo(): Promise<World> {
  const w = createWorld({ auto: false });
  const rollback = new Promise((resolve, reject) => {
    w.clock.after(100_000, () => {
      rollbackClaimed(
        { ...w.deps, store: w.store, owner: OPERATOR },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback', to: '2' },
      ).then(resolve, reject);
    });
  });
  const deploy = runDeploy(w.deps, request(canary(10, 3600)));
  await w.clock.advance(0);
  await w.clock.advance(400_000);
  await deploy;
  await rollback;
  return w;
}

async function words(w: World): Promise<{ status: string; history: string }> {
  const record = await w.store.read(FN, ALIAS);
  const asked = getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  await w.clock.advance(10_000);
  const status = renderStatus(await asked);
  const alias = w.lambda.peekAlias(FN, ALIAS)!;
  return { status, history: renderHistory(buildHistory(FN, ALIAS, alias, record, w.clock.now())) };
}

describe('lshift status of a record closed by `lshift rollback --to` its own new version', () => {
  it('names that rollback and who ran it, in the status line and in history', async () => {
    const w = await promotedByRollbackTo();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', rollbackTo: '2' });
    const { status, history } = await words(w);
    expect(status).toContain(
      `deployment d-abc123: promoted by \`lshift rollback --to 2\` of ${OPERATOR}, version 1 → 2, at step 1 of 2 or before it, not by lshift's steps (canary:10%:1h)`,
    );
    expect(status).not.toContain('moved by hand');
    expect(history).toContain('latest: d-abc123 PROMOTED version 1 → 2');
    expect(history).toContain(`why: promoted by \`lshift rollback --to 2\` of ${OPERATOR}`);
    expect(history).not.toContain('moved by hand');
  });

  it('the same close without `rt=` (a claimer that met an outside move): still "moved by hand"', async () => {
    const w = await promotedByRollbackTo();
    const { rollbackTo: _rt, ...record } = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, record);
    const { status, history } = await words(w);
    expect(status).toContain('deployment d-abc123: promoted (moved by hand), version 1 → 2');
    expect(status).not.toContain('lshift rollback --to');
    expect(history).toContain('why: moved by hand');
  });
});
