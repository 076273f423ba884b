/**
 * Typed events the engine emits. Renderers subscribe (src/cli/renderers/*); the engine never
 * prints. Every event carries `at`, the clock time in epoch ms.
 */

import type { DeployResult } from './deploy-result-types.js';
import type { AlarmState } from './health-readings.js';
import type { HookPhase } from './hook-spec.js';
import type { OperatorVerb } from './operator-command.js';
import type { Plan } from './plan.js';
import type { ReleaseTarget } from './release-program.js';
import type { Verdict } from './verdict.js';

// The result types moved to their own file (deploy-result-types.ts); importers of them here keep working.
export type {
  DeployResult,
  DeployStatus,
  FinishedBy,
  HeldBy,
  StepOutcome,
  StepResult,
  StoppedFor,
} from './deploy-result-types.js';
export { STEP_RESULTS } from './deploy-result-types.js';

export type EngineEvent =
  | { type: 'publish.started'; at: number; functionName: string }
  | { type: 'publish.code-updated'; at: number; functionName: string; codeSha256: string }
  | { type: 'publish.completed'; at: number; functionName: string; version: string; created: boolean }
  | { type: 'preflight.started'; at: number; functionName: string; alias: string }
  | { type: 'preflight.check'; at: number; check: string; ok: boolean; message: string }
  /**
   * A dry run with code to publish (`deploy --dry-run --zip …`; in a release's, each function)
   * ends its preflight before the upload: the checks it could run passed; those that need the new
   * version did not run, and there is no target version to name (preflight.completed's is required).
   */
  | { type: 'preflight.stopped'; at: number; functionName: string; alias: string; stableVersion: string }
  | {
      type: 'preflight.completed';
      at: number;
      functionName: string;
      alias: string;
      stableVersion: string;
      targetVersion: string;
    }
  | {
      type: 'shift.started';
      at: number;
      deploymentId: string;
      functionName: string;
      alias: string;
      stableVersion: string;
      targetVersion: string;
      plan: Plan;
    }
  | {
      type: 'step.started';
      at: number;
      index: number;
      total: number;
      percent: number;
      holdSeconds: number;
      /** The function and alias whose traffic moves (a release may have several). */
      target?: ReleaseTarget;
    }
  | {
      type: 'health.polled';
      at: number;
      index: number;
      percent: number;
      alarms: AlarmState[];
      verdicts: Verdict[];
      remainingSeconds: number;
      /** Watched while another function of a `--stagger` release holds (no hold of its own). */
      alongside?: true;
      /**
       * Watched beside a wait with no hold of its own (src/engine/wait-watch.ts): a step or
       * post-traffic hook, or a wait for provisioned concurrency. A failure ends the wait.
       */
      during?: WaitBeside;
      /**
       * The hold's clock is stopped by an operator's pause (`lshift pause`, or one that stood when
       * `deploy --resume` took the deployment over): renderers show this, not a guess from the verbs.
       */
      paused?: true;
    }
  | { type: 'health.error'; at: number; message: string; consecutive: number; limit: number }
  | {
      type: 'step.completed';
      at: number;
      index: number;
      percent: number;
      target?: ReleaseTarget;
      /** No gate judged the new version during the hold (plan-check.ts judgedHealthy): not "healthy". */
      unjudged?: true;
    }
  | { type: 'bake.started'; at: number; seconds: number }
  /**
   * The weight is held until CloudWatch has the last minutes' metrics, at most `maxSeconds`
   * (`--settle`): before the promote (`phase: 'shift'`) or at the end of a bake (`'bake'`).
   */
  | { type: 'settle.started'; at: number; phase: 'shift' | 'bake'; percent: number; maxSeconds: number }
  | {
      type: 'bake.completed';
      at: number;
      /** An operator's `lshift promote` ended the bake before its time: how long it watched, of how long. */
      endedEarly?: { afterSeconds: number; plannedSeconds: number };
      /** No gate judged the new version during the bake (plan-check.ts judgedHealthy): not "healthy". */
      unjudged?: true;
    }
  | ({ type: 'hook.started'; at: number; phase: HookPhase; hook: string } & HookScope)
  | ({ type: 'hook.output'; at: number; phase: HookPhase; hook: string; line: string } & HookScope)
  | ({
      type: 'hook.completed';
      at: number;
      phase: HookPhase;
      hook: string;
      ok: boolean;
      reason?: string;
      durationMs: number;
    } & HookScope)
  | {
      type: 'rollback.started';
      at: number;
      /** Which alias goes back: `lshift rollback`'s and `check`'s streams have no shift.started to say it. */
      functionName: string;
      alias: string;
      reason: string;
      fromPercent: number;
      toVersion: string;
      /**
       * `lshift rollback` and `check`: the alias's primary version when the rollback began — all
       * its traffic when the alias was not split — so a second signal's lines can say "either
       * still all on version 6, or all on version 3".
       */
      fromVersion?: string;
      /**
       * A deploy's rollback: false when no weight write was ever sent, so all traffic is certainly
       * still on `toVersion`. A `fromPercent` of 0 alone is only "as last seen": a weight write
       * whose answer never came may have landed.
       */
      trafficMoved?: boolean;
      /**
       * A deploy's rollback after an interrupt that abandoned a weight write in flight (sent, not
       * answered): its percent on the new version. It may still land (or have landed) although
       * `fromPercent` says the alias as last seen; a second signal's lines say so (alias-watch.ts).
       */
      writeInFlight?: number;
      /**
       * `lshift rollback` or `check` found the alias already all on `toVersion` (an unfinished
       * deployment whose runner's own rollback write landed before it died): `fromPercent` is 0
       * because nothing is left to move, not because the new version never carried traffic.
       * `recorded`: the weight its record last held on its new version, when it says one.
       * `closeOnly`: `check` only closes the record (its alias all on the stable version with no
       * live owner): no traffic moves, and the line says so rather than "ROLLBACK".
       */
      alreadyThere?: { recorded?: { percent: number; version: string }; closeOnly?: true };
      /**
       * A function of a release whose own function a read or write of its record already found
       * deleted: nothing of it is left to roll back (its alias went with it).
       */
      functionDeleted?: true;
    }
  | {
      type: 'rollback.completed';
      at: number;
      toVersion: string;
      /** `lshift check` only closed the record: all traffic was already on `toVersion`. */
      closeOnly?: true;
    }
  | {
      type: 'rollback.failed';
      at: number;
      message: string;
      /** The rollback found the function (or its alias) deleted: nothing was left to roll back. */
      deleted?: 'function' | 'alias';
      /**
       * Nothing failed: someone else moved the alias (a hook, a person), and lshift does not write
       * over that move (exit 5). Said "ROLLBACK FAILED" until 5 December 2026.
       */
      conflict?: true;
    }
  | { type: 'record.written'; at: number; phase: string }
  /** The running deployment read an operator command (`lshift promote|pause|resume|abort`). */
  | { type: 'operator.command'; at: number; verb: OperatorVerb; by: string; reason?: string; obeyed: boolean }
  | {
      type: 'log';
      at: number;
      level: 'info' | 'warn';
      message: string;
      about?: WarningTopic;
      /**
       * The warning that a read or write of the function's record found the function deleted
       * mid-shift (said once): a release's table keeps saying so in its row (release-table.ts).
       */
      functionGone?: true;
    }
  /**
   * A release of several functions starts (every function checked, no record written yet): its
   * id is what `lshift abort --release` needs, and a CI job may learn it only from the events.
   */
  | {
      type: 'release.started';
      at: number;
      releaseId: string;
      mode: 'lockstep' | 'stagger';
      /** The functions that will move (a function already on its target is not among them). */
      functions: ReleaseTarget[];
      /** `deploy --resume` took the release over from a runner that died. */
      resumed?: true;
    }
  | { type: 'deploy.finished'; at: number; result: DeployResult };

/**
 * What a warning is about, where it is known: a reader (the GitHub annotation's title, an NDJSON
 * filter) tells a blind spot of the canary analysis from a hook it could not check.
 */
export type WarningTopic =
  | 'health'
  | 'analysis'
  | 'credentials'
  | 'event-source'
  | 'hook'
  | 'preflight'
  | 'provisioned-concurrency'
  | 'warm'
  | 'record'
  | 'alias'
  | 'codedeploy';

/**
 * Whose hook it is in a release of several functions: a hook of the whole release (run once) is
 * the release's, `releaseId`, and names no function (`target`); a function's own hook gets that
 * function's `target` (release.ts, namedEvents).
 */
export interface HookScope {
  releaseId?: string;
}

/** The waits a deployment's health is watched beside (src/engine/wait-watch.ts). */
export type WaitBeside = 'step-hook' | 'post-hook' | 'provisioned-concurrency';
