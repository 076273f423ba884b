/**
 * Why a deployment or rollback ended as it did, as data: a stable code and the values behind it.
 * The engine returns it in every result (`cause`, with `step`, the program index it stopped at);
 * the CLI decides the exit code from `status` and can word it from the code and data.
 */
import type {
  NothingToDoCause,
  RecordSummary,
  RollbackConflictCause,
  RollbackFailedCause,
  RollbackRequestedCause,
  RollbackTargetDeletedCause,
  RollbackUnfinishedCause,
} from './outcome-rollback.js';

// Re-exported: rollback-record.ts, rollback-hand-close.ts, rollback-destination.ts and
// describe-outcome.ts import it from here (files others edit in parallel: a moved import conflicts).
export type { RecordSummary };

type CauseBody =
  /**
   * A health gate failed (alarm, canary analysis). `movedByHand`: its CodeDeploy deployment's stop
   * found the alias moved by hand a moment before (as INTERRUPTED's), and the rollback ran over it.
   */
  | { code: 'GATE_FAILED'; data: { gates: string[]; movedByHand?: true } }
  /**
   * Someone outside this run stopped the AWS CodeDeploy deployment lshift followed (a
   * StopDeployment: the console, `aws deploy stop-deployment`, another operator — CodeDeploy's
   * MANUAL_STOP), while no health gate of this run failed. Not GATE_FAILED: CodeDeploy's own
   * alarm ending it is (a hook that failed HOOK_FAILED); this is exit 3 like
   * ROLLED_BACK_BY_OTHER, since this deployment's version carries no traffic and no lshift holds the alias.
   */
  | { code: 'STOPPED_IN_CODEDEPLOY'; data: { deploymentId: string } }
  /** Health could not be read for `consecutive` polls in a row. */
  | { code: 'HEALTH_UNREADABLE'; data: { consecutive: number; limit: number } }
  /** A step ended without a verdict under `--on-inconclusive fail` (`movedByHand`: as GATE_FAILED's). */
  | { code: 'INCONCLUSIVE'; data: { gates: string[]; movedByHand?: true } }
  /**
   * A hook failed. `output`: the last lines (at most 20, masked) the first failing hook printed,
   * when it printed any — the one-line `detail` quotes only the last.
   */
  | { code: 'HOOK_FAILED'; data: { phase: string; hooks: string[]; output?: string[] } }
  /** An alias weight write failed with an error other than a conflict. */
  | { code: 'WEIGHT_WRITE_FAILED'; data: { percent: number; error?: string } }
  /**
   * Someone else moved the alias (HTTP 412 on the RevisionId, a read of it). `codeDeployRunning`:
   * the AWS CodeDeploy deployment lshift followed, which it could not stop (or not see stop)
   * after the move: it may move the alias again (the run is then `unsafe`, exit 4).
   * `codeDeploySucceededOver`: that deployment, which had ended Succeeded before lshift's stop
   * reached it, its last step moving the alias over the person's move (`unsafe`, exit 4).
   */
  | {
      code: 'ALIAS_CHANGED';
      /** `splitLeft`: split by someone mid-shift and left so, nobody driving it (exit 4: settle.ts). */
      data: { codeDeployRunning?: string; codeDeploySucceededOver?: string; splitLeft?: boolean };
    }
  /** Another CodeDeploy deployment runs on the group: lshift started none (CODEDEPLOY_GROUP_BUSY). */
  | { code: 'GROUP_BUSY'; data: Record<string, never> }
  /**
   * Someone else rolled this very deployment back while it shifted (`lshift rollback`, a check,
   * `lshift alias` to the stable version): its record says so, and the alias routes all traffic
   * to the stable version. `owner`: who, as their record says. `successor`: the later deployment
   * that holds the alias now (`deploy --supersede`), when this one was seen only after it had
   * been rolled back and replaced; `owner` is then that deployment's. `claimedTo`/`claimer`: the
   * runner followed a `lshift rollback --to claimedTo` of `claimer` (its claim's `rt=`, not the
   * stable version) that stopped, and `owner` finished it on the stable version instead
   * (engine/follow-claim-goal.ts).
   */
  | {
      code: 'ROLLED_BACK_BY_OTHER';
      data: { owner: string; successor?: string; claimedTo?: string; claimer?: string };
    }
  /**
   * Someone else's rollback claimed this deployment (`lshift rollback`, a check, `--supersede`)
   * and stopped before it put the alias back: no heartbeat on its claim since `heartbeatAt`
   * (epoch ms), the alias still routing to the target. A human must finish it (exit 4).
   * `handedBack`: it gave up instead and put the record back as it was before its claim, to this
   * runner that no longer drives it (`heartbeatAt`: the claim's last heartbeat seen).
   * `sandboxClock`: this runner's clock followed a sandbox's (Clock.followsSandbox), so a claim
   * from the future was ahead of the sandbox's clock, not this machine's (as the reason says it).
   * `claimedTo`: that rollback was `lshift rollback --to claimedTo` (its claim's `rt=`), not the
   * stable version, which the fix (`lshift rollback`) puts the traffic on.
   */
  | {
      code: 'ROLLBACK_ABANDONED';
      data: {
        owner: string;
        heartbeatAt: number;
        handedBack?: true;
        sandboxClock?: true;
        claimedTo?: string;
      };
    }
  /**
   * Another lshift took the deployment record over (resume, supersede, rollback). `splitLeft`:
   * that rollback (`by`) then met a split someone made and left it (`by-hand`), or failed with
   * the alias split (`failed`): nobody drives that split (`unsafe`, exit 4: taken-split-left.ts).
   * `promotedBy`: a person's `lshift rollback --to` (its owner) put all traffic on this
   * deployment's own new version `to` and closed it promoted (a conflict, exit 5:
   * engine/rollback-to-taker.ts). `overRollback`: this deploy was rolling it back when that came —
   * what for (its cause's detail, or `''` when not known): it had judged `to` bad. `noAlarms`: that
   * deploy watched no alarm, so no `lshift check` rolls `to` back for one of its alarms.
   * `stateUnknown`: what became of that rollback (`by`, when its claim was seen) is not known, and
   * the alias may be split (`unsafe`, exit 4: engine/follow-unreadable-end.ts): `record`, this
   * runner followed it and no read of the record answered at the end, the alias split or
   * unreadable; `alias`, its record says it failed or left a split someone made, and the alias
   * did not answer; `alias-rolled-back`, its record says it rolled back, and the alias did not
   * answer through the whole follow (the alias is the truth, not the record).
   */
  | {
      code: 'TAKEN_OVER';
      data: {
        splitLeft?: 'by-hand' | 'failed';
        stateUnknown?: 'record' | 'alias' | 'alias-rolled-back';
        by?: string;
        promotedBy?: string;
        to?: string;
        overRollback?: string;
        noAlarms?: true;
      };
    }
  /**
   * A function of a release found deleted by a read or write of its deployment record mid-shift
   * (FUNCTION_NOT_FOUND: the record is tags on the function): the release decides at once, as
   * the next weight write that met the deletion would have (engine/health-monitor.ts; a wait
   * without health polls, engine/shift-waits.ts). `functionName`: the deleted function — the
   * release's other functions carry the same cause, stopped for it.
   */
  | { code: 'FUNCTION_DELETED'; data: { foundBy: 'read' | 'write'; functionName: string } }
  /**
   * Ctrl-C/SIGTERM; `left` when the weights were left as they were (--on-interrupt leave);
   * `writeInFlight`: the percent of a weight write the interrupt abandoned, which may still land.
   * `startUnanswered`: it abandoned CodeDeploy's CreateDeployment in flight and two looks found no
   * deployment of this run: CodeDeploy may still take it late (status `unsafe`, exit 4; `detail`
   * says so, as CODEDEPLOY_START_UNANSWERED does).
   * `movedByHand`: the stop of its CodeDeploy deployment found the alias moved by hand a moment
   * before, and the rollback put all traffic back over that move; `detail` says how it was routed
   * (engine/codedeploy-stop-move.ts).
   * `stopOutran`: the StopDeployment of its CodeDeploy deployment failed or got no answer, and
   * CodeDeploy had ended the deployment Succeeded (all traffic on the new version) before it took
   * any stop; the rollback then wrote the alias back itself. `detail` says so
   * (engine/codedeploy-stop-outran.ts).
   */
  | {
      code: 'INTERRUPTED';
      data: {
        left: boolean;
        writeInFlight?: number;
        startUnanswered?: true;
        movedByHand?: true;
        stopOutran?: true;
      };
    }
  /**
   * `deploy --engine codedeploy --detach` handed the shift to AWS CodeDeploy and stopped following
   * it (status `paused`, exit 0): no signal came. Before, it read INTERRUPTED with `left: true`.
   */
  | { code: 'DETACHED'; data: Record<string, never> }
  /** `--warm`'s temporary provisioned concurrency on `version` was not READY; no traffic moved. */
  | { code: 'WARM_NOT_READY'; data: { version: string; amount: number } }
  /**
   * Every step passed, but the alias was not seen routing all traffic to `targetVersion` alone
   * (split, elsewhere, or unreadable: `error`): the record is not written `promoted`.
   */
  | { code: 'PROMOTE_UNCONFIRMED'; data: { targetVersion: string; stableVersion: string; error?: string } }
  /**
   * The deployment record stayed unwritten for `seconds` (TagResource failing) as a hold before a
   * weight write, or before the deployment was declared promoted, was to end: rolled back rather
   * than go on while nobody else could see the deployment (engine/health-monitor.ts,
   * RecordLagWatch). `paused`: an operator's pause held it, which no resume or abort could end.
   */
  | { code: 'RECORD_UNWRITTEN'; data: { seconds: number; paused?: true } }
  /**
   * The deployment record could not be read for `seconds` (ListTags failing) as a hold before a
   * weight write, or before the deployment was declared promoted, was to end: rolled back rather
   * than go on blind to an operator's abort or pause and to a takeover (engine/health-monitor.ts,
   * RecordLagWatch). `paused`: an operator's pause held it, whose resume or abort it could not see.
   */
  | { code: 'RECORD_UNREAD'; data: { seconds: number; paused?: true } }
  /** The settle wait failed. */
  | { code: 'SETTLE_FAILED'; data: Record<string, never> }
  /** The rollback causes: outcome-rollback.ts. */
  | RollbackUnfinishedCause
  | RollbackFailedCause<OutcomeCause>
  | RollbackConflictCause<OutcomeCause>
  | RollbackTargetDeletedCause<OutcomeCause>
  | RollbackRequestedCause
  | NothingToDoCause
  /** An operator ran `lshift abort` (`by`: who, `reason`: the reason they gave). */
  | { code: 'OPERATOR_ABORTED'; data: { by: string; reason?: string } }
  /** A bug or an unexpected port failure mid-shift. */
  | { code: 'INTERNAL'; data: { error: string } };

/**
 * `detail`: the evidence as its source gave it — a gate's verdict, a hook's failure, an AWS
 * error message, why the record was lost. The CLI words the outcome around it.
 */
export type OutcomeCause = CauseBody & { detail?: string };

export type OutcomeCode = OutcomeCause['code'];

export function causeOf<C extends OutcomeCode>(
  code: C,
  data: Extract<CauseBody, { code: C }>['data'],
  detail?: string,
): OutcomeCause {
  return (detail === undefined ? { code, data } : { code, data, detail }) as OutcomeCause;
}

/**
 * A rollback that found its function (or alias) deleted, after a forward weight write met the
 * deletion first — or, in a release, a read or write of its record did and the release stopped
 * for it (FUNCTION_DELETED): it was deleted during the deployment, and the rollback's read only
 * confirmed it — not "deleted during the rollback".
 */
export function isDeletionMetForward(after: OutcomeCause | undefined, what: 'function' | 'alias'): boolean {
  if (what === 'function' && after?.code === 'FUNCTION_DELETED') return true;
  const notFound = what === 'function' ? 'FUNCTION_NOT_FOUND' : 'ALIAS_NOT_FOUND';
  return after?.code === 'WEIGHT_WRITE_FAILED' && after.data.error === notFound;
}

/** Where a deployment was when it ended, as data (the CLI says `at step 2 (20%)`). */
export type Position =
  /**
   * No traffic has moved yet. `during` says where, when an interrupt came while waiting: lshift's
   * own pre-traffic hook (`pre-hook`), or a CodeDeploy deployment that had shifted none yet when
   * last polled — with a BeforeAllowTraffic hook, which runs first (`codedeploy-pre-hook`), or without
   * (`codedeploy-start`).
   */
  | { kind: 'before-traffic'; during?: 'pre-hook' | 'codedeploy-pre-hook' | 'codedeploy-start' }
  /**
   * Holding plan step `index` (0-based) at `percent`; `during` the settle wait after its hold
   * (the last step's weight kept until its minutes' metrics have arrived, watch-steps.ts runSettle).
   */
  | { kind: 'step'; index: number; percent: number; during?: 'settle' }
  /** After the last plan step (`index`); `during` the post-traffic hooks while they run. */
  | { kind: 'after-step'; index: number; percent: number; during?: 'post-hook' }
  | { kind: 'bake'; percent: number }
  /** A resumed deployment before its program started; `summary` says where it picks up. */
  | { kind: 'resuming'; deploymentId: string; summary: string };

/** The rollback hooks that failed after a rollback (they never change the outcome). */
export type RollbackHooksNote =
  /** `output`: the last lines the first failing hook printed (HOOK_FAILED's `output`). */
  | { kind: 'failed'; hooks: string[]; detail: string; output?: string[] }
  | { kind: 'interrupted'; hook: string };
