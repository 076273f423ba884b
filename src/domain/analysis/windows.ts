/**
 * Which minutes the analysis judges (docs/analysis.md#windows). CloudWatch emits Lambda metrics
 * per minute and late, so only whole minutes that have ended count, and a minute whose datapoint
 * has not arrived is missing, never zero.
 *
 * The evidence accumulates over the WHOLE deployment: every minute since the deployment started
 * (its first weight write comes right after), across steps and the bake. The window no longer
 * restarts at each step: an anytime-valid test (e-process.ts) spends its false-rollback budget
 * once, so earlier minutes are kept, not thrown away.
 */

export const MINUTE_MS = 60_000;

/** A half-open range of whole minutes, epoch ms: [start, end). Empty when end ≤ start. */
export interface MinuteRange {
  start: number;
  end: number;
}

/** How bake minutes (alias at 100%: no stable calls in them) find a stable minute to compare with. */
export interface BaselinePairing {
  /** Minutes starting at or after this are bake minutes (the first whole minute after the 100% write). */
  bakeFrom: number;
  /** The baseline ends here (the deployment's first minute): bake minute j pairs with baselineEnd − (j + 1) minutes. */
  baselineEnd: number;
}

export interface AnalysisWindows {
  /** The new version's minutes for counts (errors, invocations, throttles). */
  target: MinuteRange;
  /** The stable version's minutes for counts: the same minutes, plus the baseline in a bake. */
  stable: MinuteRange;
  /** The new version's minutes for latency: `target` without the minute the deployment started in. */
  targetLatency: MinuteRange;
  /** The stable version's minutes for latency. */
  stableLatency: MinuteRange;
  /** The one GetMetricData time range covering all of them (their union). */
  query: MinuteRange;
  /** True in the bake phase: bake minutes compare with stable minutes from before the deployment. */
  baseline: boolean;
  /** Set in the bake phase. */
  pairing?: BaselinePairing;
}

/** The fields of the engine's HealthWindow the analysis needs (structurally compatible). */
export interface AnalysisWindowInput {
  phase: 'shift' | 'bake';
  /** When the current step's weight was written (in the bake: the 100% write). */
  stepStartedAt: number;
  deploymentStartedAt: number;
  now: number;
}

/**
 * Counts: from the minute in which the deployment started to the last minute that has ended
 * (minutes without new-version calls carry no evidence, so starting early costs nothing).
 * Latency starts one whole minute later: the first minute holds the burst of fresh execution
 * environments the first weight causes, which would bias latency against the new version.
 *
 * Bake: minutes wholly after the 100% write have no stable calls; each is paired with a stable
 * minute before the deployment, counting backwards (the first bake minute with the last minute
 * before the deployment, and so on), so a pairing never changes as the bake grows.
 */
export function planAnalysisWindows(input: AnalysisWindowInput): AnalysisWindows {
  const start = floorMinute(input.deploymentStartedAt);
  const end = Math.max(start, floorMinute(input.now));
  const target = { start, end };
  const targetLatency = { start: Math.min(ceilMinute(input.deploymentStartedAt), end), end };
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
  const bakeFrom = Math.min(Math.max(ceilMinute(input.stepStartedAt), start), end);
  const bakeMinutes = (end - bakeFrom) / MINUTE_MS;
  const baselineStart = start - bakeMinutes * MINUTE_MS;
  const stable = { start: baselineStart, end };
  const stableLatency = { start: baselineStart, end };
  return {
    target,
    stable,
    targetLatency,
    stableLatency,
    query: { start: baselineStart, end },
    baseline: true,
    pairing: { bakeFrom, baselineEnd: start },
  };
}

/** The stable minute a new-version minute is compared with. */
export function partnerMinute(at: number, pairing: BaselinePairing | undefined): number {
  if (!pairing || at < pairing.bakeFrom) return at;
  const j = (at - pairing.bakeFrom) / MINUTE_MS;
  return pairing.baselineEnd - (j + 1) * MINUTE_MS;
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

export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

export function ceilMinute(ms: number): number {
  return Math.ceil(ms / MINUTE_MS) * MINUTE_MS;
}
