/**
 * A plan is data: the list of (weight, hold) steps computed purely from a strategy.
 * `lshift plan` prints it; the engine executes it; a rollback is a one-step plan.
 */
import type { Strategy } from './strategy.js';

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
}
