/**
 * `lshift history`: what the deployment record on an alias says about past deployments.
 *
 * The record is one tag of at most 256 characters (src/domain/deployment-record.ts), so it keeps
 * the LATEST deployment in full (versions, strategy, phase, start/end, owner, end reason) and only
 * the version numbers that were stable before it, most recent first, as many as fit. Outcomes,
 * times and reasons of earlier deployments are not kept anywhere; this says so instead of guessing.
 */

import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { describeSender } from '../domain/operator-command.js';
import { joinPrintableLines } from '../domain/printable.js';
import { aliasRevisionMark } from '../domain/record-revision.js';
import { describeAliasState } from '../engine/deploy-result.js';
import { isPromotedOverRollback } from '../engine/kept-over-rollback.js';
import { describeUntrustedRecord, untrustedRecordError } from '../engine/record-trust.js';
import { isHandSplitAfterRollbackDecision, isSplit } from '../engine/record-view.js';
import { sentByRollbackTo } from '../engine/rollback-to-taker.js';
import { describeRecordEnd, isRolledBackAfterPromotion } from '../engine/rolled-back-after-promotion.js';
import { isSplitLeftClosed } from '../engine/split-left-closed.js';
import { describeRecordCause } from './describe-record-cause.js';
import { describeKeptMoveHistory, type KeptMoveAnswer } from './history-kept-move.js';
import { describePromotedOverRollback } from './history-moved-over-rollback.js';
import {
  describeWhoRolledBack,
  isDecidedBeforeHandMove,
  isRolledBackByHand,
} from './renderers/by-hand-end.js';

export const HISTORY_LIMIT_NOTE =
  'lshift keeps only the latest deployment in full (one 256-character tag on the function); for earlier ones it keeps the previously stable version numbers, not their outcomes, times or reasons.';

/** How history and status name the versions stable before the deployment's own stable version. */
export const EARLIER_STABLE_WORDS = 'earlier stable versions, most recent first';

/**
 * The record's `h=` without its head: history[0] is the latest deployment's own stable version,
 * which the deployment line already names. `lshift status` said `previous stable versions: 2, 1`
 * where history said `earlier stable versions: 1` of the same record (h3's notes, session 62).
 */
export function earlierStableVersions(record: Pick<DeploymentRecord, 'history' | 'stableVersion'>): string[] {
  return record.history.filter((v, i) => !(i === 0 && v === record.stableVersion));
}

/**
 * `moved by hand`: closed `rolled-back` because someone moved the alias (by-hand-end.ts): lshift
 * ran no rollback (it said `rolled back`).
 */
export type Outcome =
  | 'promoted'
  | 'rolled back'
  | 'moved by hand'
  | 'failed'
  | 'paused'
  | 'in progress'
  | 'overridden'
  | 'kept by hand'
  | 'stalled';

export interface HistoryEntry {
  deploymentId: string;
  fromVersion: string;
  toVersion: string;
  strategy: string;
  outcome: Outcome;
  phase: DeploymentPhase;
  /** Epoch ms. */
  startedAt: number;
  /** Epoch ms; absent while in progress or paused. */
  endedAt?: number;
  owner: string;
  /**
   * Why it ended: when lshift did not end it itself (e.g. the alias was moved by hand), or why
   * lshift rolled it back (the record's cause, as `lshift status` says it).
   */
  reason?: string;
  /**
   * False for a deployment rolled back before any traffic moved (interrupted or failed in its
   * pre-traffic hook): the alias was not written since it started (its RevisionId is the one the
   * record kept, record-revision.ts). Absent when traffic moved, or when that cannot be told.
   */
  trafficMoved?: false;
  /**
   * Promoted, then rolled back by `lshift rollback` (its end reason says so): `endedAt` is when it
   * was rolled back and `owner` who rolled it back (the record keeps no more of its deploy), so
   * neither is said as the deployment's own run ("took" the rollback's time, "by" its owner).
   */
  rolledBackAfterPromotion?: true;
  /**
   * Promoted by a person's `lshift rollback --to <its new version>` (rollback-to-taker.ts), not by
   * its own run: `endedAt` and `owner` are that rollback's, so the when-line says so rather than
   * "took …, by <owner>" as if that person had deployed it.
   */
  promotedByRollbackTo?: { owner: string; to: string };
}

export interface History {
  functionName: string;
  alias: string;
  /** The version the alias points at now (its primary version). */
  aliasVersion: string;
  /** When the alias is split: where its traffic goes now (`version 3 (70%) + version 1 (30%)`). */
  aliasRouting?: string;
  latest?: HistoryEntry;
  /**
   * The record does not add up (a heartbeat from the future, a weight over 100%): RECORD_INVALID,
   * what is wrong and how to clear it, as `lshift status` says it (its `recordError`). Then there
   * is no `latest`: nothing the record says is shown as a deployment.
   */
  recordError?: string;
  /** Versions that were stable before the latest deployment, most recent first. */
  earlierStableVersions: string[];
  limits: string;
}

export function buildHistory(
  functionName: string,
  alias: string,
  current: { functionVersion: string; additionalWeights: Record<string, number>; revisionId?: string },
  record: DeploymentRecord | undefined,
  now: number,
  /** The run's clock follows a sandbox (Clock.followsSandbox): said in a record-from-the-future hint. */
  sandboxClock = false,
  /** AWS CodeDeploy's answer about a kept-move record's deployment (history-kept-move.ts). */
  keptMove?: KeptMoveAnswer,
): History {
  // A split alias is not "on version 3" (found by a hostile pass): its routing is said whole.
  const routing = isSplit(current.additionalWeights) ? { aliasRouting: describeAliasState(current) } : {};
  const base = {
    functionName,
    alias,
    aliasVersion: current.functionVersion,
    ...routing,
    limits: HISTORY_LIMIT_NOTE,
  };
  if (!record) return { ...base, earlierStableVersions: [] };
  // A record that does not add up is not shown as if it did (found by a hostile pass: a heartbeat
  // from the future read "IN PROGRESS" here while `status` called it RECORD_INVALID): as status.
  const problem = describeUntrustedRecord(record, now);
  if (problem) {
    const error = untrustedRecordError({ functionName, alias, now, sandboxClock }, problem);
    return { ...base, recordError: `${error.message} ${error.hint ?? ''}`.trim(), earlierStableVersions: [] };
  }
  const kept = describeKeptMoveHistory(record, keptMove);
  return {
    ...base,
    latest: {
      deploymentId: record.id,
      fromVersion: record.stableVersion,
      toVersion: record.targetVersion,
      strategy: record.strategy,
      outcome: kept?.outcome ?? byHandOutcome(record, current) ?? outcomeOf(record.phase),
      phase: record.phase,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      owner: record.owner,
      reason:
        kept?.reason ??
        (isRolledBackByHand(record)
          ? describeByHandReason(record, current)
          : isPromotedOverRollback(record)
            ? describePromotedOverRollback(record)
            : (describeRecordEnd(record) ?? abortedBy(record) ?? causeOf(record))),
      ...(neverMovedTraffic(record, current) ? { trafficMoved: false as const } : {}),
      ...(isRolledBackAfterPromotion(record) ? { rolledBackAfterPromotion: true as const } : {}),
      ...promotedBy(record),
    },
    earlierStableVersions: earlierStableVersions(record),
  };
}

function promotedBy(record: DeploymentRecord): Pick<HistoryEntry, 'promotedByRollbackTo'> {
  const sent = sentByRollbackTo(record);
  return sent ? { promotedByRollbackTo: { owner: sent.owner, to: sent.to } } : {};
}

/** An `lshift abort` that the deployment obeyed is why it ended (the record's `c=`). */
function abortedBy(record: DeploymentRecord): string | undefined {
  const c = record.command;
  if (c?.verb !== 'abort' || c.state !== 'done') return undefined;
  return `aborted by ${describeSender(c.by)}${c.reason ? `: ${c.reason}` : ''}`;
}

/**
 * Why lshift itself rolled it back (the record's `y=`), in `lshift status`'s words: "ROLLED
 * BACK" alone said nothing of a deploy interrupted in its pre-traffic hook (found by a hostile pass).
 */
/** `weights changed by hand; lshift ran no rollback`, or why lshift had decided to roll it back. */
function describeByHandReason(record: DeploymentRecord, current: Routing): string {
  const decided = isDecidedBeforeHandMove(record);
  const why = decided ? causeOf(record) : undefined;
  const left = isSplitLeftUndriven(record, current) ? `; ${SPLIT_LEFT_WORDS}` : '';
  return `${record.endReason}; ${describeWhoRolledBack(decided)}${why ? `: ${why}` : ''}${left}`;
}

type Routing = { functionVersion: string; additionalWeights: Record<string, number> };

const SPLIT_LEFT_WORDS =
  'the alias is still split and nothing lshift runs drives it (`lshift status` says where traffic is and the way back)';

/** `moved by hand`, or `stalled` while the split it left is still there; undefined for the others. */
function byHandOutcome(record: DeploymentRecord, current: Routing): Outcome | undefined {
  if (!isRolledBackByHand(record)) return undefined;
  return isSplitLeftUndriven(record, current) ? 'stalled' : 'moved by hand';
}

/**
 * A split its run (or a rollback) met and left, still there: of versions it does not place
 * (split-left-closed.ts; not a CodeDeploy record's), or of its own two after lshift decided to roll it back (record-view.ts
 * isHandSplitAfterRollbackDecision). `status` and `check` call it STALLED (status-stalled.ts); history
 * said `MOVED BY HAND` (session 68). History asks no CodeDeploy group whether a stranger's deployment
 * drives the split (status does: codedeploy-split-driver.ts), hence "nothing lshift runs".
 */
function isSplitLeftUndriven(record: DeploymentRecord, current: Routing): boolean {
  const split = isSplit(current.additionalWeights);
  if (record.engine !== 'codedeploy' && isSplitLeftClosed(current, record)) return true;
  return split && isHandSplitAfterRollbackDecision(record);
}

function causeOf(record: DeploymentRecord): string | undefined {
  if (!record.cause) return undefined;
  const words = describeRecordCause(record.cause, record.engine);
  // A release rolls every function back for one function's cause, which each record keeps.
  return record.releaseId ? `${words} (in this function or another of release ${record.releaseId})` : words;
}

/**
 * Rolled back, no weight recorded, and the alias not written since the deployment started: it
 * never moved traffic (the deploy said "Not started … unchanged"), and history says so rather
 * than "ROLLED BACK version 7 → 8" as if version 8 had carried some (found by a hostile pass).
 */
function neverMovedTraffic(record: DeploymentRecord, alias: { revisionId?: string }): boolean {
  if (record.phase !== 'rolled-back' || record.percent !== 0 || record.engine === 'codedeploy') return false;
  if (record.aliasRevision === undefined || alias.revisionId === undefined) return false;
  return aliasRevisionMark(alias.revisionId) === record.aliasRevision;
}

function outcomeOf(phase: DeploymentPhase): Outcome {
  switch (phase) {
    case 'promoted':
      return 'promoted';
    case 'rolled-back':
      return 'rolled back';
    case 'failed':
      return 'failed';
    case 'paused':
      return 'paused';
    default:
      return 'in progress';
  }
}

export function renderHistory(h: History): string {
  const now = h.aliasRouting ? `now routes ${h.aliasRouting}` : `now on version ${h.aliasVersion}`;
  const lines = [`${h.functionName}:${h.alias} (${now})`];
  const d = h.latest;
  if (h.recordError) {
    // In status's words: the record is there, and nothing it says is shown as a deployment.
    lines.push(`  deployment record not usable: ${h.recordError}`, `  note: ${h.limits}`);
    return joinPrintableLines(lines);
  }
  if (!d) {
    lines.push('  no lshift deployment recorded on this alias');
    return joinPrintableLines(lines);
  }
  const unmoved =
    d.trafficMoved === false ? ` before any traffic moved: all of it stayed on version ${d.fromVersion}` : '';
  lines.push(
    `  latest: ${d.deploymentId} ${d.outcome.toUpperCase()} version ${d.fromVersion} → ${d.toVersion} (${d.strategy})${unmoved}`,
    `    ${describeWhen(d)}`,
  );
  if (d.reason) lines.push(`    why: ${d.reason}`);
  if (h.earlierStableVersions.length > 0) {
    lines.push(`  ${EARLIER_STABLE_WORDS}: ${h.earlierStableVersions.join(', ')}`);
  }
  lines.push(`  note: ${h.limits}`);
  // Each line printable on its own: the owner and the reason come from the record.
  return joinPrintableLines(lines);
}

/**
 * When it ran, and by whom. Rolled back after its promotion: the end and the owner are the
 * rollback's (its `why` line names who), and how long the deploy took is not kept.
 */
function describeWhen(d: HistoryEntry): string {
  const started = `started ${new Date(d.startedAt).toISOString()}`;
  if (d.endedAt === undefined) return `${started}, by ${d.owner}`;
  const ended = new Date(d.endedAt).toISOString();
  if (d.rolledBackAfterPromotion)
    return `${started}, promoted, then rolled back ${ended} (the record keeps neither when it was promoted nor who deployed it)`;
  const took = formatDuration(Math.round((d.endedAt - d.startedAt) / 1000));
  const sent = d.promotedByRollbackTo;
  if (sent)
    return `${started}, promoted ${ended} (${took} after it started) by \`lshift rollback --to ${sent.to}\` of ${sent.owner}, not by its own run (the record does not keep who deployed it)`;
  return `${started}, ended ${ended}, took ${took}, by ${d.owner}`;
}
