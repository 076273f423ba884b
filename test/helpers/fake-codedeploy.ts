/**
 * An in-memory CodeDeployPort for engine tests. A deployment follows its config on the fake
 * clock (canary: X% for N minutes, then 100%; linear: X% more every N minutes), moving the
 * FakeLambda alias as CodeDeploy would, evaluated whenever it is read. Tests end it on purpose:
 * `failAt` (an alarm or a hook: Failed, and CodeDeploy rolls the alias back), and
 * StopDeployment with auto-rollback puts the alias back at once.
 */
import type { TimeBasedRouting } from '../../src/domain/codedeploy-plan.js';
import { ConflictError, OperationError } from '../../src/domain/errors.js';
import type {
  CodeDeployPort,
  CreateAnswer,
  CreateDeploymentInput,
  DeploymentGroupInfo,
  DeploymentGroupSpec,
  DeploymentInfo,
  StopAnswer,
} from '../../src/ports/codedeploy.js';
import type { FakeClock } from './fake-clock.js';
import type { FakeLambda } from './fake-lambda.js';

const PREDEFINED: Record<string, TimeBasedRouting | 'all'> = {
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': {
    type: 'TimeBasedCanary',
    percentage: 10,
    intervalMinutes: 5,
  },
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': {
    type: 'TimeBasedCanary',
    percentage: 10,
    intervalMinutes: 15,
  },
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': {
    type: 'TimeBasedLinear',
    percentage: 10,
    intervalMinutes: 10,
  },
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': {
    type: 'TimeBasedLinear',
    percentage: 10,
    intervalMinutes: 1,
  },
  'CodeDeployDefault.LambdaAllAtOnce': 'all',
};

interface Running {
  info: DeploymentInfo;
  input: CreateDeploymentInput;
  startedAt: number;
  /** When CreateDeployment took it (ListDeployments' createTimeRange). */
  createdAt: number;
  routing: TimeBasedRouting | 'all';
  fn: string;
  alias: string;
  current: string;
  target: string;
  failAt?: { at: number; message: string };
  /** Started by startForeign: it moves no alias after its start (one with `drives` splits it once). */
  foreign?: boolean;
  /** CodeDeploy's rollback deployment (slowRollbacks): puts the alias back on `current` at `endsAt`. */
  rollbackEndsAt?: number;
  /** The step's weight it last wrote: as CodeDeploy, it writes the alias once a step, not at every read. */
  written?: number;
}

export class FakeCodeDeploy implements CodeDeployPort {
  readonly calls: { op: string; args: unknown[] }[] = [];
  readonly configs = new Map<string, TimeBasedRouting>();
  readonly groups = new Map<string, DeploymentGroupInfo>();
  readonly applications = new Set<string>();
  private readonly deployments = new Map<string, Running>();
  private failNext?: { afterMs: number; message: string };
  /** The next CreateDeployment starts its deployment, then throws this instead of answering. */
  private loseNext?: Error;
  /** ListDeployments throws this (the group cannot be read). */
  listError?: Error;
  /** A stop with auto-rollback starts a rollback deployment that takes this long (0: at once). */
  private rollbackMs = 0;
  private hookMs = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly lambda: FakeLambda,
  ) {}

  callsOf(op: string) {
    return this.calls.filter((c) => c.op === op);
  }

  /**
   * The next deployment fails `afterMs` after it started (CodeDeploy rolls the alias back): its
   * alarm (ALARM_ACTIVE), or a hook when `message` starts `hook:` (BeforeAllowTraffic) or
   * `post-hook:` (AfterAllowTraffic) — HOOK_EXECUTION_FAILURE, and that lifecycle event Failed.
   */
  failAfter(afterMs: number, message: string): this {
    this.failNext = { afterMs, message };
    return this;
  }

  /**
   * A stop with auto-rollback starts a rollback deployment of its own, as CodeDeploy does, which
   * puts the alias back after `ms` (until then it is InProgress and the alias stays split).
   */
  slowRollbacks(ms: number): this {
    this.rollbackMs = ms;
    return this;
  }

  /**
   * The BeforeAllowTraffic hook of every deployment from now on takes `ms` before CodeDeploy
   * shifts any traffic (the schedule starts after it; a stop before then leaves the alias as it was).
   */
  beforeAllowTraffic(ms: number): this {
    this.hookMs = ms;
    return this;
  }

  /** The next CreateDeployment is applied, but its answer is lost: it throws `error`. */
  loseNextAnswer(error: Error): this {
    this.loseNext = error;
    return this;
  }

  /**
   * DeleteDeploymentGroup: CodeDeploy forgets the group and its deployments' details, so
   * GetDeployment and StopDeployment of them answer DeploymentDoesNotExistException (typed as the
   * adapter maps it) and a running one moves its alias no further.
   */
  deleteGroup(application: string, group: string): this {
    this.groups.delete(`${application}/${group}`);
    for (const [id, d] of this.deployments) {
      if (d.info.application === application && d.info.group === group) {
        this.deployments.delete(id);
        this.forgotten.add(id);
      }
    }
    this.deletedGroups.add(`${application}/${group}`);
    return this;
  }

  private readonly forgotten = new Set<string>();
  private readonly deletedGroups = new Set<string>();

  private missing(op: string, id: string): Error {
    if (!this.forgotten.has(id)) return new Error(`FakeCodeDeploy: no deployment ${id}`);
    return new OperationError(
      'CODEDEPLOY_DEPLOYMENT_NOT_FOUND',
      `codedeploy:${op}: deployment ${id} does not exist (CodeDeploy: The deployment ${id} could not be found.).`,
    );
  }

  /**
   * A deployment someone else started on the group (running until it is stopped). With `drives`,
   * its AppSpec names that alias and versions (GetDeployment's `target`), and it splits the alias
   * at once, `weight` on the target version, and holds it there (a hotfix's long canary): it drives
   * that split. Without, it names and moves no alias.
   */
  startForeign(
    input: Omit<CreateDeploymentInput, 'appSpec'>,
    drives?: {
      functionName: string;
      alias: string;
      currentVersion: string;
      targetVersion: string;
      weight: number;
    },
  ): string {
    const id = `d-OTHER${this.deployments.size + 1}`;
    this.deployments.set(id, {
      info: {
        id,
        status: 'InProgress',
        application: input.application,
        group: input.group,
        config: input.config,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(drives
          ? {
              target: {
                functionName: drives.functionName,
                alias: drives.alias,
                currentVersion: drives.currentVersion,
                targetVersion: drives.targetVersion,
              },
            }
          : {}),
      },
      input: { ...input, appSpec: '{}' },
      startedAt: this.clock.now(),
      createdAt: this.clock.now(),
      routing: { type: 'TimeBasedCanary', percentage: 10, intervalMinutes: 24 * 60 },
      fn: drives?.functionName ?? 'foreign',
      alias: drives?.alias ?? 'foreign',
      current: drives?.currentVersion ?? '1',
      target: drives?.targetVersion ?? '1',
      foreign: true,
    });
    if (drives)
      this.lambda.moveAlias(drives.functionName, drives.alias, {
        functionVersion: drives.currentVersion,
        additionalWeights: { [drives.targetVersion]: drives.weight },
      });
    return id;
  }

  async listActiveDeployments(application: string, group: string) {
    this.calls.push({ op: 'listActiveDeployments', args: [application, group] });
    if (this.listError) throw this.listError;
    if (this.deletedGroups.has(`${application}/${group}`)) {
      throw new OperationError(
        'CODEDEPLOY_GROUP_NOT_FOUND',
        `codedeploy:ListDeployments: deployment group ${group} does not exist.`,
      );
    }
    return [...this.deployments.values()]
      .filter((d) => {
        this.advance(d);
        return d.info.application === application && d.info.group === group;
      })
      .filter((d) => !['Succeeded', 'Failed', 'Stopped'].includes(d.info.status))
      .map((d) => d.info.id);
  }

  async listDeploymentsSince(application: string, group: string, sinceMs: number) {
    this.calls.push({ op: 'listDeploymentsSince', args: [application, group, sinceMs] });
    if (this.listError) throw this.listError;
    return [...this.deployments.values()]
      .filter((d) => {
        this.advance(d);
        return d.info.application === application && d.info.group === group && d.createdAt >= sinceMs;
      })
      .map((d) => d.info.id);
  }

  async getApplication(name: string) {
    this.calls.push({ op: 'getApplication', args: [name] });
    return this.applications.has(name) ? { name, computePlatform: 'Lambda' } : undefined;
  }

  async createApplication(name: string): Promise<CreateAnswer> {
    this.calls.push({ op: 'createApplication', args: [name] });
    // ApplicationAlreadyExistsException, as CodeDeploy answers.
    if (this.applications.has(name)) return 'exists';
    this.applications.add(name);
    return 'created';
  }

  async getDeploymentGroup(application: string, group: string) {
    this.calls.push({ op: 'getDeploymentGroup', args: [application, group] });
    const found = this.groups.get(`${application}/${group}`);
    return found ? structuredClone(found) : undefined;
  }

  async createDeploymentGroup(spec: DeploymentGroupSpec): Promise<CreateAnswer> {
    this.calls.push({ op: 'createDeploymentGroup', args: [structuredClone(spec)] });
    // DeploymentGroupAlreadyExistsException, as CodeDeploy answers.
    if (this.groups.has(`${spec.application}/${spec.group}`)) return 'exists';
    this.putGroup(spec);
    return 'created';
  }

  private putGroup(spec: DeploymentGroupSpec): void {
    this.groups.set(`${spec.application}/${spec.group}`, {
      application: spec.application,
      group: spec.group,
      serviceRoleArn: spec.serviceRoleArn,
      config: spec.config,
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
      alarms: [...spec.alarms],
      alarmsEnabled: spec.alarms.length > 0,
      autoRollbackEvents: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    });
  }

  async updateDeploymentGroup(spec: DeploymentGroupSpec) {
    this.calls.push({ op: 'updateDeploymentGroup', args: [structuredClone(spec)] });
    this.putGroup(spec);
  }

  async getDeploymentConfig(name: string) {
    this.calls.push({ op: 'getDeploymentConfig', args: [name] });
    const routing = this.configs.get(name);
    return routing ? { name, routing } : undefined;
  }

  async createDeploymentConfig(name: string, routing: TimeBasedRouting): Promise<CreateAnswer> {
    this.calls.push({ op: 'createDeploymentConfig', args: [name, routing] });
    if (this.configs.has(name)) return 'exists';
    this.configs.set(name, routing);
    return 'created';
  }

  async createDeployment(input: CreateDeploymentInput) {
    this.calls.push({ op: 'createDeployment', args: [structuredClone(input)] });
    // One deployment at a time per group, as CodeDeploy (DeploymentLimitExceededException).
    const active = [...this.deployments.values()].find(
      (d) =>
        d.info.application === input.application &&
        d.info.group === input.group &&
        !['Succeeded', 'Failed', 'Stopped'].includes(d.info.status),
    );
    if (active) {
      throw new ConflictError(
        'CODEDEPLOY_DEPLOYMENT_RUNNING',
        `codedeploy:CreateDeployment: the group already has an active Deployment '${active.info.id}'`,
      );
    }
    const id = `d-FAKE${this.deployments.size + 1}`;
    const spec = JSON.parse(input.appSpec) as {
      Resources: Record<
        string,
        { Properties: { Name: string; Alias: string; CurrentVersion: string; TargetVersion: string } }
      >[];
    };
    const props = Object.values(spec.Resources[0]!)[0]!.Properties;
    const routing = this.configs.get(input.config) ?? PREDEFINED[input.config];
    if (!routing) throw new Error(`FakeCodeDeploy: unknown config ${input.config}`);
    const running: Running = {
      info: {
        id,
        status: 'InProgress',
        application: input.application,
        group: input.group,
        config: input.config,
        ...(input.description === undefined ? {} : { description: input.description }),
        // As the adapter reads it from revision.appSpecContent (codedeploy-mappers.ts).
        target: {
          functionName: props.Name,
          alias: props.Alias,
          currentVersion: props.CurrentVersion,
          targetVersion: props.TargetVersion,
        },
      },
      input,
      // The shift's schedule starts once the BeforeAllowTraffic hook has passed.
      startedAt: this.clock.now() + this.hookMs,
      createdAt: this.clock.now(),
      routing,
      fn: props.Name,
      alias: props.Alias,
      current: props.CurrentVersion,
      target: props.TargetVersion,
    };
    if (this.failNext) {
      running.failAt = { at: running.startedAt + this.failNext.afterMs, message: this.failNext.message };
      this.failNext = undefined;
    }
    this.deployments.set(id, running);
    this.advance(running);
    const lost = this.loseNext;
    this.loseNext = undefined;
    if (lost) throw lost;
    return id;
  }

  async getDeployment(id: string) {
    this.calls.push({ op: 'getDeployment', args: [id] });
    const running = this.deployments.get(id);
    if (!running) throw this.missing('GetDeployment', id);
    this.advance(running);
    return structuredClone(running.info);
  }

  async stopDeployment(id: string, autoRollback: boolean): Promise<StopAnswer> {
    this.calls.push({ op: 'stopDeployment', args: [id, autoRollback] });
    const running = this.deployments.get(id);
    if (!running) throw this.missing('StopDeployment', id);
    this.advance(running);
    // CodeDeploy's DeploymentAlreadyCompletedException, as the adapter answers it.
    if (running.info.status !== 'InProgress') return 'already-ended';
    running.info.status = 'Stopped';
    running.info.completedAt = this.clock.now();
    running.info.error = { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user' };
    if (autoRollback && !running.foreign) {
      if (this.rollbackMs > 0) this.startRollback(running);
      else this.rollBack(running);
    }
    return 'stopping';
  }

  /**
   * CodeDeploy creating the rollback of a deployment that already ended (a stop with
   * autoRollbackEnabled answered before the rollback deployment exists): it runs slowRollbacks' ms.
   */
  startLateRollback(id: string): void {
    const d = this.deployments.get(id);
    if (!d) throw new Error(`no deployment ${id}`);
    this.startRollback(d);
  }

  private startRollback(d: Running): void {
    const id = `${d.info.id}-rb`;
    const endsAt = this.clock.now() + this.rollbackMs;
    this.deployments.set(id, {
      ...d,
      // CodeDeploy's rollback names the deployment it rolls back (rollbackTriggeringDeploymentId).
      info: { ...d.info, id, status: 'InProgress', rolledBackDeploymentId: d.info.id },
      rollbackEndsAt: endsAt,
    });
    d.info.rollback = { deploymentId: id, message: `Rollback deployment ${id} started` };
  }

  async getLifecycleEvents(deploymentId: string) {
    this.calls.push({ op: 'getLifecycleEvents', args: [deploymentId] });
    const d = this.deployments.get(deploymentId);
    if (!d) return undefined;
    const hook = d.info.status === 'Failed' ? failedHookOf(d.failAt?.message) : undefined;
    if (hook?.event === 'BeforeAllowTraffic') {
      return [{ name: 'BeforeAllowTraffic', status: 'Failed', message: hook.message }];
    }
    if (hook?.event === 'AfterAllowTraffic') {
      return [
        { name: 'BeforeAllowTraffic', status: 'Succeeded' },
        { name: 'AllowTraffic', status: 'Succeeded' },
        { name: 'AfterAllowTraffic', status: 'Failed', message: hook.message },
      ];
    }
    if (d.info.status === 'InProgress' && d.rollbackEndsAt === undefined && this.clock.now() < d.startedAt) {
      // Still in its BeforeAllowTraffic hook: CodeDeploy has written no weight yet.
      return [
        { name: 'BeforeAllowTraffic', status: 'InProgress' },
        { name: 'AllowTraffic', status: 'Pending' },
      ];
    }
    if (d.foreign || d.rollbackEndsAt !== undefined)
      return [{ name: 'BeforeAllowTraffic', status: 'Succeeded' }];
    // The schedule starts with AllowTraffic (its startTime), as CodeDeploy's does.
    const shifting = d.info.status === 'InProgress' ? 'InProgress' : 'Succeeded';
    return [
      { name: 'BeforeAllowTraffic', status: 'Succeeded' },
      { name: 'AllowTraffic', status: shifting, startedAt: d.startedAt },
    ];
  }

  private advance(d: Running): void {
    if (d.info.status !== 'InProgress' || d.foreign) return;
    const now = this.clock.now();
    if (d.rollbackEndsAt !== undefined) {
      if (now < d.rollbackEndsAt) return;
      this.lambda.moveAlias(d.fn, d.alias, { functionVersion: d.current, additionalWeights: {} });
      d.info.status = 'Succeeded';
      d.info.completedAt = d.rollbackEndsAt;
      return;
    }
    if (d.failAt && now >= d.failAt.at) {
      d.info.status = 'Failed';
      d.info.completedAt = d.failAt.at;
      const code = failedHookOf(d.failAt.message) ? 'HOOK_EXECUTION_FAILURE' : 'ALARM_ACTIVE';
      d.info.error = { code, message: d.failAt.message };
      this.rollBack(d);
      return;
    }
    if (now < d.startedAt) return; // still in its BeforeAllowTraffic hook: no traffic moved
    const percent = this.percentAt(d, now - d.startedAt);
    if (percent >= 100) {
      this.lambda.moveAlias(d.fn, d.alias, { functionVersion: d.target, additionalWeights: {} });
      d.info.status = 'Succeeded';
      // When it reached 100%, however late it is read (CodeDeploy's completeTime).
      d.info.completedAt = d.startedAt + this.msToFull(d);
      return;
    }
    // Once a step: a person's move in between stays until its next step (as the sandbox's).
    if (d.written !== percent) {
      d.written = percent;
      this.lambda.moveAlias(d.fn, d.alias, {
        functionVersion: d.current,
        additionalWeights: { [d.target]: percent / 100 },
      });
    }
  }

  private msToFull(d: Running): number {
    if (d.routing === 'all') return 0;
    const interval = d.routing.intervalMinutes * 60_000;
    if (d.routing.type === 'TimeBasedCanary') return interval;
    return (Math.ceil(100 / d.routing.percentage) - 1) * interval;
  }

  private percentAt(d: Running, elapsedMs: number): number {
    if (d.routing === 'all') return 100;
    const interval = d.routing.intervalMinutes * 60_000;
    if (d.routing.type === 'TimeBasedCanary') return elapsedMs >= interval ? 100 : d.routing.percentage;
    return Math.min(100, d.routing.percentage * (1 + Math.floor(elapsedMs / interval)));
  }

  private rollBack(d: Running): void {
    this.lambda.moveAlias(d.fn, d.alias, { functionVersion: d.current, additionalWeights: {} });
    d.info.rollback = { deploymentId: undefined, message: `Rolled back to version ${d.current}` };
  }
}

/** The hook a `failAfter` message fails (`hook:…`, `post-hook:…`), with the hook's own words. */
function failedHookOf(
  message: string | undefined,
): { event: 'BeforeAllowTraffic' | 'AfterAllowTraffic'; message: string } | undefined {
  if (message?.startsWith('hook:')) return { event: 'BeforeAllowTraffic', message: message.slice(5) };
  if (message?.startsWith('post-hook:')) return { event: 'AfterAllowTraffic', message: message.slice(10) };
  return undefined;
}
