/**
 * The CodeDeploy engine when CreateDeployment's answer is lost, and beside someone else's
 * deployment on the same group: the whole deploy on fakes, down to the exit code.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { buildAppSpec, mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { createCodeDeployGate } from '../../src/engine/codedeploy-gate.js';
import { strangersOf } from '../../src/engine/codedeploy-group.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import type { DeploymentInfo } from '../../src/ports/codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import {
  ALARM,
  ALIAS,
  canary,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  writesOf,
} from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };
const LIST_COMMAND =
  'aws deploy list-deployments --application-name lshift-demo --deployment-group-name demo-live --include-only-statuses Created Queued InProgress Baking Ready';

function codeDeployWorld(strategy = 'Canary10Percent5Minutes') {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  let current: string | undefined;
  const traffic = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    {
      start: {
        ...GROUP,
        config: mapStrategyToCodeDeploy(parseStrategy(strategy)),
        hooks: {},
        description: 'lshift deploy of demo:live',
        runToken: 'tok123',
      },
      pollSeconds: 10,
      onStarted: (id) => {
        current = id;
      },
    },
  );
  const deps = { ...w.deps, traffic, gates: [createCodeDeployGate(codedeploy, () => current)] };
  return { ...w, codedeploy, deps, current: () => current };
}

const lostAnswer = () =>
  new OperationError('NETWORK_ERROR', 'codedeploy.us-east-1.amazonaws.com did not answer in time', {});

describe('a lost CreateDeployment answer under the engine', () => {
  it('the deployment carrying the run token is followed as ours to the end (exit 0, one CreateDeployment)', async () => {
    const w = codeDeployWorld();
    w.codedeploy.loseNextAnswer(lostAnswer());
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));

    expect(result.status).toBe('promoted');
    expect(result.codeDeploy?.deploymentId).toBe('d-FAKE1');
    expect(w.current()).toBe('d-FAKE1');
    expect(w.codedeploy.callsOf('createDeployment')).toHaveLength(1);
    const input = w.codedeploy.callsOf('createDeployment')[0]!.args[0] as { description: string };
    expect(input.description).toBe('lshift deploy of demo:live [lshift-run:tok123]');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ codeDeployId: 'd-FAKE1', phase: 'promoted' });
  });

  // Found by a hostile pass: an all-at-once deployment ran to its end within the lost answer's
  // timeout, was among no unfinished deployments, and lshift reported "not started, no traffic
  // moved" and wrote the alias back over CodeDeploy's finished deployment.
  it('ours already ended when the answer is lost: found among the recent ones and followed (promoted, one CreateDeployment)', async () => {
    const w = codeDeployWorld('AllAtOnce');
    w.codedeploy.loseNextAnswer(lostAnswer());
    const result = await runDeploy(w.deps, request({ strategy: parseStrategy('AllAtOnce') }));

    expect(result.status).toBe('promoted');
    expect(result.codeDeploy?.deploymentId).toBe('d-FAKE1');
    expect(w.codedeploy.callsOf('createDeployment')).toHaveLength(1);
    expect(w.codedeploy.callsOf('listDeploymentsSince')).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ codeDeployId: 'd-FAKE1', phase: 'promoted' });
  });

  it('the group cannot be read: unsafe (exit 4), no alias write, the fix is the list-deployments command', async () => {
    const w = codeDeployWorld();
    w.codedeploy.loseNextAnswer(lostAnswer());
    w.codedeploy.listError = new OperationError(
      'ACCESS_DENIED',
      'may not perform codedeploy:ListDeployments',
    );
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'ROLLBACK_FAILED',
      data: { errorCode: 'CODEDEPLOY_START_UNCONFIRMED' },
    });
    expect(result.fixCommand).toBe(LIST_COMMAND);
    expect(describeReason(result)).toContain('CodeDeploy may have started the deployment');
    expect(describeReason(result)).not.toContain('the alias write failed');
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
  });

  it('readable again by the rollback: ours is found and stopped with auto-rollback (exit 3)', async () => {
    const w = codeDeployWorld();
    w.codedeploy.loseNextAnswer(lostAnswer());
    w.codedeploy.listError = new OperationError('THROTTLED', 'AWS throttled codedeploy:ListDeployments');
    const first = w.codedeploy.listActiveDeployments.bind(w.codedeploy);
    let lists = 0;
    w.codedeploy.listActiveDeployments = async (app, group) => {
      if (++lists > 1) w.codedeploy.listError = undefined;
      return first(app, group);
    };
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));

    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', codeDeployId: 'd-FAKE1' });
  });
});

describe('the record names the deployment at once', () => {
  it('before lshift follows it (a runner killed while following leaves its id for lshift rollback)', async () => {
    const w = codeDeployWorld();
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));
    expect(result.status).toBe('promoted');
    const first = w.store.writes.find((write) => write.record.codeDeployId === 'd-FAKE1');
    // Written before the 10% step was recorded: the record still says no traffic moved.
    expect(first?.record).toMatchObject({ percent: 0, codeDeployId: 'd-FAKE1' });
  });
});

describe('someone else’s deployment on the group', () => {
  it('running when lshift starts: conflict (exit 5) naming it, nothing started or written, the record closed', async () => {
    const w = codeDeployWorld();
    const other = w.codedeploy.startForeign({ ...GROUP, config: 'x', description: 'sam deploy' });
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(result.cause?.code).toBe('GROUP_BUSY');
    expect(describeReason(result)).toContain(`${other} (InProgress, "sam deploy")`);
    expect(describeReason(result)).not.toContain('RevisionId');
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.sink.warnings()).toEqual([
      { message: expect.stringContaining(`${other} (InProgress, "sam deploy")`), about: 'codedeploy' },
    ]);
  });

  it('started after ours ended: a failed verdict does not write the alias beside it (exit 5, named)', async () => {
    const w = codeDeployWorld();
    // CodeDeploy promotes after 5 minutes; someone starts another at minute 6; the alarm fires at minute 7.
    w.clock.at(w.start + 360_000, () => {
      w.codedeploy.startForeign({ ...GROUP, config: 'x', description: 'hotfix by hand' });
    });
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 420_000, reason: 'late errors' });
    const result = await runDeploy(w.deps, request({ ...canary(10, 600) }));

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(describeReason(result)).toContain('d-OTHER2 (InProgress, "hotfix by hand")');
    expect(describeReason(result)).toContain('did not write the alias beside it');
    expect(writesOf(w.lambda)).toEqual([]);
  });
});

describe('lshift rollback of a promoted CodeDeploy deployment', () => {
  function rollbackDeps(w: ReturnType<typeof codeDeployWorld>) {
    const driver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5 },
    );
    const { traffic: _traffic, gates: _gates, ...rest } = w.deps;
    return { ...rest, trafficFor: () => driver };
  }

  it('another deployment running on the group: exit 5 naming it, the alias not written', async () => {
    const w = codeDeployWorld();
    expect((await runDeploy(w.deps, request({ ...canary(10, 300) }))).status).toBe('promoted');
    w.codedeploy.startForeign({ ...GROUP, config: 'x', description: 'sam deploy' });
    const result = await rollbackDeployment(rollbackDeps(w), {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual',
    });

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(describeReason(result)).toContain('d-OTHER2 (InProgress, "sam deploy")');
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2' });
  });

  // Found by a hostile pass: with a record that does not add up, `rollback --to` acted on the
  // alias alone and wrote it beside a running CodeDeploy deployment, which moved it again.
  it('--to over a CodeDeploy record that does not add up, another deployment running on the group: exit 5, the alias not written', async () => {
    const w = codeDeployWorld();
    expect((await runDeploy(w.deps, request({ ...canary(10, 300) }))).status).toBe('promoted');
    const promoted = w.store.peek(FN, ALIAS)!;
    w.lambda.addVersion(FN);
    // Someone else's deployment on the group splits the alias to a version the record does not know.
    w.codedeploy.startForeign({ ...GROUP, config: 'x', description: 'hotfix' });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: { '3': 0.1 } });
    w.store.seed(FN, ALIAS, { ...promoted, phase: 'shifting', percent: 100, endedAt: undefined });
    const writes = writesOf(w.lambda).length;
    const result = await rollbackDeployment(rollbackDeps(w), {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual',
      to: '2',
    });

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(describeReason(result)).toContain('(InProgress, "hotfix")');
    expect(writesOf(w.lambda)).toHaveLength(writes);
  });

  it('the group deleted since: nothing can run there, the alias is written back', async () => {
    const w = codeDeployWorld();
    expect((await runDeploy(w.deps, request({ ...canary(10, 300) }))).status).toBe('promoted');
    w.codedeploy.listError = new OperationError('CODEDEPLOY_GROUP_NOT_FOUND', 'no such group');
    const result = await rollbackDeployment(rollbackDeps(w), {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual',
    });

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('the group quiet: the alias is written back', async () => {
    const w = codeDeployWorld();
    expect((await runDeploy(w.deps, request({ ...canary(10, 300) }))).status).toBe('promoted');
    const result = await rollbackDeployment(rollbackDeps(w), {
      functionName: FN,
      alias: ALIAS,
      reason: 'manual',
    });

    expect(result.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.codedeploy.callsOf('listActiveDeployments')).toHaveLength(1);
  });
});

describe('lshift rollback of a CodeDeploy record that names no deployment (its runner died first)', () => {
  function setUp(group?: typeof GROUP) {
    const w = codeDeployWorld();
    leaveDeployment(
      w,
      deadRecord(w, { engine: 'codedeploy', strategy: 'canary:10%:5m', stepIndex: 0, percent: 10 }),
    );
    const running = w.codedeploy.startForeign({
      ...GROUP,
      config: 'x',
      description: 'lshift deploy of demo:live [lshift-run:lost]',
    });
    const driver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5, ...(group ? { group } : {}) },
    );
    const { traffic: _traffic, gates: _gates, ...rest } = w.deps;
    return { w, running, deps: { ...rest, trafficFor: () => driver } };
  }

  it('with the group it would run in (config file or default names): exit 5 naming the deployment, no alias write', async () => {
    const { w, running, deps } = setUp(GROUP);
    const result = await rollbackDeployment(deps, { functionName: FN, alias: ALIAS, reason: 'manual' });

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    expect(describeReason(result)).toContain(`${running} (InProgress`);
    expect(writesOf(w.lambda)).toEqual([]);
  });
});

describe('lshift rollback of a CodeDeploy record whose runner died right after CreateDeployment was applied', () => {
  // Killed between CreateDeployment's answer and the record write: the record names no
  // deployment, but the one CodeDeploy runs carries the record's id as its run token.
  function setUp() {
    const w = codeDeployWorld();
    const record = deadRecord(w, {
      engine: 'codedeploy',
      strategy: 'canary:10%:5m',
      stepIndex: 0,
      percent: 0,
    });
    leaveDeployment(w, record);
    return { w, record };
  }

  it('the deployment carrying the record id is its own: stopped with auto-rollback (exit 3), no alias write by lshift', async () => {
    const { w, record } = setUp();
    await w.codedeploy.createDeployment({
      ...GROUP,
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      description: `lshift deploy of demo:live [lshift-run:${record.id}]`,
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    const driver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5, group: GROUP, runToken: record.id },
    );
    const { traffic: _traffic, gates: _gates, ...rest } = w.deps;
    const result = await rollbackDeployment(
      { ...rest, trafficFor: () => driver },
      {
        functionName: FN,
        alias: ALIAS,
        reason: 'manual',
      },
    );

    expect(result.status).toBe('rolled_back');
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([['d-FAKE1', true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
    // The record names what the rollback found, so `lshift status` can say it (not "none started").
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', codeDeployId: 'd-FAKE1' });
  });

  it('only CodeDeploy’s rollback of it still runs (same description): waited for, not stopped (exit 3)', async () => {
    const { w, record } = setUp();
    w.codedeploy.slowRollbacks(60_000);
    const id = await w.codedeploy.createDeployment({
      ...GROUP,
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      description: `lshift deploy of demo:live [lshift-run:${record.id}]`,
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    await w.codedeploy.stopDeployment(id, true);
    const driver = createCodeDeployTrafficDriver(
      { codedeploy: w.codedeploy, lambda: w.lambda, clock: w.clock },
      { pollSeconds: 5, group: GROUP, runToken: record.id },
    );
    const { traffic: _traffic, gates: _gates, ...rest } = w.deps;
    const result = await rollbackDeployment(
      { ...rest, trafficFor: () => driver },
      {
        functionName: FN,
        alias: ALIAS,
        reason: 'manual',
      },
    );

    expect(result.status).toBe('rolled_back');
    expect(w.codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, true]]);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(writesOf(w.lambda)).toEqual([]);
  });
});

describe('strangersOf', () => {
  const own: DeploymentInfo = { id: 'd-OURS', status: 'Stopped', rollback: { deploymentId: 'd-RB2' } };
  const info = (id: string, extra: Partial<DeploymentInfo> = {}): DeploymentInfo => ({
    id,
    status: 'InProgress',
    ...extra,
  });

  it.each([
    ['ours itself', info('d-OURS'), []],
    [
      'CodeDeploy’s rollback of ours (rollbackTriggeringDeploymentId)',
      info('d-RB1', { rolledBackDeploymentId: 'd-OURS' }),
      [],
    ],
    ['the rollback ours names (rollbackInfo.rollbackDeploymentId)', info('d-RB2'), []],
    ['a rollback of another deployment', info('d-RB3', { rolledBackDeploymentId: 'd-ELSE' }), ['d-RB3']],
    ['a stranger', info('d-SAM'), ['d-SAM']],
  ])('%s', (_, found, expected) => {
    expect(strangersOf({ others: [found] }, own).map((d) => d.id)).toEqual(expected);
  });
});
