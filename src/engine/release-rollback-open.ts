/**
 * `lshift rollback --release R orders --alias live` naming only some of the release's functions
 * (or run with a config file listing only some) said "Release R: rolled back", exit 0, while a
 * function it was not given (billing:prod, fc:live) was still split (found by a hostile pass,
 * session 59, F1). A record of an older lshift names its release, never the release's other
 * functions (one written since keeps their count, `rz=`, and names, `rf=`, as room allows: when
 * the functions named are all of it, release-named-whole.ts skips what follows): after the
 * rollback, the records in reach are listed at every alias (records-in-reach.ts, as `lshift
 * check`'s close and a release's resume do) and every record of the release not rolled back
 * beyond those named is reported with where it is and the command that rolls it back. Nothing is
 * done to it — the person did not name it — and the release is not called rolled back: its
 * status is `unsafe` (exit 4, a split a human must look at). A listing refused (no
 * `lambda:ListFunctions`) or failed is said, and the release is not called rolled back either.
 */
import type { ReleaseTarget } from '../domain/release-program.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { LambdaPort } from '../ports/lambda.js';
import { describeError, logInfo } from './emit.js';
import { findOtherOpenMembers, listRecordsInReach, type RecordsInReach } from './records-in-reach.js';

/** A function of the release not named whose record is not rolled back: left as it is. */
export interface OpenMember {
  functionName: string;
  alias: string;
  /** Its record's phase and percent: where it is. */
  phase: string;
  percent: number;
  /**
   * The command that rolls it back — naming every open function at its alias, so one command
   * finishes them all (one command per function left the next one still open: exit 4 again).
   */
  command: string;
}

/**
 * Why the release's functions not named were not (all) looked for; the advice differs: an
 * interruption or a record that failed to read is fixed by running the same command again, a
 * listing refused by allowing `lambda:ListFunctions` (or naming every function).
 */
export type NotLookedCause = 'interrupted' | 'unlisted' | 'unread';

export type UnnamedMembers =
  /** The listing read every record in reach; `open` may be empty. */
  | { kind: 'looked'; open: OpenMember[] }
  /**
   * Not looked for, or not all: `why` says so (the listing refused, some records unread, the
   * rollback interrupted); `open` holds those found anyway.
   */
  | { kind: 'not-looked'; cause: NotLookedCause; why: string; open: OpenMember[] };

export const LISTING_NOTICE =
  'rollback: listing every function in reach (ListFunctions, then ListTags of each one not named) for functions of the release not named';

/**
 * Why it lists at all: an older lshift's record names its release, never the release's other
 * functions, nor how many it has, so nothing short of reading every record in reach tells whether the functions
 * named were all of it (a config file listing only some was F1). What it need not read: the
 * functions named. Each was read (and rolled back) just before at its alias, and a release holds
 * a function once (FUNCTION_NAMED_TWICE), so no other alias of it holds a record of this release
 * (refuseMisplacedMembers refused one at another alias before anything was written). The listing
 * is one ListFunctions (a page per 50 functions) and one ListTags per function not named: when
 * every function in reach is named, no ListTags at all (before session 62 it read every function
 * again, the named ones too).
 */
export async function lookForUnnamedMembers(
  deps: {
    lambda: LambdaPort;
    clock: Clock;
    events: EventSink;
    /**
     * Told just before the listing starts: the CLI lets a Ctrl-C abandon a call in flight from
     * here (only reads remain), not during the writes before it.
     */
    beginListing?: () => void;
  },
  releaseId: string,
  named: readonly ReleaseTarget[],
  signal?: AbortSignal,
  /**
   * The listing that found the functions when none was named (release-members-found.ts): the
   * same answer, not a second listing of every function (F3, session 60).
   */
  listed?: RecordsInReach,
): Promise<UnnamedMembers> {
  if (signal?.aborted)
    return { kind: 'not-looked', cause: 'interrupted', why: 'the rollback was interrupted first', open: [] };
  if (!listed) {
    logInfo(deps, LISTING_NOTICE);
    deps.beginListing?.();
  }
  const skip = named.map((t) => t.functionName);
  // A Ctrl-C during the listing (hundreds of functions take a while) ends it with what it has.
  const reach = listed ?? (await listRecordsInReach(deps.lambda, signal ? { signal, skip } : { skip }));
  // A call abandoned by the Ctrl-C fails like a refusal: the interruption is what is said.
  if (reach.kind === 'unlisted' && signal?.aborted)
    return {
      kind: 'not-looked',
      cause: 'interrupted',
      why: 'the rollback was interrupted during the listing',
      open: [],
    };
  if (reach.kind === 'unlisted') {
    return {
      kind: 'not-looked',
      cause: 'unlisted',
      why: `the functions in reach could not be listed (${describeError(reach.error)})`,
      open: [],
    };
  }
  const open = withOneCommandPerAlias(releaseId, findOtherOpenMembers(reach.records, releaseId, named));
  if (signal?.aborted)
    return {
      kind: 'not-looked',
      cause: 'interrupted',
      why: 'the rollback was interrupted during the listing',
      open,
    };
  if (reach.unread.length === 0) return { kind: 'looked', open };
  const failed = reach.unread
    .slice(0, 3)
    .map(
      (f) =>
        `${f.alias === undefined ? f.functionName : `${f.functionName}:${f.alias}`}: ${describeError(f.error)}`,
    );
  return {
    kind: 'not-looked',
    cause: 'unread',
    why: `${reach.unread.length} of the records in reach could not be read (${failed.join('; ')})`,
    open,
  };
}

/** Each open function with the one command that rolls back every open function at its alias. */
function withOneCommandPerAlias(
  releaseId: string,
  found: readonly { functionName: string; alias: string; record: { phase: string; percent: number } }[],
): OpenMember[] {
  const namesAt = (alias: string) => found.filter((l) => l.alias === alias).map((l) => l.functionName);
  return found.map((l) => ({
    functionName: l.functionName,
    alias: l.alias,
    phase: l.record.phase,
    percent: l.record.percent,
    command: `lshift rollback --release ${releaseId} ${namesAt(l.alias).join(' ')} --alias ${l.alias}`,
  }));
}
