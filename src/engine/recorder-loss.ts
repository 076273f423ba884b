/**
 * What the deployment recorder (deployment-recorder.ts) says when its record was taken from it
 * or could not be written: who ended its hold, and what goes on without the write — and when a
 * record stored over ours is no loss at all (keepOursDespite, moved here from the recorder).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { isLshiftError } from '../domain/errors.js';
import { sanitizeOwner } from '../domain/record-owner.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import { describeError, logWarn } from './emit.js';
import { isEnded } from './record-view.js';
import type { RecordLag } from './recorder-reads.js';
import { describeSentBy, sentByRollbackTo } from './rollback-to-taker.js';

/**
 * Who ended this deployment's hold on its record (`ours`: as this runner holds it). `lshift alias`
 * and `lshift rollback` close the record and keep its owner — this runner's own — so the same
 * owner is another command, never "taken over by" this runner itself. An end reason `… by hand`
 * (closedByHand) says the alias was moved by someone else, not who moved it: `lshift alias`
 * closes the record so keeping its owner, and a claimer (a person's `lshift rollback`, a check:
 * rollback-claim-moved.ts) closes it so under its own owner when it met a move made outside
 * lshift (`aws lambda update-alias`, the console). Said as "moved by hand (`lshift alias`)" of
 * the latter, it named a command nobody ran and hid who closed the record (h3 F7, session 62).
 */
export function describeLoss(ours: DeploymentRecord, other: DeploymentRecord): string {
  if (other.id !== ours.id)
    return `deployment ${other.id} by ${other.owner || 'an unknown owner'} replaced deployment ${ours.id} (${other.phase})`;
  // `lshift rollback --to` its own new version closes it as a claimer that met a move does: its
  // `rt=` tells them apart (rollback-to-taker.ts). Nobody moved it by hand.
  const sent = sentByRollbackTo(other);
  if (sent) return describeSentBy(other.id, sent);
  if (other.endReason?.includes('by hand')) return describeClosedByHand(ours, other);
  if (other.owner === ours.owner)
    return `deployment ${other.id} was ${isEnded(other) ? 'closed as' : 'set to'} ${other.phase} by another command (\`lshift rollback\`, \`lshift alias\`)`;
  return `deployment ${other.id} was taken over by ${other.owner || 'an unknown owner'} (${other.phase})`;
}

function describeClosedByHand(ours: DeploymentRecord, other: DeploymentRecord): string {
  const closed = `deployment ${other.id} was closed as ${other.phase} (${other.endReason})`;
  if (other.owner && !isOwnerOf(ours, other))
    return `the alias was moved by someone else (\`aws lambda update-alias\`, the console, another tool), and ${other.owner}, which had claimed this deployment, met the move: ${closed}`;
  return `the alias was moved by hand (\`lshift alias\`, or a move made outside lshift that a \`lshift rollback\` met): ${closed}`;
}

/** The record's owner is this runner's own, as its tag holds it (cut short for room: record-encode.ts). */
function isOwnerOf(ours: DeploymentRecord, other: DeploymentRecord): boolean {
  return other.owner === ours.owner || sanitizeOwner(ours.owner).startsWith(other.owner);
}

/**
 * The warning for a record write that failed, or undefined when it would repeat one already said:
 * a function deleted mid-shift (its tags, the record, with it) fails every later heartbeat the
 * same way, and one line says so once instead of one per heartbeat until the shift ends.
 */
export function describeUnwritten(
  phase: DeploymentRecord['phase'],
  where: { functionName: string; alias: string },
  error: unknown,
  goneSaid: boolean,
  opts: UnwrittenContext = {},
): string | undefined {
  const { inRelease = false, movesWaitForIt } = opts;
  const what = `could not write the deployment record (${phase}) of ${where.functionName} alias ${where.alias}`;
  if (isAbandonedForSignal(error, phase)) return undefined;
  if (!isFunctionGone(error)) {
    // An AWS error's message ends with a period: "(… timed out).; the rollback continues".
    const failed = `${what}: ${describeError(error).replace(/\.+$/, '')}`;
    const since = rollbackAskedSince(phase, opts.askedSince);
    if (since) return `${failed}; it was a write of the shift, sent before the rollback began: ${since}`;
    // The next weight waits for a write that lands, and the shift rolls back once none has for
    // the stale limit (health-monitor-types.ts, RecordLagWatch).
    const waits =
      movesWaitForIt && isShiftPhase(phase)
        ? `, but moves no more traffic until a write lands, and rolls back once none has landed for ${formatDuration(movesWaitForIt.limitMs / 1000)}`
        : '';
    return `${failed}; ${whatGoesOn(phase)}${waits}`;
  }
  if (goneSaid) return undefined;
  return `${what}: function ${where.functionName} no longer exists (FUNCTION_NOT_FOUND), and its record went with it; ${goneGoesOn(phase, inRelease)}, and later writes that find it missing are not reported`;
}

/** What a failed record write's warning knows beside the write itself (describeUnwritten). */
export interface UnwrittenContext {
  /** A release's member: its deletion stops the release. */
  inRelease?: boolean;
  /** lshift writes the weights, and the next one waits for a record that lags (the stale limit). */
  movesWaitForIt?: { limitMs: number };
  /** The phase of the latest write asked for since (queued behind this one, or already written). */
  askedSince?: DeploymentRecord['phase'];
}

/**
 * A write of the shift (a heartbeat, a step's) that failed once the rollback's own record write
 * was asked for: the shift is over, so "the shift continues, but moves no more traffic" was
 * untrue under the ROLLBACK line (found by a hostile pass against a stalled endpoint). What goes
 * on is the rollback; undefined when no rollback was asked for.
 */
function rollbackAskedSince(
  phase: DeploymentRecord['phase'],
  asked: DeploymentRecord['phase'] | undefined,
): string | undefined {
  if (!isShiftPhase(phase)) return undefined;
  if (asked === 'rolling-back') return 'the rollback continues, and its own record write comes in its turn';
  if (asked === 'rolled-back') return 'the rollback has ended, and its record write comes in its turn';
  return undefined;
}

/**
 * What goes on once the function is found gone: a single deploy's shift goes on without a record
 * (its alias went with the function: nothing is split); a release stops for it at that poll, or
 * at its next one or weight write (health-monitor.ts), and rolls the others back.
 */
function goneGoesOn(phase: DeploymentRecord['phase'], inRelease: boolean): string {
  if (phase === 'promoted' || phase === 'rolled-back' || phase === 'failed')
    return 'nothing is left to close';
  if (inRelease && phase !== 'rolling-back') return 'the release stops for it and rolls the others back';
  return `${whatGoesOn(phase)} without one`;
}

/**
 * The warning for a read of the record that found the function gone: said once, as a write's
 * is (describeUnwritten), and later writes that meet it say nothing more.
 */
export function describeUnread(
  phase: DeploymentRecord['phase'],
  where: { functionName: string; alias: string },
  inRelease: boolean,
): string {
  const what = `could not read the deployment record (${phase}) of ${where.functionName} alias ${where.alias}`;
  return `${what}: function ${where.functionName} no longer exists (FUNCTION_NOT_FOUND), and its record went with it; ${goneGoesOn(phase, inRelease)}, and later reads and writes that find it missing are not reported`;
}

/**
 * A write of the shift (a heartbeat, the step's `shifting`) that this run's own first Ctrl-C or
 * SIGTERM abandoned in flight: the run is stopping, and the rollback (or pause) writes the record
 * next. Said as "could not write …; the shift continues", it told the operator the opposite of
 * what was happening, right above the rollback line.
 */
function isAbandonedForSignal(error: unknown, phase: DeploymentRecord['phase']): boolean {
  return isLshiftError(error) && error.code === 'INTERRUPTED' && isShiftPhase(phase);
}

function isShiftPhase(phase: DeploymentRecord['phase']): boolean {
  return whatGoesOn(phase) === 'the shift continues';
}

export function isFunctionGone(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'FUNCTION_NOT_FOUND';
}

/** After an unwritten record: only a shift goes on; a closing phase leaves the previous one standing. */
export function whatGoesOn(phase: DeploymentRecord['phase']): string {
  if (phase === 'rolling-back') return 'the rollback continues';
  if (phase === 'promoted' || phase === 'rolled-back' || phase === 'failed') {
    return '`lshift status` shows the phase last written until `lshift rollback` (or a resume) closes it';
  }
  return 'the shift continues';
}

/**
 * Another record replaced ours, but the alias has not moved since we last saw it: that
 * deployment lost the race for the alias (its first write met a 412) or never got to write,
 * so ours is put back. Never over a rollback's claim on this very deployment (`lshift
 * rollback`, `check`, `deploy --supersede`: ours, `rolling-back` or `rolled-back`, another owner): the alias
 * has not moved yet because that rollback is about to move it, or waits for CodeDeploy's own
 * rollback to (minutes) — put back, ours would hide the claim and this runner roll back beside it.
 */
export async function keepOursDespite(
  deps: { clock: Clock; events: EventSink },
  target: { functionName: string; alias: string; ours: DeploymentRecord },
  other: DeploymentRecord,
  aliasStillOurs: (() => Promise<boolean>) | undefined,
): Promise<boolean> {
  if (!aliasStillOurs) return false;
  // Nor over a rollback of this very deployment that ended: a runner whose rollback retried took
  // the restored alias (RevisionId included) into its cursor, so "not moved since" proves nothing.
  // A `--to` its new version (closed promoted, rt=) too: put back over it, the runner said the
  // rollback "never moved the alias" and dropped its rt= mark (h1, session 70).
  if (other.id === target.ours.id && (isRollbackPhase(other.phase) || other.rollbackTo !== undefined))
    return false;
  const ours = await aliasStillOurs().catch(() => false);
  if (ours) {
    logWarn(
      deps,
      `deployment ${other.id} (${other.owner}) stored its record over ours on ${target.functionName} alias ${target.alias}, but never moved the alias; restoring ours`,
      'record',
    );
  }
  return ours;
}

function isRollbackPhase(phase: DeploymentRecord['phase']): boolean {
  return phase === 'rolling-back' || phase === 'rolled-back';
}

/**
 * Why a deployment stopped when its record lagged (RecordLag): unwritten (RECORD_UNWRITTEN) or
 * unread (RECORD_UNREAD) for `seconds`, and what lshift `done` instead — rolled back from a hold
 * (health-monitor.ts), did not write the weight after a wait (traffic-steps.ts). `pausedAt`: the
 * operator's pause it could no longer see ended (record-lag-notice.ts).
 */
export function describeRecordLag(
  where: { functionName: string; alias: string },
  lag: Pick<RecordLag, 'kind' | 'error'>,
  seconds: number,
  done: string,
  opts: { pausedAt?: number } = {},
): string {
  if (lag.kind === 'unwritten')
    return describeRecordUnwritten(where, { seconds, error: lag.error }, done, opts);
  const record = `the deployment record of ${where.functionName} alias ${where.alias}`;
  const lasted = `could not be read for ${formatDuration(seconds)} (${lag.error})`;
  if (opts.pausedAt !== undefined)
    return `${record} ${lasted} while the deployment was paused at ${opts.pausedAt}%: lshift could not see an operator's \`lshift resume\` or \`abort\`, or another lshift taking this deployment over, so it ${done}`;
  return `${record} ${lasted}: lshift could not see an operator's \`lshift abort\` or \`pause\`, or another lshift taking this deployment over, so it ${done}`;
}

export function describeRecordUnwritten(
  where: { functionName: string; alias: string },
  lag: { seconds: number; error: string },
  done: string,
  opts: { pausedAt?: number } = {},
): string {
  const record = `the deployment record of ${where.functionName} alias ${where.alias} could not be written for ${formatDuration(lag.seconds)} (${lag.error})`;
  if (opts.pausedAt !== undefined)
    return `${record} while the deployment was paused at ${opts.pausedAt}%: \`lshift status\`, \`check\` and another deploy could not see this deployment, and \`lshift resume\` or \`abort\` refuse a record that stops changing, so lshift ${done}`;
  return `${record}: \`lshift status\`, \`check\` and another deploy could not see this deployment, so lshift ${done}`;
}
