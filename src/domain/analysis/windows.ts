/**
 * Which minutes the analysis judges (docs/analysis.md#windows). CloudWatch emits Lambda metrics
 * per minute and late, so only whole minutes that have ended count, and a minute whose datapoint
 * has not arrived is missing, never zero.
 */

export const MINUTE_MS = 60_000;

/** A half-open range of whole minutes, epoch ms: [start, end). Empty when end ≤ start. */
export interface MinuteRange {
  start: number;
  end: number;
}

export interface AnalysisWindows {
  /** The new version's minutes for counts (errors, invocations, throttles). */
  target: MinuteRange;
  /** The stable version's minutes for counts: the same minutes, or the pre-deployment baseline. */
  stable: MinuteRange;
  /** The new version's minutes for latency: `target` without the minute of the weight change. */
  targetLatency: MinuteRange;
  /** The stable version's minutes for latency: the same minutes, or the pre-deployment baseline. */
  stableLatency: MinuteRange;
  /** The one GetMetricData time range covering all of them (their union). */
  query: MinuteRange;
  /** True in the bake phase: stable data come from before the deployment. */
  baseline: boolean;
}

/** The fields of the engine's HealthWindow the analysis needs (structurally compatible). */
export interface AnalysisWindowInput {
  phase: 'shift' | 'bake';
  stepStartedAt: number;
  deploymentStartedAt: number;
  now: number;
}

/**
 * Shift: counts from the minute in which the step's weight was written to the last minute that
 * has ended. Per-version metrics of that first minute hold only the new version's own
 * invocations, so they are valid samples for the error rate. Latency starts one whole minute
 * later: the first minute holds the burst of fresh execution environments the new weight
 * causes, which would bias latency against the new version. Stable is compared on the same
 * minutes as the new version, for counts and for latency.
 *
 * Bake (alias at 100% on the new version): the new version's minutes as above, compared with
 * the stable version's own minutes in a baseline of the same length, ending at the last whole
 * minute before the deployment started.
 */
export function planAnalysisWindows(input: AnalysisWindowInput): AnalysisWindows {
  const end = Math.max(floorMinute(input.stepStartedAt), floorMinute(input.now));
  const target = { start: floorMinute(input.stepStartedAt), end };
  const targetLatency = { start: Math.min(ceilMinute(input.stepStartedAt), end), end };
  if (input.phase === 'shift') {
    return {
      target,
      stable: target,
      targetLatency,
      stableLatency: targetLatency,
      query: target,
      baseline: false,
    };
  }
  const baselineEnd = floorMinute(input.deploymentStartedAt);
  const before = (range: MinuteRange) => ({
    start: baselineEnd - (range.end - range.start),
    end: baselineEnd,
  });
  const stable = before(target);
  const stableLatency = before(targetLatency);
  const query = { start: Math.min(stable.start, target.start), end };
  return { target, stable, targetLatency, stableLatency, query, baseline: true };
}

export function minutesIn(range: MinuteRange): number {
  return Math.max(0, (range.end - range.start) / MINUTE_MS);
}

export function isEmptyRange(range: MinuteRange): boolean {
  return range.end <= range.start;
}

/** True when the minute starting at `at` lies wholly inside the range. */
export function containsMinute(range: MinuteRange, at: number): boolean {
  return at >= range.start && at + MINUTE_MS <= range.end;
}

function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

function ceilMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}
