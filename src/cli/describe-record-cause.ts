/**
 * The words of a record's `cause` (`y=`, src/domain/record-cause.ts): why lshift itself rolled a
 * deployment back, as `lshift status` says it once the run that decided it is gone. The record
 * keeps the code (and the gates or the hook phase, room allowing), never the run's own detail, so
 * these are shorter than describe-outcome.ts's reasons and add nothing the record does not say.
 */
import type { RecordCause } from '../domain/record-cause.js';
import { describeRecordCause } from '../domain/record-cause-words.js';
import { isCheckOwner } from '../engine/owner-kinds.js';
import { isRolledBackAfterPromotion } from '../engine/rolled-back-after-promotion.js';

export { describeRecordCause };

/**
 * The status line: "rolled back by lshift" only when the record says lshift's rollback finished
 * it (phase `rolled-back`, no end reason, which would mean someone else ended it); otherwise (its
 * rollback failed, or a person finished it elsewhere) that lshift decided to roll it back. A
 * release rolls every function back for one function's cause, and each record keeps that cause:
 * said as the release's, so a healthy function's status does not read as its own gate failing.
 *
 * A CodeDeploy-engine record says "rolled back" without "by lshift": AWS CodeDeploy put the traffic
 * back (after lshift's StopDeployment, or on its own: its alarm, a hook, someone's stop, which
 * `lshift wait` and `lshift check` record when they close it), or lshift wrote the alias itself once
 * CodeDeploy could no longer. An alarm's `GATE_FAILED.alarms` may be lshift's `--alarm` or the
 * deployment group's: the record does not say which, so neither does the line.
 */
export function describeRecordCauseLine(record: {
  phase: string;
  endReason?: string;
  cause?: RecordCause;
  releaseId?: string;
  engine?: string;
  owner?: string;
}): string | undefined {
  if (!record.cause) return undefined;
  const codeDeploy = record.engine === 'codedeploy';
  const words = describeRecordCause(record.cause, codeDeploy ? 'codedeploy' : undefined);
  const release = record.releaseId === undefined ? '' : ` with its release (in this function or another)`;
  // A check's rollback keeps the deployment's cause words ("a health gate failed"): the line says
  // who judged it, not only the owner line below (found by a hostile pass).
  const who = record.owner !== undefined && isCheckOwner(record.owner) ? 'lshift check' : 'lshift';
  // Rolled back after its promotion is that rollback's own end (a check's too, since session 70),
  // not one someone else made: said as a rollback with no end reason is.
  const ownEnd =
    record.endReason === undefined ||
    isRolledBackAfterPromotion({ phase: 'rolled-back', endReason: record.endReason });
  if (record.phase !== 'rolled-back' || !ownEnd) return `${who} decided to roll it back${release}: ${words}`;
  return codeDeploy ? `rolled back${release}: ${words}` : `rolled back by ${who}${release}: ${words}`;
}

/** The canary analysis's gates (the relative ones, docs/analysis.md): `--no-analysis` turns them off. */
const ANALYSIS_GATES: ReadonlySet<string> = new Set(['error-rate-increase', 'latency-increase']);

/**
 * What the canary analysis last said, as far as the record keeps it: only a rollback's cause names
 * gates (`y=GATE_FAILED.error-rate-increase`), so a verdict is said only when the analysis failed
 * the new version or could not judge it and that decided the rollback. Nothing else is said: the
 * record keeps no verdict of a run that passed, nor of one still running (found by a hostile pass,
 * session 61: status's guards line did not mention the analysis at all).
 */
export function describeAnalysisSaid(record: {
  stableVersion: string;
  targetVersion: string;
  cause?: RecordCause;
  guards?: { analysis: boolean };
  releaseId?: string;
}): string {
  const cause = record.cause;
  // A release's records each keep the release's cause, maybe another function's: said by the
  // cause line as the release's, never as this function's verdict (seen by hand, session 62:
  // "found version 2 worse" of the healthy function of a release).
  if (!record.guards?.analysis || !cause || record.releaseId !== undefined) return '';
  if (cause.code !== 'GATE_FAILED' && cause.code !== 'INCONCLUSIVE') return '';
  const gates = (cause.gates ?? []).filter((g) => ANALYSIS_GATES.has(g));
  if (gates.length === 0) return '';
  const said =
    cause.code === 'GATE_FAILED'
      ? `found version ${record.targetVersion} worse than version ${record.stableVersion}`
      : `could not judge version ${record.targetVersion}`;
  return `, which ${said} (${gates.join(', ')})`;
}
