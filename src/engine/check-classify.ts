/**
 * The pure half of `lshift check` (src/engine/check.ts): which deployment records it acts on,
 * where it would put traffic, and when it must leave an alias alone.
 */

import { expandAlarmTemplate } from '../domain/alarm-templates.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration, formatPercent } from '../domain/duration.js';
import { judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { parseProcessOwner } from '../domain/owner-mark.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import { buildStopKeepingCommand } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { deadPidHere, isCheckOwner, isDeadRollbackHere } from './owner-kinds.js';
import { isKeepMoveUnconfirmed, isPromoteUnconfirmed, isSplit } from './record-view.js';

/**
 * `recent`: promoted within the window. `orphaned`: unfinished and nobody drives it (stale
 * heartbeat, `paused`, or a `failed` rollback). `unfinished-rollback`: a rollback whose runner died.
 */
export type CheckKind = 'recent' | 'orphaned' | 'unfinished-rollback';

export interface ClassifyOptions {
  windowSeconds: number;
  staleAfterSeconds?: number;
  /** This check's owner and this machine's processes: for isDeadRollbackHere. */
  owner?: string;
  processes?: LocalProcesses;
}

/** What `check` does with one record, or why it leaves it alone. */
export function classifyRecord(
  record: DeploymentRecord,
  now: number,
  opts: ClassifyOptions,
): CheckKind | { skip: string } {
  const staleMs = (opts.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const heartbeat = `heartbeat ${describeAge(now, record.heartbeatAt)} ago`;
  // Its runner stopped (exit 4) although its heartbeat is recent: nobody drives it.
  if (isPromoteUnconfirmed(record)) return 'orphaned';
  switch (record.phase) {
    case 'promoted': {
      const endedAt = record.endedAt ?? record.heartbeatAt;
      if (endedAt >= now - opts.windowSeconds * 1000) return 'recent';
      const window = formatDuration(opts.windowSeconds);
      return { skip: `promoted ${describeAge(now, endedAt)} ago, outside the ${window} window` };
    }
    case 'rolled-back':
      return {
        skip: `rolled back ${describeAge(now, record.endedAt ?? record.heartbeatAt)} ago; nothing to watch`,
      };
    // Ended, but traffic may still be split and nobody watches it.
    case 'failed':
    case 'paused':
      return 'orphaned';
    case 'rolling-back':
      if (isAbandoned(record, now, staleMs, opts)) return 'unfinished-rollback';
      // Said with when it is taken over: a check killed mid-rollback left this claim, and until
      // then each check exits 0 over the split alias (a GitHub re-run of it takes it at once).
      return isCheckOwner(record.owner)
        ? {
            skip: `another check is acting: ${record.owner} is rolling it back (${heartbeat}; if it has stopped, a check finishes it once that is over ${formatDuration((staleMs + CHECK_CLAIM_SKEW_MS) / 1000)})`,
          }
        : {
            // "being rolled back" of a runner that died mid-rollback read as if someone still was
            // (found by a hostile pass): say when a check takes it over if nobody is.
            skip: `being rolled back by ${ownerOf(record)} (${heartbeat}; if it has stopped, a check finishes it once that is over ${formatDuration((staleMs + CHECK_CLAIM_SKEW_MS) / 1000)})`,
          };
    default:
      if (isAbandoned(record, now, staleMs, opts)) return 'orphaned';
      return { skip: describeInProgress(record, heartbeat, staleMs, opts) };
  }
}

/**
 * An unfinished deployment with a fresh heartbeat, left to its runner — named "driven by" only
 * while nothing says that runner is gone. Its pid gone from this machine (deadPidHere) drives
 * nothing: under AWS CodeDeploy the deployment runs on without its follower, and `lshift wait`
 * follows it; a native one is taken over once its heartbeat is stale (isAbandoned says why not
 * sooner). Found by a hostile pass: a killed CodeDeploy follower's pid was called "driven by".
 */
function describeInProgress(
  record: DeploymentRecord,
  heartbeat: string,
  staleMs: number,
  opts: Pick<ClassifyOptions, 'owner' | 'processes'>,
): string {
  const progress = `in progress (${describeProgress(record)})`;
  const dead = deadPidHere(record.owner, opts.owner, opts.processes);
  if (dead === undefined) return `${progress}, driven by ${ownerOf(record)} (${heartbeat})`;
  const gone = describeGoneRunner(record, dead, staleMs, heartbeat);
  return record.engine === 'codedeploy' ? `${progress}: ${gone}` : `${progress}, but ${gone}`;
}

/**
 * A runner of an unfinished record whose pid no longer runs here, its heartbeat not yet stale:
 * `lshift check`'s words (describeInProgress) and `lshift status`'s (status-stale-text.ts), one
 * rule. Status said nothing of it until the record was stale, 2 minutes on, while check said
 * "gone" at once (found by a hostile pass).
 */
export function describeGoneRunner(
  record: DeploymentRecord,
  dead: number,
  staleMs: number,
  heartbeat?: string,
): string {
  // Without a machine token the pid may be another container's with this hostname (owner-mark.ts).
  const placed = parseProcessOwner(record.owner)?.machine !== undefined;
  const unless = placed ? '' : ', unless it runs in another container with this hostname';
  const age = heartbeat === undefined ? '' : `; ${heartbeat}`;
  const gone = `${placed ? 'is' : 'seems'} gone (its process ${dead} no longer runs on this machine${unless}${age})`;
  if (record.engine === 'codedeploy') {
    const id = record.codeDeployId;
    const follow =
      id === undefined
        ? 'its CodeDeploy deployment id was never recorded, so it cannot be followed'
        : isKeepMoveUnconfirmed(record)
          ? // A wait would take CodeDeploy's end over the move by hand for its own (session 64).
            `it had stopped it without its rollback to keep a move by hand, and did not see the stop end: \`${buildStopKeepingCommand(id)}\` stops it`
          : `\`lshift wait ${id}\` follows it to its end and closes the record`;
    const runs = id === undefined ? 'AWS CodeDeploy runs it' : `AWS CodeDeploy runs its deployment ${id}`;
    return `${runs} on its own, but its follower ${ownerOf(record)} ${gone}: ${follow}`;
  }
  return `its runner ${ownerOf(record)} ${gone}: a check acts on it once its heartbeat is over ${formatDuration(staleMs / 1000)} old`;
}

/**
 * Added to `--stale-after` before a rollback under way (`rolling-back`: another check's claim, a
 * person's `lshift rollback --release`, a release settling) is taken from its owner. Its heartbeat
 * is epoch ms from the owner's clock, compared here with this machine's: a clock behind by less
 * than this still never makes two runners act on one alias. Being wrong the other way only delays
 * the finish by this much.
 */
export const CHECK_CLAIM_SKEW_MS = 60_000;

/**
 * A `rolling-back` record whose owner stopped writing. A heartbeat ahead of this clock within the
 * skew limit is fresh; one beyond it is no sign of a live claimer (heartbeat-age.ts), so not fresh.
 */
export function isRollbackAbandoned(record: DeploymentRecord, now: number, staleMs: number): boolean {
  return judgeHeartbeatAge(record.heartbeatAt, now, staleMs, CHECK_CLAIM_SKEW_MS) !== 'fresh';
}

/**
 * Always the deployment's own stable version — after a promotion too. `history` only lists
 * older releases; following it would send traffic wherever an edited tag says.
 */
export function rollbackTarget(record: DeploymentRecord): string {
  return record.stableVersion;
}

/** The record was rewritten between the check's two reads: someone drives it now, or wrote late. */
export const RECORD_CHANGED_REFUSAL =
  'the deployment record changed while checking (a runner or another command wrote it since), so it was left alone: run lshift check again to judge it as it is now';

/**
 * Why the alias must be left alone although the check wants to roll it back, or undefined to go
 * ahead. Reads taken just before the write: `current` record, `alias` routing.
 */
export function refuseRollback(
  planned: {
    kind: CheckKind;
    record: DeploymentRecord;
    toVersion: string;
    alias: string;
    closeOnly?: { endReason: string };
  },
  current: DeploymentRecord | undefined,
  alias: AliasInfo,
): string | undefined {
  const { record } = planned;
  if (
    !current ||
    current.id !== record.id ||
    current.phase !== record.phase ||
    current.heartbeatAt !== record.heartbeatAt
  ) {
    return RECORD_CHANGED_REFUSAL;
  }
  const split = isSplit(alias.additionalWeights);
  if (planned.kind === 'recent' && (split || alias.functionVersion !== record.targetVersion)) {
    return `alias ${planned.alias} no longer routes all traffic to version ${record.targetVersion} (someone moved it), so it was left alone`;
  }
  // A rollback whose alias write landed before its runner died (kill -9 between that write and
  // the record's) is finished by closing its record: left alone, every check reported it STALLED,
  // exit 4, forever (found by a hostile pass). A release's function is closed with its release,
  // whose runner may still be on another function (check-release.ts).
  const closing =
    planned.closeOnly !== undefined ||
    (planned.kind === 'unfinished-rollback' && planned.record.releaseId === undefined);
  if (!split && alias.functionVersion === planned.toVersion && !closing) {
    return `alias ${planned.alias} already routes all traffic to version ${planned.toVersion}`;
  }
  return undefined;
}

/**
 * `--alarm '{function}-errors'` reads each function's own alarm; a plain name applies to all.
 * `{function}` is the function's name — the name part of one given as an ARN or partial ARN, as
 * in deploy (an ARN there made `arn:…:function:orders-errors`, an alarm that cannot exist).
 */
export function expandAlarms(templates: string[], functionName: string, alias: string): string[] {
  const names = templates.map((t) => expandAlarmTemplate(t, functionName, alias));
  return [...new Set(names)];
}

export function describeProgress(record: DeploymentRecord): string {
  return `${record.phase} at ${formatPercent(record.percent)}`;
}

export function ownerOf(record: DeploymentRecord): string {
  return record.owner || 'an unknown owner';
}

/** `45s`, `12m`, `1h 1m`. */
export function describeAge(now: number, then: number): string {
  return formatDuration(Math.max(0, Math.round((now - then) / 1000)));
}

/**
 * Not ended and nobody writes it, as `lshift check` acts on it and `lshift status` calls it
 * STALE (one rule, so the two never disagree on one record): a rollback under way (`rolling-back`)
 * whose heartbeat is older than the stale limit plus the clock margin, or whose claimer's pid no
 * longer runs here (at once); any other unfinished phase whose heartbeat is older than the stale
 * limit. A heartbeat from beyond the skew limit is never fresh (heartbeat-age.ts; validation
 * refuses such a record before this is asked). A shifting runner's dead pid does not make it
 * stale sooner (deadPidHere says why); it spares the watch for a writer after (check-watch.ts).
 */
export function isAbandoned(
  record: DeploymentRecord,
  now: number,
  staleMs: number,
  opts: Pick<ClassifyOptions, 'owner' | 'processes'> = {},
): boolean {
  if (record.phase === 'rolling-back')
    return (
      isRollbackAbandoned(record, now, staleMs) ||
      isDeadRollbackHere(record.owner, opts.owner, opts.processes)
    );
  // A deploy that stopped CodeDeploy without its rollback to keep a person's move, and did not see
  // that stop end, watches nothing once its process is gone: CodeDeploy may move the alias over
  // the move any minute, so the check judges it now (STALLED, check-kept-move.ts), as `status`
  // does, not after the heartbeat's stale limit (found by a hostile pass, session 64: SKIPPED
  // exit 0 while status said NOT STOPPED exit 4).
  if (isKeepMoveUnconfirmed(record) && deadPidHere(record.owner, opts.owner, opts.processes) !== undefined)
    return true;
  return judgeHeartbeatAge(record.heartbeatAt, now, staleMs) !== 'fresh';
}
