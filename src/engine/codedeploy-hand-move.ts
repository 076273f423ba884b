/**
 * A person's move of the alias while AWS CodeDeploy runs lshift's deployment (the console, `aws
 * lambda update-alias`: all traffic put back on the stable version at the 10% step, say). The
 * native engine reads its alias every 30 s of a hold and stops on such a move (exit 5, the record
 * closed "moved by hand"); the CodeDeploy follower read only CodeDeploy's status, held on for the
 * rest of the step, and CodeDeploy's next step undid the move — "✔ Promoted", exit 0, no word of
 * it (found by a hostile pass, session 62: 14 minutes at 0% under "still holding at 10%").
 *
 * A routing CodeDeploy could have written while it runs uses only its two versions and gives the
 * new one at least what lshift last saw (it only moves forward until it ends); anything else, while
 * it still runs, is someone else's. That person's move is kept: CodeDeploy is stopped WITHOUT its
 * rollback (StopDeployment autoRollbackEnabled=false leaves a Lambda alias as it is:
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/troubleshooting-deployments-lambda.html),
 * and the run ends as a conflict (settle-conflict.ts stopOnConflict).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 */
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { RoutingState, TrafficCursor } from '../ports/traffic-driver.js';
import { describeRouting, isOnStable } from './alias-step.js';
import { type CodeDeployDriverDeps, type CodeDeploySetup, readAlias } from './codedeploy-driver-deps.js';
import {
  type CodeDeploySchedule,
  isCodeDeployRouting,
  laterStepOverMove,
  percentOn,
  type SeenTimes,
} from './codedeploy-routing.js';
import { isTerminal } from './codedeploy-status.js';
import { describeKeepStopFix, stopKeepingMove } from './codedeploy-stop-keeping.js';

/** A routing read while CodeDeploy runs, and what is known to judge it by. */
export interface RoutingJudged {
  state: RoutingState;
  versions: { stableVersion: string; targetVersion: string };
  /** What CodeDeploy was last seen giving the new version: it only moves forward while it runs. */
  had: number;
  schedule: CodeDeploySchedule;
  times?: SeenTimes;
}

/**
 * True when CodeDeploy, still running, may have written the routing just read: a deploy's follow
 * and `lshift wait` judge alike. Before its AllowTraffic event CodeDeploy writes no weight (found
 * by a hostile pass: a person's move to the new version during the BeforeAllowTraffic hook was
 * taken for CodeDeploy's, raised the peak to 100, and CodeDeploy's own first step was then blamed
 * on a person — a 90/10 split left unwatched). Read only while nothing of CodeDeploy's has been
 * seen on the new version; an unreadable answer says nothing (the routing is judged as before).
 */
export async function mayBeCodeDeploysWrite(
  codedeploy: CodeDeployPort,
  deploymentId: string,
  judged: RoutingJudged,
): Promise<boolean> {
  const { state, versions, had, schedule, times } = judged;
  if (!isCodeDeployRouting(state, versions, had, schedule, times)) return false;
  if (had > 0 || percentOn(state, versions.targetVersion) <= 0.01) return true;
  const events = await codedeploy.getLifecycleEvents(deploymentId).catch(() => undefined);
  return events?.find((e) => e.name === 'AllowTraffic')?.status !== 'Pending';
}

/** Why the alias is not as CodeDeploy would have left it (`seen`), said the same in a hold and a follow. */
export function describeHandMove(
  cursor: Pick<TrafficCursor, 'peakPercent' | 'percent' | 'deploymentRef' | 'targetVersion'>,
  seen: RoutingState,
  status: string,
): string {
  const had = cursor.peakPercent ?? cursor.percent;
  return `a read found it routing ${describeRouting(seen)}, while AWS CodeDeploy deployment ${cursor.deploymentRef} (${status}) had given version ${cursor.targetVersion} ${had}%: someone moved it by hand`;
}

/**
 * Read during lshift's holds (TrafficDriver.describeMove): why the alias routes as neither lshift
 * nor CodeDeploy moved it, or undefined. A deployment that ended (its own rollback on an alarm of
 * the group, a stop) or cannot be read is left to the codedeploy gate, which reads it each poll.
 */
export async function describeCodeDeployMove(
  deps: CodeDeployDriverDeps,
  cursor: TrafficCursor,
  schedule: CodeDeploySchedule = {},
): Promise<string | undefined> {
  const id = cursor.deploymentRef;
  if (!id) return undefined;
  const seen = await deps.lambda.getAlias(cursor.functionName, cursor.alias).catch(() => undefined);
  if (!seen) return undefined;
  // After the read: the latest time the routing can be of (errs toward CodeDeploy's).
  const now = deps.clock.now();
  // Ended under the hold (the settle wait after CodeDeploy's success): nothing moves it any more.
  if (cursor.deploymentEnded) {
    if (isOnStable(seen, cursor.targetVersion)) return undefined;
    return keptSeen(cursor, seen, describeHandMove(cursor, seen, 'Succeeded'));
  }
  const times = { peakSeenAt: cursor.peakSeenAt, now };
  if (isCodeDeployRouting(seen, cursor, cursor.peakPercent ?? cursor.percent, schedule, times))
    return undefined;
  const info = await deps.codedeploy.getDeployment(id).catch(() => undefined);
  if (!info || isTerminal(info.status)) return undefined;
  return keptSeen(cursor, seen, describeHandMove(cursor, seen, info.status));
}

/**
 * The person's routing kept on the cursor (as the follow's own read keeps it): after the stop, an
 * alias still so is the person's move, even at a weight CodeDeploy's config also writes.
 */
function keptSeen(cursor: TrafficCursor, seen: RoutingState, said: string): string {
  cursor.aliasState = {
    functionVersion: seen.functionVersion,
    additionalWeights: { ...seen.additionalWeights },
  };
  return said;
}

/**
 * TrafficDriver.leaveToMove: stops the deployment without its rollback (the alias stays where the
 * person put it), follows it (bounded) until CodeDeploy says it ended, reads the alias into the
 * cursor, and says what was done. `cursor.deploymentEnded` is set only once CodeDeploy is known to
 * have ended: a stop refused, failed or not seen to end leaves it unset, and the run then ends
 * unsafe (settle.ts: CodeDeploy may still move the alias over the person's move).
 */
export async function leaveCodeDeployToMove(
  deps: CodeDeployDriverDeps,
  setup: CodeDeploySetup,
  cursor: TrafficCursor,
  schedule: CodeDeploySchedule = {},
): Promise<string | undefined> {
  const id = cursor.deploymentRef;
  // What lshift had seen CodeDeploy give, and the alias as last read, before the stop.
  const had = cursor.peakPercent ?? cursor.percent;
  const before = cursor.aliasState;
  let said: string | undefined;
  if (id && !cursor.deploymentEnded) {
    setup.onKeepingMove?.();
    said = await stopKeepingMove(deps, setup.pollSeconds, cursor, id);
  }
  const read = await readAlias(deps, cursor).then(
    () => true,
    () => false,
  );
  if (read && id && said && !cursor.deploymentEnded)
    return judgeRunningOverMove(cursor, had, before, schedule, said);
  // Only a stop seen to end without CodeDeploy's own end first (Succeeded, its rollback) is judged.
  if (!read || !id || !said || !cursor.deploymentEnded) return said;
  if (cursor.succeededBeforeStop || cursor.endedBeforeStop) return said;
  const over = stepOverMove(cursor, had, before, schedule);
  if (over === undefined) return said;
  cursor.stepOverMove = over;
  return `${describeOwnStop(cursor, id)}, but CodeDeploy's own later step had given version ${cursor.targetVersion} ${over}% over the move before the stop landed: the move was not kept`;
}

/**
 * lshift's stop without rollback as far as lshift knows it: seen to end, or its answer lost and
 * CodeDeploy Stopped since, which may be someone else's stop with its rollback to come.
 */
export function describeOwnStop(cursor: Pick<TrafficCursor, 'stopAnswerLost'>, id: string): string {
  return cursor.stopAnswerLost
    ? `lshift's stop of AWS CodeDeploy deployment ${id} without its rollback got no answer, and CodeDeploy then said it Stopped (that stop, or someone else's: not known)`
    : `lshift stopped AWS CodeDeploy deployment ${id} without its rollback`;
}

/**
 * The stop was refused, failed or not seen to end, and the alias read after it is already at one of
 * CodeDeploy's later steps over the move: said, and kept on the cursor (settle.ts then offers
 * `lshift rollback`, not the stop without rollback that would freeze CodeDeploy's split: h4's pass,
 * session 67, F7, found in \`lshift wait\`; the deploy's run said the same).
 */
function judgeRunningOverMove(
  cursor: TrafficCursor,
  had: number,
  before: RoutingState | undefined,
  schedule: CodeDeploySchedule,
  said: string,
): string {
  const over = stepOverMove(cursor, had, before, schedule);
  if (over === undefined) return said;
  cursor.stepOverRunning = over;
  const id = cursor.deploymentRef ?? '';
  const words = said
    .replace(`; ${describeKeepStopFix(id)}`, '')
    .replace(', leaving the alias where it was put', '');
  return `${words}; a read after it found CodeDeploy's own later step had already given version ${cursor.targetVersion} ${over}% over the move: the move is gone, and a stop without its rollback now would leave CodeDeploy's split, which nobody chose`;
}

/**
 * The weight CodeDeploy's own later step gave the new version over the person's move before the
 * stop landed (found by a hostile pass, session 66: a person's 37% under a linear 10% config,
 * CodeDeploy's 20% written while the stop was held, and the run said it left the alias "where it
 * was put"), or undefined. An alias unchanged since the read before the stop is the person's.
 */
function stepOverMove(
  cursor: TrafficCursor,
  had: number,
  before: RoutingState | undefined,
  schedule: CodeDeploySchedule,
): number | undefined {
  const versions = { percent: had, stableVersion: cursor.stableVersion, targetVersion: cursor.targetVersion };
  return laterStepOverMove(before, cursor.aliasState, versions, schedule.steps);
}
