/**
 * A deploy rolling back because its alarm fired, stopped by a person's `lshift rollback --to <its
 * own new version>` (the runner's rollback write refused: the alias already all on that version,
 * the record closed promoted, `rt=`). Seen on the sandbox (h1, session 70): its reason said "this
 * deploy's remaining steps, alarms and hooks did not run, so lshift did not judge version 2 past
 * that point" — it had judged version 2 bad and was rolling it back; a person overrode that.
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request, type World } from './world.js';

const OPERATOR = 'rollback:ops@desk:3';

/** The person's `lshift rollback --to 2` lands just before the runner's own rollback write. */
function overrideRollback(w: World): () => boolean {
  let overridden = false;
  w.lambda.onCall = (call) => {
    const write = call.args[2] as { functionVersion?: string; additionalWeights?: object } | undefined;
    if (overridden || call.op !== 'updateAlias' || write?.functionVersion !== '1') return;
    if (Object.keys(write.additionalWeights ?? {}).length > 0) return;
    overridden = true;
    const record = w.store.peek(FN, ALIAS)!;
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const now = w.clock.now();
    w.store.seed(FN, ALIAS, {
      ...record,
      phase: 'promoted',
      percent: 100,
      owner: OPERATOR,
      heartbeatAt: now,
      endedAt: now,
      endReason: 'moved by hand',
      rollbackTo: '2',
    });
  };
  return () => overridden;
}

async function deployOverridden(w: World, req: DeployRequest) {
  const overridden = overrideRollback(w);
  const done = runDeploy(w.deps, req);
  await w.clock.advance(0);
  await w.clock.advance(400_000);
  const result = await done;
  expect(overridden()).toBe(true);
  expect(result.status).toBe('conflict');
  expect(exitCodeForStatus(result.status)).toBe(5);
  expect(result.cause).toMatchObject({ code: 'TAKEN_OVER', data: { promotedBy: OPERATOR, to: '2' } });
  expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
  expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: OPERATOR, rollbackTo: '2' });
  return result;
}

const CHECK_ROLLS_BACK =
  '`lshift check` within its --window rolls version 2 back while an alarm of this deployment is in ALARM';

describe('`lshift rollback --to <its new version>` over the rollback its alarm started', () => {
  it('says the deploy was rolling it back and why, not that it did not judge the version (exit 5)', async () => {
    const w = createWorld({ auto: false });
    w.clock.after(100_000, () => w.metrics.setAlarm(ALARM, 'ALARM'));
    const result = await deployOverridden(w, { ...request(canary(10, 3600)), alarms: [ALARM] });
    const reason = describeReason(result);
    expect(reason).not.toContain('did not judge');
    expect(reason).toContain(
      `which put all traffic on version 2 while this deploy was rolling it back, because alarm ${ALARM} is ALARM: `,
    );
    expect(reason).toContain(
      `; that rollback overrode this deploy's verdict, and this deploy wrote nothing more; ${CHECK_ROLLS_BACK}`,
    );
    expect(renderDeployResult(withReason(result))).toContain(
      `✖ Stopped: demo:live was promoted to version 2 by \`lshift rollback --to 2\` of ${OPERATOR} while this deploy was rolling it back; nothing was overwritten.`,
    );
  });

  // Rolling back for a failed hook, watching no alarm: it said a check rolls version 2 back while
  // an alarm of this deployment is in ALARM — it has none (h4, session 70).
  it('rolling back for a failed hook with no alarm: says no check rolls it back for an alarm', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script('cmd:smoke', { ok: false, reason: 'smoke test failed' });
    const req = { ...request(linear(20, 60)), alarms: [], hooks: { step: [cmdHook('smoke')] } };
    const result = await deployOverridden(w, req);
    expect(result.cause).toMatchObject({ data: { noAlarms: true } });
    const reason = describeReason(result);
    expect(reason).toContain('while this deploy was rolling it back, because ');
    expect(reason).not.toContain(CHECK_ROLLS_BACK);
    expect(reason).toContain(
      "; that rollback overrode this deploy's verdict, and this deploy wrote nothing more; this deploy watched no alarm, so no `lshift check` rolls version 2 back for one of its alarms: version 2 stays, as that rollback chose",
    );
  });
});
