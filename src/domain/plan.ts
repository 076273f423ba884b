/**
 * A plan is data: the list of (weight, hold) steps computed purely from a strategy.
 * `lshift plan` prints it; the engine executes it; a rollback is a one-step plan.
 */
import { roundPercent } from './duration.js';
import type { Strategy } from './strategy-shape.js';

export interface PlanStep {
  /** 0-based position in the plan. */
  index: number;
  /** Traffic percentage on the new version during this step, (0, 100]. */
  percent: number;
  /** Seconds to hold this weight before the next step (0 for the final 100% step). */
  holdSeconds: number;
  /** Seconds from the start of the shift at which this step begins. */
  offsetSeconds: number;
}

export interface Plan {
  strategy: Strategy;
  steps: PlanStep[];
  /** Sum of holds: the scheduled duration of the shift. */
  totalSeconds: number;
  /**
   * Longest wait at the last weight before 100% (and at the end of a bake) for the last step's
   * metric minutes to arrive in CloudWatch; usually shorter (it ends when they have arrived).
   * All-at-once has nothing before 100% to settle, but its bake (all that judges it) still
   * ends with this wait. docs/analysis.md#the-settle-wait
   */
  settleSeconds?: number;
  /**
   * Whole minutes the settle wait before 100% also observes at the last weight, beyond the last
   * step's own minutes (SETTLE_EXTRA_MINUTES when there is a settle, else 0): the evidence the
   * analysis judges before 100% then covers them too. docs/analysis.md#the-settle-wait
   */
  settleExtraMinutes?: number;
}

/**
 * Minutes the settle wait adds at the last weight. A 5-minute canary at 10% of 1,000 requests a
 * minute gives the new version about 500 calls: too few for an anytime-valid test at α = 1% to
 * catch 5% vs 1% errors 99 times in 100 (98% at best, whatever the mixture); 2 more minutes give
 * 99.9% (docs/analysis.md#detection-quality).
 */
export const SETTLE_EXTRA_MINUTES = 2;

/**
 * Default longest settle wait: the minute in which the last step ends (up to 60 s), the extra
 * minutes, plus CloudWatch's usual delay for Lambda datapoints (1–3 minutes).
 */
export const DEFAULT_SETTLE_SECONDS = 60 + SETTLE_EXTRA_MINUTES * 60 + 180;

export interface PlanOptions {
  /** Longest settle wait; DEFAULT_SETTLE_SECONDS when absent, 0 turns it off. */
  settleSeconds?: number;
}

/**
 * The timeline of a strategy, matching CodeDeploy where names overlap
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html):
 * - canary X% N: X% held N, then 100% (total N);
 * - linear X% every N: X%, 2X%, … each held N while below 100%, then 100% (10% every 1 min:
 *   10 steps, 9 min). When X does not divide 100 the last increment is smaller: 30% every N is
 *   30%, 60%, 90% (each held N), then 100% — total 3N. CodeDeploy only documents equal
 *   increments; this rule never routes over 100% and never holds a step above the last
 *   multiple of X, so the total is (ceil(100 / X) - 1) × N, as for the divisors;
 * - all-at-once: 100% held 0;
 * - steps: as given (the list already ends with 100% held 0).
 */
export function planShift(strategy: Strategy, options: PlanOptions = {}): Plan {
  const holds = listHolds(strategy);
  const steps: PlanStep[] = [];
  let offsetSeconds = 0;
  for (const [index, hold] of holds.entries()) {
    steps.push({ index, percent: hold.percent, holdSeconds: hold.holdSeconds, offsetSeconds });
    offsetSeconds += hold.holdSeconds;
  }
  const settleSeconds = options.settleSeconds ?? DEFAULT_SETTLE_SECONDS;
  // The extra minutes are held at the last weight before 100%: none when nothing precedes it.
  const settleExtraMinutes = settleSeconds > 0 && steps.length > 1 ? SETTLE_EXTRA_MINUTES : 0;
  return { strategy, steps, totalSeconds: offsetSeconds, settleSeconds, settleExtraMinutes };
}

type Hold = { percent: number; holdSeconds: number };

function listHolds(strategy: Strategy): Hold[] {
  switch (strategy.kind) {
    case 'canary':
      return [
        { percent: strategy.percent, holdSeconds: strategy.intervalSeconds },
        { percent: 100, holdSeconds: 0 },
      ];
    case 'linear':
      return listLinearHolds(strategy.percent, strategy.intervalSeconds);
    case 'all-at-once':
      return [{ percent: 100, holdSeconds: 0 }];
    case 'steps':
      return strategy.steps.map((s) => ({ percent: s.percent, holdSeconds: s.holdSeconds }));
  }
}

function listLinearHolds(percent: number, intervalSeconds: number): Hold[] {
  const holds: Hold[] = [];
  // Multiply rather than add so float error does not build up (0.1 * 3, not 0.1 + 0.1 + 0.1).
  for (let k = 1; roundPercent(k * percent) < 100; k++) {
    holds.push({ percent: roundPercent(k * percent), holdSeconds: intervalSeconds });
  }
  holds.push({ percent: 100, holdSeconds: 0 });
  return holds;
}
