/**
 * lshift decided to roll a deployment back, someone split its alias (closed `rolled-back (weights
 * changed by hand)` with its `y=`), and someone then moved the alias whole onto the new version.
 * `lshift check` said "rolled back …; nothing to watch" (exit 0), `lshift status` exited 0 with no
 * word of it, and a release's line read "all rolled-back" (session 67, item 6) — while the version
 * lshift decided to roll back served everything. Now: MOVED OVER LSHIFT'S ROLLBACK in status and
 * STALLED in check (exit 4), as for a promotion over lshift's rollback, with both ways out; `lshift
 * alias <fn> <alias> <new version>` records that a person keeps it, and nothing asks again.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

function movedWholeAfterSplit(over: Partial<DeploymentRecord> = {}): World {
  const w = createWorld();
  const record = deadRecord(w, {
    phase: 'rolled-back',
    percent: 50,
    endReason: 'weights changed by hand',
    endedAt: w.start - 200_000,
    cause: { code: 'HOOK_FAILED', phase: 'pre' },
    ...over,
  });
  leaveDeployment(w, record, 100);
  return w;
}

const statusOf = (w: World, fn = FN) => getStatus(w.deps, { functionName: fn, alias: ALIAS, alarms: [] });

function checkOf(w: World) {
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host:1' };
  return runCheck(deps, { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] });
}

describe('a split after lshift decided to roll back, since moved whole onto the new version', () => {
  it("status: MOVED OVER LSHIFT'S ROLLBACK, exit 4, both ways out", async () => {
    const w = movedWholeAfterSplit();
    const status = await statusOf(w);
    const text = renderStatus(status);
    expect(text).toContain(
      "MOVED OVER LSHIFT'S ROLLBACK: all traffic is on version 2, which lshift had decided to roll back (a pre-traffic hook failed), put there by someone else",
    );
    expect(text).toContain('`lshift rollback demo --alias live`');
    expect(text).toContain('`lshift alias demo live 2`');
    expect(needsOperator(status)).toBe(true);
  });

  it('check: STALLED (exit 4), not "rolled back; nothing to watch", nothing written', async () => {
    const w = movedWholeAfterSplit();
    const writes = w.lambda.aliasWrites().length;
    const report = await checkOf(w);
    const [entry] = report.results;
    expect(entry).toMatchObject({ action: 'stalled', stalled: true });
    expect(entry?.reason).toContain(
      'someone has since put all traffic on version 2, the version lshift decided to roll back: it was not rolled back',
    );
    expect(entry?.reason).toContain('`lshift rollback demo --alias live`');
    expect(entry?.reason).not.toContain('nothing to watch');
    expect(exitCodeForCheck(report)).toBe(4);
    expect(w.lambda.aliasWrites().length).toBe(writes);
  });

  it('without its y= (dropped for room): the same, the cause not named', async () => {
    const w = movedWholeAfterSplit({ cause: undefined });
    const status = await statusOf(w);
    expect(renderStatus(status)).toContain(
      "MOVED OVER LSHIFT'S ROLLBACK: all traffic is on version 2, which lshift had decided to roll back, put there by someone else",
    );
    expect(needsOperator(status)).toBe(true);
  });

  it('kept with lshift alias: the record says who, and status and check ask no more', async () => {
    const w = movedWholeAfterSplit();
    const moved = await moveAlias(
      { lambda: w.lambda, store: w.store, clock: w.clock },
      { functionName: FN, alias: ALIAS, version: '2', by: 'ann@laptop:9' },
    );
    expect(moved.keptOverRollback).toMatchObject({
      phase: 'promoted',
      endReason: 'moved by hand, kept by ann@laptop:9',
    });
    expect(needsOperator(await statusOf(w))).toBe(false);
    expect(exitCodeForCheck(await checkOf(w))).toBe(0);
  });

  it('put back with the rollback offered: exit 0, all on the stable version', async () => {
    const w = movedWholeAfterSplit();
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback by op' },
    );
    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(needsOperator(await statusOf(w))).toBe(false);
  });

  it("a release's line says it, not 'all rolled-back'", async () => {
    const w = movedWholeAfterSplit({ releaseId: 'r-abc124' });
    const status = await statusOf(w);
    const [line] = renderReleaseStatus([status]).split('\n');
    expect(line).toContain('STALLED');
    expect(line).toContain(
      'demo was moved whole onto the new version by someone else after lshift decided to roll it back',
    );
    expect(line).not.toContain('all rolled-back');
    // Its phase alone read "STALLED (demo rolled-back)" over an alias all on version 2 (session 68).
    expect(line).toContain('(demo rolled-back though all traffic is on version 2)');
  });
});
