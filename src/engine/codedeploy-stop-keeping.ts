/**
 * The stop WITHOUT rollback that keeps a person's move of the alias while AWS CodeDeploy runs
 * lshift's deployment (codedeploy-hand-move.ts, follow-hand-move.ts): sent, followed (bounded)
 * until CodeDeploy says it ended, and, when CodeDeploy refuses it or it fails, how the deployment
 * ended read instead of guessed.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 */
import type { Clock } from '../ports/clock.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { TrafficCursor } from '../ports/traffic-driver.js';
import type { CodeDeployDriverDeps } from './codedeploy-driver-deps.js';
import { followedEndError } from './codedeploy-followed-end.js';
import { isTerminal } from './codedeploy-status.js';
import { buildStopKeepingCommand } from './deploy-result.js';
import { describeError } from './emit.js';

/** How long a stop without rollback is followed until CodeDeploy says it ended, in clock seconds. */
const STOP_END_WAIT_SECONDS = 60;

/** What a stop for a move by hand reads and sets: a deploy's cursor, or `lshift wait`'s own. */
export type StopState = Pick<
  TrafficCursor,
  'functionName' | 'alias' | 'deploymentEnded' | 'endedBeforeStop' | 'succeededBeforeStop' | 'stopAnswerLost'
>;

/** The tail a stop not taken ends with: the AWS CLI stop without rollback (follow-keep-move-mark.ts drops it). */
export function describeKeepStopFix(id: string): string {
  return `stop it with \`${buildStopKeepingCommand(id)}\``;
}

/**
 * Stops deployment `id` WITHOUT its rollback and follows it (bounded) until CodeDeploy says it
 * ended; says what was done. `state.deploymentEnded` is set only once it is known to have ended.
 */
export async function stopKeepingMove(
  deps: Pick<CodeDeployDriverDeps, 'codedeploy' | 'clock'>,
  pollSeconds: number,
  cursor: StopState,
  id: string,
): Promise<string> {
  const fix = describeKeepStopFix(id);
  try {
    if ((await deps.codedeploy.stopDeployment(id, false)) === 'already-ended') {
      cursor.deploymentEnded = true;
      return await describeEndedFirst(deps, cursor, id);
    }
  } catch (error) {
    // A stop that timed out or failed is not yet "it may move the alias again": CodeDeploy may
    // have ended it already (Succeeded over the move), and a stop it refuses is no fix (s65 note).
    const failed = `lshift's stop of AWS CodeDeploy deployment ${id} failed (${describeError(error)})`;
    const ended = await describeEndedAfterFailedStop(deps, cursor, id, failed);
    return (
      ended ??
      `lshift could not stop AWS CodeDeploy deployment ${id} (${describeError(error)}): it may move the alias again; ${fix}`
    );
  }
  const ended = await awaitEnd(deps, pollSeconds, id);
  if (ended) cursor.deploymentEnded = true;
  const stopped = `lshift stopped AWS CodeDeploy deployment ${id} without its rollback, leaving the alias where it was put`;
  return ended
    ? stopped
    : `${stopped} (CodeDeploy took the stop, but had not said it ended ${STOP_END_WAIT_SECONDS}s later)`;
}

/**
 * StopDeployment answered that the deployment had already ended: how, read again (before, the run
 * ended a conflict without asking, though CodeDeploy's own rollback may have undone the move). An
 * end other than Succeeded is kept on the cursor for the run to settle as the follow would have.
 */
async function describeEndedFirst(
  deps: Pick<CodeDeployDriverDeps, 'codedeploy'>,
  cursor: StopState,
  id: string,
): Promise<string> {
  const info = await deps.codedeploy.getDeployment(id).catch(() => undefined);
  const head = `AWS CodeDeploy deployment ${id} had already ended when lshift came to stop it`;
  if (!info || !isTerminal(info.status))
    return `${head} (its end could not be read again): nothing was stopped`;
  return describeEnded(deps, cursor, info, head);
}

/**
 * The stop failed (timed out, throttled, its answer lost): CodeDeploy is read once. Ended, it moves
 * the alias no more and the run settles how it ended, as when CodeDeploy refuses the stop; still
 * running or unreadable, undefined (the caller offers the stop). A timeout while CodeDeploy had
 * Succeeded said "it may move the alias again" and offered a stop AWS refuses (session 65's note).
 */
async function describeEndedAfterFailedStop(
  deps: Pick<CodeDeployDriverDeps, 'codedeploy'>,
  cursor: StopState,
  id: string,
  failed: string,
): Promise<string | undefined> {
  const info = await deps.codedeploy.getDeployment(id).catch(() => undefined);
  if (!info || !isTerminal(info.status)) return undefined;
  cursor.deploymentEnded = true;
  // Not known to be this stop as sent: the record's mark must not say it was seen (`r=@ko`).
  cursor.stopAnswerLost = true;
  // Stopped with no rollback named yet: this very stop, taken though its answer was lost — or
  // someone's stop WITH auto-rollback, whose rollback deployment CodeDeploy creates a moment later
  // and which would then undo the move. Not known, so not said as settled (h3's s69 F4).
  if (info.status === 'Stopped' && !info.rollback)
    return `${failed}, but CodeDeploy then said the deployment Stopped with no rollback named (that stop, or someone else's: not known): the alias stays where it was put unless it was someone's stop with its rollback, which CodeDeploy would start within moments and which would move it back — \`aws deploy get-deployment --deployment-id ${id}\` names a rollback deployment if one came, \`lshift status ${cursor.functionName} --alias ${cursor.alias}\` shows where the alias is`;
  return describeEnded(deps, cursor, info, `${failed}, but CodeDeploy says the deployment had ended`);
}

/** How an ended deployment ended, kept on the cursor for the run to settle (`head` says how it was found). */
async function describeEnded(
  deps: Pick<CodeDeployDriverDeps, 'codedeploy'>,
  cursor: StopState,
  info: DeploymentInfo,
  head: string,
): Promise<string> {
  if (info.status === 'Succeeded') {
    cursor.succeededBeforeStop = true;
    return `${head}: it Succeeded (nothing was stopped)`;
  }
  const ended = await followedEndError(deps.codedeploy, cursor, info).catch(() => undefined);
  if (ended) cursor.endedBeforeStop = ended;
  return `${head}: ${ended?.message ?? `it ended ${info.status}`} (nothing was stopped)`;
}

/** True once CodeDeploy says the deployment ended; false when it did not within the bound. */
async function awaitEnd(
  deps: Pick<CodeDeployDriverDeps, 'codedeploy' | 'clock'>,
  pollSeconds: number,
  id: string,
): Promise<boolean> {
  const until = deps.clock.now() + STOP_END_WAIT_SECONDS * 1000;
  for (;;) {
    const info = await deps.codedeploy.getDeployment(id).catch(() => undefined);
    if (info && isTerminal(info.status)) return true;
    if (deps.clock.now() >= until) return false;
    await pause(deps.clock, Math.min(pollSeconds, 5));
  }
}

/**
 * Not bound to the run's signal: a Ctrl-C now must not leave CodeDeploy's stop unfollowed. (The
 * AWS calls are the runtime's: `lshift wait` and `deploy` stop abandoning them before this stop,
 * onKeepingMove.)
 */
async function pause(clock: Clock, seconds: number): Promise<void> {
  await clock.sleep(seconds * 1000).catch(() => undefined);
}
