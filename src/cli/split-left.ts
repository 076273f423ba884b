/**
 * A split someone made during lshift's rollback (or before any weight, or mid-shift: settle.ts),
 * left by it with the record closed (session 67: unsafe, exit 4, not a conflict; engine/rollback-moved-close.ts movedStatus):
 * no rollback failed, and nobody drives that split. Every view says so — the text, the per-function
 * reason (`--json`, NDJSON), the step summary's headline and its `::error` title — not "rollback
 * failed". An open record has its own words (describe-rollback-failure.ts describeRecordOpen).
 */
import type { DeployResult } from '../domain/events.js';
import { isSplit } from '../engine/record-view.js';

export function isSplitLeft(result: DeployResult): boolean {
  const cause = result.cause;
  if (result.status !== 'unsafe' || result.aliasState === undefined) return false;
  if (!isSplit(result.aliasState.additionalWeights)) return false;
  if (cause?.code === 'ALIAS_CHANGED') return cause.data.splitLeft === true;
  // Taken over by a rollback that met a person's split and left it (engine/taken-split-left.ts).
  if (cause?.code === 'TAKEN_OVER') return cause.data.splitLeft === 'by-hand';
  return cause?.code === 'ROLLBACK_CONFLICT' && cause.data.recordOpen !== true;
}

/** Split while lshift shifted its traffic (no rollback ran), not during its rollback. */
export function isSplitMidShift(result: DeployResult): boolean {
  return isSplitLeft(result) && result.cause?.code === 'ALIAS_CHANGED';
}

/** Split during the rollback of another lshift that took this deployment over: its owner. */
export function splitLeftByTaker(result: DeployResult): string | undefined {
  const cause = result.cause;
  return isSplitLeft(result) && cause?.code === 'TAKEN_OVER'
    ? (cause.data.by ?? 'another lshift')
    : undefined;
}

/** The command that puts it back: the given (a release's, with the run's target), the result's, or plain. */
export function splitLeftRollback(result: DeployResult, command?: string): string {
  return (
    command ?? result.rollbackCommand ?? `lshift rollback ${result.functionName} --alias ${result.alias}`
  );
}

/** "; nobody drives that split: `lshift rollback …` puts all traffic on version 1 over it". */
export function describeSplitLeftWayBack(result: DeployResult, command?: string): string {
  const to = result.fromVersion ?? 'the stable version';
  return `; nobody drives that split: \`${splitLeftRollback(result, command)}\` puts all traffic on version ${to} over it`;
}
