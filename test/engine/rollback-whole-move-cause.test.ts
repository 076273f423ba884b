/**
 * A person's `lshift rollback` or a check's rollback whose write meets the alias moved WHOLE by
 * someone else (onto a third version) closes the record as moved by hand
 * (rollback-hand-close.ts). A split kept why lshift was rolling it back (`y=`); a whole move kept
 * none, so `lshift status` said "lshift ran no rollback" of a deployment a check had decided to
 * roll back for its alarm, or a person had asked to (session 68's LOW). The close now keeps it
 * either way, and status says lshift had decided to roll it back, and why.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const ELSEWHERE: RoutingState = { functionVersion: '3', additionalWeights: {} };

/** A dead runner's deployment at 20%; `moved` lands just before the first rollback write. */
function deadAndMovedAtWrite(moved: RoutingState): World {
  const w = createWorld();
  w.lambda.addVersion(FN);
  leaveDeployment(w, deadRecord(w));
  let landed = false;
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || landed) return;
    landed = true;
    w.lambda.moveAlias(FN, ALIAS, moved);
  };
  return w;
}

const personRollback = (w: World) =>
  rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback by op' },
  );

async function checkRollback(w: World) {
  w.metrics.setAlarm(ALARM, 'ALARM');
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host:1' };
  return runCheck(deps, { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] });
}

const statusText = async (w: World) =>
  renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));

describe('a rollback that meets the alias moved whole keeps why it was rolling back', () => {
  it("a person's rollback, moved to version 3: y=ROLLBACK_REQUESTED; status says lshift had decided to roll it back, and why", async () => {
    const w = deadAndMovedAtWrite(ELSEWHERE);
    expect((await personRollback(w)).status).toBe('conflict');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
      cause: { code: 'ROLLBACK_REQUESTED' },
    });
    const text = await statusText(w);
    expect(text).not.toContain('lshift ran no rollback');
    expect(text).toContain('lshift had decided to roll it back');
    expect(text).toContain('a person asked for its rollback (`lshift rollback`)');
  });

  it("a check's rollback for its alarm, moved to version 3: y=GATE_FAILED.alarms; status says so", async () => {
    const w = deadAndMovedAtWrite(ELSEWHERE);
    const report = await checkRollback(w);
    expect(report.results[0]?.action).not.toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to version 3',
      cause: { code: 'GATE_FAILED' },
    });
    const text = await statusText(w);
    expect(text).not.toContain('lshift ran no rollback');
    expect(text).toContain('lshift had decided to roll it back');
  });
});
