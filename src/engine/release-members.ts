/**
 * A release verb's request and result (`lshift abort|pause|resume|promote --release`,
 * release-abort.ts), and how it reads the named functions' records: each read, whether its
 * runner still drives it, and how it is said (a member's deployment and phase, or why it is not
 * one).
 */
import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError } from './emit.js';
import type { SendCommandDeps, SendCommandResult } from './operator-send.js';
import { isEnded, isLiveRecord } from './record-view.js';

/**
 * The verbs with a release form: abort rolls every function back; pause and resume hold or free
 * every hold; promote ends every function's current hold (promote-full: every remaining step).
 */
export type ReleaseVerb = 'abort' | 'pause' | 'resume' | 'promote' | 'promote-full';

export interface AbortReleaseRequest {
  releaseId: string;
  /** Default: abort. */
  verb?: ReleaseVerb;
  targets: ReleaseTarget[];
  by: string;
  reason?: string;
  /** How long to wait for the abort to be obeyed, then again for every function to end. */
  waitSeconds: number;
  pollSeconds?: number;
  staleAfterSeconds?: number;
  signal?: AbortSignal;
}

export interface ReleaseMemberState extends ReleaseTarget {
  /** The function's record as last read: its deployment and phase (absent: no record of this release). */
  deploymentId?: string;
  phase?: DeploymentPhase;
  /** Its record as last read, for how it ended (its abort's exit code: cli/abort-answer.ts); not in --json. */
  record?: DeploymentRecord;
  /** Why a named function is not part of the release, or could not be read. */
  note?: string;
}

export interface AbortReleaseResult {
  releaseId: string;
  /** The function whose record carried the abort, and how its deployment answered. */
  sent: SendCommandResult;
  /** Every named function as last read. */
  functions: ReleaseMemberState[];
  /** Every named function of the release had ended when the wait was over (the others are not read). */
  allEnded: boolean;
}

/** A named function's record as read by a release verb. */
export interface MemberRead extends ReleaseTarget {
  record?: DeploymentRecord;
  error?: string;
  /** What the failed read threw, to tell a function that does not exist from an AWS failure. */
  thrown?: unknown;
  /** Its record changed while watched: its runner is alive, whatever its heartbeat's time says. */
  seenAlive?: boolean;
}

export function isRunning(deps: SendCommandDeps, req: AbortReleaseRequest, m: MemberRead): boolean {
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const record = m.record!;
  if (isEnded(record) || record.phase === 'rolling-back') return false;
  return m.seenAlive === true || isLiveRecord(record, deps.clock.now(), staleMs);
}

export async function readAll(deps: SendCommandDeps, req: AbortReleaseRequest): Promise<MemberRead[]> {
  return Promise.all(
    req.targets.map(async (t): Promise<MemberRead> => {
      try {
        return { ...t, record: await deps.store.read(t.functionName, t.alias) };
      } catch (error) {
        return { ...t, error: describeError(error), thrown: error };
      }
    }),
  );
}

export function describeMember(releaseId: string) {
  return (r: MemberRead): ReleaseMemberState => {
    const target = { functionName: r.functionName, alias: r.alias };
    if (r.error) return { ...target, note: `record unreadable: ${r.error}` };
    if (!r.record) return { ...target, note: 'no deployment record' };
    if (r.record.releaseId !== releaseId) {
      return {
        ...target,
        note: r.record.releaseId
          ? `its record belongs to release ${r.record.releaseId}`
          : 'its record names no release',
      };
    }
    return { ...target, deploymentId: r.record.id, phase: r.record.phase, record: r.record };
  };
}

export function describeState(m: ReleaseMemberState): string {
  return m.phase ? `${m.functionName}:${m.alias} ${m.phase}` : `${m.functionName}:${m.alias}: ${m.note}`;
}
