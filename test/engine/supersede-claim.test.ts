/**
 * `deploy --supersede` claims the old deployment's record before it rolls it back, as `lshift
 * rollback` does (rollback-claim.ts): while it waits — CodeDeploy's own rollback can take
 * minutes — the record says `rolling-back` with a fresh heartbeat, so a scheduled check (or a
 * person's rollback) leaves it alone instead of rolling the same deployment back beside it. A
 * supersede that finds another actor's fresh claim waits for it, as a rollback does.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { type CheckReport, runCheck } from '../../src/engine/check.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { createNativeTrafficDriver } from '../../src/engine/native-traffic-driver.js';
import { RIVAL_WAIT_MS } from '../../src/engine/rival-wait.js';
import { codeDeployWorld } from './codedeploy-world.js';
import {
  ALIAS,
  allAtOnce,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  type World,
  writesOf,
} from './world.js';

const SUPERSEDER = 'rollback:tester@host:1';
const CHECK_ALARM = 'demo-old-errors';

const supersedeRequest = (overrides: Parameters<typeof request>[0] = {}) =>
  request({ ...allAtOnce(), targetVersion: '3', deploymentId: 'd-new001', supersede: true, ...overrides });

/** A `deploy --engine codedeploy --detach` left running at 10% (record `paused`, `cd=d-FAKE1`). */
async function detachedCodeDeploy() {
  const controller = new AbortController();
  const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
  w.clock.at(w.start + 60_000, () => controller.abort(new Error('detached')));
  const left = await runDeploy(
    w.deps,
    request({ ...canary(10, 300), signal: controller.signal, onInterrupt: 'leave' }),
  );
  expect(left.status).toBe('paused');
  w.lambda.addVersion(FN);
  const restoreDriver = createCodeDeployTrafficDriver(
    { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
    { pollSeconds: 5 },
  );
  // The new deployment is a native one: only the old record's engine picks CodeDeploy's driver.
  const { traffic: _codeDeploy, gates: _gates, ...native } = w.deps;
  const nativeDriver = createNativeTrafficDriver(w.lambda);
  const deps = {
    ...native,
    trafficFor: (record?: { engine?: string }) =>
      record?.engine === 'codedeploy' ? restoreDriver : nativeDriver,
  };
  return { w, deps, restoreDriver };
}

describe('deploy --supersede of a CodeDeploy deployment whose rollback takes 8 minutes', () => {
  it('keeps its claim on the old record fresh, and a check during the wait leaves it alone', async () => {
    const { w, deps, restoreDriver } = await detachedCodeDeploy();
    w.codedeploy.slowRollbacks(480_000);
    // The check watches an alarm of its own, firing: it would roll an orphaned deployment back.
    w.metrics.setAlarm(CHECK_ALARM, 'ALARM', { reason: 'errors above 5%' });
    const began = w.clock.now();
    const writtenBefore = w.store.writes.length;
    let check: Promise<CheckReport> | undefined;
    w.clock.at(began + 240_000, () => {
      check = runCheck(
        { ...w.deps, store: w.store, owner: 'check:cron@host-b:2', trafficFor: () => restoreDriver },
        { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [CHECK_ALARM] },
      );
    });

    const result = await runDeploy(deps, supersedeRequest());

    expect(result.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
    const report = await check!;
    expect(report.results[0]).toMatchObject({ action: 'skipped', deploymentId: 'd-abc123' });
    expect(report.results[0]!.reason).toContain(`being rolled back by ${SUPERSEDER}`);
    // One rollback: CodeDeploy was stopped once, and the check never claimed the record.
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.store.writes.filter((x) => x.record.owner.startsWith('check:'))).toEqual([]);

    // The old record, from the claim to its close, never went a heartbeat interval + a poll unwritten.
    const old = w.store.writes.slice(writtenBefore).filter((x) => x.record.id === 'd-abc123');
    const claims = old.filter((x) => x.record.phase === 'rolling-back').map((x) => x.record.heartbeatAt);
    const closed = old.find((x) => x.record.phase === 'rolled-back')!.record;
    expect(old[0]!.record).toMatchObject({ phase: 'rolling-back', owner: SUPERSEDER });
    expect(closed).toMatchObject({ owner: SUPERSEDER, stableVersion: '1' });
    expect(closed.heartbeatAt - claims[0]!).toBeGreaterThanOrEqual(480_000);
    const times = [...claims, closed.heartbeatAt];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + 5_000);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-new001', phase: 'promoted' });
  });
});

/** A stale deployment at 20% that `check:cron@host-b:2` claimed `claimedAgo` ms ago and is rolling back. */
function claimedByCheck(claimedAgo = 0): { w: World; claim: DeploymentRecord } {
  const w = createWorld();
  w.lambda.addVersion(FN);
  const claim = deadRecord(w, {
    phase: 'rolling-back',
    owner: 'check:cron@host-b:2',
    heartbeatAt: w.start - claimedAgo,
  });
  leaveDeployment(w, claim, 20);
  return { w, claim };
}

describe('deploy --supersede that finds another actor rolling the old deployment back', () => {
  it('waits for it; once it is done, deploys without touching the old deployment', async () => {
    const { w, claim } = claimedByCheck();
    // The check puts the alias back and closes the record 20 s later.
    w.clock.at(w.start + 20_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      w.store.seed(FN, ALIAS, { ...claim, phase: 'rolled-back', percent: 0, heartbeatAt: w.clock.now() });
    });

    const result = await runDeploy(w.deps, supersedeRequest());

    expect(result).toMatchObject({ status: 'promoted', fromVersion: '1', toVersion: '3' });
    // Its only alias write is its own deployment's; it wrote nothing to the old record.
    expect(writesOf(w.lambda).map(([v, weights]) => [v, weights])).toEqual([['3', {}]]);
    expect(w.store.writes.every((x) => x.record.id === 'd-new001')).toBe(true);
    expect(w.clock.now() - w.start).toBeGreaterThanOrEqual(20_000);
    const said = w.sink.ofType('preflight.check').find((c) => c.check === 'supersede');
    expect(said?.message).toContain('rolled back by check:cron@host-b:2');
  });

  it('still rolling back after the wait: SUPERSEDE_CONFLICT (exit 5), nothing written, nothing deployed', async () => {
    const { w } = claimedByCheck(10_000);
    const before = w.lambda.peekAlias(FN, ALIAS);

    const refused = runDeploy(w.deps, supersedeRequest());

    await expect(refused).rejects.toMatchObject({ code: 'SUPERSEDE_CONFLICT', exitCode: 5 });
    await expect(refused).rejects.toThrow(/being rolled back by check:cron@host-b:2/);
    expect(w.clock.now() - w.start).toBeGreaterThanOrEqual(RIVAL_WAIT_MS);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toEqual(before);
    expect(w.store.writes).toEqual([]);
  });

  it('an abandoned claim (its heartbeat stale) is taken over and rolled back here', async () => {
    const { w } = claimedByCheck(300_000);
    const result = await runDeploy(w.deps, supersedeRequest());
    expect(result.status).toBe('promoted');
    expect(writesOf(w.lambda).map(([v, weights]) => [v, weights])).toEqual([
      ['1', {}],
      ['3', {}],
    ]);
    expect(w.store.writes[0]?.record).toMatchObject({
      id: 'd-dead01',
      phase: 'rolling-back',
      owner: SUPERSEDER,
    });
  });
});

describe('deploy --supersede of a CodeDeploy deployment whose runner is still following it', () => {
  it('the old runner stops at its next heartbeat (taken over) and does not roll back a second time', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    w.lambda.addVersion(FN);
    w.codedeploy.slowRollbacks(480_000);
    const restoreDriver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5 },
    );
    const { traffic: _codeDeploy, gates: _gates, ...native } = w.deps;
    const nativeDriver = createNativeTrafficDriver(w.lambda);
    const deps = {
      ...native,
      trafficFor: (record?: { engine?: string }) =>
        record?.engine === 'codedeploy' ? restoreDriver : nativeDriver,
    };
    let next: ReturnType<typeof runDeploy> | undefined;
    w.clock.at(w.start + 60_000, () => {
      next = runDeploy(deps, supersedeRequest({ owner: 'next@host:2' }));
    });

    const old = await runDeploy(w.deps, request({ ...canary(10, 300), owner: 'old@host:1' }));
    const replaced = await next!;

    expect(old.status).toBe('conflict');
    expect(old.cause?.code).toBe('TAKEN_OVER');
    expect(describeReason(old)).toContain('deployment d-abc123 was taken over by rollback:next@host:2');
    expect(replaced.status).toBe('promoted');
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    // The old runner never wrote its record back over the claim.
    const claimedAt = w.store.writes.findIndex((x) => x.record.owner === 'rollback:next@host:2');
    expect(w.store.writes.slice(claimedAt).filter((x) => x.record.owner === 'old@host:1')).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
  });
});

describe('Ctrl-C during deploy --supersede', () => {
  it('while it waits for a check’s claim: INTERRUPTED (exit 1) at once, nothing written, nothing deployed', async () => {
    const { w, claim } = claimedByCheck();
    const controller = new AbortController();
    w.clock.at(w.start + 10_000, () => controller.abort(new Error('interrupted by SIGINT')));

    const stopped = runDeploy(w.deps, supersedeRequest({ signal: controller.signal }));

    await expect(stopped).rejects.toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    await expect(stopped).rejects.toThrow(
      /interrupted by SIGINT before the rollback wrote the alias.*Nothing was deployed/,
    );
    expect(w.clock.now() - w.start).toBeLessThan(RIVAL_WAIT_MS);
    expect(w.lambda.callsOf('updateAlias')).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toEqual(claim);
  });

  it('after its rollback (CodeDeploy’s, 8 minutes), before the new deployment’s first write: says the old one was rolled back', async () => {
    const { w, deps } = await detachedCodeDeploy();
    w.codedeploy.slowRollbacks(480_000);
    const controller = new AbortController();
    // The rollback is under way (StopDeployment sent): it is not cut short, the deploy stops after it.
    w.clock.at(w.clock.now() + 120_000, () => controller.abort(new Error('interrupted by SIGINT')));

    const stopped = runDeploy(deps, supersedeRequest({ signal: controller.signal }));

    await expect(stopped).rejects.toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    await expect(stopped).rejects.toThrow(/after --supersede rolled deployment d-abc123 back/);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ id: 'd-abc123', phase: 'rolled-back' });
  });
});
