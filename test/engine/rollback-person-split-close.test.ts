/**
 * A person's `lshift rollback` of a deployment whose runner died meets its alias split by someone
 * else (a 412, the alias re-read at a split of its two versions the deployment never wrote). It
 * closed the record `paused (weights changed by hand)` and exited 5 (session 61): `status` and
 * `check` then offered `deploy --resume` — forward, over a person's request to roll back, the
 * pattern session 66 closed for a deploy's own rollback. Now it closes `rolled-back (weights
 * changed by hand)` with `y=ROLLBACK_REQUESTED` (or the record's own `y=`), exits 4 saying the
 * split was left, and status, check and resume offer only the rollback, which writes over it.
 */
import { describe, expect, it } from 'vitest';
import { withReason } from '../../src/cli/describe-outcome.js';
import { describeClaimedRollback } from '../../src/cli/describe-rollback.js';
import { exitCodeForCheck, exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  resumeRequest,
  type World,
} from './world.js';

const SPLIT_35: RoutingState = { functionVersion: '1', additionalWeights: { '2': 0.35 } };

/** A dead runner's deployment at 20%; the split lands just before the person's rollback write. */
function rollbackMeetingSplit(record: Partial<DeploymentRecord> = {}) {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, record));
  let landed = false;
  w.lambda.onCall = (call) => {
    if (call.op !== 'updateAlias' || landed) return;
    landed = true;
    w.lambda.moveAlias(FN, ALIAS, SPLIT_35);
  };
  const run = rollbackClaimed(
    { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback by op' },
  );
  return { w, run };
}

async function judgeLater(w: World) {
  await w.clock.advance(10 * 60_000);
  const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host:1' };
  const report = await runCheck(deps, {
    functionNames: [FN],
    alias: ALIAS,
    windowSeconds: 3600,
    alarms: [ALARM],
  });
  const before = w.lambda.aliasWrites().length;
  const resume = await resumeDeploy(w.deps, resumeRequest()).then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );
  return { status, report, resume, writesSince: w.lambda.aliasWrites().length - before };
}

describe("a person's lshift rollback that meets a split by someone else", () => {
  it('closes rolled-back (weights changed by hand) with y=ROLLBACK_REQUESTED, exit 4 saying the split was left', async () => {
    const { w, run } = rollbackMeetingSplit();
    const result = await run;
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(SPLIT_35);
    expect(result.status).toBe('unsafe');
    expect(exitCodeForRollback(result.status)).toBe(4);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      id: 'd-dead01',
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'ROLLBACK_REQUESTED' },
    });
    const text = describeClaimedRollback(withReason(result));
    expect(text).toContain(
      '✖ UNSAFE: demo:live was split by someone else during the rollback, and lshift left it split: it rolled nothing back over that split, and nobody drives it.',
    );
    expect(text).toContain('  Alias now: version 1 (65%) + version 2 (35%)');
    expect(text).toContain(
      '  Deployment d-dead01 is closed as rolled-back (weights changed by hand); lshift never resumes it forward; `lshift status` and `lshift check` call the split STALLED (exit 4) and offer only the rollback.',
    );
    expect(text).toContain(
      '  A person must decide: `lshift rollback demo --alias live` puts all traffic on version 1 over that split',
    );
    expect(text).not.toMatch(/lshift deploy [^`]*--resume/);
  });

  it('status, check and resume then offer only the rollback, and leave the split', async () => {
    const { w, run } = rollbackMeetingSplit();
    await run;
    const { status, report, resume, writesSince } = await judgeLater(w);
    const said = renderStatus(status);
    expect(said).toContain('STALLED: lshift decided to roll it back and the alias was split by someone else');
    expect(said).toContain('a person asked for its rollback (`lshift rollback`)');
    expect(said).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(needsOperator(status)).toBe(true);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true, phase: 'rolled-back' });
    expect(report.results[0]?.reason).toContain('`lshift rollback demo --alias live`');
    expect(report.results[0]?.reason).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(exitCodeForCheck(report)).toBe(4);
    expect(resume).toBe('NOTHING_TO_RESUME');
    expect(writesSince).toBe(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(SPLIT_35);
  });

  it('the rollback run again puts all traffic back on the stable version over the split (exit 0)', async () => {
    const { w, run } = rollbackMeetingSplit();
    await run;
    w.lambda.onCall = undefined;
    await w.clock.advance(60_000);
    const again = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:op@laptop:3' },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback by op' },
    );
    expect(again.status).toBe('rolled_back');
    expect(exitCodeForRollback(again.status)).toBe(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it("keeps the record's own y= (why lshift had decided to roll it back) over the request", async () => {
    const { w, run } = rollbackMeetingSplit({ cause: { code: 'GATE_FAILED', gates: ['alarms'] } });
    await run;
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'GATE_FAILED', gates: ['alarms'] },
    });
  });
});
