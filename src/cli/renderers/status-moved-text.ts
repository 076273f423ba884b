/**
 * `lshift status`'s words for a deployment whose alias was moved under it: while it ran (the
 * alias no longer where its record says) or after it ended (MOVED SINCE), and what closes it.
 */

import { formatDuration } from '../../domain/duration.js';
import { isReversedSplit } from '../../domain/reversed-split.js';
import { describeAliasState } from '../../engine/deploy-result.js';
import { splitRollbackVersion } from '../../engine/record-view.js';
import type { MemberAt } from '../../engine/records-in-reach.js';
import { describeMovedMemberWaysOut, type UnresumableMates } from '../../engine/release-moved-member.js';
import type { AliasStatus } from '../../engine/status.js';
import { isClosedByCheck } from '../../engine/status-stalled.js';
import {
  describeMovedMemberUnderRunningCodeDeploy,
  describeMovedUnderRunningCodeDeploy,
  isMovedUnderRunningCodeDeploy,
} from './status-moved-codedeploy-text.js';

/** A release as `lshift status` read it, for one of its functions' lines. */
export interface ReleaseSeen {
  functions: readonly string[];
  /**
   * The same at their aliases: a release over two aliases is offered its ways out per alias (it
   * named `lshift rollback --release r-… wa wb --alias prod` of wa on live, and `lshift deploy wa
   * --alias prod --resume`; seen by hand, session 62).
   */
  members?: readonly MemberAt[];
  unresumable: UnresumableMates;
  /** Its line says ROLLBACK STOPPED: the next check finishes the rollback, nothing is kept. */
  rollbackStopped?: true;
}

/** The alias no longer matches the record: say so, and offer what closes it (not --resume). */
export function describeMovedAway(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  how: 'elsewhere' | 'back-on-stable',
  release?: ReleaseSeen,
): string[] {
  // Its release's rollback stopped midway, or its gate failed: the next check finishes it (said
  // below), so not "nobody will finish it" beside that (found in session 60). So too a single
  // deployment back on its stable version: its STALE line says the next check records it rolled
  // back (status-stale-text.ts; found by a hostile pass, session 61).
  const finisher =
    record.releaseGateFailed !== undefined ||
    release?.rollbackStopped === true ||
    (how === 'back-on-stable' && isClosedByCheck(status, record));
  // A live runner meets the move itself, before any check would close it (seen against the
  // sandbox: a single deploy put back by hand read "rolled back by hand, or by a rollback stopped…").
  const decided = record.releaseGateFailed !== undefined || release?.rollbackStopped === true;
  // A release's member keeps its release's ways out (release-moved-member.ts), as check gives them.
  const underCodeDeploy = isMovedUnderRunningCodeDeploy(status, record);
  if (!record.releaseId && underCodeDeploy) return describeMovedUnderRunningCodeDeploy(status, record);
  if (!decided && isRunnerBeating(record)) return describeMovedUnderLiveRunner(status, record, how);
  const [alone, fix] = describeMovedAwayAlone(status, record, how, finisher);
  if (!record.releaseId) return [alone, fix];
  const what = underCodeDeploy ? describeMovedMemberUnderRunningCodeDeploy(record) : alone;
  // A function of a release: closing it alone (the single-function fix) left the release's
  // others split with nobody watching and said nothing of them (found by a hostile pass); the
  // release's ways out, as `lshift check` and `deploy --resume` give them (release-moved-member.ts).
  // Its gate failed while its runner ran: the next check rolls the release back (release-member-
  // gate.ts), so keeping it and resuming the others is not offered — only the undo.
  // So too when its release's rollback stopped midway: the next check finishes it.
  const failed = record.releaseGateFailed;
  const undoOnly = finisher;
  const waysOut = describeMovedMemberWaysOut({
    functionName: status.functionName,
    alias: status.alias,
    record,
    how: how === 'back-on-stable' ? 'back' : 'elsewhere',
    ...(status.split || undoOnly ? {} : { keepVersion: status.functionVersion }),
    ...(undoOnly ? { undoOnly: true as const } : {}),
    ...(release
      ? {
          releaseFunctions: release.functions,
          unresumable: release.unresumable,
          ...(release.members ? { releaseMembers: release.members } : {}),
        }
      : {}),
  });
  if (failed) return [what, `    ${describeGateFailed(status.functionName, failed)}`, `    ${waysOut}`];
  const unjudged = record.releaseGateUnjudged;
  // A resume offered without knowing whether its gate failed: say what the next check would do.
  if (unjudged && waysOut.includes(' --resume'))
    return [what, `    ${waysOut}`, `    ${describeGateUnjudged(status.functionName, unjudged)}`];
  return [what, `    ${waysOut}`];
}

/**
 * Its runner still beats (a fresh heartbeat, no pid known gone) and drives it: not abandoned. It
 * said "nobody will finish it" and offered `lshift alias` and the others' `--resume` of a release
 * whose runner was alive — commands that race it (h4's pass, session 67). A paused or
 * rolling-back record, or CodeDeploy's, is not one this runner stops for a move.
 */
export function isRunnerBeating(record: NonNullable<AliasStatus['record']>): boolean {
  const driving = ['started', 'pre-hook', 'shifting', 'baking', 'post-hook'].includes(record.phase);
  return driving && !record.stale && record.deadPid === undefined && record.engine !== 'codedeploy';
}

/**
 * What the live runner does when it reads the moved alias (release-moved-by-hand.test.ts,
 * rollback-moved-close.ts): a release stops, leaves this function where it was put, rolls its
 * others back and exits 5; a single deploy stops and leaves it (exit 5). Nothing to run meanwhile.
 */
function describeMovedUnderLiveRunner(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  how: 'elsewhere' | 'back-on-stable',
): string[] {
  const where =
    how === 'back-on-stable'
      ? `is all on the stable version ${status.functionVersion} again, which its record does not say`
      : `no longer routes between this deployment's versions (it routes ${describeAliasState(status)})`;
  const runner = record.releaseId ? `release ${record.releaseId}` : 'this deployment';
  return [
    `    the alias ${where}: someone moved it by hand while ${runner} may still run (${describeBeat(record)})`,
    `    ${describeRunnerMeets(status, record)}`,
  ];
}

/**
 * What a heartbeat shows: that the runner beat then, not that it runs now — a SIGSTOPped runner,
 * or one killed on another machine, looks the same until its heartbeat passes the stale limit
 * (h3's pass F4, session 67: "its heartbeat is fresh, so it is not abandoned" of a stopped one).
 */
export function describeBeat(record: NonNullable<AliasStatus['record']>): string {
  const ago = formatDuration(Math.max(0, Math.round(record.heartbeatAgeSeconds)));
  return `its runner beat ${ago} ago; one stopped or killed since looks the same until its heartbeat passes the stale limit (2m by default), when status says STALLED`;
}

/**
 * When and how the live runner meets a move by hand, and what it then does; nothing to run
 * meanwhile. A split left is exit 4 (settle.ts: nobody drives it), a move whole exit 5. During a
 * pre- or post-traffic hook no hold runs: it reads the alias when the hook ends, and what it does
 * depends on the hook's verdict (h3's pass F3: a failed post-hook rolled back, exit 3, where status
 * had promised exit 5 "within 30 s while it holds a step").
 */
export function describeRunnerMeets(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  const fn = status.functionName;
  const code = status.split ? '4: nobody drives that split, and its output gives the rollback' : '5';
  const again = `nothing to run meanwhile: \`lshift status ${fn} --alias ${status.alias}\` again shows how it ended`;
  if (record.releaseId) {
    const does = `stops the release: it leaves ${fn} where it was put and closes its record as moved by hand, rolls the release's other functions back to their stable versions, and exits ${code}`;
    return `its runner meets the move at its next read of the alias (before the release's next weight writes; while it bakes, at its paced reads (one alias every 3 s)) and ${does}; ${again}`;
  }
  const does = `stops: it leaves the alias where it was put, closes its record as moved by hand, and exits ${code}`;
  if (record.phase === 'pre-hook' || record.phase === 'post-hook') {
    const hook = record.phase === 'pre-hook' ? 'pre-traffic' : 'post-traffic';
    return `no hold runs while its ${hook} hook runs: its runner reads the alias when the hook ends (at the latest at its --hook-timeout); the hook passed, it meets the move and ${does}; the hook failed, it rolls back, and its rollback meets the move — all on version ${record.stableVersion} already, it ends rolled back (exit 3), else it leaves the alias where it was put (exit ${status.split ? '4' : '5'}); ${again}`;
  }
  return `its runner meets the move at its next read of the alias (within 30 s while it holds a step, at the latest at its next alias write) and ${does}; ${again}`;
}

/** The words of `lshift check` for the same function, before it acts on them. */
export function describeGateFailed(fn: string, summary: string): string {
  return `GATE FAILED: ${fn}'s gate failed while its runner could still move traffic (${summary}): the next \`lshift check\` with these alarms rolls the whole release back, as its runner would have`;
}

export function describeGateUnjudged(fn: string, why: string): string {
  return `but ${why}: if ${fn}'s gate failed while its runner could still move traffic, the next \`lshift check\` with the release's alarms rolls the whole release back, resumed or not (\`lshift status\` with the first run's --alarm flags says whether it did)`;
}

function describeMovedAwayAlone(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  how: 'elsewhere' | 'back-on-stable',
  finisher: boolean,
): [string, string] {
  const target = `${status.functionName} --alias ${status.alias}`;
  const nobody = finisher ? '' : ', and nobody will finish it';
  if (how === 'elsewhere' && isReversedSplit(status, record)) {
    return [
      `    the alias routes between this deployment's versions the other way round (${describeAliasState(status)}), a split lshift never writes: someone moved it by hand${nobody}`,
      `    \`lshift rollback ${target}\` puts all traffic back on version ${record.stableVersion}; \`lshift alias ${status.functionName} ${status.alias} ${record.targetVersion}\` finishes it`,
    ];
  }
  if (how === 'back-on-stable') {
    return [
      // Not only by hand: a rollback killed between its alias write and its record's leaves this
      // too, and a release's said "by hand" of lshift's own rollback (found by a hostile pass).
      // A record at 0% says "all on the stable version" too: it is the alias written since the
      // deployment started (record-revision.ts) that it does not say (found by a hostile pass).
      record.percent === 0
        ? `    the alias was written since this deployment started (its RevisionId changed) and is all on the stable version ${status.functionVersion}: its first weight put back by a rollback stopped before it could record it, or moved by hand${nobody}`
        : `    the alias is all on the stable version ${status.functionVersion} again, which its record does not say: rolled back by hand, or by a rollback stopped before it could record it${nobody}`,
      `    record that with \`lshift rollback ${target}\` (it moves nothing and closes the record)`,
    ];
  }
  return [
    `    the alias no longer routes between this deployment's versions: someone moved it by hand${nobody}`,
    status.split
      ? `    once the alias is where it should be, \`lshift alias ${status.functionName} ${status.alias} <version>\` puts all traffic on that version and closes the record`
      : `    record the move with \`lshift alias ${status.functionName} ${status.alias} ${status.functionVersion}\` (it moves nothing and closes the record)`,
  ];
}

/**
 * A finished deployment whose alias was moved since (record-view.ts aliasMovedSinceEnd): its
 * record is not where traffic is. What `check` and `rollback` do with it (check-classify.ts
 * refuseRollback, rollback-destination.ts chooseDestination), so nobody has to guess.
 */
export function describeMovedSince(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  leftOn: string,
): string[] {
  const now = status.split ? describeAliasState(status) : `all traffic to version ${status.functionVersion}`;
  return [
    `    MOVED SINCE: this deployment left all traffic on version ${leftOn}, but the alias now routes ${now}: no lshift deployment put it there (\`lshift alias\`, the console or \`aws lambda update-alias\` moved it)`,
    `    \`lshift check\` leaves it alone (it rolls back no alias moved after its deployment); \`lshift rollback ${status.functionName} --alias ${status.alias}\` ${describeRollbackOfMoved(status, record)}`,
  ];
}

function describeRollbackOfMoved(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (status.split) {
    const version = splitRollbackVersion(status, record);
    if (version === undefined)
      return `will not guess a version (the split is over a version that is neither of this deployment's): add \`--to ${status.functionVersion}\` to drop the split or \`--to ${record.stableVersion}\` to undo this deployment too`;
    return version === status.functionVersion
      ? `puts all traffic on version ${version}, the split's primary`
      : `puts all traffic back on version ${version}, this deployment's stable version (the split's primary is its new version)`;
  }
  if (status.functionVersion === record.stableVersion)
    return record.phase === 'promoted'
      ? 'moves nothing and records this deployment as rolled back'
      : 'moves nothing: this deployment is already rolled back';
  return 'will not guess a version: add `--to <version>`';
}
