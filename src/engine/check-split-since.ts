/**
 * A rolled-back deployment whose alias someone moved afterwards (`aws lambda update-alias`, the
 * console, `lshift alias`, another tool: no lshift deployment writes a split once it is rolled
 * back): split, or all on another version than the one the rollback left it on. The check has
 * nothing of its own to watch there — exit 0, as over an alias with no record — but said only
 * "rolled back …; nothing to watch", as if the alias were where the rollback left it (found by a
 * hostile pass: for a split; until 4 December 2026 still, for a move to another single version). It
 * says where the alias is, and that its author is not known; `--json` has `movedSince`, as
 * `lshift status` does.
 */
import type { AliasInfo } from '../ports/lambda.js';
import { aliasesWhere } from './check-records.js';
import type { CheckDeps } from './check-types.js';
import { describeAliasState } from './deploy-result.js';
import { aliasMovedSinceEnd, isSplit } from './record-view.js';
import type { ListedRecord } from './tag-state-store.js';

/**
 * The rolled-back records whose alias was moved since the rollback (record-view.ts
 * aliasMovedSinceEnd), with that alias: one GetAlias per rolled-back record. An alias that cannot
 * be read leaves the record to the usual words; one that is gone is added to `gone` (check.ts
 * reports it as an error).
 */
export function findMovedSinceRollback(
  deps: Pick<CheckDeps, 'lambda'>,
  listed: readonly ListedRecord[],
  gone?: Set<ListedRecord>,
): Promise<Map<ListedRecord, AliasInfo>> {
  return aliasesWhere(
    deps,
    listed,
    'rolled-back',
    (record, alias) => aliasMovedSinceEnd(record, alias) !== undefined,
    gone,
  );
}

/**
 * The check's `skipped` words (`rolled back 5m ago; nothing to watch`), with where the alias is
 * now said after them, and the version the rollback left it on (`movedSince`).
 */
export function describeMovedSinceRollback(
  skip: string,
  listed: ListedRecord,
  alias: AliasInfo,
): { reason: string; movedSince: { leftOnVersion: string } } {
  const leftOnVersion = aliasMovedSinceEnd(listed.record, alias) ?? listed.record.stableVersion;
  const status = `lshift status ${listed.functionName} --alias ${listed.alias}`;
  const reason = isSplit(alias.additionalWeights)
    ? `${skip}, but the alias now routes ${describeAliasState(alias)}: split since by someone unknown (no lshift deployment put it there; \`${status}\` shows it)`
    : `${skip}, but the alias was moved since: the rollback left all traffic on version ${leftOnVersion}, and the alias now routes all traffic to version ${alias.functionVersion} (no lshift deployment put it there; \`${status}\` shows it)`;
  return { reason, movedSince: { leftOnVersion } };
}
