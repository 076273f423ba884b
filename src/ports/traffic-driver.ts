/**
 * Moving traffic is behind a port, so the interpreter (src/engine/interpreter.ts) never knows how:
 * the native driver writes alias weights with the alias RevisionId (src/engine/native-traffic-
 * driver.ts); a CodeDeploy driver (issue 12) would start and follow a deployment instead. The
 * composition root (src/cli/runtime.ts) chooses one. A driver moves one target at a time; a
 * release of several functions is several targets, each with its own cursor and record.
 */
import type { ReleaseTarget } from '../domain/release-program.js';

export interface RoutingState {
  /** The primary version (all traffic not routed elsewhere). */
  functionVersion: string;
  /** Additional version → weight in [0, 1]; empty when not split. */
  additionalWeights: Record<string, number>;
}

/**
 * Where one target's traffic is, and the guard its next write must carry. The driver updates
 * it after every write or read; the engine reads it for events, records and messages.
 */
export interface TrafficCursor extends ReleaseTarget {
  /** The version that keeps the traffic the new version does not get (the rollback destination). */
  stableVersion: string;
  targetVersion: string;
  /** The optimistic-concurrency token of the last write or read (the alias RevisionId). */
  revisionId: string;
  /** Routing as last seen (read or written). */
  aliasState: RoutingState;
  /** Percentage on the target version as last written. */
  percent: number;
  /**
   * The most a service that moves the weights itself (CodeDeploy) was seen to give the target:
   * after its own rollback `percent` reads 0, which said "no traffic moved" of a version that had
   * carried all of it through a failing post-traffic hook (found by a hostile pass).
   */
  peakPercent?: number;
  /**
   * When (clock ms) lshift first read `peakPercent` on the alias: CodeDeploy moves one step per
   * interval, so a weight several steps above cannot be its write before some intervals after
   * (codedeploy-hand-move.ts). Unset when not seen by this run (a resumed or followed one).
   */
  peakSeenAt?: number;
  /**
   * The deployment a service runs for this target, when a driver hands the shift to one: the
   * CodeDeploy deployment id (`d-…`), set by the CodeDeploy driver once it started it.
   */
  deploymentRef?: string;
  /**
   * The driver saw that deployment end (CodeDeploy reported a final status). Until then a failed
   * rollback leaves it running: the service keeps moving the alias on its own schedule.
   */
  deploymentEnded?: boolean;
  /**
   * The service took this run's stop (CodeDeploy's StopDeployment with auto-rollback answered):
   * it puts the alias back on its own, even if lshift cannot see it end.
   */
  deploymentStopSent?: boolean;
  /**
   * The service had ended the deployment on its own (its alarm, a hook, someone's stop), not as a
   * success, when this run came to stop it for a move by hand: that end, as a follow would have
   * thrown it. Its own rollback may have put the alias back over the move (settle.ts).
   */
  endedBeforeStop?: Error;
  /**
   * A rollback's stop of the service (CodeDeploy's StopDeployment with auto-rollback) found,
   * by a read sent beside it, the alias routed as the service could not have left it: someone had
   * moved it by hand a moment before. The rollback put all traffic back over it; the run says so.
   * `codeDeployPercent`: what lshift last saw the service give the new version.
   */
  movedAtStop?: { routing: RoutingState; codeDeployPercent: number };
  /**
   * A rollback's stop of the service (CodeDeploy's StopDeployment) failed or got no answer, and
   * the service then said the deployment had ended Succeeded: the stop stopped nothing, all
   * traffic had reached the new version, and the rollback wrote the alias back itself. `error`:
   * the stop's failure. The run says so, not "all traffic is back" as if the stop had done it.
   */
  stopOutran?: { deploymentId: string; error: string };
  /**
   * The service had ended the deployment Succeeded when this run came to stop it for a move by
   * hand: its last step may have moved the alias over the move (settle-succeeded-over-move.ts).
   */
  succeededBeforeStop?: boolean;
  /**
   * The weight one of the service's own later steps gave the new version over a person's move
   * before this run's stop for that move landed: the move was not kept (kept-move-landed.ts).
   */
  stepOverMove?: number;
  /**
   * This run's stop for a move by hand got no answer (a timeout, a reset) or failed, and the service
   * then said the deployment had ended: that end may not be this stop as it was sent (someone's stop
   * with the rollback reads the same until its rollback is created), so no mark says it was seen.
   */
  stopAnswerLost?: boolean;
  /**
   * The same, read while the service still runs the deployment (this run's stop for the move
   * refused, failed or not seen to end): the move is gone, and a stop without the rollback would
   * freeze the service's own split, which nobody chose (h3, session 68).
   */
  stepOverRunning?: number;
  /**
   * Set while the driver cannot tell whether the service started a deployment (its start got
   * no answer and could not be looked up): the command that tells. Nothing writes the alias then.
   */
  deploymentCheck?: string;
  /**
   * Set when the service's start got no answer (a timeout, a reset, Ctrl-C) and two looks found
   * no deployment of this run: the command that shows whether one started late, and `why` (the
   * words of CODEDEPLOY_START_UNANSWERED). The run then ends exit 4, not "not started"/"unchanged".
   */
  startUnanswered?: { command: string; why: string };
  /**
   * A service deployment that moved this alias and has ended (a finished record's): the driver
   * reads where it ran (its CodeDeploy group) before writing the alias itself.
   */
  endedDeploymentRef?: string;
}

export interface SetWeightOptions {
  /**
   * Called at each poll by a driver that waits for a service to move the weight (CodeDeploy),
   * so the deployment record keeps its heartbeat while nothing else runs.
   */
  onPoll?: () => Promise<void>;
  /**
   * Called once a service accepted the deployment it runs for this target (`deploymentRef` is
   * set), before the driver follows it: the record names it at once, so a runner killed while
   * following leaves a record that `lshift rollback` can stop it by.
   */
  onStarted?: (deploymentRef: string) => Promise<void>;
}

export interface TrafficDriver {
  /** `native` (alias weights) or `codedeploy` (src/engine/codedeploy-traffic-driver.ts). */
  readonly name: string;
  /**
   * True when the driver moves traffic on its own schedule once started (CodeDeploy): a hold
   * cannot keep a weight, so the program's settle wait goes after the promote.
   */
  readonly ownSchedule?: boolean;
  /**
   * Routes `percent` of the cursor's traffic to its target version (0: all on stable, 100: all
   * on the target, routing cleared), guarded by the cursor's revision. A change by someone else
   * throws ALIAS_CHANGED (HTTP 412); nothing is overwritten.
   */
  setWeight(cursor: TrafficCursor, percent: number, opts?: SetWeightOptions): Promise<void>;
  /** Re-reads the routing into the cursor: `missing` when the alias is gone, `failed` when unreadable. */
  observe(cursor: TrafficCursor): Promise<Observation>;
  /**
   * A driver that follows a service (CodeDeploy): why the alias routes as neither lshift nor the
   * service would have moved it (someone moved it by hand while the service runs), or undefined.
   * Read during lshift's holds, as the native engine reads its alias (health-monitor.ts aliasMoved).
   */
  describeMove?(cursor: TrafficCursor): Promise<string | undefined>;
  /**
   * Someone moved the alias by hand while the service ran: stop the service without its rollback,
   * leaving the alias where that person put it, and read the alias into the cursor. Says what was
   * done, for the run's end (`AWS CodeDeploy deployment d-… was stopped without its rollback`).
   * Sets `cursor.deploymentEnded` once the service is known to have ended; left unset (a stop
   * refused, failed, or not seen to end), the service may still move the alias.
   */
  leaveToMove?(cursor: TrafficCursor): Promise<string | undefined>;
  /**
   * A driver that follows a service (CodeDeploy): true once the service said the cursor's
   * deployment Succeeded (its status gate read it at a poll of a hold). That hold then ends: all
   * traffic is on the target, and holding a lower step's time past the end judges nothing of it.
   */
  succeeded?(cursor: TrafficCursor): boolean;
}

/**
 * What a read of the alias found: `missing` is the alias answered missing by GetAlias,
 * `function-missing` the function itself (ResourceNotFoundException "Function not found"); a
 * timeout, throttle or any other error is `failed`, never taken for a deletion.
 */
export type Observation = 'read' | 'missing' | 'function-missing' | 'failed';
