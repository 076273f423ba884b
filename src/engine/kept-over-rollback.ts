/**
 * A person keeps the version put over lshift's rollback. A hook (or a person) that moved all
 * traffic to the target while lshift had decided to roll it back leaves the record `promoted`,
 * closed by hand, with its cause: `lshift status` says MOVED OVER LSHIFT'S ROLLBACK and exits 4.
 * A person who keeps that version had no way to say so (the same `lshift alias` was "nothing
 * changed", a deploy of the same code had nothing to deploy), so the line stayed until a new-code
 * deploy (found by a hostile pass, session 66). `lshift alias <fn> <alias> <version>` naming it —
 * the alias already there, or moved there (status's own "Finish it" over a split) — records who
 * kept it in the record's end reason; status and check then ask for nothing, and history says who.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { MAX_COMMAND_BY_LENGTH } from '../domain/operator-command.js';
import { describeRecordCause } from '../domain/record-cause-words.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { StateStore } from '../ports/state-store.js';
import { describeError, logWarn } from './emit.js';
import { writeRecordEnd } from './record-end-write.js';
import { isClosedByHand, isDecidedSplitMovedWhole, isFinished, KEPT_BY_HAND } from './record-view.js';

/** Who kept the version, when a person did (`lshift alias`); undefined otherwise. */
export function keptOverRollbackBy(record: Pick<DeploymentRecord, 'endReason'>): string | undefined {
  return record.endReason?.startsWith(KEPT_BY_HAND) ? record.endReason.slice(KEPT_BY_HAND.length) : undefined;
}

type OverRollbackFields = Pick<
  DeploymentRecord,
  'phase' | 'cause' | 'endedAt' | 'endReason' | 'targetVersion' | 'stableVersion'
>;

/**
 * The record says lshift decided to roll its target back (its cause) and someone else put all
 * traffic on it (promoted, closed by hand), kept by a person since or not. One test for status,
 * check, history and the rollback's close (rollback-record.ts).
 */
export function isPromotedOverRollback(record: OverRollbackFields): boolean {
  return (
    record.phase === 'promoted' &&
    record.cause !== undefined &&
    isClosedByHand(record) &&
    record.targetVersion !== record.stableVersion
  );
}

/** Promoted over lshift's rollback (isPromotedOverRollback), and nobody has kept it yet. */
export function isMovedOverRollbackRecord(record: OverRollbackFields): boolean {
  return isPromotedOverRollback(record) && keptOverRollbackBy(record) === undefined;
}

export interface KeepRequest {
  functionName: string;
  alias: string;
  /** The version the alias is now on, all traffic, after the move (or already). */
  version: string;
  /** Who runs the command (`user@host:pid` or the CI job). */
  by?: string;
}

/**
 * Records that `req.by` keeps `req.version` when the record on the alias is MOVED OVER lshift's
 * rollback onto that very version; anything else is left as it is. A failed write is a warning:
 * the alias move it follows is done.
 */
export async function keepOverRollback(
  deps: { store?: StateStore; clock?: Clock },
  req: KeepRequest,
): Promise<{ keptOverRollback?: DeploymentRecord; recordWarning?: string }> {
  const { store } = deps;
  if (!store) return {};
  const record = await store.read(req.functionName, req.alias).catch(() => undefined);
  if (!record || !isFinished(record) || record.engine === 'codedeploy') return {};
  if (record.targetVersion !== req.version) return {};
  // A split after lshift's decision, since moved whole onto the new version (record-view.ts):
  // kept as a promotion by hand would be, `promoted (moved by hand, kept by …)`.
  const wholeAfterSplit = isDecidedSplitMovedWhole(record, {
    functionVersion: req.version,
    additionalWeights: {},
  });
  if (!isMovedOverRollbackRecord(record) && !wholeAfterSplit) return {};
  const by = (req.by || 'a person (not named)').slice(0, MAX_COMMAND_BY_LENGTH);
  const promoted = wholeAfterSplit ? { phase: 'promoted' as const, percent: 100 } : {};
  const kept: DeploymentRecord = { ...record, ...promoted, endReason: `${KEPT_BY_HAND}${by}` };
  try {
    await writeRecordEnd(store, req.functionName, req.alias, kept);
  } catch (error) {
    return {
      recordWarning: `the alias is on version ${req.version}, but the record of deployment ${record.id} could not say that you keep it (\`lshift status\` still says MOVED OVER LSHIFT'S ROLLBACK): ${describeError(error)}`,
    };
  }
  return { keptOverRollback: kept };
}

/**
 * Said before a deploy's first write when the version it starts from — its stable version, the one
 * it rolls back to — is the one lshift had decided to roll back, put there by someone else, and no
 * person kept it: the next deploy took it as stable without a word, and the MOVED OVER line went
 * with it (found by a hostile pass, session 66). Not refused: a person may have kept it by hand.
 */
export function warnStableMovedOverRollback(
  deps: { clock: Clock; events: EventSink },
  target: { functionName: string; alias: string },
  record: DeploymentRecord | undefined,
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
): void {
  if (!record || record.engine === 'codedeploy' || !isMovedOverRollbackRecord(record)) return;
  if (
    alias.functionVersion !== record.targetVersion ||
    Object.values(alias.additionalWeights).some((w) => w > 0)
  )
    return;
  const { functionName: fn, alias: name } = target;
  const version = record.targetVersion;
  logWarn(
    deps,
    `version ${version}, the stable version this deployment starts from and would roll back to, is the one lshift had decided to roll back in deployment ${record.id} (${describeRecordCause(record.cause!)}), put there by someone else (a hook, or a person) and kept by nobody since; if it should not be the version to fall back on, stop this deploy (Ctrl-C) and put the alias back on version ${record.stableVersion} with \`lshift rollback ${fn} --alias ${name}\`; to keep it, \`lshift alias ${fn} ${name} ${version}\` before deploying says so`,
    'preflight',
  );
}
