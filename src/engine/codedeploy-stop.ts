/**
 * The CodeDeploy traffic driver's `setWeight(0)` (codedeploy-traffic-driver.ts): the restore step
 * of a rollback. A running deployment is stopped with auto-rollback and waited for (bounded)
 * until CodeDeploy has put the alias back; a start that could not be confirmed, or a record that
 * names no deployment, is looked up in its group first. Apart from the driver because stopping
 * is its own protocol, with its own bound and its own refusal (CODEDEPLOY_DEPLOYMENT_RUNNING).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 */
import { ConflictError } from '../domain/errors.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { TrafficCursor } from '../ports/traffic-driver.js';
import { isOnStable } from './alias-step.js';
import type { CodeDeployDriverDeps, CodeDeploySetup, StopNews } from './codedeploy-driver-deps.js';
import { readAlias } from './codedeploy-driver-deps.js';
import { findStarted, type GroupRef, lookUpGroup, refuseBesideStranger } from './codedeploy-group.js';
import type { CodeDeploySchedule } from './codedeploy-routing.js';
import { isTerminal, readUnlessForgotten } from './codedeploy-status.js';
import { type ReadBesideStop, readBesideStop } from './codedeploy-stop-move.js';
import { describeError } from './emit.js';
import { createNativeTrafficDriver } from './native-traffic-driver.js';

const DEFAULT_STOP_WAIT_SECONDS = 600;

/**
 * All traffic back on the stable version. A running deployment is stopped with auto-rollback
 * and CodeDeploy puts the alias back; once nothing runs any more (or none ever started), an
 * alias still off stable is written back directly, with the RevisionId guard, as the native
 * engine would.
 */
export async function stopAndRestore(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  onPoll?: () => Promise<void>,
  schedule: CodeDeploySchedule = {},
) {
  let beside: ReadBesideStop | undefined;
  try {
    await restore(deps, setup, cursor, schedule, onPoll, (read) => {
      beside = read;
    });
  } finally {
    // Only an answer that came before the restore ended: none is never waited for.
    const moved = beside?.take();
    if (moved) cursor.movedAtStop = moved;
  }
}

async function restore(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  schedule: CodeDeploySchedule,
  onPoll: (() => Promise<void>) | undefined,
  onReadBeside: (read: ReadBesideStop) => void,
) {
  if (!cursor.deploymentRef && cursor.deploymentCheck) await reconfirmStart(deps, setup, cursor);
  else if (!cursor.deploymentRef) await findOwnInGroup(deps, setup, cursor);
  const id = cursor.deploymentRef;
  let group: GroupRef | undefined = setup.start ?? setup.group;
  let own: DeploymentInfo | undefined;
  if (id) {
    const failed = setup.start
      ? await stopFirst(deps, setup, cursor, id, () =>
          onReadBeside(readBesideStop(deps, cursor, schedule, setup.onBesideStop)),
        )
      : undefined;
    const read = await readAfterStop(deps, cursor, id);
    if (read === 'back-on-stable') {
      cursor.percent = 0;
      return;
    }
    const info = read.info;
    if (failed !== undefined && info) tellReadAfterFailedStop(setup, cursor, info, failed);
    // Forgotten (its group or application deleted): nothing to stop, nothing drives the alias.
    if (!info) cursor.deploymentEnded = true;
    else {
      // The first stop failed, yet the deployment can be read: stop it now, or say why not.
      if (!isTerminal(info.status) && !cursor.deploymentStopSent) {
        setup.onStop?.({ kind: 'sending', id, again: failed !== undefined });
        await sendStop(deps, cursor, id);
      }
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

/**
 * The run that started the deployment (and last saw it running) stops it before any read: after
 * a Ctrl-C (or a CI cancel, whose SIGTERM follows in 7.5 s) the stop is the call that matters, and
 * a GetDeployment that stalls must not hold it back
 * (found by a hostile pass: with GetDeployment stalled the stop was never sent, lshift exited 4
 * after 2 minutes and CodeDeploy went on to 100%). A deployment that had already ended answers
 * `already-ended` (DeploymentAlreadyCompletedException), harmless; a stop that fails is left to
 * the read after it, which says whether the deployment still runs (then it is sent again).
 */
async function stopFirst(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  id: string,
  readBeside: () => void,
): Promise<string | undefined> {
  if (cursor.deploymentEnded || cursor.deploymentStopSent) return undefined;
  setup.onStop?.({ kind: 'sending', id, again: false });
  let failed: string | undefined;
  const stop = sendStop(deps, cursor, id).catch((error: unknown) => {
    failed = describeError(error);
    // Said at once: a stop that timed out took its whole time (30 s) saying nothing.
    setup.onStop?.({ kind: 'failed', id, error: failed });
  });
  // Sent once the StopDeployment has gone out, never before it, and never waited for
  // (codedeploy-stop-move.ts): a person's split a moment before the signal is said, not undone silently.
  readBeside();
  await stop;
  return failed;
}

/**
 * The stop failed or got no answer: what CodeDeploy then says, told. Ended Succeeded, the stop
 * stopped nothing (all traffic had reached the new version) and the rollback writes the alias
 * back itself: kept on the cursor for the run's words (stopOutran).
 */
function tellReadAfterFailedStop(
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  info: DeploymentInfo,
  error: string,
): void {
  const { stableVersion, targetVersion } = cursor;
  setup.onStop?.({ kind: 'read', id: info.id, status: info.status, stableVersion, targetVersion });
  if (info.status === 'Succeeded') cursor.stopOutran = { deploymentId: info.id, error };
}

async function sendStop(deps: CodeDeployDriverDeps, cursor: TrafficCursor, id: string): Promise<void> {
  if ((await deps.codedeploy.stopDeployment(id, true)) === 'stopping') cursor.deploymentStopSent = true;
}

/**
 * The deployment as CodeDeploy has it (undefined: forgotten), or `back-on-stable` when it cannot
 * be read but the stop was taken and the alias is back: nothing more is needed from CodeDeploy.
 */
async function readAfterStop(
  deps: CodeDeployDriverDeps,
  cursor: TrafficCursor,
  id: string,
): Promise<{ info: DeploymentInfo | undefined } | 'back-on-stable'> {
  try {
    return { info: await readUnlessForgotten(deps.codedeploy, id) };
  } catch (error) {
    if (await isBackOnStable(deps, cursor)) return 'back-on-stable';
    throw error;
  }
}

/** GetDeployment failed: an alias already back on stable needs nothing more from CodeDeploy. */
async function isBackOnStable(deps: CodeDeployDriverDeps, cursor: TrafficCursor): Promise<boolean> {
  if (!cursor.deploymentStopSent) return false;
  try {
    await readAlias(deps, cursor);
  } catch {
    return false;
  }
  return isOnStable(cursor.aliasState, cursor.stableVersion);
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
  const deadline = deps.clock.elapsedMs() + (setup.stopWaitSeconds ?? DEFAULT_STOP_WAIT_SECONDS) * 1000;
  let watching = id;
  let told = '';
  while (deps.clock.elapsedMs() < deadline) {
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
    told = tellWaiting(setup, told, {
      kind: 'waiting',
      id: watching,
      status: info.status,
      routing: cursor.aliasState,
    });
    // The heartbeat's failure is the recorder's warning; it never cuts the rollback short.
    await onPoll?.().catch(() => undefined);
    // No abort signal: a second Ctrl-C must not cut the rollback short.
    await deps.clock.sleep(setup.pollSeconds * 1000);
  }
  return false;
}

/** Each new status or routing seen while waiting, told once (a poll every few seconds says no more). */
function tellWaiting(
  setup: CodeDeploySetup,
  told: string,
  news: Extract<StopNews, { kind: 'waiting' }>,
): string {
  const key = JSON.stringify([news.id, news.status, news.routing]);
  if (key !== told) setup.onStop?.(news);
  return key;
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
