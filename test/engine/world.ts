/**
 * A small world for engine scenarios: function `demo` with versions 1 (stable, alias `live`)
 * and 2 (target), alarm `demo-errors` OK, fakes wired into DeployDeps. Plans are built here
 * (not with planShift) so these tests only depend on the engine.
 */
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import type { Plan, PlanStep } from '../../src/domain/plan.js';
import type { Strategy } from '../../src/domain/strategy.js';
import type { DeployDeps, DeployRequest } from '../../src/engine/deploy-types.js';
import type { ResumeRequest } from '../../src/engine/resume.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeHooks } from '../helpers/fake-hooks.js';
import { FakeLambda } from '../helpers/fake-lambda.js';
import { FakeMetrics } from '../helpers/fake-metrics.js';
import { FakeStore } from '../helpers/fake-store.js';
import { RecordingSink } from '../helpers/recording-sink.js';

export const FN = 'demo';
export const ALIAS = 'live';
export const ALARM = 'demo-errors';

export function buildPlan(strategy: Strategy, holds: { percent: number; holdSeconds: number }[]): Plan {
  let offset = 0;
  const steps: PlanStep[] = holds.map((h, index) => {
    const step = { index, percent: h.percent, holdSeconds: h.holdSeconds, offsetSeconds: offset };
    offset += h.holdSeconds;
    return step;
  });
  return { strategy, steps, totalSeconds: offset };
}

/** linear X% every N s: X, 2X, … below 100 held N, then 100 held 0. */
export function linear(percent: number, intervalSeconds: number): { strategy: Strategy; plan: Plan } {
  const strategy: Strategy = {
    kind: 'linear',
    name: `linear:${percent}%:${intervalSeconds}s`,
    percent,
    intervalSeconds,
  };
  const holds = [];
  for (let k = 1; k * percent < 100; k++) holds.push({ percent: k * percent, holdSeconds: intervalSeconds });
  holds.push({ percent: 100, holdSeconds: 0 });
  return { strategy, plan: buildPlan(strategy, holds) };
}

export function canary(percent: number, intervalSeconds: number): { strategy: Strategy; plan: Plan } {
  const strategy: Strategy = {
    kind: 'canary',
    name: `canary:${percent}%:${intervalSeconds}s`,
    percent,
    intervalSeconds,
  };
  return {
    strategy,
    plan: buildPlan(strategy, [
      { percent, holdSeconds: intervalSeconds },
      { percent: 100, holdSeconds: 0 },
    ]),
  };
}

/** A `steps` strategy through `percents`, each held `holdSeconds`, then 100% held 0. */
export function stepsThrough(percents: number[], holdSeconds = 60): { strategy: Strategy; plan: Plan } {
  const steps = [...percents.map((percent) => ({ percent, holdSeconds })), { percent: 100, holdSeconds: 0 }];
  const strategy: Strategy = { kind: 'steps', name: 'steps', steps };
  return { strategy, plan: buildPlan(strategy, steps) };
}

export function allAtOnce(): { strategy: Strategy; plan: Plan } {
  const strategy: Strategy = { kind: 'all-at-once', name: 'all-at-once' };
  return { strategy, plan: buildPlan(strategy, [{ percent: 100, holdSeconds: 0 }]) };
}

export interface World {
  clock: FakeClock;
  lambda: FakeLambda;
  metrics: FakeMetrics;
  hooks: FakeHooks;
  store: FakeStore;
  sink: RecordingSink;
  deps: DeployDeps;
  start: number;
}

export function createWorld(opts: { auto?: boolean; withStore?: boolean; roundTrip?: boolean } = {}): World {
  const clock = new FakeClock({ auto: opts.auto ?? true });
  const lambda = new FakeLambda(clock).addFunction(FN);
  lambda.addVersion(FN);
  lambda.addVersion(FN);
  lambda.addAlias(FN, ALIAS, '1');
  const metrics = new FakeMetrics(clock).setAlarm(ALARM, 'OK');
  const hooks = new FakeHooks();
  const store = new FakeStore({ roundTrip: opts.roundTrip ?? true });
  const sink = new RecordingSink();
  const deps: DeployDeps = {
    lambda,
    metrics,
    clock,
    events: sink,
    hooks,
    ...(opts.withStore === false ? {} : { store }),
  };
  return { clock, lambda, metrics, hooks, store, sink, deps, start: clock.now() };
}

/**
 * A world with these functions beside its own: each as FN is (versions 1 and 2, the alias on 1)
 * with an OK alarm `<fn>-errors`. The release tests' fleet.
 */
export function createFleetWorld(
  names: readonly string[],
  opts: Parameters<typeof createWorld>[0] = {},
): World {
  const w = createWorld(opts);
  for (const fn of names) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
  }
  return w;
}

export function request(overrides: Partial<DeployRequest> = {}): DeployRequest {
  const shape = overrides.plan && overrides.strategy ? {} : linear(10, 60);
  return {
    functionName: FN,
    alias: ALIAS,
    targetVersion: '2',
    ...shape,
    alarms: [ALARM],
    pollIntervalSeconds: 10,
    healthErrorLimit: 3,
    deploymentId: 'd-abc123',
    owner: 'tester@host:1',
    ...overrides,
  } as DeployRequest;
}

/** The alias writes as `[functionVersion, weights, revisionId]`, for compact assertions. */
export function writesOf(lambda: FakeLambda): [string, Record<string, number>, string][] {
  return lambda.aliasWrites().map((w) => [w.functionVersion, w.additionalWeights, w.revisionId]);
}

/**
 * An unfinished deployment of version 2 over 1 with `linear:10%:1m` (10%…90% held 60 s, then
 * 100%), by `ci@runner:7`, at step 2 (20%), heartbeat 5 minutes old: its runner died.
 */
export function deadRecord(w: World, overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    id: 'd-dead01',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:10%:1m',
    stepIndex: 1,
    percent: 20,
    phase: 'shifting',
    startedAt: w.start - 600_000,
    owner: 'ci@runner:7',
    heartbeatAt: w.start - 300_000,
    history: [],
    ...overrides,
  };
}

/**
 * An operator's command (`lshift abort` by default) written into the running deployment's record
 * `atMs` after the world's start, as `lshift abort | pause | promote` write it: state `sent`.
 */
export function sendCommandAt(w: World, atMs: number, command: Partial<OperatorCommand> = {}): void {
  w.clock.at(w.start + atMs, () => {
    const sent: OperatorCommand = {
      verb: 'abort',
      nonce: 'a1',
      state: 'sent',
      by: 'ann@laptop:9',
      ...command,
    };
    w.store.seed(FN, ALIAS, { ...w.store.peek(FN, ALIAS)!, command: sent });
  });
}

/** Seeds `record` and puts the alias at `percent` of it (0: stable, 100: target). */
export function leaveDeployment(w: World, record: DeploymentRecord, percent = record.percent): void {
  w.store.seed(FN, ALIAS, record);
  const { stableVersion: s, targetVersion: t } = record;
  if (percent <= 0) w.lambda.moveAlias(FN, ALIAS, { functionVersion: s, additionalWeights: {} });
  else if (percent >= 100) w.lambda.moveAlias(FN, ALIAS, { functionVersion: t, additionalWeights: {} });
  else w.lambda.moveAlias(FN, ALIAS, { functionVersion: s, additionalWeights: { [t]: percent / 100 } });
}

export function resumeRequest(overrides: Partial<ResumeRequest> = {}): ResumeRequest {
  return {
    functionName: FN,
    alias: ALIAS,
    alarms: [ALARM],
    pollIntervalSeconds: 10,
    healthErrorLimit: 3,
    owner: 'resumer@host:2',
    ...overrides,
  };
}

/**
 * Runs `work` on a manual clock (createWorld({ auto: false })), moved a second at a time until
 * it settles: concurrent sleepers — a wait and the health polls beside it — take turns in time
 * order, as in real time, where an auto-advancing clock jumps ahead for each of them.
 */
export async function driven<T>(w: World, work: Promise<T>): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  done.catch(() => undefined);
  await w.clock.advance(0);
  while (!settled) await w.clock.advance(1_000);
  return done;
}
