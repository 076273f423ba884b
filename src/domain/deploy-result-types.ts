/**
 * The result of a deployment or a release, as `--json` prints it and the exit code derives from
 * it (src/cli/exit-codes.ts), with the parts it names: each step's outcome, who took a function
 * over or finished its rollback. The engine's `deploy.finished` event carries it (events.ts).
 */
import type { OutcomeCause, Position, RollbackHooksNote } from './outcome.js';
import type { Verdict } from './verdict.js';

export type DeployStatus =
  | 'promoted'
  | 'nothing_to_deploy'
  | 'rolled_back'
  | 'failed'
  | 'unsafe'
  | 'conflict'
  | 'paused';

export interface StepOutcome {
  index: number;
  percent: number;
  holdSeconds: number;
  /** Epoch ms the weight was written. */
  startedAt: number;
  /** Epoch ms the step ended (held to the end, or cut short by a rollback). */
  endedAt?: number;
  result: StepResult;
}

/**
 * How a step ended. `failed`: its own health gate or weight write failed in this run (a hook
 * runs between steps: the step before a failed hook stays `completed`);
 * `interrupted`: a signal (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT) stopped this run; `stopped`: something
 * outside the step ended it — an operator (`lshift abort`, `lshift rollback`), another lshift run (a
 * takeover, `deploy --supersede`, a scheduled check), someone else's alias write or CodeDeploy
 * deployment, or another function of its release whose health failed. A CI consumer reading
 * `steps[]` can tell "this step's gate failed" from "someone else took the deployment".
 */
export const STEP_RESULTS = ['completed', 'failed', 'interrupted', 'stopped', 'detached'] as const;
export type StepResult = (typeof STEP_RESULTS)[number];

/** The result object `--json` prints and the exit code derives from. */
export interface DeployResult {
  status: DeployStatus;
  deploymentId?: string;
  functionName: string;
  alias: string;
  fromVersion?: string;
  toVersion?: string;
  strategy?: string;
  steps: StepOutcome[];
  verdicts: Verdict[];
  /**
   * Why, as data: a stable code and its values (absent when promoted). There is no prose here:
   * the CLI words it (src/cli/describe-outcome.ts) and adds `reason` to what it prints.
   */
  cause?: OutcomeCause;
  /** Where the deployment was when it ended. */
  position?: Position;
  /**
   * False when lshift attempted no forward alias write of its own. Not that the alias is
   * unchanged: someone else (a pre-traffic hook, a person) may have moved it, a conflict whose
   * `aliasState` says where (docs/ci.md).
   */
  trafficMoved?: boolean;
  /** Rollback hooks that failed or were interrupted after a rollback. */
  rollbackHooks?: RollbackHooksNote;
  /** The index of the program step it ended at (the release program, or the rollback's). */
  step?: number;
  /** For exit 4: the alias state as last seen and the command that fixes it. */
  aliasState?: { functionVersion: string; additionalWeights: Record<string, number> };
  fixCommand?: string;
  /** For exit 4: the `lshift rollback` line that fixes it and closes the record (fixCommand: without lshift). */
  rollbackCommand?: string;
  /**
   * `--engine codedeploy`: the CodeDeploy deployment that ran the shift; `detached` when lshift
   * handed it over and stopped following (`--detach`; follow it with `lshift wait <id>`).
   */
  codeDeploy?: { deploymentId: string; detached?: boolean };
  /** Image function: the new version's image as given and resolved, and the stable one's digest. */
  image?: { imageUri?: string; resolvedImageUri?: string; stableResolvedImageUri?: string };
  startedAt?: number;
  endedAt?: number;
  /**
   * What the user should know even when it went well: every warning said before the first
   * weight write (the CLI's: nothing watches health, the plan lets the analysis see little, the
   * credentials; the preflight's: an event source mapping that bypasses the alias, a hook it
   * could not check), then the analysis never judged the new version (docs/analysis.md#warnings).
   * Each once.
   */
  warnings?: string[];
  /**
   * The runner's own rollback was finished by someone else while it retried (a scheduled
   * `lshift check` that took its record for abandoned, a person's `lshift rollback`): all traffic
   * is on the stable version, and this says who put it there (engine/rollback-finished-by.ts).
   */
  finishedBy?: FinishedBy;
  /**
   * A release's function taken over before the release's verdict (a conflict): who holds its
   * record now, as that record says (engine/release-takers.ts), so the release's words name them.
   */
  heldBy?: HeldBy;
  /**
   * A release's function rolled back because another function of the release was taken over
   * before the verdict: that function, and what became of it once it settled (rolled back by
   * someone else, or held by them: engine/release-takers.ts), so this one's reason says so.
   */
  stoppedFor?: StoppedFor;
}

/** The function a release stopped for, taken over, as it ended. */
export interface StoppedFor {
  functionName: string;
  alias: string;
  /** Who rolled it back (its alias is all on its stable version). */
  rolledBackBy?: string;
  /** Who holds its record now, when not rolled back. */
  heldBy?: HeldBy;
  /** How the release found out: its alias moved under a weight write (412), not its record. */
  aliasChanged?: true;
}

/** Who took a function over: their record's owner, phase and deployment id. */
export interface HeldBy {
  owner: string;
  phase: string;
  deploymentId: string;
}

/** Who finished a runner's rollback: their record's owner, phase and time (epoch ms). */
export interface FinishedBy {
  owner: string;
  phase: 'rolled-back' | 'rolling-back';
  at: number;
}
