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
  /** Minutes judged for the new version. */
  target: MinuteRange;
  /** Minutes judged for the stable version: the same minutes, or the pre-deployment baseline. */
  stable: MinuteRange;
  /** The one GetMetricData time range covering both (their union). */
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
 * Shift: from the first whole minute after the step's weight was written to the last minute
 * that has ended. The minute in which the weight changed is skipped: its per-version numbers are
 * valid, but it holds the burst of fresh execution environments the new weight causes, which
 * would bias latency against the new version; skipping it costs at most one minute per step.
 *
 * Bake (alias at 100% on the new version): the new version's minutes as above, compared with
 * the stable version's own minutes in a baseline of the same length ending at the last whole
 * minute before the deployment started.
 */
export function planAnalysisWindows(input: AnalysisWindowInput): AnalysisWindows {
  const start = ceilMinute(input.stepStartedAt);
  const end = Math.max(start, floorMinute(input.now));
  const target = { start, end };
  if (input.phase === 'shift') return { target, stable: target, query: target, baseline: false };
  const baselineEnd = floorMinute(input.deploymentStartedAt);
  const stable = { start: baselineEnd - (end - start), end: baselineEnd };
  return { target, stable, query: { start: Math.min(stable.start, start), end }, baseline: true };
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
