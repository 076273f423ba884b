/**
 * The causes that end a rollback (`lshift rollback`, a check's, a deployment's own after a
 * failure) and that of a resumed deployment found rolling back: the rollback's half of
 * outcome.ts's cause union. Each is an interface; `C` is outcome.ts's OutcomeCause, given there
 * (`after`: what the rollback was for), so this file imports nothing from it.
 */

export interface RecordSummary {
  deploymentId: string;
  stableVersion: string;
  targetVersion: string;
  phase: string;
  endReason?: string;
}

/** A resumed deployment was rolling back (or its rollback had failed): it is finished. */
export interface RollbackUnfinishedCause {
  code: 'ROLLBACK_UNFINISHED';
  data: { phase: string };
}

/**
 * The rollback write kept failing: the alias may be split. `after`: what the rollback was
 * for, when a deployment rolled itself back (absent for `lshift rollback`). `codeDeployRunning`:
 * the CodeDeploy deployment lshift could not stop, which keeps moving the alias by itself.
 * `lastWriteUnanswered`: the last write's answer never came, so the alias state was seen before
 * it and that write may have landed.
 */
export interface RollbackFailedCause<C> {
  code: 'ROLLBACK_FAILED';
  data: {
    attempts: number;
    error: string;
    errorCode?: string;
    after?: C;
    codeDeployRunning?: string;
    /** CodeDeploy took lshift's StopDeployment (auto-rollback); lshift could not see it end. */
    codeDeployStopSent?: true;
    lastWriteUnanswered?: true;
    /** The alias changed since its state was read (a 412) and could not be read again. */
    aliasStateStale?: true;
    /**
     * The read that was to confirm the alias on its stable version failed, so where it is
     * now is unknown: lshift had written none of its weights (`before-write`), or the
     * rollback was done and its hooks ran since (`after-hooks`: rollback-hooks-moved.ts).
     */
    aliasUnread?: 'before-write' | 'after-hooks';
  };
}

/** The alias changed during the rollback; nothing was overwritten. */
export interface RollbackConflictCause<C> {
  code: 'ROLLBACK_CONFLICT';
  /**
   * `recordOpen`: the alias was moved by hand during a deploy's rollback and left there, but
   * its record could not be closed as moved by hand: it still says `rolling-back`, which a
   * `lshift check` would finish over that move (rollback-moved-close.ts; for `lshift
   * rollback`, rollback-hand-close.ts). Exit 4.
   */
  data: {
    error: string;
    after?: C;
    recordOpen?: true;
    /** `lshift rollback` closed the deployment's record as moved by hand (rollback-hand-close.ts). */
    recordClosed?: RecordSummary;
    /** `lshift rollback` left the record to whoever took it meanwhile (a claim, a new deployment). */
    recordTakenBy?: string;
    /**
     * Found by the refusal of the rollback's first write: the move came before that write, after
     * lshift's own last write or read of the alias (a hold, a hook, a stopped runner), not
     * during the rollback (step-restore.ts).
     */
    beforeRollbackWrite?: true;
  };
}

/**
 * The function (or its alias) was deleted while lshift rolled it back, as a read confirmed:
 * no traffic is left to move and no command can fix it (status `failed`, exit 1).
 */
export interface RollbackTargetDeletedCause<C> {
  code: 'ROLLBACK_TARGET_DELETED';
  /**
   * `missingBefore`: a record write of the shift already found the function gone.
   * `sinceLastWrite`: nothing lshift wrote since the rollback began landed on it (a deploy's
   * `rolling-back` mark found it gone too, or only the restore touched the alias), so it may
   * have been deleted any time after lshift's last write to it — not "during the rollback".
   * The same rule for a function of a release (deletion-words.ts dates and words all three).
   */
  data: { what: 'function' | 'alias'; after?: C; missingBefore?: true; sinceLastWrite?: true };
}

/** `lshift rollback` did as asked; `why` is the reason it was given (--reason, supersede, check). */
export interface RollbackRequestedCause {
  code: 'ROLLBACK_REQUESTED';
  /**
   * `promoted`: `--to` the unfinished deployment's own new version, which this closed promoted
   * (moved by hand) rather than rolled back: its id (engine/rollback-to-taker.ts).
   */
  data: { why: string; promoted?: string };
}

/**
 * The alias already routes everything to the version asked for. `undone`: the deployment
 * that was already undone; `closed`: an unfinished one now recorded as rolled back;
 * `landed`: the rollback's write was refused (412) because the alias was already there;
 * `keptPromoted`: `closed` was a promoted deployment and `--to` its own new version, so it
 * stays promoted (rollback-record.ts isPromotedTo); `movedByHand`: `closed` was a promoted
 * deployment whose alias someone had put back by hand, recorded so (not as a rollback);
 * `promotedByHand`: `closed` was unfinished with all traffic already on its new version, the
 * `--to` asked for, recorded promoted (moved by hand) as `lshift alias` onto it records it.
 */
export interface NothingToDoCause {
  code: 'NOTHING_TO_DO';
  data: {
    undone?: RecordSummary;
    /** With `undone`: the version stable before its stable version (its history), if known. */
    earlierStable?: string;
    closed?: RecordSummary;
    landed?: boolean;
    /**
     * With `landed`: the deployment this rollback had claimed was closed rolled back by someone
     * else while its write waited (a stalled endpoint): who (`owner`); `ownRunner`: the runner
     * its claim had stopped, which rolled back itself and closed over the claim.
     */
    finishedBy?: { owner: string; deploymentId: string; ownRunner?: true };
    keptPromoted?: true;
    movedByHand?: true;
    promotedByHand?: true;
    /**
     * The AWS CodeDeploy deployment this rollback found still running and stopped with its
     * rollback (StopDeployment taken); `keptMove`: lshift had stopped it WITHOUT its rollback
     * before, to keep a move of the alias by hand, and not seen that stop end. It said only
     * "nothing to roll back" (session 65).
     */
    stoppedCodeDeploy?: { deploymentId: string; keptMove?: true };
  };
}
