/** What `rollbackDeployment` needs and is asked (shared with rollback-destination.ts). */
import type { DeploymentRecord, RecordCause } from '../domain/deployment-record.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';

export interface RollbackDeps {
  lambda: LambdaPort;
  clock: Clock;
  events: EventSink;
  store?: StateStore;
  /** Unused; accepted so a command can pass the same deps object it builds for deploy/status. */
  metrics?: MetricsPort;
  /** Moves traffic (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
  /**
   * The driver for the deployment a record describes, when it depends on its engine: a
   * CodeDeploy deployment (`en=cd`) is stopped with auto-rollback. Default: `traffic`.
   */
  trafficFor?: (record?: DeploymentRecord, target?: { functionName: string; alias: string }) => TrafficDriver;
  /**
   * This machine's processes (a person's `lshift rollback`): a claim of the same `user@host`
   * whose pid still runs is a second terminal rolling back now, not an earlier run's leftover.
   */
  processes?: LocalProcesses;
  /**
   * Who rolls back (`rollback:user@host:pid`): a promoted record it closes names them as its
   * owner, as a claimed one already does (its claim wrote them), and in its end reason.
   */
  owner?: string;
}

export interface RollbackRequest {
  functionName: string;
  alias: string;
  /** Version to put all traffic on (must exist and be published). */
  to?: string;
  /** Why (shown in events and the result), e.g. `manual rollback by ci@runner`. */
  reason: string;
  /**
   * A person's Ctrl-C/SIGTERM/SIGHUP: checked up to the alias write (INTERRUPTED, nothing
   * written); never given to the write itself, which finishes (rollback-interrupt.ts).
   */
  signal?: AbortSignal;
  /**
   * Called at each poll of a driver that waits for a service to put the alias back (CodeDeploy's
   * rollback deployment): the caller's claim on the record keeps its heartbeat (keepClaimFresh).
   */
  onPoll?: () => Promise<void>;
  /**
   * Why lshift rolls it back, for the closed record (`y=`), when the caller decided it on health
   * (`lshift check`: an alarm). A person's rollback names none: the record keeps its own, if any.
   */
  cause?: RecordCause;
  /**
   * How the closed record says it ended, when neither the record nor `cause` can (`lshift check`
   * closing a deployment abandoned before any traffic moved: `abandoned before any traffic moved`).
   */
  endReason?: string;
  /**
   * The caller only closes the record (`lshift check`, its alias all on the stable version with
   * no live owner: check-close-on-stable.ts): its `rollback.started` says so, not "ROLLBACK".
   */
  closeOnly?: true;
  /**
   * The record was promoted when this rollback claimed it (rollback-claim.ts): the record it
   * reads is its own claim (`rolling-back`), and the close must still say it ran to the end first.
   */
  wasPromoted?: true;
  /**
   * With `wasPromoted`: the promoted record's owner before the claim. A promoted deployment whose
   * alias someone had already put back on its stable version is closed moved by hand under it,
   * not as this person's rollback (rollback-record.ts closedMovedByHand).
   */
  promotedBy?: string;
  /**
   * With `wasPromoted`: found under an earlier rollback's or check's stale claim (killed after its
   * alias write, rollback-claim.ts isPromotedUnderClaim), whose write may be what put the alias
   * on its stable version: closed as rolled back after its promotion, not moved by hand.
   */
  underStaleClaim?: true;
  /** With `wasPromoted`: that promotion was someone else's move over lshift's decided rollback (closed by hand, with its cause), not its steps. */
  promotedOverRollback?: true;
  /**
   * The record this rollback claimed was a deployment still open (its runner gone mid-shift, or
   * paused), not one lshift had ended or decided to roll back: `--to` its own new version closes it
   * as `lshift alias` does (promoted, moved by hand: rollback-record.ts), not "rolled back to" it.
   */
  claimedOpen?: true;
  /** Who held the record this rollback claimed, before its claim (its runner, or a check): named if it finishes the rollback first. */
  claimedFrom?: string;
  /** How long a failure of its alias write that may pass is retried (step-restore.ts; default 5 min). */
  persistMs?: number;
}
