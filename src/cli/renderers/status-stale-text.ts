/**
 * `lshift status`'s words for a record whose runner is gone (STALE, STALLED) or paused: what
 * became of it, and a release's function's ways out.
 */
import { formatDuration } from '../../domain/duration.js';
import { parseProcessOwner } from '../../domain/owner-mark.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../../domain/poll-interval.js';
import { aliasWrittenSinceStart } from '../../domain/record-revision.js';
import { describeGoneRunner } from '../../engine/check-classify.js';
import { describeReleaseWaysOut } from '../../engine/deploy-result.js';
import { describeLiveUnwritten } from '../../engine/owner-kinds.js';
import { describeMovedAwayWaysOut } from '../../engine/rollback-moved-away.js';
import type { AliasStatus } from '../../engine/status.js';
import { isLeftPaused, isRunnerKnownGone, isStalledRunner } from '../../engine/status-stalled.js';

/**
 * Why "seems": a runner whose pid status cannot look up (another machine, a CI job, a record that
 * cannot be placed on this one: owner-mark.ts) is judged by its heartbeat alone, and status cannot
 * know whether it died or only stopped writing. Said so (h2's first pass, session 62).
 */
export const UNSEEN_RUNNER =
  'its heartbeats stopped; whether its process still runs, status cannot see from this machine';

const NOBODY_DRIVES = 'nobody drives it';

/** A record its runner left `paused` (an interrupt under `--on-interrupt leave`, a move by hand). */
export const LEFT_PAUSED = 'its runner left it paused and exited';

/**
 * A stale rollback (`rolling-back`) is not a runner that died mid-shift: whoever started it
 * stopped, and `lshift check` finishes it (as `check` says of the same record). A runner gone
 * mid-deployment is STALLED, check's word (exit 4 there) — status said STALE — unless the check
 * would close it (closedByCheck) or AWS CodeDeploy runs it on without its follower.
 */
export function describeStale(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  // Its runner left it paused and exited: `lshift check` says STALLED (status-stalled.ts isLeftPaused).
  if (isLeftPaused(record)) return ` — STALLED: ${LEFT_PAUSED}; ${NOBODY_DRIVES}`;
  if (!record.stale) {
    // Its pid gone here, its heartbeat still fresh: what `lshift check` says of it, at once.
    return record.deadPid === undefined
      ? ''
      : ` — ${describeGoneRunner(record, record.deadPid, DEFAULT_STALE_AFTER_SECONDS * 1000)}`;
  }
  // Its runner's pid still runs here: not "seems to have died" (describeLiveUnwritten; found by a
  // hostile pass). The same label and exit code as a dead runner's, other words.
  const live =
    record.livePid === undefined
      ? undefined
      : describeLiveUnwritten(
          record.livePid,
          formatDuration(record.heartbeatAgeSeconds),
          record.engine,
          record.owner,
          record.phase,
        );
  const dead =
    record.deadPid === undefined ? '' : ` (its process ${record.deadPid} no longer runs on this machine)`;
  if (record.phase === 'rolling-back') {
    const stopped = live ? `writes no record (${live})` : `has stopped${dead}`;
    // Moved past since (rollback-overtaken.ts): nothing finishes it over that move.
    if (record.rollbackOvertaken)
      return ` — STALLED: the rollback ${record.owner} started ${stopped}, and ${record.rollbackOvertaken}; neither \`deploy --resume\` nor \`lshift check\` writes over that move; to put all traffic back on version ${record.stableVersion} anyway: ${describeRollbackNow(status, record)}`;
    // Moved onto a version it never wrote (rollback-moved-away.ts): the rollback's own ways out.
    if (record.rollbackMovedAway)
      return ` — STALLED: the rollback ${record.owner} started ${stopped}, and ${record.rollbackMovedAway}; neither \`deploy --resume\` nor \`lshift check\` writes over that move: ${describeMovedAwayWaysOut(status.functionName, status.alias, record, status)}`;
    return ` — STALE: the rollback ${record.owner} started ${stopped}; the next \`lshift check\` (or ${describeRollbackNow(status, record)}) finishes it${describeFinishedOnStable(record)}`;
  }
  // An AWS CodeDeploy deployment's runner follows it (CodeDeploy runs on without it): its pid
  // gone here, it is gone, as its line says while CodeDeploy runs; "seems to have died (its
  // process … no longer runs on this machine)" doubted what it then said (found in session 62).
  const runner = record.engine === 'codedeploy' ? 'its follower' : 'its runner';
  const known =
    isRunnerKnownGone(record, record.deadPid) ||
    (record.engine === 'codedeploy' &&
      record.deadPid !== undefined &&
      parseProcessOwner(record.owner)?.machine !== undefined);
  const gone = live
    ? `its runner seems alive but writes no record (${live})`
    : known
      ? `${runner} is gone${dead}`
      : `${runner} seems to have died${dead || ` (${UNSEEN_RUNNER})`}`;
  // One rule with `record.stalled` under --json (status-stalled.ts).
  if (isStalledRunner(status, record)) return ` — STALLED: ${gone}${live ? '' : `; ${NOBODY_DRIVES}`}`;
  if (record.engine === 'codedeploy') return ` — STALE: ${gone}`;
  // The next check closes it (status-stalled.ts isClosedByCheck).
  const before = record.percent === 0 ? describeNoWeight(status, record) : '';
  return ` — STALE: ${gone}${before}; the next \`lshift check\` records it rolled back`;
}

/**
 * The rollback that finishes a stopped one now: a release's function is rolled back with its
 * release, as the release line says (`lshift rollback --release r-…`, naming no function: it finds
 * each by its record at its own alias). It offered `lshift rollback fa --alias live`, one function
 * of a release whose rollback had stopped (found by a hostile pass, session 61).
 */
/**
 * A killed `lshift rollback --to 2` (its claim's `rt=2`, not the stable version): a check (or a
 * plain `lshift rollback`) finishes it on the stable version, not where it was sending the
 * traffic; the runner it stopped had said "following it until alias live is all on version 2"
 * (h4, session 70). Only words: where a check sends the traffic is unchanged.
 */
function describeFinishedOnStable(record: NonNullable<AliasStatus['record']>): string {
  const to = record.rollbackTo;
  if (to === undefined || to === record.stableVersion) return '';
  return ` on its stable version ${record.stableVersion}, not on version ${to}, where \`lshift rollback --to ${to}\` was sending it`;
}

function describeRollbackNow(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (record.releaseId === undefined)
    return `\`lshift rollback ${status.functionName} --alias ${status.alias}\``;
  return `\`lshift rollback --release ${record.releaseId}\`, naming no function: it finds each function of the release at its own alias by its record`;
}

/**
 * A record that shows no weight: it moved no traffic, unless the alias was written since it
 * started (record-revision.ts) — then its first weight may have been put back unrecorded, which
 * the line below says (record-view.ts aliasMovedAway: `back-on-stable`, status-moved-text.ts).
 * Both lines said it, in other words each (found by a hostile pass, session 61).
 */
function describeNoWeight(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  return aliasWrittenSinceStart(record, status) ? '' : ' before moving any traffic';
}

/**
 * A function of a release nobody drives (its runner gone, or paused) is finished or undone with
 * its release, as `lshift check` says (check-release.ts): resume the release or roll it back.
 * It offered only `rollback --release` beside a release line offering both. Under that release
 * line (waysOutAbove) it points there rather than repeat it for every function; alone
 * (`lshift status billing`) it writes the release's other functions as words to replace (`<the
 * other functions of release r-…>`), on purpose: the record names only the release, and finding
 * its mates would take a listing of every function in reach, which a one-function status does not
 * make. A stale rollback (`rolling-back`) is finished by rolling back (its STALE line names how).
 */
export function describeReleaseMemberWaysOut(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  waysOutAbove: boolean,
): string {
  const id = record.releaseId ?? '';
  // Named without functions, as the release line and the STALE line name it: it offered
  // `lshift rollback --release r-… <its functions…>` under a STALE line saying "naming no
  // function" — and named, the functions of a release on two aliases are looked for at one
  // (seen by hand, session 62).
  const rollback = `\`lshift rollback --release ${id}\` (naming no function, it finds each function of the release at its own alias by its record)`;
  // Moved since onto a version it never wrote: the release's rollback refuses it (rollback-moved-away.ts).
  if (record.phase === 'rolling-back' && record.rollbackMovedAway)
    return `part of release ${id}: the release's rollback leaves it as moved; its STALLED line says how to close it`;
  if (record.phase === 'rolling-back')
    return `part of release ${id}: the release's rollback finishes it with its other functions, as its STALE line says`;
  if (waysOutAbove) return `part of release ${id}: its line above says how to finish or undo the release`;
  const at = { functionName: status.functionName, alias: status.alias };
  return `part of release ${id}: ${describeReleaseWaysOut(at, record, undefined, rollback)}`;
}
