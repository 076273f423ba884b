/**
 * Whether a routing read while AWS CodeDeploy runs lshift's deployment could be CodeDeploy's own
 * write: only its two versions, at least what lshift last saw on the new one, and no step earlier
 * than its schedule allows (codedeploy-hand-move.ts says what a routing that could not be is).
 */
import type { RoutingState } from '../ports/traffic-driver.js';

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

/**
 * The weight a later step of CodeDeploy's gave the new version between the read that found a
 * person's move (`before`) and the read after the stop that kept it (`now`), or undefined: a deploy's
 * run (codedeploy-hand-move.ts) and `lshift wait` (follow-hand-move.ts) judge alike. `had`: what
 * lshift last saw CodeDeploy give. An alias unchanged since `before` is the person's.
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
