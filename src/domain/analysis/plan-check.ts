/**
 * Honest defaults (docs/analysis.md#warnings): what the analysis will NOT be able to do with this
 * plan, said before the first weight is written, and whether it judged at all, said at the end.
 * Pure: the CLI reads the recent traffic and prints.
 */
import { formatDuration } from '../duration.js';
import { DEFAULT_SETTLE_SECONDS, type Plan } from '../plan.js';
import type { Verdict } from '../verdict.js';
import { type AnalysisConfig, hasAnalysisGates } from './config.js';

/** CloudWatch's usual delay for Lambda datapoints, upper end (AWS: "several minutes"). */
export const TYPICAL_METRIC_DELAY_SECONDS = 180;

export interface PlanCheckInput {
  plan: Plan;
  bakeSeconds: number;
  analysis: AnalysisConfig;
  /** The alias's recent requests per minute, when known. */
  requestsPerMinute?: number;
  /** AWS CodeDeploy moves the weights: it runs no bake (ENGINE_CANNOT_RUN), so none is advised. */
  bakeRefused?: boolean;
  /**
   * AWS CodeDeploy promotes on its own schedule: the settle wait comes after its 100%, not before
   * (docs/codedeploy.md "Limits"; found by a hostile pass: the warning said "before 100%").
   */
  settleAfterPromote?: boolean;
}

/** Calls the new version is expected to get while judged: before 100% (with the settle), and in a bake. */
export function expectedNewVersionCalls(input: PlanCheckInput): number {
  const rpm = input.requestsPerMinute ?? 0;
  const before = input.plan.steps.filter((s) => s.percent < 100);
  let calls = before.reduce((n, s) => n + (rpm * s.percent * s.holdSeconds) / 100 / 60, 0);
  const last = before.at(-1);
  if (last) calls += (rpm * last.percent * (input.plan.settleSeconds ?? 0)) / 100 / 60;
  return calls + (rpm * input.bakeSeconds) / 60;
}

export function checkAnalysisPlan(input: PlanCheckInput): string[] {
  const warnings: string[] = [];
  const { plan, analysis } = input;
  // No gate of the analysis (--no-analysis, no absolute limit): nothing of it to warn about; what
  // watches health instead (alarms, or nothing) is said by the CLI (deploy-warnings.ts).
  if (!hasAnalysisGates(analysis)) return warnings;
  const shifts = plan.steps.filter((s) => s.percent < 100);
  if (shifts.length === 0 && input.bakeSeconds <= 0) {
    warnings.push(
      `${plan.strategy.name} moves all traffic at once and there is no --bake: the analysis never judges the new version (${
        input.bakeRefused
          ? 'CodeDeploy runs no bake: use a canary or linear config, or the native engine with --bake 10m'
          : "add --bake 10m to compare it with the stable version's metrics from before the deployment"
      })`,
    );
    return warnings;
  }
  const short = shifts.filter((s) => s.holdSeconds < TYPICAL_METRIC_DELAY_SECONDS);
  if (short.length > 0) {
    const hold = formatDuration(Math.min(...short.map((s) => s.holdSeconds)));
    const settle = plan.settleSeconds ?? 0;
    const when = input.settleAfterPromote ? "after CodeDeploy's 100%" : 'before 100%';
    warnings.push(
      `steps of ${hold} are shorter than CloudWatch's metric delay (1–3 minutes): each step's data arrive during later steps` +
        (settle > 0
          ? `; the evidence accumulates, and the last step's is awaited for up to ${formatDuration(settle)} ${when} (--settle)`
          : ' and the last step is never judged before 100% (--settle 0)'),
    );
  }
  const tooShort = describeShortSettle(plan, input.settleAfterPromote === true);
  if (tooShort) warnings.push(tooShort);
  if (input.requestsPerMinute !== undefined && analysis.maxErrorRateIncreasePp !== undefined) {
    const calls = Math.floor(expectedNewVersionCalls(input));
    if (calls < analysis.minInvocations) {
      warnings.push(
        `at about ${Math.round(input.requestsPerMinute)} requests a minute the new version gets about ${calls} calls while judged, fewer than the ${analysis.minInvocations} the relative gates need (--min-invocations): expect "inconclusive"; use longer or larger steps, a --bake, or --alarm`,
      );
    }
  }
  return warnings;
}

/**
 * A settle before 100% shorter than what it holds (the minute the last step ends in, then the
 * extra minutes): it always ends at its bound, before those minutes are held and judged.
 */
function describeShortSettle(plan: Plan, afterPromote: boolean): string | undefined {
  const settle = plan.settleSeconds ?? 0;
  const extra = plan.settleExtraMinutes ?? 0;
  const held = 60 + extra * 60;
  if (extra <= 0 || settle <= 0 || settle >= held) return undefined;
  return (
    `--settle ${formatDuration(settle)} is shorter than what the settle wait holds at the last weight ` +
    `(up to 1 minute for the last step's minute to end, then ${extra} more minute${extra === 1 ? '' : 's'}): ` +
    `it ends first, so those minutes and their metrics are not all judged ${afterPromote ? 'by lshift' : 'before 100%'} ` +
    `(give --settle at least ${formatDuration(held)}, ${formatDuration(DEFAULT_SETTLE_SECONDS)} by default, or 0 to turn it off)`
  );
}

/**
 * Whether any gate's latest verdict judged the new version (passed: a failure ends the watch).
 * None did when no alarm is watched and every analysis gate is inconclusive (too little traffic,
 * metrics not arrived): a bake or a step that ended so was watched by nobody, and "healthy" said
 * of it was "could not judge" said as "passed" (found by a hostile pass, session 61: AllAtOnce
 * with `--bake 5m` at 5 requests a minute printed `bake: completed, healthy`).
 */
export function judgedHealthy(verdicts: readonly Verdict[]): boolean {
  return verdicts.some((v) => v.outcome === 'pass');
}

const ANALYSIS_VERDICT_GATES = new Set([
  'error-rate-increase',
  'latency-increase',
  'max-error-rate',
  'max-p50',
  'max-p90',
  'max-p99',
  'max-throttles',
]);

/**
 * The end-of-deployment warning when the analysis never reached a verdict (every one of its
 * last verdicts inconclusive), undefined when it judged or was off.
 */
export function describeNeverJudged(
  verdicts: readonly Verdict[],
  version: string | undefined,
): string | undefined {
  const analysis = verdicts.filter((v) => ANALYSIS_VERDICT_GATES.has(v.gate));
  if (analysis.length === 0 || analysis.some((v) => v.outcome === 'pass' || v.outcome === 'fail'))
    return undefined;
  return `the canary analysis never judged version ${version ?? '?'}: every gate ended inconclusive (${analysis[0]!.summary})`;
}
