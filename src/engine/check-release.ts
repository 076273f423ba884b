/**
 * `lshift check` over the functions of a release (issue 13): one verdict holds after the release
 * too. When the check rolls back a function whose record names a release, every other checked
 * function of that release goes back to its stable version as well (`rollbackRelease`), and a
 * stalled function of a release is pointed at the release's resume or rollback, not its own.
 * A release rollback an earlier check began and did not finish (killed between functions) is
 * finished here too (check-release-verdict.ts decides which functions).
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { describeConfigFileNeeded, describeReleaseRollbackCommand } from '../domain/release-ways-out.js';
import { mapBounded } from './bounded.js';
import type { CheckDeps, CheckReport, CheckResult } from './check.js';
import { describeInterrupt } from './check.js';
import { reportHeld } from './check-held-reports.js';
import { leaveToActingCheck, leaveToActingMate, skipClosedMeanwhile } from './check-release-acting.js';
import { mateResult, rollBackMates } from './check-release-mates.js';
import { findMatesInReach } from './check-release-reach.js';
import { isUnfinishedRecord, judgeRelease } from './check-release-verdict.js';
import { hasUnnamedOthers, noteUncheckedMates, releaseKnownOf, uncheckedNamed } from './check-unnamed.js';
import { describeReleaseWaysOut } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import type { ListedRecord } from './record-listing.js';
import { isHandSplitAfterRollbackDecision } from './record-view.js';
import { shareListing } from './records-in-reach.js';
import { DEFAULT_RELEASE_CONCURRENCY } from './release.js';
import { describeStaggerResume, staggerMembers } from './stagger-resume.js';

/**
 * How long an interrupted check waits for a record it re-reads here. Interrupted, it writes
 * nothing more: these reads only find the releases its words name (`lshift rollback --release`),
 * and a scheduler's kill follows its signal within seconds (GitHub: 7.5 s after SIGINT, then
 * 2.5 s after SIGTERM; docs/ci.md). A stalled endpoint's read waited out its 31 s bound and the
 * check was killed with its report unwritten; a record not read in time is left unnamed, the
 * function reported as the check left it, and the next check finishes its release.
 */
export const INTERRUPTED_READ_MS = 1_000;

function readBriefly<T>(deps: CheckDeps, read: Promise<T>): Promise<T | undefined> {
  const gaveUp = new AbortController();
  const late = deps.clock.sleep(INTERRUPTED_READ_MS, gaveUp.signal).then(
    () => undefined,
    () => undefined,
  );
  return Promise.race([read, late]).finally(() => gaveUp.abort());
}

/** The report, said interrupted when a signal came after runCheck ended it uninterrupted. */
function stoppedSince(report: CheckReport, signal: AbortSignal | undefined): CheckReport {
  if (report.interrupted || !signal?.aborted) return report;
  return { ...report, interrupted: describeInterrupt(signal) };
}

/**
 * `staleAfterSeconds`: the check's `--stale-after` (a mate's rival claim older than it is
 * finished). `named`: the check was given function names, so a release's other functions may
 * not have been checked (check-unnamed.ts). `flagsToRepeat`: the check's flags besides `--alias`,
 * as typed, for the `lshift check` commands it offers (without `--alarm` one is refused:
 * CHECK_NO_ALARMS).
 */
export async function checkReleases(
  deps: CheckDeps,
  checked: CheckReport,
  opts: { staleAfterSeconds?: number; named?: boolean; flagsToRepeat?: string; signal?: AbortSignal } = {},
): Promise<CheckReport> {
  const store = deps.store;
  if (!store) {
    reportHeld(deps, checked, checked.results);
    return checked;
  }
  let report = stoppedSince(checked, opts.signal);
  // These reads only read: a signal now abandons them and stops the check at once (cli/check-reads.ts),
  // its notice "stopping now", not "finishing the function being checked" (h3's s71 brief).
  deps.reading?.(true);
  const records = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, report.results, async (r) => {
    try {
      const read = store.read(r.functionName, r.alias);
      return await (report.interrupted ? readBriefly(deps, read) : read);
    } catch {
      return undefined;
    }
  }).finally(() => deps.reading?.(false));
  // A signal in those reads (or since runCheck ended) left records unread: nothing is touched then.
  report = stoppedSince(report, opts.signal);
  const releases = records.map((record) => record?.releaseId);
  const results = report.results.map((r, i) => annotate(r, records, i, report.results, releases));
  const found = new Set<string>();
  const listing = deps.releaseListing ?? shareListing(deps.lambda);
  for (const id of new Set(releases)) {
    if (id === undefined) continue;
    const members = results.flatMap((r, i) => (releases[i] === id ? [{ r, i, record: records[i] }] : []));
    const verdict = judgeRelease(id, members, deps.clock.now(), staleMsOf(opts));
    // Another check is rolling this release back, or has: its stalled functions are left to it.
    skipClosedMeanwhile(results, members, deps.clock.now());
    if (!verdict) leaveToActingCheck(results, members, id);
    if (!verdict && opts.named) await leaveToActingMate(deps, results, members, id, staleMsOf(opts));
    if (!verdict) continue;
    const { why, siblings, reach } = verdict;
    if (report.interrupted) {
      // Nothing more is touched once interrupted: say what is left to do instead.
      const command = describeReleaseRollbackCommand(
        id,
        members.map(({ r }) => r),
      );
      for (const { r, i } of siblings) {
        results[i] = {
          ...r,
          reason: `${r.reason}; ${why}, but the check was ${report.interrupted} before it rolled back this function with it: ${command}`,
        };
      }
      continue;
    }
    const names = members.map(({ r }) => r.functionName);
    if (siblings.length > 0) {
      const rolled = await rollBackMates(deps, id, siblings, why, opts.staleAfterSeconds, names);
      for (const { r, i } of siblings) results[i] = mateResult(r, rolled, why);
    }
    const staleMs = staleMsOf(opts);
    const now = deps.clock.now();
    // At every alias, named or not: a check reads one alias per function (session 60).
    const reached = await findMatesInReach(
      listing,
      id,
      members.map(({ r }) => r),
      reach === 'unfinished' ? (record) => isUnfinishedRecord(record, now, staleMs) : undefined,
    );
    const aliasFlag = sharedAliasFlag(members.map(({ r }) => r.alias));
    const rollback = `\`lshift rollback --release ${id} <its other functions>${aliasFlag}\``;
    if (reached.kind === 'unlisted') {
      // A named check's note below says how to cover them; a check without names has none.
      const how = opts.named
        ? ''
        : `; any function of it on an alias this check did not read was not rolled back with it: \`lshift rollback --release ${id} <its other functions> --alias <theirs>\``;
      markMatesUnknown(
        results,
        members,
        `the release's other functions could not be looked for: ${reached.why}${how}`,
      );
      continue;
    }
    if (reached.mates.length === 0) continue;
    // Found by their records: checked now, so the note on unchecked mates is not said of them.
    found.add(id);
    const more = reached.mates.map((l) => ({ r: mateEntry(l) }));
    const rolledMore = await rollBackMates(deps, id, more, why, opts.staleAfterSeconds, [
      ...names,
      ...more.map(({ r }) => r.functionName),
    ]);
    const foundHow = opts.named ? 'not named to the check' : 'at an alias this check did not read';
    for (const { r } of more) {
      results.push(mateResult(r, rolledMore, `${why}; found by its record, ${foundHow}`));
      releases.push(undefined);
    }
    // A mate among the records that could not be read was not rolled back: the note is not said
    // (it would call the mates just rolled back unchecked), so this says how to cover the others.
    if (reached.unread) {
      const words = `the release's other functions could not all be looked for: ${reached.unread}; any function of it among those was not rolled back: ${rollback}`;
      markMatesUnknown(results, members, words);
    }
  }
  const noted = releases.map((id) => (id !== undefined && found.has(id) ? undefined : id));
  const final = opts.named
    ? noteUncheckedMates(results, noted, listing.peek(), releaseKnownOf(records), opts.flagsToRepeat)
    : results;
  reportHeld(deps, report, final);
  return { ...report, results: final };
}

function staleMsOf(opts: { staleAfterSeconds?: number }): number {
  return (opts.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
}

/** The release was rolled back, but the check could not look for all its functions: exit 4. */
function markMatesUnknown(results: CheckResult[], members: readonly { i: number }[], words: string): void {
  for (const { i } of members)
    results[i] = { ...results[i]!, reason: `${results[i]!.reason}; ${words}`, releaseMatesUnknown: true };
}

/**
 * A stalled function of a release: resume or roll back the release, not the function alone. One
 * this check rolled back has nothing left to resume (the release's others follow it below). A
 * `--stagger` release is refused as one resume (STAGGER_NOT_RESUMABLE, release-resume.ts): its
 * functions are resumed one at a time, each alone.
 */
function annotate(
  r: CheckResult,
  records: readonly (DeploymentRecord | undefined)[],
  index: number,
  all: readonly CheckResult[],
  releases: readonly (string | undefined)[],
): CheckResult {
  const record = records[index];
  const releaseId = record?.releaseId;
  // A promoted record over a split alias has nothing to resume: its own line says what to do.
  if (!releaseId || !r.stalled || r.action === 'rolled_back' || r.phase === 'promoted') return r;
  // Its own line already gives the release's ways out (check-decide.ts, describeMovedAway).
  if (r.movedByHand) return r;
  // Split by someone else after lshift decided to roll it back: its own line offers only its
  // rollback (check-split-since.ts); the release's resume is refused for it (NOTHING_TO_RESUME).
  if (isHandSplitAfterRollbackDecision(record)) return r;
  const checked = all.filter((_, i) => releases[i] === releaseId);
  // Without it the printed commands would act on alias live, not the release's; functions on
  // different aliases are not named at all (release-ways-out.ts).
  // Its record counts more functions than were checked without naming them (`rz=` alone): the
  // resume names them by a placeholder and the rollback none (it finds each by its record); it
  // offered `lshift deploy g4 --resume`, refused as copied, and a rollback of g4 alone.
  const unnamed = hasUnnamedOthers(record, checked);
  const rollback = unnamed
    ? `\`lshift rollback --release ${releaseId}\` (naming no function, it finds each function of the release by its record)`
    : describeReleaseRollbackCommand(releaseId, [...checked, ...uncheckedNamed(record, checked)]);
  // The same resume command a single function's line gives (deploy-result.ts), with the flags
  // its guards need again: the one fix this line gives, not a second beside it. A function moved
  // by hand is left out: the resume would refuse it (ALIAS_MISMATCH) once its deployment is
  // closed as its own line says, and the others go on without it.
  const moved = checked.filter((o) => o.movedByHand).map((o) => o.functionName);
  // One already rolled back alone (`lshift rollback fb`) is left out too: the resume refuses it
  // (NOTHING_TO_RESUME), which the check's advice ran into (found by a hostile pass).
  const members = [
    ...checked
      .filter((o) => o.phase !== 'rolled-back')
      .map((o) => o.functionName)
      .filter((f) => !moved.includes(f)),
    ...uncheckedNamed(record, checked).map((o) => o.functionName),
    ...(unnamed ? [`<the other functions of release ${releaseId}>`] : []),
  ];
  const after =
    describeConfigFileNeeded(checked) +
    (moved.length > 0 ? ` once ${moved.join(' and ')}'s deployment is closed (its line says how)` : '');
  // What the resume needs of each function it names: their guards can differ (their own hooks,
  // a config file's `functions:` entries), and it is refused for any it lacks.
  // Those its record names but the check did not read are left out: their guards are not known
  // here (the same run gave them the same flags, but for a config file's entries of their own).
  const releaseGuards = members.flatMap((functionName) => {
    const i = all.findIndex((o, j) => o.functionName === functionName && releases[j] === releaseId);
    return i < 0 ? [] : [{ functionName, guards: records[i]?.guards }];
  });
  const at = { ...r, releaseAliases: checked.map((o) => o.alias), releaseGuards };
  const how = record.stagger
    ? `${describeStaggerResume(staggerMembers(checked, records, all, members))}; or undo it with ${rollback}`
    : describeReleaseWaysOut(at, record, members, rollback, after);
  const driven = describeDrivenMate(r, records, all, releases, releaseId);
  return { ...r, reason: `${r.reason}; part of release ${releaseId}: ${driven}${how}` };
}

/** Phases only a runner moves on: a mate skipped in one has a live owner driving it. */
const DRIVEN_PHASES: readonly string[] = ['started', 'pre-hook', 'shifting', 'baking', 'post-hook'];

/**
 * Another function of the release, skipped as in progress, is driven by a live runner (a
 * `deploy --resume` of the release taking it over, record by record): the resume this line
 * offers may be that very run (found in session 60: fa's line offered it beside fb's live owner).
 */
function describeDrivenMate(
  r: CheckResult,
  records: readonly (DeploymentRecord | undefined)[],
  all: readonly CheckResult[],
  releases: readonly (string | undefined)[],
  releaseId: string,
): string {
  const i = all.findIndex(
    (o, j) =>
      releases[j] === releaseId &&
      o !== r &&
      o.action === 'skipped' &&
      !o.stalled &&
      DRIVEN_PHASES.includes(records[j]?.phase ?? ''),
  );
  const owner = i < 0 ? undefined : records[i]?.owner;
  if (owner === undefined) return '';
  return `${all[i]!.functionName} is driven by ${owner} (a live heartbeat), most likely a \`deploy --resume\` of the release taking it over: see again in a minute; if ${r.functionName} stays silent, `;
}

/** A function of the release the check was not given, found by its record: as the check would list it. */
function mateEntry(l: ListedRecord): CheckResult {
  return {
    functionName: l.functionName,
    alias: l.alias,
    deploymentId: l.record.id,
    phase: l.record.phase,
    action: 'healthy',
    reason: `deployment ${l.record.id} of release ${l.record.releaseId}`,
  };
}
