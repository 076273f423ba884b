/** What the rollback's `restore` step is told and what it answers (step-restore.ts). */
import type { RoutingState } from '../ports/traffic-driver.js';

export type RestoreOutcome =
  | {
      kind: 'restored';
      attempts: number;
      /** Someone else had already put everything on stable. */
      alreadyStable: boolean;
    }
  /**
   * `groupBusy`: a stranger's CodeDeploy deployment runs on the group, the alias not moved by hand.
   * `beforeWrite`: found by the refusal of the rollback's first write, so the move was made before
   * that write (after lshift's own last write or read of the alias), not during the rollback.
   */
  | { kind: 'conflict'; message: string; aliasState?: RoutingState; groupBusy?: true; beforeWrite?: true }
  /**
   * The function (or its alias) was deleted under the rollback, as GetAlias confirmed: there is
   * no traffic left to move, so nothing is retried and no command can fix it.
   */
  | { kind: 'gone'; what: DeletedTarget; message: string }
  | {
      kind: 'unsafe';
      message: string;
      attempts: number;
      aliasState: RoutingState;
      /** The last write's error code (CREDENTIALS_INVALID: no retry with these credentials will do). */
      errorCode?: string;
      /** The last write's answer never came (write-answer.ts): `aliasState` was read before it. */
      lastWriteUnanswered?: true;
      /**
       * The alias changed since `aliasState` was read (the last write met a 412) and could not be
       * read again: it said "is at" a split that an earlier write of lshift's, whose answer was
       * lost, had already taken to 100% (found by a hostile pass).
       */
      aliasStateStale?: true;
      /**
       * lshift had written none of its weights and could not read the alias to see where it is
       * (settle-rollback-restore.ts readUnmovedAlias): `aliasState` is the view before the hooks.
       */
      aliasUnread?: 'before-write';
    };

export type DeletedTarget = 'function' | 'alias';

export interface RestoreOptions {
  /**
   * The routings the deployment being rolled back wrote or was writing (a runner's own rollback,
   * or a person's `lshift rollback` of an unfinished deployment, from its record: own-routing.ts). A re-read that finds the alias at any other routing ends the rollback as a
   * conflict — someone else moved it — instead of writing over it. Absent: any routing that
   * still sends traffic to the target is retried over.
   */
  ownRouting?: (state: RoutingState) => boolean;
  /**
   * The weight (percent) of this deployment's own forward write whose answer never came (an
   * interrupt abandoned it, or it failed after it was sent), if the re-read routing is at exactly
   * that weight: that write landed late, under the rollback's. The retry says so instead of the
   * 412's "Someone else changed alias" (found by a hostile pass, h3's F-g: the run then ended
   * clean). Undefined: lshift cannot tell whose write it was.
   */
  ownLateWrite?: (state: RoutingState) => number | undefined;
  /**
   * The cursor's RevisionId is the shift's own (its last weight write, or a hold's read that found
   * the alias as it left it), not a read this rollback made: a 412 on the rollback's first write is
   * then a move made before the rollback wrote anything — during a hold, a hook, a stopped runner —
   * and said so (`beforeWrite`). A person's `lshift rollback` reads the alias itself first.
   */
  revisionFromShift?: true;
  /** A 412 ends the rollback as a conflict instead of re-reading and retrying (`lshift rollback`). */
  stopOnConflict?: boolean;
  /**
   * With stopOnConflict: the rollback claimed the unfinished deployment it drains, so a 412 that
   * leaves the alias between that deployment's two versions is its runner's last write landing
   * late, retried, not someone else's move (rollback.ts) — at one of that deployment's own
   * routings when `ownRouting` is given too.
   */
  ownDeploymentMoves?: boolean;
  retryDelaysMs?: readonly number[];
  /**
   * One attempt, and its error is thrown as it is (`lshift alias`): a person asked for this
   * one write, and the error says what happened (a 412 is ALIAS_CHANGED, exit 5).
   */
  once?: boolean;
  /**
   * Called at each poll of a driver that waits for a service to put the alias back (CodeDeploy's
   * rollback deployment, minutes), and between retried writes: the `rolling-back` record keeps
   * its heartbeat meanwhile, or `lshift check` would take the rollback for abandoned and finish it
   * beside this one. Best effort: a failure here never stops the rollback.
   */
  onPoll?: () => Promise<void>;
  /**
   * A claim's heartbeat (keepClaimFresh), asked beside each restore call as well (beating-driver.ts
   * besideBeat). A deploy's own rollback has none: its driver beats beside its calls itself.
   */
  claimBeat?: () => Promise<void>;
  /** Told of each failed write before the wait for the next attempt (a progress line). */
  onRetry?: (retry: RestoreRetry) => void;
  /**
   * How long, from the first write, a failure that may pass is retried (default
   * ROLLBACK_PERSIST_MS): `lshift check` shares one such time among the rollbacks of its run.
   */
  persistMs?: number;
}

export interface RestoreRetry {
  /** How many writes have failed so far. */
  failed: number;
  /** The last one's error, described. */
  error: string;
  /** The wait before the next attempt. */
  waitMs: number;
  /** Clock time left, from the first write, during which a failure that passes is retried. */
  persistLeftMs: number;
  /** The 412 was this deployment's own write to this weight landing late (ownLateWrite). */
  ownWriteLanded?: number;
}
