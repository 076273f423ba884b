/**
 * One function's deployment whose runner is gone: `lshift check` calls it STALLED (exit 4) and
 * says "finish it with … --resume, or undo it with `lshift rollback …`"; `lshift status` called
 * the same record STALE and said "or abort with …". One word and one helper now
 * (deploy-result.ts describeWaysOut). Status's exit code is unchanged: 4 while the alias is split.
 * One the check closes instead (its alias all on its stable version: check-close-on-stable.ts
 * closeIfOnStable) is not called STALLED by status either.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { getStatus } from '../../src/engine/status.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
const checkDeps = (w: World): CheckDeps => ({ ...w.deps, store: w.store, owner: 'check:cron@host-b:97' });
const readStatus = (w: World) => getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [ALARM] });

// A record lshift had decided to roll back (its rollback failed: UpdateAlias denied) offered
// "finish it with `lshift deploy … --resume`" first, read as finishing the deployment (found by a
// hostile pass, session 61): only the rollback is offered.
describe('check of a deployment whose rollback failed and whose runner is gone', () => {
  it('offers to finish the rollback, not to resume the deployment', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'failed' }));
    w.metrics.setAlarm(ALARM, 'OK');
    const report = await runCheck(checkDeps(w), request);
    expect(report.results[0]).toMatchObject({ action: 'stalled', phase: 'failed' });
    expect(report.results[0]?.reason).toBe(
      '1 alarm OK, but deployment d-dead01 (failed at 20%) has no live owner (heartbeat 5m ago): lshift had decided to roll it back: finish that rollback with `lshift rollback demo --alias live`',
    );
  });
});

describe('status and check on one deployment whose runner is gone', () => {
  it('split, alarms OK: both say STALLED and give the same ways out; status still exits 4', async () => {
    const w = createWorld();
    const guards = fingerprintGuards({ alarms: [ALARM], hooks: [], bakeSeconds: 300, analysis: true });
    leaveDeployment(w, deadRecord(w, { guards }));
    w.metrics.setAlarm(ALARM, 'OK');
    const status = await readStatus(w);
    const text = renderStatus(status);

    const report = await runCheck(checkDeps(w), request);
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'stalled', stalled: true });
    const reason = r?.reason ?? '';
    const waysOut = reason.slice(reason.indexOf('finish it with '));
    expect(waysOut).toBe(
      "finish it with `lshift deploy demo --alias live --resume` plus the first run's --alarm and --bake flags (it watched 1 alarm and baked 5m), or undo it with `lshift rollback demo --alias live`",
    );

    expect(text).toContain(
      'owner ci@runner:7, last heartbeat 5m ago — STALLED: its runner seems to have died (its heartbeats stopped; whether its process still runs, status cannot see from this machine); nobody drives it\n',
    );
    expect(text).toContain(`\n    ${waysOut}`);
    expect(text).not.toContain('STALE:');
    expect(text).not.toContain('abort with');
    expect(needsOperator(status)).toBe(true);
    // --json says it too (the status result is what --json prints).
    expect(status.record).toMatchObject({ stale: true, stalled: true });
    expectValidResultOf('status', { schemaVersion: 4, ...status });
  });

  it.each([
    [
      'killed before any traffic moved',
      { phase: 'started' as const, percent: 0, stepIndex: 0 },
      ' before moving any traffic',
    ],
    ['its traffic moved back and nobody recorded it', {}, ''],
  ])(
    '%s (alias all on its stable version): STALE, not STALLED — the check closes it; exit 0 from both',
    async (_, over, before) => {
      const w = createWorld();
      leaveDeployment(w, deadRecord(w, over), 0);
      w.metrics.setAlarm(ALARM, 'OK');
      const status = await readStatus(w);
      const text = renderStatus(status);
      expect(text).toContain(
        `— STALE: its runner seems to have died (its heartbeats stopped; whether its process still runs, status cannot see from this machine)${before}; the next \`lshift check\` records it rolled back\n`,
      );
      expect(text).not.toContain('STALLED');
      expect(needsOperator(status)).toBe(false);
      // --json: stale, but not stalled — nothing for a person to do.
      expect(status.record?.stale).toBe(true);
      expect(status.record).not.toHaveProperty('stalled');

      const report = await runCheck(checkDeps(w), request);
      expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'skipped' });
      expect(await w.store.read(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    },
  );

  it('not split but all on its new version (killed after its last weight write): STALLED, exit 0 as before', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w), 100);
    w.metrics.setAlarm(ALARM, 'OK');
    const status = await readStatus(w);
    expect(renderStatus(status)).toContain(
      '— STALLED: its runner seems to have died (its heartbeats stopped; whether its process still runs, status cannot see from this machine); nobody drives it\n',
    );
    // status's exit code stays its own: 4 only for a split alias nobody drives (docs/exit-codes.md).
    expect(needsOperator(status)).toBe(false);
    // --json tells a script what exit 0 does not: a person must finish or undo it.
    expect(status.record).toMatchObject({ stale: true, stalled: true });
    const report = await runCheck(checkDeps(w), request);
    expect(report.results[0]).toMatchObject({ action: 'stalled' });
  });

  it.each([
    ['a rollback whose runner stopped (the next check finishes it)', { phase: 'rolling-back' as const }, 20],
    [
      'an --engine codedeploy deployment whose follower is gone (CodeDeploy runs it on)',
      { engine: 'codedeploy' as const, codeDeployId: 'd-CD1' },
      20,
    ],
  ])('%s: stale, not stalled under --json, as its text says STALE', async (_, over, percent) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, over), percent);
    const status = await readStatus(w);
    expect(renderStatus(status)).toContain('— STALE: ');
    expect(status.record?.stale).toBe(true);
    expect(status.record).not.toHaveProperty('stalled');
  });

  it('a live runner: neither stale nor stalled', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start }));
    const status = await readStatus(w);
    expect(status.record).toMatchObject({ stale: false });
    expect(status.record).not.toHaveProperty('stalled');
  });

  it('recorded promoted over a split alias (STALLED, not stale): stalled under --json too', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'promoted', endedAt: w.start - 60_000 }), 50);
    const status = await readStatus(w);
    expect(renderStatus(status)).toContain('STALLED: ');
    expect(status.record).toMatchObject({ stale: false, promotedButSplit: true, stalled: true });
  });
});
