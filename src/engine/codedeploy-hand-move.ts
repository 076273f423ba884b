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
 * and the run ends as a conflict (settle.ts stopOnConflict).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_StopDeployment.html
 */
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { RoutingState, TrafficCursor } from '../ports/traffic-driver.js';
import { describeRouting, isOnStable } from './alias-step.js';
import { type CodeDeployDriverDeps, type CodeDeploySetup, readAlias } from './codedeploy-driver-deps.js';
import { isTerminal } from './codedeploy-status.js';
import { describeKeepStopFix, stopKeepingMove } from './codedeploy-stop-keeping.js';

/** The percentage `state` routes to `version` (100 when it is the primary, unsplit). */
export function percentOn(state: RoutingState, version: string): number {
  const elsewhere = Object.values(state.additionalWeights).reduce((sum, w) => sum + w, 0);
  const share = state.functionVersion === version ? 1 - elsewhere : (state.additionalWeights[version] ?? 0);
  return Math.round(share * 1e6) / 1e4;
}

/** What lshift knows of the weights a config writes: their order and how far apart in time. */
export interface CodeDeploySchedule {
  /** The percentages it gives the new version, in order (codeDeployStepPercents). */
  steps?: readonly number[];
  /** The seconds between two steps (codeDeployStepSeconds). */
  intervalSeconds?: number;
}

/** When lshift first saw CodeDeploy's last weight (`peakSeenAt`), and the time of the read judged. */
export interface SeenTimes {
  peakSeenAt?: number;
  now: number;
}

/**
 * The clock slack of the timed rule: CodeDeploy's step timer, the alias read's latency and a read
 * that lagged a step are not lshift's clock. Generous on purpose: a false alarm stops CodeDeploy
 * and leaves the alias split (worse than a person's move missed).
 */
export function stepSlackMs(intervalSeconds: number): number {
  return Math.max(20_000, intervalSeconds * 250);
}

/**
 * True when a CodeDeploy deployment still running may have left the alias so: only its stable and
 * target versions, at least `leastPercent` on the target (what lshift last saw it give), and, when
 * its config's `steps` are known, one of them (found by a hostile pass: a person's 50% split under
 * a 10% canary was taken for CodeDeploy's and silently undone by its 100%), and not too early.
 *
 * Too early (found by a hostile pass: a person's 50% under a linear 10% config while lshift had
 * seen 10% was taken for CodeDeploy's, and its next step undid it): CodeDeploy moves one step per
 * interval. A read that found step s says step s+1 was not yet written then, so step s+k is written
 * at least (k-1) intervals after the first read of s, however late that read came. A weight k ≥ 2
 * steps above before then (less the slack) is someone else's. Judged only when this run saw the
 * last weight (`peakSeenAt`) and the config's interval is known; a first weight (nothing seen yet
 * on the new version) is judged by its AllowTraffic event instead (codedeploy-traffic-driver.ts).
 */
export function isCodeDeployRouting(
  state: RoutingState,
  versions: { stableVersion: string; targetVersion: string },
  leastPercent: number,
  schedule: CodeDeploySchedule = {},
  times?: SeenTimes,
): boolean {
  const { steps } = schedule;
  const routed = [
    state.functionVersion,
    ...Object.keys(state.additionalWeights).filter((v) => (state.additionalWeights[v] ?? 0) > 0),
  ];
  if (!routed.every((v) => v === versions.stableVersion || v === versions.targetVersion)) return false;
  const onTarget = percentOn(state, versions.targetVersion);
  if (onTarget < leastPercent - 0.01) return false;
  if (!steps || onTarget <= 0.01) return true;
  const at = stepIndex(steps, onTarget);
  if (at < 0) return false;
  return !tooEarly(steps, at, leastPercent, schedule.intervalSeconds, times);
}

function stepIndex(steps: readonly number[], percent: number): number {
  return steps.findIndex((step) => Math.abs(step - percent) <= 0.01);
}

/** True when step `at` cannot yet have been written after lshift first saw `leastPercent`. */
function tooEarly(
  steps: readonly number[],
  at: number,
  leastPercent: number,
  intervalSeconds: number | undefined,
  times: SeenTimes | undefined,
): boolean {
  if (!intervalSeconds || times?.peakSeenAt === undefined || leastPercent <= 0.01) return false;
  const from = stepIndex(steps, leastPercent);
  if (from < 0) return false;
  const ahead = at - from;
  if (ahead < 2) return false;
  const earliest = times.peakSeenAt + (ahead - 1) * intervalSeconds * 1000 - stepSlackMs(intervalSeconds);
  return times.now < earliest;
}

/**
 * True when `alias` routes only the two versions and gives the new one more than `percent` (what
 * lshift saw CodeDeploy give last), at one of `steps` (its config's weights; unknown: any).
 */
export function isLaterStepOf(
  alias: RoutingState,
  record: { percent: number; stableVersion: string; targetVersion: string },
  steps: readonly number[] | undefined,
): boolean {
  const seen = record.percent;
  const onTarget = percentOn(alias, record.targetVersion);
  const routed = [alias.functionVersion, ...Object.keys(alias.additionalWeights)];
  // A third version is never CodeDeploy's, nor a weight below what it had given (it only moves forward).
  if (!routed.every((v) => v === record.stableVersion || v === record.targetVersion)) return false;
  if (onTarget <= seen + 0.01) return false;
  if (!steps) return true;
  return steps.some((step) => step > seen + 0.01 && Math.abs(step - onTarget) <= 0.01);
}

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

/**
 * The weight a later step of CodeDeploy's gave the new version between the read that found a
 * person's move (`before`) and the read after the stop that kept it (`now`), or undefined: a deploy's
 * run (above) and `lshift wait` (follow-hand-move.ts) judge alike. `had`: what lshift last saw
 * CodeDeploy give. An alias unchanged since `before` is the person's.
 */
export function laterStepOverMove(
  before: RoutingState | undefined,
  now: RoutingState,
  versions: { percent: number; stableVersion: string; targetVersion: string },
  steps: readonly number[] | undefined,
): number | undefined {
  if (before && sameRouting(before, now)) return undefined;
  return isLaterStepOf(now, versions, steps) ? percentOn(now, versions.targetVersion) : undefined;
}

function sameRouting(a: RoutingState, b: RoutingState): boolean {
  const weights = (s: RoutingState) =>
    Object.entries(s.additionalWeights)
      .filter(([, w]) => w > 0)
      .sort(([x], [y]) => x.localeCompare(y));
  return a.functionVersion === b.functionVersion && JSON.stringify(weights(a)) === JSON.stringify(weights(b));
}
