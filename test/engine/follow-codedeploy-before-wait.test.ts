/**
 * `lshift wait` started after the alias moved (follow-schedule.ts). Before, its peak started at 0
 * with no time: a person's move made before it started was taken for CodeDeploy's (and undone by
 * CodeDeploy's next step unsaid, or that step blamed on a person); and the schedule came from the
 * config's name, which a config made by hand under lshift's name belies (hostile pass, session 63).
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { scheduledBounds } from '../../src/engine/follow-schedule.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const LINEAR_10_10 = 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes';

/** A `deploy --detach`ed deployment (its record saw no weight), and a wait started later. */
async function detached(config: string, arrange: (codedeploy: FakeCodeDeploy) => void = () => {}) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  arrange(codedeploy);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config,
    description: 'lshift deploy of demo:live',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, { phase: 'paused', engine: 'codedeploy', codeDeployId: id, percent: 0 }),
  );
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
  const wait = () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  const warnings = () =>
    w.sink.events.flatMap((e) => (e.type === 'log' && e.level === 'warn' ? [e.message] : []));
  // The fake writes its steps when read: CodeDeploy's, written on time, before the person's move.
  const advance = async (ms: number) => {
    await w.clock.advance(ms);
    await codedeploy.getDeployment(id);
  };
  return { w, codedeploy, id, wait, warnings, advance };
}

describe('lshift wait started after a move by hand', () => {
  it('all traffic put back on the stable version before the wait: the move kept, CodeDeploy stopped without rollback', async () => {
    const { w, codedeploy, id, wait, advance } = await detached(LINEAR_10_10);
    await advance(3 * 60_000); // CodeDeploy gave 10% at its start
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await wait();

    // Before: 0% taken for CodeDeploy's, its 20% at 10 minutes too: the person's move undone, exit 0.
    expect(result).toMatchObject({ outcome: 'moved_by_hand' });
    expect(result.detail).toContain('CodeDeploy had given it at least 10%');
    expect(w.clock.now() - w.start).toBeLessThan(4 * 60_000);
    expect(codedeploy.callsOf('stopDeployment').map((c) => c.args)).toEqual([[id, false]]);
    await w.clock.advance(20 * 60_000);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('a 50% split made before the wait under linear 10% every 10 minutes: a person’s, found at the first read', async () => {
    const { w, id, wait, advance } = await detached(LINEAR_10_10);
    await advance(3 * 60_000);
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } });
    const result = await wait();

    // Before: 50% taken for CodeDeploy's; its own 20% at 10 minutes blamed on a person, the 50% lost.
    expect(result).toMatchObject({ outcome: 'moved_by_hand' });
    expect(result.detail).toContain(
      `while AWS CodeDeploy deployment ${id} (InProgress) ran: 180s after its AllowTraffic began (${LINEAR_10_10}) CodeDeploy can have given it 10% at most: someone moved it by hand`,
    );
    expect(w.clock.now() - w.start).toBeLessThan(4 * 60_000);
    expect(result.aliasState).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.5 } });
  });

  it('a wait started late (CodeDeploy at 30%) follows CodeDeploy’s own steps to the end: no false alarm', async () => {
    const { w, codedeploy, wait, warnings } = await detached(LINEAR_10_10);
    await w.clock.advance(25 * 60_000);
    const result = await wait();
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(warnings()).toEqual([]);
  });

  it('a config of lshift’s name made by hand with another routing: its real schedule is followed (read, not its name)', async () => {
    const name = 'lshift.Linear20PercentEvery10Minutes';
    const { codedeploy, wait } = await detached(name, (cd) =>
      cd.configs.set(name, { type: 'TimeBasedLinear', percentage: 20, intervalMinutes: 1 }),
    );
    const result = await wait();
    // Before: judged by the name's 10 minutes, CodeDeploy's own 60% a minute later was "by hand", exit 5.
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(codedeploy.callsOf('stopDeployment')).toEqual([]);
    expect(codedeploy.callsOf('getDeploymentConfig').map((c) => c.args)).toEqual([[name]]);
  });

  it('AllowTraffic’s start unread: the weight lshift’s record saw last is the floor (all traffic put back is a person’s)', async () => {
    const { w, codedeploy, wait, advance } = await detached(LINEAR_10_10);
    codedeploy.getLifecycleEvents = async () => [{ name: 'BeforeAllowTraffic', status: 'Succeeded' }];
    await advance(12 * 60_000); // CodeDeploy gave 20%, and the deploy's follower saw it
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, { ...record, percent: 20 });
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await wait();
    expect(result).toMatchObject({ outcome: 'moved_by_hand' });
    expect(result.detail).toContain('had given version 2 20%: someone moved it by hand');
    expect(w.clock.now() - w.start).toBeLessThan(13 * 60_000);
  });

  it('a config it cannot read: no timing judged, and a weight found already there is said to be unjudged', async () => {
    const name = 'lshift.Linear10PercentEvery10Minutes';
    const { w, codedeploy, wait, warnings } = await detached(name, (cd) =>
      cd.configs.set(name, { type: 'TimeBasedLinear', percentage: 10, intervalMinutes: 10 }),
    );
    codedeploy.getDeploymentConfig = async () => {
      throw new Error('AccessDenied: codedeploy:GetDeploymentConfig');
    };
    await w.clock.advance(25 * 60_000);
    const result = await wait();
    expect(result).toMatchObject({ outcome: 'succeeded' });
    expect(warnings()).toEqual([
      `codedeploy: lshift wait cannot tell whether alias ${ALIAS} routing version 1 + version 2 at 30% is CodeDeploy's or a person's (its deployment config ${name} could not be read: AccessDenied: codedeploy:GetDeploymentConfig); it takes it for CodeDeploy's`,
    ]);
  });
});

describe('scheduledBounds: the weights CodeDeploy can be giving, by its schedule', () => {
  const linear10 = { steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], intervalSeconds: 600 };
  const canary10 = { steps: [10, 100], intervalSeconds: 300 };
  const linear10Every1m = { steps: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], intervalSeconds: 60 };
  // The slack: max(20 s, a quarter interval) plus a minute for this machine's clock against AWS's:
  // 210 s at 10 minutes, 135 s at 5, 80 s at 1.
  it.each([
    ['before AllowTraffic began', linear10, -200_000, undefined],
    ['at its start', linear10, 0, { least: 0, most: 10 }],
    [
      'a step slack after its start: the first step may still be late by the clock',
      linear10,
      150_000,
      { least: 0, most: 10 },
    ],
    ['the slack after its start: the first step must be there', linear10, 210_000, { least: 10, most: 10 }],
    // CodeDeploy wrote 20% a second ago by AWS's clock (61 s in), this machine 25 s behind (36 s).
    ['an honest 20% read by a clock 25 s behind AWS’s', linear10Every1m, 36_000, { least: 0, most: 20 }],
    ['an honest 20% read by a clock 55 s behind AWS’s', linear10Every1m, 6_000, { least: 0, most: 20 }],
    ['a slack before the second step', linear10, 450_000, { least: 10, most: 20 }],
    [
      '25 minutes in: 30% written, one step of lateness allowed',
      linear10,
      1_500_000,
      { least: 20, most: 30 },
    ],
    ['long after its end', linear10, 10_000_000, { least: 100, most: 100 }],
    ['a canary a slack before its end', canary10, 225_000, { least: 10, most: 100 }],
  ])('%s', (_, schedule, elapsed, want) => {
    const bounds = scheduledBounds(schedule, 1_000_000, 1_000_000 + elapsed);
    if (want === undefined) expect(bounds?.most ?? 0).toBe(0);
    else expect(bounds).toMatchObject(want);
  });
  it('no timing without the schedule’s interval or AllowTraffic’s start', () => {
    expect(scheduledBounds({ steps: [10, 100] }, 0, 60_000)).toBeUndefined();
    expect(scheduledBounds(linear10, undefined, 60_000)).toBeUndefined();
  });
});
