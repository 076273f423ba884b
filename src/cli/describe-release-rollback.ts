/**
 * The first line of `lshift rollback --release`: how the release's rollback ended, in words
 * (the engine's status is data: `nothing_to_deploy` is no phrase to print).
 */
import type { DeployStatus } from '../domain/events.js';

export function describeReleaseRollbackHeadline(releaseId: string, status: DeployStatus): string {
  return `Release ${releaseId}: ${describeStatus(status)}`;
}

function describeStatus(status: DeployStatus): string {
  // A second run (or a check that got there first) finds every function back already: each row
  // below says "Nothing to roll back", and so does the headline.
  if (status === 'nothing_to_deploy') {
    return 'nothing to roll back, every function named was already on its stable version';
  }
  return status.replaceAll('_', ' ');
}

/**
 * A function named whose record at its alias does not name the release. "Its record names no
 * release" was said of a function with no record there at all (found by a hostile pass).
 */
export function describeSkippedMember(
  releaseId: string,
  s: { functionName: string; alias: string; recordedRelease?: string },
): string {
  // Said first as for a function with no record: what matters is that none is of this release.
  const why = s.recordedRelease
    ? `no record of release ${releaseId} at this alias (its record belongs to release ${s.recordedRelease})`
    : `no record of release ${releaseId} at this alias (not part of it, or never started)`;
  return `– ${s.functionName}:${s.alias} left alone: ${why}`;
}
