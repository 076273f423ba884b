/**
 * `lshift check`'s first pass over the records it gathered: each is either answered at once (a
 * record that does not add up, a promoted one left split, one whose alias is gone, one with
 * nothing to check: skipped) or becomes a candidate, watched and judged by check.ts and
 * check-decide.ts.
 */

import { describeOverlongAlarm, OVERLONG_ALARM_HINT } from '../domain/alarm-templates.js';
import type { AliasInfo } from '../ports/lambda.js';
import { type CheckKind, classifyRecord, expandAlarms, rollbackTarget } from './check-classify.js';
import type { CodeDeployView } from './check-codedeploy.js';
import { describeAliasGone, describeRefusal, entry } from './check-entry.js';
import { keepAliasReads, listedMates, type SeenAliasReads, withListedMates } from './check-listed-mates.js';
import { cacheMateRecordReads, type MateRecordReader } from './check-mates-after-watch.js';
import { findPromotedButSplit, releaseFunctionsOf } from './check-records.js';
import {
  cacheAliasReads,
  findQuietMates,
  findUnresumableMates,
  type MateAliasReader,
  type WholeReleaseKnown,
  wholeReleaseKnown,
} from './check-release-close.js';
import { checkSettingsOf } from './check-request.js';
import { findMovedSinceRollback, judgeMovedSinceRollback } from './check-split-since.js';
import type { CheckDeps, CheckRequest, CheckResult } from './check-types.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { describeAliasState } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describePromotedButSplit, promotedButSplitFix } from './promoted-split.js';
import type { ListedRecord } from './record-listing.js';
import { describeUntrustedRecord, untrustedRecordError } from './record-trust.js';
import { isSplit } from './record-view.js';
import { type MemberAt, type SharedListing, shareListing } from './records-in-reach.js';
import type { UnresumableMates } from './release-moved-member.js';
import { promotedFull } from './resume-point.js';

export interface Candidate extends ListedRecord {
  kind: CheckKind;
  toVersion: string;
  alarmNames: string[];
  /** What AWS CodeDeploy says of the record's deployment (check-codedeploy.ts), when it runs it. */
  codeDeploy?: CodeDeployView;
  /** Every function of the record's release, when the check listed them all (check-records.ts). */
  releaseFunctions?: string[];
  /** The functions of the record's release this check has records of (the same as check-release.ts names). */
  releaseChecked?: string[];
  /**
   * Every function of the record's release the check knows of, at its alias: those it read, and
   * the open ones the close's listing of every record in reach found (undefined: not listed).
   */
  releaseMembers?: () => MemberAt[] | undefined;
  /** One of those records holds an obeyed or sent `promote --full` (check-moved.ts). */
  releasePromotedFull?: true;
  /**
   * Those of them a resume of the release would refuse (check-release-close.ts
   * findUnresumableMates), with those of its listed mates once the listing ran (check-listed-mates.ts).
   */
  releaseUnresumable?: () => UnresumableMates;
  /**
   * A release's function closed like a single deployment's when it and these, its release's
   * other records read, are all on their stable versions (check-release-close.ts).
   */
  releaseClosable?: {
    mates: ListedRecord[];
    readAlias: MateAliasReader;
    known: WholeReleaseKnown;
    /** Their records read again after the watch (check-mates-after-watch.ts). */
    readRecord: MateRecordReader;
  };
}

/** What the first pass read once for every record (collectCandidates). */
interface FirstPass {
  deps: CheckDeps;
  req: CheckRequest;
  now: number;
  gathered: ListedRecord[];
  aliasGone: Set<ListedRecord>;
  splitPromoted: Map<ListedRecord, AliasInfo>;
  movedSinceRollback: Map<ListedRecord, AliasInfo>;
  /** Every function of each release, by release id, when the check listed them all (check-records.ts). */
  mates: Map<string, string[]> | undefined;
  readMateAlias: MateAliasReader;
  readMateAliasToClose: MateAliasReader;
  readMateRecordToClose: MateRecordReader;
  /** Whether this check knows every function of a release (check-release-close.ts). */
  known: WholeReleaseKnown;
  listing: SharedListing;
  /** The aliases of a release's mates the listing found, read when it was made for a close. */
  listedAliases: SeenAliasReads;
}

/**
 * The gathered records to watch and judge, in their order; the others' results go to `add`.
 * `unreadable`: how many functions' records could not be read (check-records.ts releaseFunctionsOf);
 * `unread`: those functions, by name.
 */
export async function collectCandidates(
  deps: CheckDeps,
  req: CheckRequest,
  now: number,
  gathered: ListedRecord[],
  unreadable: number,
  unread: readonly string[],
  add: (r: CheckResult) => void,
): Promise<Candidate[]> {
  // Ended records whose alias was deleted since (read by the two lookups below, once each).
  const aliasGone = new Set<ListedRecord>();
  const [splitPromoted, movedSinceRollback] = await Promise.all([
    findPromotedButSplit(deps, gathered, aliasGone),
    findMovedSinceRollback(deps, gathered, aliasGone),
  ]);
  const mates = releaseFunctionsOf(req, gathered, unreadable);
  const readMateAlias = cacheAliasReads((fn, alias) => deps.lambda.getAlias(fn, alias));
  // Its own reads: first asked once the candidates were watched for the stale limit, as late as
  // the close they decide (their words' reads above are taken before that watch).
  const readMateAliasToClose = cacheAliasReads((fn, alias) => deps.lambda.getAlias(fn, alias));
  const readMateRecordToClose = cacheMateRecordReads(deps.store);
  const listing = deps.releaseListing ?? shareListing(deps.lambda);
  const listedAliases = keepAliasReads((fn, alias) => deps.lambda.getAlias(fn, alias));
  const known = wholeReleaseKnown(listing, gathered, { unread, readListed: listedAliases.read });
  const pass: FirstPass = {
    deps,
    req,
    now,
    gathered,
    aliasGone,
    splitPromoted,
    movedSinceRollback,
    mates,
    readMateAlias,
    readMateAliasToClose,
    readMateRecordToClose,
    known,
    listing,
    listedAliases,
  };
  const candidates: Candidate[] = [];
  for (const listed of gathered) {
    const sorted = await sortRecord(pass, listed);
    if ('result' in sorted) add(sorted.result);
    else candidates.push(sorted.candidate);
  }
  return candidates;
}

async function sortRecord(
  pass: FirstPass,
  listed: ListedRecord,
): Promise<{ result: CheckResult } | { candidate: Candidate }> {
  const { deps, req, now } = pass;
  const problem = describeUntrustedRecord(listed.record, now);
  if (problem !== undefined) return { result: await refuseUntrusted(deps, listed, now, problem) };
  const split = pass.splitPromoted.get(listed);
  if (split) return { result: await judgePromotedButSplit(deps, listed, split) };
  const kind = classifyRecord(listed.record, now, { ...req, owner: deps.owner, processes: deps.processes });
  if (typeof kind !== 'string' && pass.aliasGone.has(listed)) {
    // Not skipped (exit 0 at every run, for good): a finished record never ages out, and only
    // a person deletes it; said as the unfinished and recent ones are (check-alias-deleted.test.ts).
    return { result: entry(listed, 'error', `${kind.skip}, but ${describeAliasGone(listed)}`) };
  }
  if (typeof kind !== 'string') {
    const since = pass.movedSinceRollback.get(listed);
    return {
      result: since
        ? await judgeMovedSinceRollback(deps, kind.skip, listed, since)
        : entry(listed, 'skipped', kind.skip),
    };
  }
  const { alarms } = checkSettingsOf(req, listed.functionName);
  // A function found by its record: a name CloudWatch would refuse (over 255 characters once
  // filled) cannot be judged, and in a DescribeAlarms batch it would fail the others' too.
  const overlong = describeOverlongAlarm(alarms, listed.functionName, listed.alias, 'alarm');
  if (overlong !== undefined) return { result: entry(listed, 'error', `${overlong} ${OVERLONG_ALARM_HINT}`) };
  const alarmNames = expandAlarms(alarms, listed.functionName, listed.alias);
  return { candidate: await candidateOf(pass, listed, kind, alarmNames) };
}

/** A promoted record over a split alias: left to the CodeDeploy deployment that drives it, or to a human. */
async function judgePromotedButSplit(
  deps: CheckDeps,
  listed: ListedRecord,
  split: AliasInfo,
): Promise<CheckResult> {
  const driver = await findCodeDeployDriver(
    deps.codedeploy,
    deps.codeDeployGroupOf?.(listed.functionName, listed.alias),
    { functionName: listed.functionName, alias: listed.alias, routing: split },
  );
  if (driver) {
    // Someone else's CodeDeploy deployment drives the split (codedeploy-split-driver.ts): not
    // stalled, and nothing to write beside it.
    const id = driver.split(' ')[0];
    const why = `deployment ${listed.record.id} ended promoted; the alias routes ${describeAliasState(split)}, driven by another CodeDeploy deployment on its group: ${driver}; left to it (\`lshift wait ${id} --on-interrupt leave\` follows it without stopping it)`;
    return entry(listed, 'skipped', why);
  }
  const why = `${describePromotedButSplit(listed, listed.record, split)}; left as it is, a human must decide. ${promotedButSplitFix(listed, listed.record, split)}`;
  return entry(listed, 'skipped', why, { stalled: true });
}

/** A record to judge, with what its release's other records say (check-release-close.ts, check-moved.ts). */
async function candidateOf(
  pass: FirstPass,
  listed: ListedRecord,
  kind: CheckKind,
  alarmNames: string[],
): Promise<Candidate> {
  const { req, now, gathered } = pass;
  const releaseId = listed.record.releaseId;
  const releaseFunctions = releaseId ? pass.mates?.get(releaseId) : undefined;
  const mateRecords = gathered.filter((g) => g.record.releaseId === releaseId);
  const releaseChecked = mateRecords.map((g) => g.functionName);
  const fullRelease = releaseId !== undefined && mateRecords.some((g) => promotedFull(g.record));
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const quietMates = releaseId === undefined ? undefined : findQuietMates(listed, gathered, now, staleMs);
  // Words only: which of its mates a resume of the release would refuse (check-moved.ts).
  const unresumable =
    releaseId !== undefined && kind === 'orphaned'
      ? await findUnresumableMates(
          mateRecords.filter((g) => g !== listed),
          pass.readMateAlias,
        )
      : undefined;
  return {
    ...listed,
    kind,
    toVersion: rollbackTarget(listed.record),
    alarmNames,
    ...(releaseFunctions ? { releaseFunctions } : {}),
    ...(releaseId
      ? { releaseChecked, releaseMembers: () => membersKnown(pass.listing, releaseId, mateRecords) }
      : {}),
    ...(fullRelease ? { releasePromotedFull: true as const } : {}),
    ...(quietMates
      ? {
          releaseClosable: {
            mates: quietMates,
            readAlias: pass.readMateAliasToClose,
            known: pass.known,
            readRecord: pass.readMateRecordToClose,
          },
        }
      : {}),
    ...(unresumable
      ? {
          releaseUnresumable: () =>
            withListedMates(
              unresumable,
              listedMates(pass.listing, releaseId!, mateRecords) ?? [],
              pass.listedAliases,
            ),
        }
      : {}),
  };
}

/**
 * The release's functions this check read, then those the listing found open beyond them: the
 * undo a STALLED line gives names them all. It named the checked ones only, though the close's
 * listing had found fc split: copied, it closed fa and fb and left fc at 10%, which `status`
 * then offered to resume alone (found by a hostile pass, session 59, F8).
 */
function membersKnown(
  listing: SharedListing,
  releaseId: string,
  read: readonly ListedRecord[],
): MemberAt[] | undefined {
  const found = listedMates(listing, releaseId, read);
  if (!found) return undefined;
  return [...read, ...found].map(({ functionName, alias }) => ({ functionName, alias }));
}

/**
 * A record that does not add up is never acted on. Over a split alias it is a split nobody can
 * finish or undo (exit 4, `stalled`), and its fix is the rollback that needs no record, as `lshift
 * status` says — not "delete the record", which left a split alias that every later check and
 * `status` reported as nothing to do (found by a hostile pass: exit 1, then 0 for ever).
 */
async function refuseUntrusted(
  deps: CheckDeps,
  listed: ListedRecord,
  now: number,
  problem: string,
): Promise<CheckResult> {
  const alias = await deps.lambda.getAlias(listed.functionName, listed.alias).catch(() => undefined);
  if (!alias || !isSplit(alias.additionalWeights))
    return entry(listed, 'error', describeRefusal(listed, now, problem, deps.clock));
  const { message } = untrustedRecordError(
    {
      functionName: listed.functionName,
      alias: listed.alias,
      now,
      sandboxClock: deps.clock.followsSandbox === true,
    },
    problem,
  );
  const fix = `lshift rollback ${listed.functionName} --alias ${listed.alias} --to ${alias.functionVersion}`;
  return entry(
    listed,
    'error',
    `${message} Alias ${listed.alias} is split (${describeAliasState(alias)}) and nothing will finish or undo it: put all traffic on its primary version with \`${fix}\` (the record is left as it is).`,
    { stalled: true },
  );
}
