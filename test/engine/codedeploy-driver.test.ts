import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { OperationError } from '../../src/domain/errors.js';
import { HandedToCodeDeploy } from '../../src/domain/hand-off.js';
import { formatHookSpec } from '../../src/domain/hook-spec.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type DeployRequest, HEARTBEAT_INTERVAL_MS } from '../../src/engine/deploy-types.js';
import { createNativeTrafficDriver } from '../../src/engine/native-traffic-driver.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { ALARM, ALIAS, allAtOnce, canary, FN, request, writesOf } from './world.js';

const canaryRequest = (overrides: Partial<DeployRequest> = {}) =>
  request({ ...canary(10, 300), ...overrides });

/** A canary under CodeDeploy interrupted at 60 s, every GetDeployment failing from then on. */
async function sigtermWithGetDeploymentFailing(
  arrange: (w: ReturnType<typeof codeDeployWorld>) => void = () => {},
) {
  const controller = new AbortController();
  const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
  arrange(w);
  const read = w.codedeploy.getDeployment.bind(w.codedeploy);
  let stalled = false;
  w.codedeploy.getDeployment = async (id) => {
    if (stalled) throw new OperationError('NETWORK_ERROR', 'no answer to codedeploy:GetDeployment', {});
    return read(id);
  };
  w.clock.at(w.start + 60_000, () => {
    stalled = true;
    controller.abort(new Error('SIGTERM'));
  });
  const result = await runDeploy(w.deps, request({ ...canary(10, 300), signal: controller.signal }));
  return { w, result };
}

describe('the CodeDeploy traffic driver under the one interpreter', () => {
  it('starts one deployment with the AppSpec, follows it, and promotes without writing the alias itself', async () => {
    const w = codeDeployWorld();
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.status).toBe('promoted');
    expect(exitCodeForStatus(result.status)).toBe(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
    const created = w.codedeploy.callsOf('createDeployment');
    expect(created).toHaveLength(1);
    const input = created[0]!.args[0] as { config: string; appSpec: string; group: string };
    expect(input.config).toBe('CodeDeployDefault.LambdaCanary10Percent5Minutes');
    expect(JSON.parse(input.appSpec)).toMatchObject({
      Resources: [
        { demo: { Properties: { Name: FN, Alias: ALIAS, CurrentVersion: '1', TargetVersion: '2' } } },
      ],
      Hooks: [{ BeforeAllowTraffic: 'pre-check' }],
    });
    expect(result.steps.map((s) => [s.percent, s.result])).toEqual([
      [10, 'completed'],
      [100, 'completed'],
    ]);
    // The record names the engine and the deployment from the first step on.
    const record = w.store.peek(FN, ALIAS);
    expect(record).toMatchObject({ engine: 'codedeploy', codeDeployId: 'd-FAKE1', phase: 'promoted' });
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  it('CodeDeploy failing mid-shift (its alarm) ends in rolled_back (exit 3) with CodeDeploy’s reason, and nothing stopped twice', async () => {
    const w = codeDeployWorld();
    w.codedeploy.failAfter(120_000, 'One or more alarms have been activated');
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(describeReason(result)).toContain(
      'CodeDeploy deployment d-FAKE1 Failed: One or more alarms have been activated',
    );
    // The status gate ends the hold at the next poll, not when lshift's 5-minute hold is over.
    expect(w.clock.now() - w.start).toBeLessThan(130_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    // The rollback's stop (sent before any read, codedeploy-stop.ts) met an ended deployment.
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Failed');
    expect(writesOf(w.lambda)).toEqual([]);
  });

  it('GetDeployment that times out while following is said as such, never "could not write the weight" (lshift writes no weight under CodeDeploy)', async () => {
    const w = codeDeployWorld();
    w.codedeploy.getDeployment = async () => {
      throw new OperationError('NETWORK_ERROR', 'no answer to codedeploy:GetDeployment within 10s', {});
    };
    const result = await runDeploy(w.deps, canaryRequest());

    const reason = describeReason(result);
    expect(reason).not.toContain('could not write the weight');
    expect(reason).toContain('could not follow CodeDeploy deployment d-FAKE1 to 10%');
    expect(reason).toContain('codedeploy:GetDeployment');
  });

  // After CodeDeploy's own rollback the alias reads 0% again: the result said "Not started … no
  // traffic moved" of a version that had carried all of it while a post-traffic hook ran.
  it('failing after CodeDeploy had moved traffic (a post-traffic hook): traffic moved, said so', async () => {
    const w = codeDeployWorld();
    w.codedeploy.failAfter(60_000, 'hook:post check failed');
    const result = await runDeploy(w.deps, request(allAtOnce()));

    expect(result.status).toBe('rolled_back');
    expect(result.trafficMoved).toBe(true);
    expect(result.steps).not.toEqual([]);
    expect(describeReason(result)).not.toContain('before any traffic moved');
  });

  it('a BeforeAllowTraffic hook reporting Failed ends in rolled_back with the hook named', async () => {
    const w = codeDeployWorld();
    w.codedeploy.failAfter(0, 'hook:smoke test: orders table unreachable');
    const smoke = cmdHook('smoke-test');
    const result = await runDeploy(w.deps, canaryRequest({ engineHooks: { pre: [smoke] } }));

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain(
      'lifecycle events: BeforeAllowTraffic Failed (smoke test: orders table unreachable)',
    );
    expect(w.codedeploy.callsOf('getLifecycleEvents')[0]!.args).toEqual(['d-FAKE1']);
    // Failed before CodeDeploy shifted any traffic: no step ran (it read "at step 1 (10%)").
    expect(result).toMatchObject({ trafficMoved: false, steps: [] });
    // CodeDeploy's own hook failing is the hook's failure, as in a native deploy and as `lshift
    // wait` records it: not a stop from outside, and not a weight write (it read
    // WEIGHT_WRITE_FAILED, and status said "a traffic weight write failed").
    expect(result.cause).toMatchObject({
      code: 'HOOK_FAILED',
      data: { phase: 'pre', hooks: [formatHookSpec(smoke)] },
    });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'HOOK_FAILED', phase: 'pre' });
  });

  // CodeDeploy runs its AfterAllowTraffic hook on its own clock, which may end the deployment
  // while lshift still holds a step: the codedeploy gate's verdict names the hook too (it read
  // GATE_FAILED with gates ["codedeploy"] — seen in CI, where the sandbox's hook beat the hold).
  it('a hook failing while lshift holds a step: HOOK_FAILED with its phase and hooks, not GATE_FAILED', async () => {
    const journey = cmdHook('journey-test');
    const w = codeDeployWorld(undefined, undefined, { post: [journey] });
    w.codedeploy.failAfter(120_000, 'post-hook:journey test failed');
    const result = await runDeploy(w.deps, canaryRequest({ engineHooks: { post: [journey] } }));

    expect(result.status).toBe('rolled_back');
    expect(result.steps[0]).toMatchObject({ percent: 10, result: 'failed' });
    expect(result.cause).toMatchObject({
      code: 'HOOK_FAILED',
      data: { phase: 'post', hooks: [formatHookSpec(journey)] },
    });
    expect(w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'HOOK_FAILED', phase: 'post' });
  });

  it('CodeDeploy’s alarm ending it before its first weight (the driver still waiting): GATE_FAILED (alarms), as lshift wait records it', async () => {
    const w = codeDeployWorld();
    w.codedeploy.failAfter(0, 'One or more alarms have been activated');
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED', data: { gates: ['alarms'] } });
    expect(w.store.peek(FN, ALIAS)?.cause).toEqual({ code: 'GATE_FAILED', gates: ['alarms'] });
  });

  it('lshift’s own failed verdict stops the deployment with auto-rollback (exit 3)', async () => {
    const w = codeDeployWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 60_000, reason: 'errors above 5%' });
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
    expect(describeReason(result)).toContain('errors above 5%');
  });

  it('a failed verdict after CodeDeploy already succeeded writes the alias back itself (RevisionId guard)', async () => {
    const w = codeDeployWorld();
    // lshift holds 10 minutes; CodeDeploy promotes after 5; the alarm fires at minute 7.
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 420_000, reason: 'late errors' });
    const result = await runDeploy(w.deps, request({ ...canary(10, 600) }));

    expect(result.status).toBe('rolled_back');
    expect((await w.codedeploy.getDeployment('d-FAKE1')).status).toBe('Succeeded');
    expect(writesOf(w.lambda).map(([version, weights]) => [version, weights])).toEqual([['1', {}]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('--detach-style leave records the running deployment; a native --supersede stops it through CodeDeploy first', async () => {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.clock.at(w.start + 60_000, () => controller.abort(new Error('detached')));
    const left = await runDeploy(w.deps, canaryRequest({ signal: controller.signal, onInterrupt: 'leave' }));
    expect(left).toMatchObject({ status: 'paused', codeDeploy: { deploymentId: 'd-FAKE1' } });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'paused',
      engine: 'codedeploy',
      codeDeployId: 'd-FAKE1',
    });

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
    const next = await runDeploy(
      deps,
      request({ ...allAtOnce(), targetVersion: '3', deploymentId: 'd-next', supersede: true }),
    );
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(next.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '3', additionalWeights: {} });
  });

  it('keeps the record’s heartbeat while it waits for CodeDeploy (no hold runs then)', async () => {
    const w = codeDeployWorld();
    // lshift holds 1 minute; CodeDeploy promotes after 5: minutes 1–5 are spent following.
    const result = await runDeploy(w.deps, request({ ...canary(10, 60) }));
    expect(result.status).toBe('promoted');
    const beats = w.store.writes
      .map((write) => write.record.heartbeatAt - w.start)
      .filter((at) => at > 90_000 && at < 290_000);
    expect(beats.length).toBeGreaterThanOrEqual(5);
  });

  it('a custom strategy creates its config once and reuses it by name', async () => {
    const w = codeDeployWorld('canary:20%:2m');
    const first = await runDeploy(w.deps, request({ ...canary(20, 120) }));
    expect(first.status).toBe('promoted');
    expect(w.codedeploy.callsOf('createDeploymentConfig').map((c) => c.args)).toEqual([
      ['lshift.Canary20Percent2Minutes', { type: 'TimeBasedCanary', percentage: 20, intervalMinutes: 2 }],
    ]);
    w.lambda.addVersion(FN);
    const again = await runDeploy(
      w.deps,
      request({ ...canary(20, 120), targetVersion: '3', deploymentId: 'd-two' }),
    );
    expect(again.status).toBe('promoted');
    expect(w.codedeploy.callsOf('createDeploymentConfig')).toHaveLength(1);
    expect(w.codedeploy.callsOf('createDeployment')).toHaveLength(2);
  });

  it('Ctrl-C while following (waiting for CodeDeploy to reach 100%) stops the deployment with rollback', async () => {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    // lshift's hold (60 s) ends before CodeDeploy's (5 min): at 120 s the promote is following.
    w.clock.at(w.start + 120_000, () => controller.abort(new Error('SIGINT')));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), signal: controller.signal }));

    expect(result.status).toBe('rolled_back');
    expect(result.cause?.code).toBe('INTERRUPTED');
    expect(w.clock.now() - w.start).toBeLessThan(300_000);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
  // Found by a hostile pass: with GetDeployment stalled the rollback read first, never sent the
  // stop, and exited 4 two minutes later while CodeDeploy went on to 100%.
  it('Ctrl-C with GetDeployment failing from then on: the stop is sent first; the alias back on stable is a rollback (exit 3)', async () => {
    const { w, result } = await sigtermWithGetDeploymentFailing();

    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result).toMatchObject({ status: 'rolled_back', cause: { code: 'INTERRUPTED' } });
  });

  it('the stop taken but its end never seen (GetDeployment failing, CodeDeploy slow to roll back): exit 4 that says CodeDeploy took the stop', async () => {
    const { result } = await sigtermWithGetDeploymentFailing((w) => w.codedeploy.slowRollbacks(3_600_000));

    expect(result.status).toBe('unsafe');
    expect(describeReason(result)).toContain(
      "AWS CodeDeploy took lshift's stop of deployment d-FAKE1 (with auto-rollback), but lshift could not see it end",
    );
    expect(describeReason(result)).not.toContain('could not stop');
  });

  it('Ctrl-C during the BeforeAllowTraffic hook says no traffic had moved, not "at step 1 (10%)", and that CodeDeploy was stopped', async () => {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.codedeploy.beforeAllowTraffic(600_000);
    w.clock.at(w.start + 60_000, () => controller.abort(new Error('SIGINT')));
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), signal: controller.signal, engineHooks: { pre: [cmdHook('pre-check')] } }),
    );

    expect(result.status).toBe('rolled_back');
    expect(result.position).toEqual({ kind: 'before-traffic', during: 'codedeploy-pre-hook' });
    const where =
      'before any traffic moved: CodeDeploy had shifted none yet (its pre-traffic hook runs first)';
    expect(w.sink.ofType('rollback.started')[0]).toMatchObject({
      reason: `interrupted ${where}`,
      fromPercent: 0,
    });
    expect(describeReason(result)).toBe(
      `interrupted ${where}; CodeDeploy deployment d-FAKE1 was stopped; alias live unchanged`,
    );
    // As after lshift's own pre-traffic hook: no step ran, no traffic moved (text, --json, summary).
    expect(result).toMatchObject({ trafficMoved: false, steps: [] });
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('--on-interrupt leave during the BeforeAllowTraffic hook: handed over "before any traffic moved", not "at step 1 (10%)"', async () => {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.codedeploy.beforeAllowTraffic(600_000);
    w.clock.at(w.start + 60_000, () => controller.abort(new Error('detached')));
    const left = await runDeploy(
      w.deps,
      request({
        ...canary(10, 60),
        signal: controller.signal,
        onInterrupt: 'leave',
        engineHooks: { pre: [cmdHook('pre-check')] },
      }),
    );

    expect(left).toMatchObject({ status: 'paused', codeDeploy: { deploymentId: 'd-FAKE1' }, steps: [] });
    expect(describeReason(left)).toBe(
      'handed to AWS CodeDeploy as deployment d-FAKE1 before any traffic moved: CodeDeploy had shifted none yet (its pre-traffic hook runs first); follow it with `lshift wait d-FAKE1`',
    );
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  // Found by a hostile pass: `deploy --detach --json` said cause INTERRUPTED {left: true} with no signal.
  it('handed over by --detach (no signal): cause DETACHED, still paused; a Ctrl-C with --on-interrupt leave stays INTERRUPTED', async () => {
    const handOff = async (reason: Error) => {
      const controller = new AbortController();
      const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
      w.clock.at(w.start + 120_000, () => controller.abort(reason));
      const result = await runDeploy(
        w.deps,
        request({ ...canary(10, 60), signal: controller.signal, onInterrupt: 'leave' }),
      );
      expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
      return result;
    };
    const detached = await handOff(new HandedToCodeDeploy());
    expect(detached).toMatchObject({ status: 'paused', cause: { code: 'DETACHED', data: {} } });
    expect(describeReason(detached)).toMatch(
      /^handed to AWS CodeDeploy as deployment d-FAKE1 at step \d \(\d+%\); follow it with `lshift wait d-FAKE1`$/,
    );
    const interrupted = await handOff(new Error('interrupted by SIGINT'));
    expect(interrupted).toMatchObject({
      status: 'paused',
      cause: { code: 'INTERRUPTED', data: { left: true } },
    });
  });

  it('Ctrl-C when StopDeployment is denied: unsafe, says CodeDeploy keeps moving the alias, and the fix stops it (no alias write beside it)', async () => {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.codedeploy.stopDeployment = async () => {
      throw new OperationError(
        'ACCESS_DENIED',
        'Access denied: the caller may not perform codedeploy:StopDeployment',
        {},
      );
    };
    w.clock.at(w.start + 120_000, () => controller.abort(new Error('SIGINT')));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), signal: controller.signal }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_FAILED', data: { codeDeployRunning: 'd-FAKE1' } });
    const reason = describeReason(result) ?? '';
    expect(reason).toContain('could not stop AWS CodeDeploy deployment d-FAKE1');
    expect(reason).toContain('CodeDeploy keeps moving alias live on its own schedule');
    expect(reason).toContain('allowed codedeploy:StopDeployment');
    expect(reason).not.toContain('lambda:UpdateAlias');
    expect(result.fixCommand).toBe(
      'aws deploy stop-deployment --deployment-id d-FAKE1 --auto-rollback-enabled',
    );
    expect(writesOf(w.lambda)).toEqual([]);
  });

  it('a stop CodeDeploy accepts but never carries out: no alias write while it runs, unsafe with the deployment named', async () => {
    const w = codeDeployWorld('canary:10%:60m');
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 60_000, reason: 'errors above 5%' });
    // Accepted, yet the deployment keeps running (AWS answers Pending and stops "a moment later").
    w.codedeploy.stopDeployment = async () => 'stopping';
    const result = await runDeploy(w.deps, request({ ...canary(10, 3600) }));

    expect(result.status).toBe('unsafe');
    expect(writesOf(w.lambda)).toEqual([]);
    expect(result.cause).toMatchObject({ code: 'ROLLBACK_FAILED', data: { codeDeployRunning: 'd-FAKE1' } });
    expect(describeReason(result)).toContain('had not ended 600 s after lshift stopped it');
  });
});

describe('the rollback waits for CodeDeploy to put the alias back', () => {
  it('keeps the rolling-back record moving while CodeDeploy’s rollback takes 5 minutes (a check would finish it)', async () => {
    const w = codeDeployWorld();
    w.codedeploy.slowRollbacks(300_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 60_000, reason: 'errors above 5%' });
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.status).toBe('rolled_back');
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    // CodeDeploy put the alias back; lshift wrote nothing itself.
    expect(writesOf(w.lambda)).toEqual([]);
    const beats = w.store.writes
      .filter((x) => x.record.phase === 'rolling-back')
      .map((x) => x.record.heartbeatAt);
    const closed = w.store.writes.find((x) => x.record.phase === 'rolled-back')!.record.heartbeatAt;
    expect(closed - beats[0]!).toBeGreaterThanOrEqual(300_000);
    const times = [...beats, closed];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // A heartbeat at a poll (10 s) once the last write is 30 s old: never near the 120 s limit.
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + 10_000);
  });
});

describe('lshift rollback of a CodeDeploy deployment whose rollback takes minutes', () => {
  it('keeps its rolling-back claim fresh while it waits (another check or person would take it over)', async () => {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.clock.at(w.start + 60_000, () => controller.abort(new Error('detached')));
    const left = await runDeploy(w.deps, canaryRequest({ signal: controller.signal, onInterrupt: 'leave' }));
    expect(left.status).toBe('paused');
    w.codedeploy.slowRollbacks(300_000);
    const restoreDriver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5 },
    );
    const { traffic: _codeDeploy, gates: _gates, ...native } = w.deps;
    const owner = 'ops@laptop:9';
    const result = await rollbackClaimed(
      { ...native, store: w.store, owner, trafficFor: () => restoreDriver },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );

    expect(result.status).toBe('rolled_back');
    const claims = w.store.writes
      .filter((x) => x.record.owner === owner && x.record.phase === 'rolling-back')
      .map((x) => x.record.heartbeatAt);
    const closed = w.store.peek(FN, ALIAS)!;
    expect(closed).toMatchObject({ phase: 'rolled-back', owner });
    expect(closed.heartbeatAt - claims[0]!).toBeGreaterThanOrEqual(300_000);
    const times = [...claims, closed.heartbeatAt];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS + 5_000);
  });
});

/**
 * Deleting the application or deployment group deletes its deployments' details: GetDeployment
 * then answers DeploymentDoesNotExistException, and nothing moves the alias any more. `lshift
 * rollback` (and `lshift check`'s) must not need CodeDeploy to put all traffic back then.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html
 */
describe('lshift rollback of a deployment CodeDeploy no longer knows', () => {
  async function detachedThenDeleted(deleteAt: 'now' | 'during-rollback' = 'now') {
    const controller = new AbortController();
    const w = codeDeployWorld('Canary10Percent5Minutes', controller.signal);
    w.clock.at(w.start + 60_000, () => controller.abort(new Error('detached')));
    const left = await runDeploy(w.deps, canaryRequest({ signal: controller.signal, onInterrupt: 'leave' }));
    expect(left.status).toBe('paused');
    const deleted = { atCall: -1 };
    const deleteGroup = () => {
      w.codedeploy.deleteGroup('lshift-demo', 'demo-live');
      deleted.atCall = w.codedeploy.calls.length;
    };
    if (deleteAt === 'now') deleteGroup();
    else {
      // CodeDeploy's own rollback takes 5 minutes; the group is deleted a minute into it.
      w.codedeploy.slowRollbacks(300_000);
      w.clock.at(w.clock.now() + 60_000, deleteGroup);
    }
    const driver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5, group: { application: 'lshift-demo', group: 'demo-live' } },
    );
    const { traffic: _codeDeploy, gates: _gates, ...native } = w.deps;
    const rollback = () =>
      rollbackClaimed(
        { ...native, store: w.store, owner: 'ops@laptop:9', trafficFor: () => driver },
        { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
      );
    return { ...w, rollback, deleted };
  }

  it('a split alias nobody drives is written back by lshift itself (RevisionId guard): rolled back, exit 0, nothing stopped', async () => {
    const w = await detachedThenDeleted();
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.1 },
    });
    const result = await w.rollback();

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    // One write, all on version 1, guarded by the RevisionId the rollback read.
    const writes = writesOf(w.lambda);
    expect(writes.map(([version, weights]) => [version, weights])).toEqual([['1', {}]]);
    expect(writes[0]![2]).toMatch(/^rev-/);
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it('a second rollback finds the alias already back and writes nothing (idempotent)', async () => {
    const w = await detachedThenDeleted();
    await w.rollback();
    const again = await w.rollback();
    expect(['rolled_back', 'nothing_to_deploy']).toContain(again.status);
    expect(writesOf(w.lambda)).toHaveLength(1);
  });

  it('deleted while lshift waits for CodeDeploy’s rollback: the wait ends, and lshift writes the alias back itself', async () => {
    const w = await detachedThenDeleted('during-rollback');
    const result = await w.rollback();

    expect(result.status).toBe('rolled_back');
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(writesOf(w.lambda).map(([version, weights]) => [version, weights])).toEqual([['1', {}]]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    // The wait took the forgotten rollback deployment as ended, at once: no failed attempt, so no
    // second attempt reading the stopped deployment again.
    const after = w.codedeploy.calls.slice(w.deleted.atCall).filter((c) => c.op === 'getDeployment');
    expect(after.map((c) => c.args[0])).toEqual(['d-FAKE1-rb']);
  });
});

/**
 * Someone stops the deployment from outside this run — the console, `aws deploy stop-deployment`,
 * another operator's `lshift rollback` — and CodeDeploy answers Stopped with MANUAL_STOP. The
 * step read `failed`, as if lshift's health or CodeDeploy's alarm or hook had failed it.
 */
describe('a CodeDeploy deployment stopped from outside this run', () => {
  const STOPPED_OUTSIDE = 'stopped from outside this run (a StopDeployment request';

  it('during a hold: the step reads stopped, the reason says it was stopped from outside, lshift puts the alias back', async () => {
    const w = codeDeployWorld();
    w.clock.at(w.start + 120_000, () => void w.codedeploy.stopDeployment('d-FAKE1', false));
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.steps.map((s) => [s.percent, s.result])).toEqual([[10, 'stopped']]);
    // Not GATE_FAILED with gates ["codedeploy"]: no gate of this run failed.
    expect(result.cause).toMatchObject({ code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-FAKE1' } });
    expect(describeReason(result)).toContain(STOPPED_OUTSIDE);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('while following to 100%: the promote step reads stopped', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    // lshift's hold (60 s) ends before CodeDeploy's (5 min): at 120 s the promote is following.
    w.clock.at(w.start + 120_000, () => void w.codedeploy.stopDeployment('d-FAKE1', false));
    const result = await runDeploy(w.deps, request({ ...canary(10, 60) }));

    expect(result.status).toBe('rolled_back');
    expect(result.steps.map((s) => [s.percent, s.result])).toEqual([
      [10, 'completed'],
      [100, 'stopped'],
    ]);
    // Not WEIGHT_WRITE_FAILED: lshift wrote nothing that failed.
    expect(result.cause).toMatchObject({ code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-FAKE1' } });
    expect(describeReason(result)).toContain(STOPPED_OUTSIDE);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('CodeDeploy’s own alarm stopping it still reads failed, without the outside words', async () => {
    const w = codeDeployWorld();
    w.codedeploy.failAfter(120_000, 'One or more alarms have been activated');
    const result = await runDeploy(w.deps, canaryRequest());

    expect(result.steps.map((s) => [s.percent, s.result])).toEqual([[10, 'failed']]);
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED', data: { gates: ['codedeploy'] } });
    expect(describeReason(result)).not.toContain(STOPPED_OUTSIDE);
  });
});

describe('a CodeDeploy deployment stopped from outside during its BeforeAllowTraffic hook', () => {
  it('ends with no traffic moved and no step, and says it was stopped from outside', async () => {
    const w = codeDeployWorld('Canary10Percent5Minutes');
    w.codedeploy.beforeAllowTraffic(600_000);
    w.clock.at(w.start + 60_000, () => void w.codedeploy.stopDeployment('d-FAKE1', false));
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), engineHooks: { pre: [cmdHook('pre-check')] } }),
    );

    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toMatch(
      /^CodeDeploy deployment d-FAKE1 ended before any traffic moved: CodeDeploy had shifted none yet \(its pre-traffic hook runs first\): stopped from outside this run .*; alias live unchanged$/,
    );
    expect(result.cause).toMatchObject({ code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-FAKE1' } });
    expect(result.steps.map((s) => [s.percent, s.result])).toEqual([]);
    expect(result.trafficMoved).toBe(false);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
