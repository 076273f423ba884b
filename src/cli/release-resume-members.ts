/**
 * `deploy fa fb --resume` of a release that also had fc: a release's records name the release
 * (`rl=`), not its other functions, so the resume would take fa and fb over, promote them
 * ("Release r-… promoted: 2 functions", exit 0) and leave fc split with a stale record, driven
 * by nobody (seen against the sandbox: kill -9 at 40%, then `deploy fa fb --resume`). Before
 * anything is taken over, the records in reach are listed (as `lshift check` without names does)
 * and a function of the same release with an unfinished record that was not named refuses the
 * resume. The listing only reads; one that cannot be made (`lambda:ListFunctions` is only in the
 * policy of `lshift check`) lets the resume go on as before. In an account of hundreds of
 * functions the listing takes a while: it says what it does before it starts, and at the
 * terminal's table how far it got (never on stdout: `--json` keeps its one object there).
 */

import { sharedAliasFlag } from '../domain/alias-flag.js';
import { UsageError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import { describeError, logInfo } from '../engine/emit.js';
import { isFinished } from '../engine/record-view.js';
import { DEFAULT_LIST_CONCURRENCY, type ListedRecord, listRecords } from '../engine/tag-state-store.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';

export interface NamedMember {
  functionName: string;
  alias: string;
}

/** What the listing says of itself: before it starts, and (at a terminal) how far it got. */
export interface ListingReport {
  start(): void;
  progress?: (read: number, total: number) => void;
}

export const LISTING_NOTICE = `resume: listing every function in reach (ListFunctions, then ListTags of each, ${DEFAULT_LIST_CONCURRENCY} at a time) for functions of the release left unnamed, before taking any over`;

/**
 * A plain line through the events (stderr in CI and under `--json`); at the terminal's release
 * table, which shows no line about no function, its line above the header with the count,
 * redrawn every 2% of the functions at most.
 */
export function reportListing(
  deps: { clock: Clock; events: EventSink },
  say?: (text: string) => void,
): ListingReport {
  if (!say) return { start: () => logInfo(deps, LISTING_NOTICE) };
  let shown = -1;
  return {
    start: () => say(`${LISTING_NOTICE}…`),
    progress: (read, total) => {
      const step = Math.max(1, Math.floor(total / 50));
      if (read !== total && read - shown < step) return;
      shown = read;
      say(`${LISTING_NOTICE}: ${read}/${total} functions read`);
    },
  };
}

export async function refuseUnnamedMembers(
  lambda: LambdaPort,
  named: readonly NamedMember[],
  report?: ListingReport,
  /** Set by a resume of one function of a release: a listing that fails refuses it (below). */
  lone?: { releaseId: string },
): Promise<void> {
  let listed: ListedRecord[];
  report?.start();
  try {
    listed = await listRecords(lambda, {
      onError: () => {},
      ...(report?.progress ? { onProgress: report.progress } : {}),
    });
  } catch (error) {
    if (lone) throw unlistedMembers(lone.releaseId, named, error);
    return;
  }
  const key = (functionName: string, alias: string) => `${functionKeyOf(functionName)}:${alias}`;
  const wanted = new Set(named.map((m) => key(m.functionName, m.alias)));
  const releases = new Set(
    listed.flatMap((l) =>
      wanted.has(key(l.functionName, l.alias)) && l.record.releaseId ? [l.record.releaseId] : [],
    ),
  );
  const missing = listed.filter(
    (l) =>
      l.record.releaseId !== undefined &&
      releases.has(l.record.releaseId) &&
      !wanted.has(key(l.functionName, l.alias)) &&
      !isFinished(l.record),
  );
  const [first] = missing;
  if (!first) return;
  throw unnamedMembers(first.record.releaseId!, named, missing);
}

/**
 * `deploy fb --resume` of one function of a killed lockstep release: it drove fb to 100% alone
 * and exited 0, fa and fc left split with nobody driving them — the several-function resume's
 * check (above) was not made for one function (found by a hostile pass). Only for a record that
 * names a lockstep release: a `--stagger` release's functions resume one at a time, as
 * documented, and any other resume lists nothing.
 */
export async function refuseLoneMemberResume(
  deps: { lambda: LambdaPort; store: StateStore },
  target: NamedMember,
  report?: ListingReport,
): Promise<void> {
  // Unreadable: the resume's own read of it says why.
  const record = await deps.store.read(target.functionName, target.alias).catch(() => undefined);
  if (!record?.releaseId || record.stagger || isFinished(record)) return;
  await refuseUnnamedMembers(deps.lambda, [target], report, { releaseId: record.releaseId });
}

/**
 * One function of a release, and its others could not be looked for (no `lambda:ListFunctions`,
 * which `lshift iam-policy` does not grant a deploy): it went on and drove the one function to
 * 100% alone (found by a hostile pass). Naming them all resumes them together (the several-
 * function resume goes on without the listing, as documented).
 */
function unlistedMembers(releaseId: string, named: readonly NamedMember[], error: unknown): UsageError {
  const [first] = named;
  const fn = first?.functionName ?? '<function>';
  const aliasFlag = sharedAliasFlag(named.map((m) => m.alias));
  return new UsageError(
    'CONFLICTING_FLAGS',
    `${fn}'s record names release ${releaseId}, whose other functions could not be looked for (${describeError(error)}): a resume of ${fn} alone would go on without them and leave them where they are; nothing was taken over.`,
    {
      hint: `Name every function of the release: \`lshift deploy ${fn} <its other functions> --resume${aliasFlag}\` (with the first run's --alarm, hook and --bake flags; those already finished are skipped), or roll it all back: \`lshift rollback --release ${releaseId} ${fn} <its other functions>${aliasFlag}\`.`,
    },
  );
}

function unnamedMembers(
  releaseId: string,
  named: readonly NamedMember[],
  missing: ListedRecord[],
): UsageError {
  const mates = missing.filter((l) => l.record.releaseId === releaseId);
  const each = mates.map((l) => `${l.functionName}:${l.alias} (${l.record.phase} at ${l.record.percent}%)`);
  const names = [...named.map((m) => m.functionName), ...mates.map((l) => l.functionName)].join(' ');
  const aliasFlag = sharedAliasFlag([...named.map((m) => m.alias), ...mates.map((l) => l.alias)]);
  return new UsageError(
    'CONFLICTING_FLAGS',
    `Release ${releaseId} has ${mates.length === 1 ? 'another function' : `${mates.length} more functions`} with an unfinished record: ${each.join(', ')}. ` +
      'A resume naming only some of its functions would go on without the others and leave them where they are, with nobody driving them; nothing was taken over.',
    {
      hint: `Name every function of the release: \`lshift deploy ${names} --resume${aliasFlag}\` (with the first run's --alarm, hook and --bake flags), or roll it all back: \`lshift rollback --release ${releaseId} ${names}${aliasFlag}\`.`,
    },
  );
}
