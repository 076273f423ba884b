/**
 * The CodeDeploy TrafficDriver (issue 12): the same release program, but AWS CodeDeploy moves
 * the weights. The first `setWeight` above 0 starts a deployment (CreateDeployment with an
 * AppSpec); every `setWeight` then follows it (GetDeployment + GetAlias each poll) until the
 * alias carries at least that weight, and the promote (100) until CodeDeploy reports Succeeded.
 * `setWeight(0)` — the restore step of a rollback — stops a running deployment with
 * auto-rollback (StopDeployment) and waits until CodeDeploy has put the alias back.
 * The deployment id travels on the cursor (`deploymentRef`), so the record keeps it (`cd=`).
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html
 */
import { buildAppSpec, type CodeDeployConfig, type CodeDeployHooks } from '../domain/codedeploy-plan.js';
import { buildRunDescription } from '../domain/codedeploy-run.js';
import { ConflictError, isLshiftError, OperationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { SetWeightOptions, TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { isOnStable, observeAlias } from './alias-step.js';
import {
  confirmStart,
  findStarted,
  type GroupRef,
  lookUpGroup,
  mayHaveStarted,
  refuseBesideStranger,
} from './codedeploy-group.js';
import { explainCodeDeployEnd, isTerminal, readUnlessForgotten } from './codedeploy-status.js';
import { buildListDeploymentsCommand } from './deploy-result.js';
import { createNativeTrafficDriver } from './native-traffic-driver.js';

/** What a new deployment is made of; a driver without it only follows or stops existing ones. */
export interface CodeDeployStart {
  application: string;
  group: string;
  config: CodeDeployConfig;
  hooks: CodeDeployHooks;
  /** What the deployment is, for people (`lshift deploy of fn:live`). */
  description?: string;
  /**
   * This run's token, put in the description (buildRunDescription): after a lost
   * CreateDeployment answer the deployment that carries it is ours.
   */
  runToken?: string;
}

export interface CodeDeploySetup {
  start?: CodeDeployStart;
  /**
   * The group a deployment runs in when neither `start` nor a deployment id says (a record
   * whose runner died before it could name the deployment): `lshift rollback` passes the
   * config file's or the default names, checked for other deployments before an alias write.
   */
  group?: GroupRef;
  /**
   * The run token of the record being rolled back (its id: `lshift deploy` puts it in the
   * description). A runner killed between CreateDeployment's answer and its record write
   * leaves a record naming no deployment; the one in `group` carrying this token is its own,
   * stopped with auto-rollback like any other, not a stranger's.
   */
  runToken?: string;
  /** Seconds between polls while following (the deploy's --interval). */
  pollSeconds: number;
  /** Longest wait for CodeDeploy to put the alias back after a stop, in clock seconds. */
  stopWaitSeconds?: number;
  /** Ctrl-C: a follow ends at once (the interpreter then rolls back or leaves, as asked). */
  signal?: AbortSignal;
  /** Told the deployment id as soon as CodeDeploy accepted it (the status gate follows it). */
  onStarted?: (deploymentId: string) => void;
  /** Told each new status or weight seen while following (for the progress display). */
  onProgress?: (info: DeploymentInfo, percent: number) => void;
}

export interface CodeDeployDriverDeps {
  codedeploy: CodeDeployPort;
  lambda: LambdaPort;
  clock: Clock;
}

const DEFAULT_STOP_WAIT_SECONDS = 600;

export function createCodeDeployTrafficDriver(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
): TrafficDriver {
  return {
    name: 'codedeploy',
    ownSchedule: true,
    async setWeight(cursor: TrafficCursor, percent: number, opts?: SetWeightOptions) {
      if (percent <= 0) return stopAndRestore(deps, setup, cursor, opts?.onPoll);
      if (!cursor.deploymentRef) {
        cursor.deploymentRef = await startDeployment(deps, setup, cursor);
        setup.onStarted?.(cursor.deploymentRef);
        await opts?.onStarted?.(cursor.deploymentRef);
      }
      await follow(deps, setup, cursor, percent, opts?.onPoll);
    },
    async observe(cursor: TrafficCursor) {
      try {
        const alias = await deps.lambda.getAlias(cursor.functionName, cursor.alias);
        if (!alias) return 'missing';
        observeAlias(cursor, alias);
        return 'read';
      } catch {
        return 'failed';
      }
    },
  };
}

/**
 * Creates the custom config once (reused by name), then the deployment. When CreateDeployment's
 * answer is lost, the group's unfinished deployments say whether it started (confirmStart).
 */
async function startDeployment(deps: CodeDeployDriverDeps, setup: CodeDeploySetup, cursor: TrafficCursor) {
  const start = setup.start;
  if (!start)
    throw new Error('this CodeDeploy driver only follows or stops deployments; it cannot start one');
  const { config } = start;
  if (config.kind === 'custom' && !(await deps.codedeploy.getDeploymentConfig(config.name))) {
    await deps.codedeploy.createDeploymentConfig(config.name, config.routing);
  }
  const what = start.description ?? `lshift deploy of ${cursor.functionName}:${cursor.alias}`;
  try {
    return await deps.codedeploy.createDeployment({
      application: start.application,
      group: start.group,
      config: config.name,
      description: start.runToken ? buildRunDescription(what, start.runToken) : what,
      appSpec: buildAppSpec({
        functionName: cursor.functionName,
        alias: cursor.alias,
        currentVersion: cursor.stableVersion,
        targetVersion: cursor.targetVersion,
        ...start.hooks,
      }),
    });
  } catch (error) {
    if (!mayHaveStarted(error)) throw error;
    try {
      return await confirmStart(deps.codedeploy, start, start.runToken, error);
    } catch (unconfirmed) {
      if (isLshiftError(unconfirmed) && unconfirmed.code === 'CODEDEPLOY_START_UNCONFIRMED') {
        cursor.deploymentCheck = buildListDeploymentsCommand(start.application, start.group);
      }
      throw unconfirmed;
    }
  }
}

/** The percentage the alias routes to the target version (100 once it is the primary, unsplit). */
export function targetPercent(cursor: TrafficCursor): number {
  const { functionVersion, additionalWeights } = cursor.aliasState;
  if (functionVersion === cursor.targetVersion) {
    const elsewhere = Object.values(additionalWeights).reduce((sum, w) => sum + w, 0);
    return Math.round((1 - elsewhere) * 1e4) / 1e2;
  }
  return Math.round((additionalWeights[cursor.targetVersion] ?? 0) * 1e4) / 1e2;
}

/** Polls until the alias carries `percent` (100: CodeDeploy reports Succeeded); throws when it ends otherwise. */
async function follow(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  percent: number,
  onPoll?: () => Promise<void>,
) {
  const id = cursor.deploymentRef!;
  let seen = '';
  for (;;) {
    const info = await deps.codedeploy.getDeployment(id);
    await readAlias(deps, cursor);
    const reached = targetPercent(cursor);
    cursor.percent = reached;
    if (`${info.status} ${reached}` !== seen) {
      seen = `${info.status} ${reached}`;
      setup.onProgress?.(info, reached);
    }
    if (isTerminal(info.status)) cursor.deploymentEnded = true;
    const reachedStep = !isTerminal(info.status) && percent < 100 && reached >= percent - 0.01;
    if (info.status === 'Succeeded' || reachedStep) return;
    if (isTerminal(info.status)) throw await deploymentEnded(deps, cursor, info);
    await onPoll?.();
    await pause(deps.clock, setup);
  }
}

async function pause(clock: Clock, setup: CodeDeploySetup): Promise<void> {
  try {
    await clock.sleep(setup.pollSeconds * 1000, setup.signal);
  } catch {
    throw new OperationError('INTERRUPTED', 'following the CodeDeploy deployment was interrupted', {});
  }
}

async function readAlias(deps: CodeDeployDriverDeps, cursor: TrafficCursor): Promise<void> {
  const alias = await deps.lambda.getAlias(cursor.functionName, cursor.alias);
  if (!alias) {
    throw new OperationError(
      'ALIAS_NOT_FOUND',
      `Alias ${cursor.alias} of ${cursor.functionName} disappeared.`,
      {
        context: { functionName: cursor.functionName, alias: cursor.alias },
      },
    );
  }
  observeAlias(cursor, alias);
}

async function deploymentEnded(
  deps: CodeDeployDriverDeps,
  cursor: TrafficCursor,
  info: DeploymentInfo,
): Promise<OperationError> {
  const message = await explainCodeDeployEnd(deps.codedeploy, info);
  return new OperationError('CODEDEPLOY_DEPLOYMENT_FAILED', message, {
    context: { functionName: cursor.functionName, alias: cursor.alias },
    hint: `See it with \`aws deploy get-deployment --deployment-id ${info.id}\`.`,
  });
}

/**
 * All traffic back on the stable version. A running deployment is stopped with auto-rollback
 * and CodeDeploy puts the alias back; once nothing runs any more (or none ever started), an
 * alias still off stable is written back directly, with the RevisionId guard, as the native
 * engine would.
 */
async function stopAndRestore(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  onPoll?: () => Promise<void>,
) {
  if (!cursor.deploymentRef && cursor.deploymentCheck) await reconfirmStart(deps, setup, cursor);
  else if (!cursor.deploymentRef) await findOwnInGroup(deps, setup, cursor);
  const id = cursor.deploymentRef;
  let group: GroupRef | undefined = setup.start ?? setup.group;
  let own: DeploymentInfo | undefined;
  if (id) {
    const info = await readUnlessForgotten(deps.codedeploy, id);
    // Forgotten (its group or application deleted): nothing to stop, nothing drives the alias.
    if (!info) cursor.deploymentEnded = true;
    else {
      if (!isTerminal(info.status)) await deps.codedeploy.stopDeployment(id, true);
      if (!(await awaitQuiet(deps, setup, cursor, id, onPoll))) throw stillRunning(id, setup);
      own = info;
      if (info.application && info.group) group = { application: info.application, group: info.group };
    }
  }
  await readAlias(deps, cursor);
  if (isOnStable(cursor.aliasState, cursor.stableVersion)) {
    cursor.percent = 0;
    return;
  }
  // A finished record's deployment (`lshift rollback` after a promote) names the group too.
  if (!own && cursor.endedDeploymentRef) {
    own = await readUnlessForgotten(deps.codedeploy, cursor.endedDeploymentRef);
    if (own?.application && own.group) group = { application: own.application, group: own.group };
  }
  // Nothing of ours runs any more; a stranger's deployment would undo (or be undone by) the write.
  if (group) await refuseBesideStranger(deps.codedeploy, group, own);
  // The native driver writes the alias back (same RevisionId guard).
  await createNativeTrafficDriver(deps.lambda).setWeight(cursor, 0);
}

/** A start that could not be confirmed, asked again before the rollback decides anything. */
async function reconfirmStart(deps: CodeDeployDriverDeps, setup: CodeDeploySetup, cursor: TrafficCursor) {
  const start = setup.start;
  if (!start) throw new Error('an unconfirmed CodeDeploy start without the group it went to');
  const ours = await findStarted(deps.codedeploy, start, start.runToken);
  cursor.deploymentCheck = undefined;
  if (ours) {
    cursor.deploymentRef = ours;
    setup.onStarted?.(ours);
  }
}

/**
 * A record that names no deployment, rolled back from another process: the group's unfinished
 * deployment carrying the record's token is its own (its runner died before writing the id).
 * A group that cannot be read is left to refuseBesideStranger, which reads it again.
 */
async function findOwnInGroup(deps: CodeDeployDriverDeps, setup: CodeDeploySetup, cursor: TrafficCursor) {
  if (setup.start || !setup.group || setup.runToken === undefined) return;
  const ours = await lookUpGroup(deps.codedeploy, setup.group, setup.runToken)
    .then((found) => found.ours)
    .catch(() => undefined);
  // CodeDeploy's rollback of it may carry the same description: follow the one it rolls back.
  if (ours) cursor.deploymentRef = ours.rolledBackDeploymentId ?? ours.id;
}

/**
 * Waits (bounded) until the deployment and the rollback CodeDeploy started for it have ended, or
 * the alias is back on stable; `onPoll` at each poll (the rolling-back record's heartbeat). False
 * when the time ran out first: it still runs.
 */
async function awaitQuiet(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  id: string,
  onPoll?: () => Promise<void>,
): Promise<boolean> {
  const deadline = deps.clock.now() + (setup.stopWaitSeconds ?? DEFAULT_STOP_WAIT_SECONDS) * 1000;
  let watching = id;
  while (deps.clock.now() < deadline) {
    const info = await readUnlessForgotten(deps.codedeploy, watching);
    // Forgotten while lshift waited (its group deleted): it moves the alias no further.
    if (!info) return true;
    if (isTerminal(info.status)) {
      if (watching === id) cursor.deploymentEnded = true;
      const rollback = info.rollback?.deploymentId;
      if (!rollback || rollback === watching) return true;
      watching = rollback;
      continue;
    }
    await readAlias(deps, cursor);
    if (isOnStable(cursor.aliasState, cursor.stableVersion)) return true;
    // The heartbeat's failure is the recorder's warning; it never cuts the rollback short.
    await onPoll?.().catch(() => undefined);
    // No abort signal: a second Ctrl-C must not cut the rollback short.
    await deps.clock.sleep(setup.pollSeconds * 1000);
  }
  return false;
}

/** Writing the alias while CodeDeploy still moves it would be undone at its next step. */
function stillRunning(id: string, setup: CodeDeploySetup): ConflictError {
  const seconds = setup.stopWaitSeconds ?? DEFAULT_STOP_WAIT_SECONDS;
  return new ConflictError(
    'CODEDEPLOY_DEPLOYMENT_RUNNING',
    `CodeDeploy deployment ${id} had not ended ${seconds} s after lshift stopped it; lshift does not write the alias while CodeDeploy moves it`,
    { hint: `See it with \`aws deploy get-deployment --deployment-id ${id}\`.` },
  );
}
