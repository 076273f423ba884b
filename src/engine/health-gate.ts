/**
 * A health gate judges the deployment at each poll. The alarm gate (issue 2) and the canary
 * analysis gate (issue 5) implement it; the engine combines their verdicts:
 * any `fail` → roll back; `error` counts towards the consecutive-error limit; `inconclusive`
 * continues unless the deploy was told `--on-inconclusive fail` (decided at the end of a step).
 */
import type { Verdict } from '../domain/verdict.js';

export interface HealthWindow {
  functionName: string;
  alias: string;
  stableVersion: string;
  targetVersion: string;
  /** `shift` while weights move, `bake` while watching at 100%. */
  phase: 'shift' | 'bake';
  stepIndex: number;
  percent: number;
  /** Epoch ms (clock time) the current step's weight was written. */
  stepStartedAt: number;
  /** Epoch ms the deployment started (before any traffic moved). */
  deploymentStartedAt: number;
  /**
   * The deployment ends with a bake: its bake minutes are compared with the minutes before the
   * deployment, so nothing read from those minutes may shape the test (error-prior.ts).
   */
  bakes: boolean;
  now: number;
  /** True on the last poll of a step (the step's hold has elapsed). */
  endOfStep: boolean;
  /**
   * The poll that closes a watch beside a wait (wait-watch.ts): the alarm gate reads every
   * waiting history, as at the end of a step, without the step's end for the other gates.
   */
  readAllAlarms?: boolean;
}

export interface HealthGate {
  readonly name: string;
  /**
   * False when it reads no metrics at all (`--no-analysis`: every analysis gate off): the settle
   * wait, which waits for the per-version metrics it reads, is then skipped (metrics-settle.ts).
   */
  readonly readsMetrics?: boolean;
  /** Never throws for a signal read failure: returns an `error` verdict instead. */
  evaluate(window: HealthWindow): Promise<Verdict[]>;
}
