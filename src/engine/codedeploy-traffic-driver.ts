/**
 * The CodeDeploy TrafficDriver (issue 12): the same release program, but AWS CodeDeploy moves
 * the weights. The first `setWeight` above 0 starts a deployment (CreateDeployment with an
 * AppSpec); every `setWeight` then follows it (GetDeployment + GetAlias each poll) until the
 * alias carries at least that weight, and the promote (100) until CodeDeploy reports Succeeded.
 * `setWeight(0)` — the restore step of a rollback — stops a running deployment with
 * auto-rollback (StopDeployment) and waits until CodeDeploy has put the alias back.
 * The deployment id travels on the cursor (`deploymentRef`), so the record keeps it (`cd=`).
 * The stop lives in codedeploy-stop.ts; what the driver is given, in codedeploy-driver-deps.ts.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html
 */
import { buildAppSpec, codeDeployStepPercents, codeDeployStepSeconds } from '../domain/codedeploy-plan.js';
import { buildRunDescription } from '../domain/codedeploy-run.js';
import { ConflictError, isLshiftError, OperationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { SetWeightOptions, TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { checkOwnConfig } from './codedeploy-config-check.js';
import { type CodeDeployDriverDeps, type CodeDeploySetup, readAlias } from './codedeploy-driver-deps.js';
import { followedEndError } from './codedeploy-followed-end.js';
import { confirmStart, findStarted, mayHaveStarted, startUnanswered } from './codedeploy-group.js';
import {
  describeCodeDeployMove,
  describeHandMove,
  leaveCodeDeployToMove,
  mayBeCodeDeploysWrite,
} from './codedeploy-hand-move.js';
import type { CodeDeploySchedule } from './codedeploy-routing.js';
import { isTerminal } from './codedeploy-status.js';
import { stopAndRestore } from './codedeploy-stop.js';
import { buildListDeploymentsCommand } from './deploy-result.js';
import { sleepRealTime } from './mark-wait.js';
import { observeRouting } from './native-traffic-driver.js';

export function createCodeDeployTrafficDriver(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
): TrafficDriver {
  const config = setup.start?.config;
  const schedule = { steps: codeDeployStepPercents(config), intervalSeconds: codeDeployStepSeconds(config) };
  return {
    name: 'codedeploy',
    ownSchedule: true,
    async setWeight(cursor: TrafficCursor, percent: number, opts?: SetWeightOptions) {
      if (percent <= 0) return stopAndRestore(deps, setup, cursor, opts?.onPoll, schedule);
      if (!cursor.deploymentRef) {
        cursor.deploymentRef = await startDeployment(deps, setup, cursor);
        setup.onStarted?.(cursor.deploymentRef);
        await opts?.onStarted?.(cursor.deploymentRef);
      }
      await follow(deps, setup, cursor, percent, schedule, opts?.onPoll);
    },
    observe: (cursor: TrafficCursor) => observeRouting(deps.lambda, cursor),
    describeMove: (cursor: TrafficCursor) => describeCodeDeployMove(deps, cursor, schedule),
    leaveToMove: (cursor: TrafficCursor) => leaveCodeDeployToMove(deps, setup, cursor, schedule),
    succeeded: (cursor: TrafficCursor) =>
      cursor.deploymentRef !== undefined && setup.succeeded?.(cursor.deploymentRef) === true,
  };
}

/**
 * How long after a first look that found nothing a lost CreateDeployment is looked for again:
 * CreateDeployment creates the deployment before it answers, so one the request reached shows in
 * the group within its own latency (well under a second); a Ctrl-C rollback must stay well under
 * 5 s (docs/exit-codes.md).
 */
export const START_SECOND_LOOK_MS = 2000;

/**
 * Creates the custom config once (reused once read and found as named), then the deployment. When CreateDeployment's
 * answer is lost, the group's unfinished deployments say whether it started (confirmStart).
 */
async function startDeployment(deps: CodeDeployDriverDeps, setup: CodeDeploySetup, cursor: TrafficCursor) {
  const start = setup.start;
  if (!start)
    throw new Error('this CodeDeploy driver only follows or stops deployments; it cannot start one');
  const { config } = start;
  // One of lshift's names made by hand with another routing is refused, never run (codedeploy-config-check.ts).
  if (config.kind === 'custom' && (await checkOwnConfig(deps.codedeploy, config)) === 'absent') {
    // `exists`: made since it was read (another deploy at the same moment): read and checked as found.
    if ((await deps.codedeploy.createDeploymentConfig(config.name, config.routing)) === 'exists')
      await checkOwnConfig(deps.codedeploy, config);
  }
  const what = start.description ?? `lshift deploy of ${cursor.functionName}:${cursor.alias}`;
  start.attemptedAt ??= deps.clock.now();
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
      if (abandonedInFlight(error)) {
        const ours = await findStarted(deps.codedeploy, start, start.runToken, error);
        if (ours) return ours;
        // None yet: a request abandoned in flight (Ctrl-C, a lost connection) may still be taken
        // by CodeDeploy a moment after the first look, and would then shift with nobody watching
        // (found by a hostile pass). One more look after a short wait, not bound to the signal:
        // under Ctrl-C it delays the rollback by START_SECOND_LOOK_MS at most. Real time: it
        // covers network and CodeDeploy latency, which a sandbox's --speed does not hurry.
        await sleepRealTime(deps.clock, START_SECOND_LOOK_MS);
        const late = await findStarted(deps.codedeploy, start, start.runToken, error);
        if (late) return late;
        // A timeout or a reset is no "refusal", nor Ctrl-C an "unchanged": nobody knows whether
        // CodeDeploy will still take it (found by hostile passes: "Not started … unchanged … was
        // refused", and "interrupted …; alias unchanged", exit 3, and then CodeDeploy shifted the
        // alias unwatched). Ctrl-C stays an interrupt (no rollback hooks), said with these words.
        const unanswered = startUnanswered(start, error);
        if (isLshiftError(error) && error.code === 'INTERRUPTED') {
          cursor.startUnanswered = unansweredOf(start, unanswered);
          throw error;
        }
        throw unanswered;
      }
      return await confirmStart(deps.codedeploy, start, start.runToken, error);
    } catch (unconfirmed) {
      if (isLshiftError(unconfirmed) && unconfirmed.code === 'CODEDEPLOY_START_UNCONFIRMED') {
        cursor.deploymentCheck = buildListDeploymentsCommand(start.application, start.group);
      }
      if (isLshiftError(unconfirmed) && unconfirmed.code === 'CODEDEPLOY_START_UNANSWERED') {
        cursor.startUnanswered = unansweredOf(start, unconfirmed);
      }
      throw unconfirmed;
    }
  }
}

/** What the run's end says of a start that got no answer: the command that tells, and why. */
function unansweredOf(start: { application: string; group: string }, error: Error) {
  return { command: buildListDeploymentsCommand(start.application, start.group), why: error.message };
}

/** No answer came (Ctrl-C, a reset or timed-out connection): CodeDeploy may still be taking it. */
function abandonedInFlight(error: unknown): boolean {
  return !isLshiftError(error) || error.code === 'INTERRUPTED' || error.code === 'NETWORK_ERROR';
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
  schedule: CodeDeploySchedule,
  onPoll?: () => Promise<void>,
) {
  const id = cursor.deploymentRef!;
  let seen = '';
  for (;;) {
    // What CodeDeploy was last seen giving the new version: it only moves forward while it runs.
    const had = cursor.peakPercent ?? 0;
    const readAt = deps.clock.now();
    // The alias before the status (found by a hostile pass): CodeDeploy's own rollback (an alarm,
    // a failed hook) between a status read and a later alias read looked like a move by hand.
    await readAlias(deps, cursor);
    const info = await deps.codedeploy.getDeployment(id);
    // Judged at the time the reads answered (the latest the routing can be of); the weight counted
    // seen from before the read (the earliest): both err toward CodeDeploy's.
    const answeredAt = deps.clock.now();
    const times = { peakSeenAt: cursor.peakSeenAt, now: answeredAt };
    const judged = { state: cursor.aliasState, versions: cursor, had, schedule, times };
    if (!isTerminal(info.status) && !(await mayBeCodeDeploysWrite(deps.codedeploy, id, judged)))
      throw movedByHand(cursor, info);
    const reached = targetPercent(cursor);
    cursor.percent = reached;
    if (reached > had + 0.01) cursor.peakSeenAt = readAt;
    cursor.peakPercent = Math.max(cursor.peakPercent ?? 0, reached);
    if (`${info.status} ${reached}` !== seen) {
      seen = `${info.status} ${reached}`;
      setup.onProgress?.(info, reached);
    }
    if (isTerminal(info.status)) cursor.deploymentEnded = true;
    const reachedStep = !isTerminal(info.status) && percent < 100 && reached >= percent - 0.01;
    if (info.status === 'Succeeded' || reachedStep) return;
    if (isTerminal(info.status)) throw await followedEndError(deps.codedeploy, cursor, info);
    await onPoll?.();
    await pause(deps.clock, setup);
  }
}

/**
 * Someone moved the alias by hand while CodeDeploy runs (codedeploy-hand-move.ts): a conflict,
 * as the native engine's 412 is; the run then stops CodeDeploy without its rollback (settle.ts).
 */
function movedByHand(cursor: TrafficCursor, info: DeploymentInfo): ConflictError {
  const seen = { ...cursor.aliasState, additionalWeights: { ...cursor.aliasState.additionalWeights } };
  return new ConflictError('ALIAS_CHANGED', describeHandMove(cursor, seen, info.status), {
    context: { functionName: cursor.functionName, alias: cursor.alias },
  });
}

async function pause(clock: Clock, setup: CodeDeploySetup): Promise<void> {
  try {
    await clock.sleep(setup.pollSeconds * 1000, setup.signal);
  } catch {
    throw new OperationError('INTERRUPTED', 'following the CodeDeploy deployment was interrupted', {});
  }
}
