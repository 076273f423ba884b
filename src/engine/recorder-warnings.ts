/**
 * What the deployment recorder (deployment-recorder.ts) says of its own writes: one that hangs,
 * one that may have gone over a takeover, a claim that could not be written. Its losses and
 * failed writes are recorder-loss.ts's.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { OperationError } from '../domain/errors.js';
import { describeError } from './emit.js';

interface RecorderTarget {
  functionName: string;
  alias: string;
}

/**
 * A write not ended after `ms` (DeploymentRecorder.storeWithin). `then`: what lshift does
 * meanwhile — goes on, or ends (a rollback's close).
 */
export function describeHungWrite(
  write: RecorderTarget & { phase: DeploymentRecord['phase']; releaseId: string | undefined },
  ms: number,
  then: 'goes-on' | 'ends',
): string {
  const { phase } = write;
  // Only a rollback that restored the alias leaves it on its stable version: a `failed` close
  // is of one whose alias writes did not land (it said "on its stable version" of an alias left
  // split: found by a hostile pass with the endpoint stopped).
  const shows =
    phase === 'rolled-back' ? 'shows the alias on its stable version' : 'shows where the alias is now';
  const meanwhile =
    then === 'ends'
      ? `lshift ends without waiting for it. Until it lands the record says what it said last (\`lshift status\` ${shows}); once that is stale, ${closer(write.releaseId)}`
      : 'lshift goes on without waiting for it, and it is written in its turn';
  return `the deployment record (${phase}) of ${write.functionName} alias ${write.alias} is not written after ${formatDuration(ms / 1000)} (a write of the record hangs): ${meanwhile}`;
}

/**
 * What closes a record a rollback's run ended without: a check closes a deployment's own, and a
 * release's too — left `shifting` with the release's mark unlanded, as found back on its stable
 * version (check-release-close.ts); before, the check called it stalled at every run and only
 * `lshift rollback --release` closed it (release-back-on-stable-check.test.ts).
 */
function closer(releaseId: string | undefined): string {
  if (releaseId === undefined) return '`lshift check` closes it';
  // Naming no function: it finds the release's records on every alias (a placeholder failed when copied).
  return `\`lshift check\` closes it, or \`lshift rollback --release ${releaseId}\` does at once`;
}

/** A write of ours that landed late, the alias written by someone else since (checkLateLanding). */
export function describeLateLandingLoss(at: RecorderTarget, sinceReadMs: number): string {
  return `alias ${at.alias} of ${at.functionName} was written by someone else (its RevisionId changed) while this lshift's write of its deployment record landed ${formatDuration(sinceReadMs / 1000)} after the read that found the record its own: that write may have gone over the record of whoever took the deployment over (\`lshift rollback\`, \`lshift alias\`); this lshift stopped writing it`;
}

/** A claim (a resumed deployment's first write) that could not be written: nothing moved yet. */
export function claimUnwritable(at: RecorderTarget, error: unknown): OperationError {
  return new OperationError(
    'STATE_UNWRITABLE',
    `Could not write the deployment record of ${at.functionName} alias ${at.alias}: ${describeError(error)}`,
    {
      // A new version may be published by then (published before the first record write):
      // "nothing was changed" said otherwise (found by a hostile pass).
      hint: 'lshift needs lambda:TagResource on the function to take a deployment over; the alias and its traffic were not changed (a version published for this deploy stays, routing no traffic).',
      context: { functionName: at.functionName, alias: at.alias },
      cause: error,
    },
  );
}
