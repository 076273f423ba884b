/**
 * The error gate's prior over odds ratios, cut to what the gate can act on
 * (docs/analysis.md#the-error-gates-prior-cut-to-what-can-be-rolled-back).
 *
 * The mixture e-process (e-process.ts) spreads its prior over PSI_GRID. The error gate rolls
 * back only when, besides the evidence, the pooled error rate of the new version exceeds
 * stable's by more than the allowed increase a. With stable at rate p, an odds ratio ψ below
 * odds(p + a) / odds(p) is an increase the gate would never act on: the prior weight on it is
 * spent for nothing and slows detection of every regression the gate does act on. So the grid
 * keeps only ψ ≥ that cut, with p taken from the 15 minutes BEFORE the deployment (the latency
 * threshold's baseline, latency-threshold.ts) — data that is not part of the test, so the prior
 * is fixed before the deployment's first datum and the mixture stays a test martingale (Ville's
 * bound, e-process.ts; a data-independent prior: Ramdas, Grünwald, Vovk, Shafer 2023,
 * "Game-theoretic statistics and safe anytime-valid inference", Statistical Science 38(4), §3).
 *
 * p is an upper confidence bound of stable's rate, not its estimate: cutting too high removes
 * the small odds ratios a function with a higher rate than it seemed needs (a mixture at ψ = 8
 * drifts DOWN under a true ψ of 3), so a thin or noisy baseline cuts little or nothing. Wilson's
 * score interval (Wilson 1927, "Probable inference, the law of succession, and statistical
 * inference", JASA 22(158)); one-sided 95%.
 *
 * Never cut: in a deployment that bakes (its bake minutes are compared with the minutes before
 * the deployment, the very minutes p would come from, so the prior would depend on the test's
 * data), without a baseline, or when no increase is allowed.
 */
import type { MetricQuery, MetricSeries } from '../health-readings.js';
import { PSI_GRID } from './e-process.js';
import {
  BASELINE_COUNT_QUERY_ID,
  BASELINE_MINUTES,
  baselineRange,
  seriesValueAt,
} from './latency-threshold.js';

/** Query id of the pre-deployment error count (alias-level Sum over the baseline). */
export const BASELINE_ERRORS_QUERY_ID = 'b_err';
/** z of the one-sided 95% upper bound of stable's error rate. */
const Z_UPPER = 1.645;

export interface BaselineErrors {
  invocations: number;
  errors: number;
}

/**
 * `cut`: odds ratios were dropped; `nothing-to-cut`: the cut lies below the grid's smallest point;
 * the others keep the whole grid without a cut (see errorPrior).
 */
export type ErrorPriorReason =
  | 'cut'
  | 'nothing-to-cut'
  | 'bake'
  | 'no-baseline'
  | 'no-allowance'
  | 'high-rate';

export interface ErrorPrior {
  /** The odds ratios mixed over: a suffix of PSI_GRID, never empty. */
  grid: readonly number[];
  reason: ErrorPriorReason;
  /** Stable's calls and errors before the deployment, when they were read. */
  baseline?: BaselineErrors;
  /** The upper bound of stable's error rate the cut was computed from. */
  stableRateUpper?: number;
}

/** The baseline's errors (alias-level Sum over the same period as its invocations). */
export function baselineErrorsQuery(functionName: string, alias: string): MetricQuery {
  return {
    id: BASELINE_ERRORS_QUERY_ID,
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: { FunctionName: functionName, Resource: `${functionName}:${alias}` },
    stat: 'Sum',
    periodSeconds: BASELINE_MINUTES * 60,
    returnData: true,
  };
}

/**
 * Stable's calls and errors before the deployment, or undefined when no invocation was reported
 * there. An absent error sum beside a reported invocation count is 0: Lambda reports Errors
 * with every minute that has invocations (as for the deployment's minutes, queries.ts).
 */
export function readBaselineErrors(
  series: readonly MetricSeries[],
  deploymentStartedAt: number,
): BaselineErrors | undefined {
  const at = baselineRange(deploymentStartedAt).start;
  const invocations = seriesValueAt(series, BASELINE_COUNT_QUERY_ID, at);
  if (invocations === undefined || !(invocations > 0)) return undefined;
  const errors = seriesValueAt(series, BASELINE_ERRORS_QUERY_ID, at) ?? 0;
  return { invocations, errors: Math.min(Math.max(errors, 0), invocations) };
}

/** Wilson's one-sided upper bound of a binomial rate. */
export function wilsonUpper(successes: number, trials: number, z = Z_UPPER): number {
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return Math.min((centre + spread) / (1 + z2 / trials), 1);
}

/** The smallest odds ratio an increase of `allowed` (a fraction) over rate p amounts to. */
export function actionableOddsRatio(p: number, allowed: number): number {
  const odds = (r: number) => r / (1 - r);
  return odds(p + allowed) / odds(p);
}

/**
 * The prior for this deployment. `allowedPp` is the error gate's allowed increase in percentage
 * points; `bakes` whether the deployment ends with a bake.
 */
export function errorPrior(
  baseline: BaselineErrors | undefined,
  allowedPp: number,
  bakes: boolean,
): ErrorPrior {
  const whole = (reason: ErrorPriorReason, extra: Partial<ErrorPrior> = {}): ErrorPrior => ({
    grid: PSI_GRID,
    reason,
    ...extra,
  });
  if (bakes) return whole('bake', baseline ? { baseline } : {});
  if (!baseline) return whole('no-baseline');
  const allowed = allowedPp / 100;
  if (!(allowed > 0)) return whole('no-allowance', { baseline });
  const upper = wilsonUpper(baseline.errors, baseline.invocations);
  // Near 100% errors the odds are unbounded and no increase of `allowed` fits: keep every point.
  if (upper + allowed >= 1) return whole('high-rate', { baseline, stableRateUpper: upper });
  const floor = actionableOddsRatio(upper, allowed);
  const from = PSI_GRID.findIndex((psi) => psi >= floor);
  // The largest odds ratio always stays: a broken version must still be caught.
  const grid = PSI_GRID.slice(from < 0 ? PSI_GRID.length - 1 : from);
  const reason = grid.length < PSI_GRID.length ? 'cut' : 'nothing-to-cut';
  return { grid, reason, baseline, stableRateUpper: upper };
}
