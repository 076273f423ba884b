/** The data of `lshift check` (check.ts): what it needs, is asked, and answers. */

import type { DeploymentPhase, RecordCause } from '../domain/deployment-record.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import type { PromotedBeforeClaim } from './promoted-before-claim.js';
import type { SharedListing } from './records-in-reach.js';
import type { RollbackDeps } from './rollback-types.js';

export interface CheckDeps {
  lambda: LambdaPort;
  metrics: MetricsPort;
  clock: Clock;
  events: EventSink;
  /**
   * Reads the named functions' records and re-reads one before each rollback. Without names, the
   * records are found by listing `lshift:*` tags through `lambda` (see listRecords).
   */
  store: StateStore;
  /**
   * Asked once per unfinished record of the CodeDeploy engine whether AWS CodeDeploy still runs
   * its deployment (check-codedeploy.ts). Without it such a record is an `error`, never healthy.
   */
  codedeploy?: CodeDeployPort;
  /**
   * The group a CodeDeploy record that names no deployment is looked up in, by its run token
   * (check-codedeploy-reads.ts): the config file's names, else the defaults. Without it, none is.
   */
  codeDeployGroupOf?: (
    functionName: string,
    alias: string,
  ) => { application: string; group: string } | undefined;
  /** Moves traffic for the rollbacks (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
  /**
   * The check's one listing of every record in reach (records-in-reach.ts), made only when a
   * release's close asks for it, its answer kept for the words of the release's functions
   * (check-moved.ts, check-unnamed.ts). runCheckWithReleases gives each run its own.
   */
  releaseListing?: SharedListing;
  /**
   * The run's rollbacks retry a failure that may pass until the clock's `elapsedMs()` reaches
   * `untilMs`, set ROLLBACK_PERSIST_MS after the run's first rollback began (runCheck gives each
   * run its own): one such time for the whole run, since it rolls functions back one after
   * another and a throttle storm over twenty functions must not keep a scheduled check for twenty
   * times 5 minutes. Each still makes its 4 tries.
   */
  rollbackPersist?: { untilMs?: number };
  /**
   * Who runs this check, written into a record it claims before rolling back (check-claim.ts:
   * `check:<who>`). Two racing checks must have different owners. Default: `check:unknown`.
   */
  owner?: string;
  /**
   * This machine's processes: a claim left by a check on this machine whose pid no longer runs
   * (killed mid-rollback) is finished at once (owner-kinds.ts isDeadRollbackHere).
   */
  processes?: LocalProcesses;
  /**
   * Told when the check enters a stretch where it only reads (true) and leaves it (false) before
   * anything it does may write: the CLI lets a signal abandon the AWS calls in flight only while
   * reading (cli/check-reads.ts), so a check whose endpoint stalls stops at once, while a rollback
   * under way is finished.
   */
  reading?: (on: boolean) => void;
  /** The driver for a record's engine (a CodeDeploy deployment is stopped with auto-rollback). */
  trafficFor?: RollbackDeps['trafficFor'];
  /**
   * Puts all traffic of the alias on `toVersion`. Default: the rollback program of
   * `rollbackDeployment` (same interpreter, RevisionId guard and record update as `lshift rollback`).
   */
  rollback?: (
    functionName: string,
    alias: string,
    toVersion: string,
    reason: string,
    /** The check's claim kept fresh while the rollback waits (RollbackRequest.onPoll). */
    onPoll?: () => Promise<void>,
    /** Why, for the closed record (`y=`): the alarms, when they decided it. */
    cause?: RecordCause,
    /**
     * How the closed record says it ended (RollbackRequest.endReason): given only when the check
     * closes the record of an alias already all on its stable version (closeOnly).
     */
    endReason?: string,
    /**
     * What the record the check's claim went over was (promoted-before-claim.ts): a promoted one
     * is closed `rolled back to version 1: after it was promoted`, as `lshift rollback` closes it.
     */
    promoted?: PromotedBeforeClaim,
  ) => Promise<{
    ok: boolean;
    message: string;
    /** The function or its alias was deleted during the rollback: nothing left to roll back. */
    deleted?: boolean;
    /** A failed rollback: the alias as it last saw it, said with the fix (exit 4). */
    aliasState?: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>;
    /** A failed rollback: the error code of its last alias write (VERSION_NOT_FOUND: another fix). */
    errorCode?: string;
    /** A failed rollback: the alias changed under it (someone else moved it). */
    conflict?: boolean;
  }>;
}

export interface CheckRequest {
  /** Functions to check; every function of the account/region with a record when absent. */
  functionNames?: string[];
  alias: string;
  /** How long after promotion a deployment is still watched. */
  windowSeconds: number;
  /**
   * Alarm names. `{function}` and `{alias}` are replaced per function (`{function}-errors`), so one
   * check over many functions reads each function's own alarms; a plain name applies to all.
   */
  alarms: string[];
  /** A record whose heartbeat is older than this has no live owner (default 120 s). */
  staleAfterSeconds?: number;
  /**
   * Functions with an alias or alarms of their own (a config file's `functions:` entries), by
   * function name (an ARN's name part): each is checked on them, the others on `alias`/`alarms`.
   * A Map, not an object: `__proto__` is a valid function name.
   */
  own?: ReadonlyMap<string, { alias?: string; alarms?: string[] }>;
  /**
   * A signal (SIGTERM from a scheduler, Ctrl-C): the function being decided is finished — its
   * rollback runs to the end, record included — and no other function is touched after it.
   * The AWS clients are abandoned by it only while the check reads (`reading`), so a rollback in
   * flight is never cut in half.
   */
  signal?: AbortSignal;
  /**
   * The check's flags besides `--alias`, as the CLI was given them and shell-quoted
   * (` --alarm '{function}-errors' --window 2h`): added to the `lshift check` commands its words
   * offer, so each runs as printed.
   */
  flagsToRepeat?: string;
}

/**
 * `stalled`: an unfinished deployment nobody drives, left as it is (its alarms OK, or nothing to
 * judge): split, perhaps, and a human must finish or undo it (exit 4). Never `healthy`.
 */
export type CheckAction = 'healthy' | 'stalled' | 'rolled_back' | 'rollback_failed' | 'skipped' | 'error';

export interface CheckResult {
  functionName: string;
  alias: string;
  deploymentId?: string;
  phase?: DeploymentPhase;
  action: CheckAction;
  reason: string;
  /** The version traffic was put back on (or should have been). */
  toVersion?: string;
  /**
   * An unfinished deployment nobody drives any more (resume or roll it back): on `stalled`, and
   * on what the check did about one (rolled back, rollback failed, error). Kept for scripts that
   * read it since before `stalled` was an action of its own (schemaVersion 1: `healthy`).
   */
  stalled?: boolean;
  /** Not judged: the check was interrupted before its turn; nothing of it was changed. */
  interrupted?: boolean;
  /**
   * The alias of this unfinished deployment was moved by hand off its versions' split (back to
   * its stable version, or to versions it does not know): nobody will finish it, and `reason`
   * says what closes it. A release's resume leaves such a function out (check-release.ts).
   */
  movedByHand?: boolean;
  /**
   * A release's unfinished function whose alarm failed during the release while its alias was
   * already back on its stable version: nothing of its own to roll back, but the release's gate
   * failed, so the release is rolled back as one (check-release-verdict.ts), as its runner would
   * have: which gate failed, and when (`alarm fc-errors went to ALARM … during deployment d-2 …`).
   */
  releaseGateFailed?: string;
  /**
   * Rolled back as a function of a release whose other functions the check could not look for
   * (the listing of records failed, or some records in it could not be read): they may still run
   * the version judged bad, or be split with nobody driving them (exit 4).
   */
  releaseMatesUnknown?: boolean;
  /**
   * A recent promotion whose every alarm was INSUFFICIENT_DATA (none OK, none in ALARM): nothing
   * judged its health, so it is not called healthy (`UNJUDGED`; exit 0, as a quiet function's
   * alarms often have no data). Found by a hostile pass: `HEALTHY … 0 alarms OK`.
   */
  unjudged?: boolean;
  /**
   * A named function with no deployment record whose alias is split (`skipped`, exit 0): its
   * routing, which no lshift deployment explains and nothing of lshift watches.
   */
  splitWithoutRecord?: { functionVersion: string; additionalWeights: Record<string, number> };
  /**
   * A rolled-back deployment whose alias was moved since (split, or all on another version): the
   * version the rollback left all traffic on, as `lshift status` says it (`record.movedSince`).
   */
  movedSince?: { leftOnVersion: string };
}

export interface CheckReport {
  /** Clock time of the check, epoch ms. */
  checkedAt: number;
  alias: string;
  windowSeconds: number;
  results: CheckResult[];
  /** The check was interrupted (the signal's reason): the results say what it did before. */
  interrupted?: string;
}
