/**
 * `lshift wait` of a CodeDeploy deployment lshift decided to roll back (record `rolling-back` or
 * `failed`): its runner's Ctrl-C whose StopDeployment was lost or refused. CodeDeploy shifted on
 * to 100%, and the wait closed the record `promoted`, exit 0 (found by a hostile pass, session 60).
 * The wait finishes the rollback instead, as `lshift rollback` does it, or says it could not.
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { type FollowDeps, followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import type { FollowRequest } from '../../src/engine/follow-codedeploy-types.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

/** d-FAKE… shifting demo:live 10% a minute, its record as `record` left it; the wait can roll back unless told not to. */
async function decidedWorld(
  record: Partial<DeploymentRecord> | ((start: number) => Partial<DeploymentRecord>),
  opts: { canRollBack?: boolean; runnerAlive?: boolean | (() => boolean) } = {},
) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      phase: 'rolling-back',
      percent: 10,
      engine: 'codedeploy',
      codeDeployId: id,
      // The run that decided the rollback, on the wait's machine: gone unless `runnerAlive`.
      owner: 'ops@desk:4242',
      heartbeatAt: w.clock.now(),
      startedAt: w.clock.now(),
      cause: { code: 'INTERRUPTED' },
      ...(typeof record === 'function' ? record(w.clock.now()) : record),
    }),
  );
  const driver = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    { pollSeconds: 5 },
  );
  const deps: FollowDeps = {
    codedeploy,
    lambda: w.lambda,
    clock: w.clock,
    events: w.sink,
    store: w.store,
    ...(opts.canRollBack === false
      ? {}
      : {
          rollback: {
            trafficFor: () => driver,
            owner: 'rollback:ops@desk:1',
            processes: {
              isRunning: (pid: number) =>
                pid === 4242 &&
                (typeof opts.runnerAlive === 'function' ? opts.runnerAlive() : opts.runnerAlive === true),
            },
          },
        }),
  };
  const follow = (more: Partial<FollowRequest> = {}) =>
    followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback', ...more });
  return { w, codedeploy, id, follow };
}

describe('lshift wait never promotes a deployment lshift decided to roll back', () => {
  it('rolling-back, CodeDeploy still shifting: stopped with auto-rollback, the record closed rolled back (cause kept), exit 3', async () => {
    const { w, codedeploy, id, follow } = await decidedWorld({});
    const result = await follow();
    expect(result).toMatchObject({
      outcome: 'rolled_back',
      recordPhase: 'rolled-back',
      decidedRollback: { recordId: 'd-dead01', finished: true },
    });
    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, true]]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
    const alias = await w.lambda.getAlias(FN, ALIAS);
    expect(alias).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('rolling-back, CodeDeploy already Succeeded with all traffic on version 2: the alias is put back, not closed promoted', async () => {
    const { w, codedeploy, id, follow } = await decidedWorld({});
    // CodeDeploy ran on to its end while nobody followed it.
    await w.clock.advance(11 * 60_000);
    expect((await codedeploy.getDeployment(id)).status).toBe('Succeeded');
    expect((await w.lambda.getAlias(FN, ALIAS))?.functionVersion).toBe('2');
    const result = await follow();
    expect(result).toMatchObject({ outcome: 'rolled_back', decidedRollback: { finished: true } });
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
    expect(await w.lambda.getAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('failed (lshift’s StopDeployment was refused): the rollback is finished too', async () => {
    const { w, follow } = await decidedWorld((now) => ({ phase: 'failed', endedAt: now }));
    const result = await follow();
    expect(result).toMatchObject({ outcome: 'rolled_back', decidedRollback: { finished: true } });
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });

  it('a wait that cannot move traffic ends unsafe, the record left as it was', async () => {
    const { w, follow } = await decidedWorld({}, { canRollBack: false });
    const result = await follow();
    expect(result).toMatchObject({ outcome: 'unsafe', decidedRollback: { finished: false } });
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolling-back');
  });

  // Found by a hostile pass (F4 of session 60): the wait claimed and rolled back while the run
  // that decided it still held the record with its StopDeployment in flight: two writers.
  it('rolling-back by a run still alive: the wait follows and leaves the rollback to it (no claim, no stop)', async () => {
    const { w, codedeploy, id, follow } = await decidedWorld({}, { runnerAlive: true });
    const before = w.store.peek(FN, ALIAS);
    // The runner's StopDeployment lands at the wait's third read.
    const read = codedeploy.getDeployment.bind(codedeploy);
    let reads = 0;
    codedeploy.getDeployment = async (d: string) => {
      reads += 1;
      if (reads === 3) await codedeploy.stopDeployment(id, true);
      return read(d);
    };
    const result = await follow();
    expect(result.decidedRollback).toBeUndefined();
    expect(result).toMatchObject({ outcome: 'rolled_back', liveFollower: { recordId: 'd-dead01' } });
    // The one stop is the runner's; the wait wrote nothing to the record.
    expect(codedeploy.callsOf('stopDeployment')).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
  });

  // Found by a hostile pass (F4 again): the run's liveness was judged at the first read only; its
  // run killed a moment later, CodeDeploy shifted on to 100% and Succeeded before the wait rolled back.
  it.each([
    {
      how: 'its pid stops here (killed at the third read, 20 s in): the rollback starts at that poll',
      owner: 'ops@desk:4242',
      first: /its run ops@desk:4242, heartbeat 0s ago, is rolling it back/,
      gone: /\(ops@desk:4242, heartbeat 20s ago\) is gone/,
      startedBy: 20_000,
    },
    {
      how: 'its heartbeat goes stale (another machine, written at 0 s): the rollback starts at the first poll past 3 minutes (2 minutes and a rollback claim’s skew)',
      owner: 'ci@runner:4242',
      first: /its run ci@runner:4242, heartbeat 0s ago, is rolling it back/,
      gone: /\(ci@runner:4242, heartbeat 3m ago\) is gone/,
      startedBy: 180_000,
    },
  ])('its run dies mid-follow, $how, not at CodeDeploy’s end', async ({ owner, first, gone, startedBy }) => {
    let alive = true;
    const { w, codedeploy, id, follow } = await decidedWorld({ owner }, { runnerAlive: () => alive });
    const read = codedeploy.getDeployment.bind(codedeploy);
    let reads = 0;
    codedeploy.getDeployment = async (d: string) => {
      reads += 1;
      if (reads === 3) alive = false;
      return read(d);
    };
    let stoppedAt: number | undefined;
    const stop = codedeploy.stopDeployment.bind(codedeploy);
    codedeploy.stopDeployment = async (d: string, autoRollback: boolean) => {
      stoppedAt ??= w.clock.now() - w.start;
      return stop(d, autoRollback);
    };
    const result = await follow();
    expect(result).toMatchObject({
      outcome: 'rolled_back',
      decidedRollback: { recordId: 'd-dead01', finished: true },
    });
    // Stopped by the wait within the rollback's own few seconds of the poll that found the run gone,
    // long before CodeDeploy's end (10 minutes): not rolled back from 100%.
    expect(stoppedAt).toBeGreaterThanOrEqual(startedBy);
    expect(stoppedAt).toBeLessThan(startedBy + 10_000);
    expect(result.status).toBe('Stopped');
    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, true]]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
    expect(await w.lambda.getAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const said = w.sink.logs('info').join('\n');
    expect(said).toMatch(first);
    expect(said).toMatch(gone);
  });
  // Found by a hostile pass (session 61): the deciding run's StopDeployment held past CodeDeploy's
  // own end; the wait printed `✔ … Succeeded: demo:live is on version 2`, exit 0, and the run then
  // put the alias back and exited 3. A rollback lshift decided is never reported as a success.
  it('CodeDeploy Succeeded while its live run still rolls back: the wait follows the record and reports the rollback that run closed, exit 3', async () => {
    const { w, codedeploy, id, follow } = await decidedWorld({}, { runnerAlive: true });
    const before = w.store.peek(FN, ALIAS);
    // The run, its stop released 40 s after CodeDeploy's end, puts the alias back and closes its record.
    const read = w.store.read.bind(w.store);
    let endedAt: number | undefined;
    w.store.read = async (fn: string, alias: string) => {
      const status = (await codedeploy.getDeployment(id)).status;
      if (status === 'Succeeded') endedAt ??= w.clock.now();
      if (endedAt !== undefined && w.clock.now() - endedAt >= 40_000 && before && !before.endedAt) {
        const { revisionId } = (await w.lambda.getAlias(FN, ALIAS)) ?? { revisionId: '' };
        await w.lambda.updateAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {}, revisionId });
        before.endedAt = w.clock.now();
        w.store.seed(FN, ALIAS, { ...before, phase: 'rolled-back', endedAt: w.clock.now() });
      }
      return read(fn, alias);
    };
    // What a Ctrl-C's notice goes by (commands/wait.ts): following that run, not finishing it.
    const told: string[] = [];
    const result = await follow({
      onFollowingRun: (owner) => told.push(`following ${owner}`),
      onFinishingRollback: () => told.push('finishing'),
    });
    expect(told).toEqual(['following ops@desk:4242']);
    expect(result.status).toBe('Succeeded');
    expect(result).toMatchObject({
      outcome: 'rolled_back',
      recordPhase: 'rolled-back',
      decidedRollback: { recordId: 'd-dead01', finished: true, by: 'ops@desk:4242' },
      aliasState: { functionVersion: '1', additionalWeights: {} },
    });
    expect(result.liveFollower).toBeUndefined();
    // Nothing of the wait's: no stop, no claim.
    expect(codedeploy.callsOf('stopDeployment')).toHaveLength(0);
    expect(w.sink.logs('info').join('\n')).toMatch(
      /ended Succeeded, but lshift decided to roll back deployment d-dead01 and its run \(ops@desk:4242\) is still rolling it back/,
    );
  });

  it('CodeDeploy Succeeded while its live run still rolls back, and that run dies then: the wait finishes the rollback from 100%', async () => {
    let alive = true;
    const { w, codedeploy, id, follow } = await decidedWorld({}, { runnerAlive: () => alive });
    const read = w.store.read.bind(w.store);
    let endedAt: number | undefined;
    w.store.read = async (fn: string, alias: string) => {
      if ((await codedeploy.getDeployment(id)).status === 'Succeeded') endedAt ??= w.clock.now();
      if (endedAt !== undefined && w.clock.now() - endedAt >= 30_000) alive = false;
      return read(fn, alias);
    };
    const told: string[] = [];
    const result = await follow({
      onFollowingRun: (owner) => told.push(`following ${owner}`),
      onFinishingRollback: () => told.push('finishing'),
    });
    // Followed, then finished here: a Ctrl-C's notice says each in its turn.
    expect(told).toEqual(['following ops@desk:4242', 'finishing']);
    expect(result).toMatchObject({ outcome: 'rolled_back', decidedRollback: { finished: true } });
    expect(result.decidedRollback?.by).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
    expect(await w.lambda.getAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
