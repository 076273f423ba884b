/**
 * `lshift rollback --release R` with no function named (and no config file listing them) was
 * refused, though the release id is often all one has at 3 a.m. (found by a hostile pass, session
 * 60, F8b). A record names its release: the records in reach, at every alias, say which functions
 * it has (records-in-reach.ts). Each found is rolled back as if named — one already rolled back
 * says "Nothing to roll back". Without `lambda:ListFunctions` nothing can be found: the caller
 * refuses as before, saying why. Records that could not be read are not a refusal: the functions
 * found are rolled back, and the listing after the rollback (release-rollback-open.ts) says what
 * was not looked for.
 */
import type { ReleaseTarget } from '../domain/release-program.js';
import type { LambdaPort } from '../ports/lambda.js';
import { describeError } from './emit.js';
import { listRecordsInReach, type RecordsInReach } from './records-in-reach.js';

export type FoundMembers =
  /**
   * `reach`: the listing that found them, reused for the release's functions not rolled back
   * after (release-rollback-open.ts): listing every function twice doubled the wait (F3).
   */
  | { kind: 'found'; targets: ReleaseTarget[]; reach: Extract<RecordsInReach, { kind: 'listed' }> }
  /** A Ctrl-C during the listing: nothing found for sure, nothing to be done (F1). */
  | { kind: 'interrupted' }
  /** `why`: the listing refused or failed (`unlisted`), or no record in reach names the release. */
  | { kind: 'not-found'; unlisted: boolean; why: string };

export async function findReleaseMembers(
  lambda: LambdaPort,
  releaseId: string,
  /** `--alias`: only the release's records at this alias. */
  alias?: string,
  signal?: AbortSignal,
): Promise<FoundMembers> {
  const reach = await listRecordsInReach(lambda, signal ? { signal } : {});
  if (signal?.aborted) return { kind: 'interrupted' };
  if (reach.kind === 'unlisted') {
    return {
      kind: 'not-found',
      unlisted: true,
      why: `the functions in reach could not be listed (${describeError(reach.error)})`,
    };
  }
  const targets = reach.records
    .filter((l) => l.record.releaseId === releaseId && (alias === undefined || l.alias === alias))
    .map((l) => ({ functionName: l.functionName, alias: l.alias }));
  if (targets.length > 0) return { kind: 'found', targets, reach };
  const where = alias === undefined ? 'at any alias' : `at alias ${alias}`;
  const unread = reach.unread.length > 0 ? ` (${reach.unread.length} could not be read)` : '';
  return {
    kind: 'not-found',
    unlisted: false,
    why: `no record in reach names release ${releaseId} ${where}${unread}`,
  };
}
