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
import { isLshiftError, UsageError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import { releaseWaysOut } from '../domain/release-ways-out.js';
import { describeError, logInfo } from '../engine/emit.js';
import { DEFAULT_LIST_CONCURRENCY, type ListedRecord } from '../engine/record-listing.js';
import { isFinished } from '../engine/record-view.js';
import { listRecordsInReach } from '../engine/records-in-reach.js';
import { namesWholeRelease } from '../engine/release-named-whole.js';
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
  /**
   * The records of the functions named: when they name (`rf=`) or count (`rz=`) the release's
   * functions and every one is named, none is left to look for and nothing is listed.
   */
  store?: Pick<StateStore, 'read'>,
): Promise<void> {
  if (!lone && store && (await namesWholeRelease(store, named))) return;
  report?.start();
  const reach = await listRecordsInReach(lambda, report?.progress ? { onProgress: report.progress } : {});
  if (reach.kind === 'unlisted') {
    if (lone) throw unlistedMembers(lone.releaseId, named, reach.error);
    return;
  }
  const listed = reach.records;
  // Functions (or one alias's record) the listing could not read: nothing is said of them.
  const unread = new Set(
    reach.unread.map(({ functionName, alias }) =>
      alias === undefined ? functionKeyOf(functionName) : `${functionKeyOf(functionName)}:${alias}`,
    ),
  );
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
  const releaseId = first.record.releaseId!;
  const recordOf = (m: NamedMember) =>
    listed.find((l) => key(l.functionName, l.alias) === key(m.functionName, m.alias));
  const isUnread = (m: NamedMember) =>
    unread.has(functionKeyOf(m.functionName)) || unread.has(key(m.functionName, m.alias));
  // A name no record in reach knows (`deploy ordres mailer --resume`, a typo): not a function left
  // unnamed but one named that is not of the release (found by a docs audit: it was refused as
  // CONFLICTING_FLAGS, its hint repeating the typo).
  const strangers = named.filter((m) => !recordOf(m) && !isUnread(m));
  // What a hint names of those named: never a function that is not of the release.
  const own = named.filter((m) => recordOf(m)?.record.releaseId === releaseId || isUnread(m));
  const mates = missing.filter((l) => l.record.releaseId === releaseId);
  if (strangers.length > 0) throw await notInRelease(lambda, releaseId, strangers, own, mates);
  throw unnamedMembers(releaseId, own, mates);
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
  const mates = await readNamedMates(deps.store, record, target);
  if (mates) {
    const open = mates.filter((l) => !isFinished(l.record));
    if (open.length > 0) throw unnamedMembers(record.releaseId, [target], open);
    return;
  }
  await refuseUnnamedMembers(deps.lambda, [target], report, { releaseId: record.releaseId });
}

/**
 * The release's other functions as its record names them (`rf=`), each read at the same alias:
 * no listing of every function in reach is needed to refuse (or allow) the lone resume (found by
 * a pass: it listed all the same). Undefined — list as before — when the record names none (an
 * older lshift, too many for the tag) or one of them holds no record of the release there (its
 * alias differs, a read failed).
 */
async function readNamedMates(
  store: Pick<StateStore, 'read'>,
  record: { releaseId?: string; releaseFunctions?: readonly string[] },
  target: NamedMember,
): Promise<ListedRecord[] | undefined> {
  const others = record.releaseFunctions?.filter(
    (name) => functionKeyOf(name) !== functionKeyOf(target.functionName),
  );
  if (!others) return undefined;
  const read = await Promise.all(
    others.map(async (functionName) => ({
      functionName,
      alias: target.alias,
      record: await store.read(functionName, target.alias).catch(() => undefined),
    })),
  );
  const mates = read.filter((l): l is ListedRecord => l.record?.releaseId === record.releaseId);
  return mates.length === others.length ? mates : undefined;
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

/** The functions a hint names: those named of the release, then its others with an unfinished record. */
function releaseMembers(own: readonly NamedMember[], mates: ListedRecord[]): NamedMember[] {
  return [
    ...own.map((m) => ({ functionName: m.functionName, alias: m.alias })),
    ...mates.map((l) => ({ functionName: l.functionName, alias: l.alias })),
  ];
}

/**
 * Named functions without a record in reach, while the release has others unnamed: refused as
 * `abort --release` and the engine's resume refuse a name not of the release (NOT_IN_RELEASE,
 * release-resume-gone.ts), with the documented words when the function does not exist.
 */
async function notInRelease(
  lambda: LambdaPort,
  releaseId: string,
  strangers: readonly NamedMember[],
  own: readonly NamedMember[],
  mates: ListedRecord[],
): Promise<UsageError> {
  const { resume, rollback } = releaseWaysOut(releaseId, releaseMembers(own, mates));
  // Named at an alias its record of the release is not at (billing on `prod`, named at `live`
  // without the config file): not a name to leave out — the hint named it again, a loop.
  const elsewhere = (m: NamedMember) =>
    mates.find((l) => functionKeyOf(l.functionName) === functionKeyOf(m.functionName));
  const said = await Promise.all(
    strangers.map(async ({ functionName, alias }) => {
      const at = elsewhere({ functionName, alias });
      if (at) {
        return `Function ${functionName} has no deployment record at alias ${alias}: its record of release ${releaseId} is at alias ${at.alias} (${at.record.phase} at ${at.record.percent}%).`;
      }
      const gone = await lambda.getFunction(functionName).then(
        () => false,
        (error: unknown) => isLshiftError(error) && error.code === 'FUNCTION_NOT_FOUND',
      );
      return gone
        ? `Function ${functionName} does not exist in this account and region, so it is no function of release ${releaseId} to resume: mistyped, or deleted since the release started (its deployment record with it).`
        : `Function ${functionName} has no deployment record at alias ${alias}, so it is no function of release ${releaseId} to resume.`;
    }),
  );
  const typos = strangers.filter((m) => !elsewhere(m)).map((m) => m.functionName);
  const moved = strangers.flatMap((m) => {
    const at = elsewhere(m);
    return at ? [`${m.functionName} at its alias ${at.alias}`] : [];
  });
  const fix = [
    ...(typos.length > 0
      ? [
          `Correct ${typos.join(', ')} (check the name, --region and --profile), or leave ${typos.length > 1 ? 'them' : 'it'} out`,
        ]
      : []),
    ...(moved.length > 0 ? [`Name ${moved.join(', ')}`] : []),
  ].join('; ');
  return new UsageError('NOT_IN_RELEASE', `${said.join(' ')} Nothing was taken over.`, {
    hint: `${fix}: resume the release with ${resume}, or roll it back with ${rollback}.`,
    context: { functionName: strangers[0]!.functionName },
  });
}

function unnamedMembers(releaseId: string, own: readonly NamedMember[], mates: ListedRecord[]): UsageError {
  const { resume, rollback } = releaseWaysOut(releaseId, releaseMembers(own, mates));
  const each = mates.map((l) => `${l.functionName}:${l.alias} (${l.record.phase} at ${l.record.percent}%)`);
  return new UsageError(
    'CONFLICTING_FLAGS',
    `Release ${releaseId} has ${mates.length === 1 ? 'another function' : `${mates.length} more functions`} with an unfinished record: ${each.join(', ')}. ` +
      'A resume naming only some of its functions would go on without the others and leave them where they are, with nobody driving them; nothing was taken over.',
    {
      hint: `Name every function of the release: ${resume}, or roll it all back: ${rollback}.`,
    },
  );
}
