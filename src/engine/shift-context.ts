/**
 * The mutable state of one running deployment (one target), passed between the steps the
 * interpreter runs for `runDeploy` and `resumeDeploy`, and how it is built (what it hands its hooks:
 * shift-hooks.ts; the records it keeps alive while it waits, and their takeovers: shift-waits.ts).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { StepOutcome } from '../domain/events.js';
import { isObeyedPause } from '../domain/operator-command.js';
import type { OutcomeCause, Position } from '../domain/outcome.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import {
  planReleaseOf,
  type ReleaseProgram,
  type ReleaseTarget,
  type ResumeFrom,
} from '../domain/release-program.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { RoutingState, TrafficDriver } from '../ports/traffic-driver.js';
import { createAlarmGate } from './alarm-gate.js';
import { type AliasCursor, describeAliasMovedSince } from './alias-step.js';
import { beatingDriver } from './beating-driver.js';
import {
  DEFAULT_HEALTH_ERROR_LIMIT,
  type DeployDeps,
  type DeployRequest,
  HEARTBEAT_INTERVAL_MS,
  releaseHeartbeatMs,
} from './deploy-types.js';
import { DeploymentRecorder } from './deployment-recorder.js';
import { HealthMonitor } from './health-monitor.js';
import { trafficDriverOf } from './native-traffic-driver.js';
import { OperatorControl } from './operator-control.js';
import { releaseAliasWatchMs, releaseSizeOf } from './release-alias-watch.js';

export interface ShiftContext {
  readonly deps: DeployDeps;
  readonly req: DeployRequest;
  readonly cursor: AliasCursor;
  /** Epoch ms the deployment started (before preflight; a resumed one keeps its first start). */
  readonly startedAt: number;
  readonly monitor: HealthMonitor;
  readonly recorder: DeploymentRecorder;
  readonly steps: StepOutcome[];
  /** The release program the interpreter runs, and the driver that moves its traffic. */
  readonly program: ReleaseProgram;
  readonly traffic: TrafficDriver;
  /** The program step running now. */
  programIndex: number;
  /**
   * The weight step being held: when its hold counts from, when its write landed, and its
   * outcome. `countFrom`, `writtenAt`, `holdEnd` and `levelEnd` are `clock.elapsedMs()`
   * readings (durations, not timestamps: a stepped wall clock must not move a hold's end).
   */
  current?: { countFrom: number; writtenAt: number; outcome: StepOutcome };
  /** When the previous hold was scheduled to end; the next step counts its hold from there. */
  holdEnd?: number;
  /**
   * When the first weight step began (`clock.elapsedMs()`): under CodeDeploy, no step of its
   * schedule began earlier (traffic-steps.ts succeededMeanwhile).
   */
  shiftFrom?: number;
  /** Set when an operator's promote ended the bake early (bake.completed says so, after the settle). */
  bakeEndedEarly?: { afterSeconds: number; plannedSeconds: number };
  /** A lockstep level's shared end (fleet-steps.ts): this hold ends then, if not later. */
  levelEnd?: number;
  /** True once a forward alias write was attempted: from then on the alias may be split. */
  trafficMoved: boolean;
  /**
   * A resumed rollback whose earlier run had moved traffic (its record holds a weight) and put it
   * back before it died: the alias, read by the resume, is on the stable version. Said as moved,
   * nothing written again (resume-prepare.ts). `recordedPercent`: the weight its record held.
   */
  backOnStable?: { recordedPercent: number };
  /**
   * The weight (percent) of a write an interrupt abandoned in flight: it may still land, after
   * the run said where the alias was (`--on-interrupt leave`, settle.ts pause).
   */
  abandonedWrite?: number;
  /** Where the deployment is (results carry it; events say it with describePosition). */
  position: Position;
  /** Operator commands read from the record at each poll (`lshift promote|pause|resume|abort`). */
  readonly operator: OperatorControl;
  /** A function of a release of several (its record names the release): fleet pacing applies. */
  readonly inRelease: boolean;
  /** Heartbeats are written at most this often (a release's functions: releaseHeartbeatMs). */
  readonly heartbeatMs: number;
  /**
   * The other functions of its release (`waitAsOneRelease`, release-as-one.ts): while this run
   * waits without polling health (a hook, provisioned concurrency), they wait for it, so their
   * records get their heartbeats from this wait too. Empty for a single deploy.
   */
  waitMates: readonly ShiftContext[];
}

/**
 * How a phase ended. `failed` rolls back; `conflict` stops without another write;
 * `interrupted` obeys --on-interrupt.
 */
export type PhaseOutcome =
  | { kind: 'done' }
  | {
      kind: 'failed';
      cause: string;
      why: OutcomeCause;
      /**
       * The function of a release the failure is about, when a wait of one function's run (or a
       * hook of the whole release) found ANOTHER function deleted (shift-waits.ts, deletedFailure)
       * or its health failing (wait-watch.ts): the release fails for that one (fleet-steps.ts,
       * endedByOther).
       */
      failedIn?: ReleaseTarget;
    }
  | {
      kind: 'conflict';
      cause: string;
      why: OutcomeCause;
      aliasState?: RoutingState;
      /** A rollback's restore found it moved before its first write (step-restore-types.ts). */
      beforeWrite?: true;
      /**
       * The function whose record another lshift took over, when that is the conflict (checkOwnership):
       * in a release, a wait of one function's run may find ANOTHER function taken over, and the
       * release stops for that one (fleet-runs.ts, endedByOther). Named by identity, not by the
       * cause's text: two functions' reasons may read the same.
       */
      takenOver?: ReleaseTarget;
    }
  | { kind: 'interrupted' };

/** Where a deployment starts (or resumes) walking its program. */
export type PhaseStart = ResumeFrom;

export interface ShiftStart {
  /** The record the recorder starts from (its versions are the cursor's). */
  record: DeploymentRecord;
  /** The alias as just read: the first write carries its RevisionId. */
  alias: AliasInfo;
  /** Percentage on the target now. */
  percent: number;
  startedAt: number;
  /** The alias may already route to the target (a resumed deployment). */
  trafficMoved: boolean;
  backOnStable?: { recordedPercent: number };
  position: Position;
  /** Ends the health watch besides the request's signal (a release: another target failed). */
  watchSignal?: AbortSignal;
}

export function createShiftContext(deps: DeployDeps, req: DeployRequest, start: ShiftStart): ShiftContext {
  const cursor: AliasCursor = {
    functionName: req.functionName,
    alias: req.alias,
    stableVersion: start.record.stableVersion,
    targetVersion: start.record.targetVersion,
    revisionId: start.alias.revisionId,
    aliasState: {
      functionVersion: start.alias.functionVersion,
      additionalWeights: { ...start.alias.additionalWeights },
    },
    percent: start.percent,
  };
  const aliasStillOurs = async () =>
    (await deps.lambda.getAlias(req.functionName, req.alias))?.revisionId === cursor.revisionId;
  const recorder = new DeploymentRecorder(
    deps,
    req.functionName,
    req.alias,
    start.record,
    aliasStillOurs,
    req.pollIntervalSeconds * 1000,
    // Not a resume (its first run moved it), nor once one of our alias writes landed.
    () => !start.trafficMoved && cursor.revisionId === start.alias.revisionId,
  );
  const target = { functionName: req.functionName, alias: req.alias };
  const inRelease = start.record.releaseId !== undefined;
  if (inRelease) recorder.stopReleaseWhenGone();
  // Under CodeDeploy the shift is CodeDeploy's: no hold of lshift's comes before its moves.
  const ownSchedule = trafficDriverOf(deps).ownSchedule === true;
  const recordLimitMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  if (!ownSchedule) recorder.holdMovesForRecord(recordLimitMs);
  const heartbeatMs = inRelease
    ? releaseHeartbeatMs(req.pollIntervalSeconds, req.staleAfterSeconds)
    : HEARTBEAT_INTERVAL_MS;
  const operator = new OperatorControl(deps, recorder, !inRelease);
  if (isObeyedPause(start.record.command)) operator.startPaused();
  const monitor = new HealthMonitor(deps, createAlarmGate(deps.metrics, req.alarms), deps.gates ?? [], {
    pollIntervalSeconds: req.pollIntervalSeconds,
    healthErrorLimit: req.healthErrorLimit ?? DEFAULT_HEALTH_ERROR_LIMIT,
    ignoreHealthErrors: req.ignoreHealthErrors ?? false,
    onInconclusive: req.onInconclusive ?? 'continue',
    signal: start.watchSignal ?? req.signal,
    // One record read per poll: operator commands and the heartbeat's ownership check share it.
    // Once a release's verdict failed the hold stops waiting for it (it may sit in Lambda's
    // request queue behind a fleet's heartbeats), so the restores start at once.
    onPoll: () => recorder.unlessStopped(operator.poll(heartbeatMs)),
    // A poll's reads and its record read may hang until their bound: beat beside them too. Its
    // own record only: in a hold each function of a release polls, and beats, for itself.
    beat: () => recorder.heartbeat(heartbeatMs),
    stopReason: () => recorder.lostReason(),
    // A single deploy's alias went with its function: nothing is split, and its next weight write
    // (or its end) meets the deletion. A release's others stay split until it decides: at once.
    ...(inRelease ? { gone: () => recorder.goneDuringShift() } : {}),
    operator,
    // A single deploy reads its alias once a heartbeat interval: someone else's move stops it then,
    // not at its next weight write. A release's functions read theirs in their holds and bake, paced
    // for the whole release (release-alias-watch.ts).
    // Under CodeDeploy the driver tells a move by hand from CodeDeploy's own (codedeploy-hand-move.ts).
    ...(inRelease && ownSchedule ? {} : { aliasMoved: aliasMovedReader(deps, cursor, ownSchedule) }),
    ...(inRelease
      ? { aliasWatch: { everyMs: releaseAliasWatchMs(releaseSizeOf(start.record)), notAlongside: true } }
      : {}),
    ...(ownSchedule
      ? {}
      : {
          record: {
            behind: () => recorder.recordLag(),
            retry: () => recorder.retryBehind(),
            beatIfOverdue: (lateMs) => recorder.heartbeat(heartbeatMs + lateMs),
            limitMs: recordLimitMs,
            target,
          },
        }),
  });
  // Its alias writes and reads beat the record while they run (beating-driver.ts): the context
  // they beat for (a release's waiting mates too) exists only once built.
  let built: ShiftContext | undefined;
  const beat = async () => {
    if (!built) return;
    // As shift-waits.ts beatWhileWaiting (which imports this module): itself and its waiting mates.
    const runs = [built, ...built.waitMates.filter((m) => m !== built)];
    await Promise.all(runs.map((m) => m.recorder.heartbeat(m.heartbeatMs)));
  };
  const traffic = beatingDriver(trafficDriverOf(deps), deps.clock, beat);
  built = {
    deps,
    req,
    cursor,
    startedAt: start.startedAt,
    monitor,
    recorder,
    steps: [],
    program: planReleaseOf(
      req.plan,
      {
        hooks: req.hooks,
        bakeSeconds: req.bakeSeconds,
        settleAfterPromote: ownSchedule,
      },
      [target],
    ),
    traffic,
    programIndex: 0,
    trafficMoved: start.trafficMoved,
    ...(start.backOnStable ? { backOnStable: start.backOnStable } : {}),
    position: start.position,
    operator,
    inRelease,
    heartbeatMs,
    waitMates: [],
  };
  return built;
}

/**
 * A single deploy's read of its alias during a hold: a native one against what lshift last wrote;
 * under CodeDeploy the driver's, which tells a move by hand from CodeDeploy's own steps (it held on
 * at 0% for a whole step, and CodeDeploy then undid the person's move: codedeploy-hand-move.ts).
 */
function aliasMovedReader(
  deps: DeployDeps,
  cursor: AliasCursor,
  ownSchedule: boolean,
): (() => Promise<string | undefined>) | undefined {
  if (!ownSchedule) return () => describeAliasMovedSince(deps.lambda, cursor);
  const driver = trafficDriverOf(deps);
  return driver.describeMove ? () => driver.describeMove!(cursor) : undefined;
}
