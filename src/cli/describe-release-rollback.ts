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
