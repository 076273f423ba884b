/**
 * A rolled-back deployment whose alias someone split afterwards (`aws lambda update-alias`, the
 * console, another tool: no lshift deployment writes a split once it is rolled back). The check has
 * nothing of its own to watch there — exit 0, as over an alias with no record — but said only
 * "rolled back …; nothing to watch", as if the alias were where the rollback left it (found by a
 * hostile pass). It says the split, and that its author is not known.
 */
import type { AliasInfo } from '../ports/lambda.js';
import type { CheckDeps } from './check-types.js';
import { describeAliasState } from './deploy-result.js';
import { isSplit } from './record-view.js';
import { DEFAULT_LIST_CONCURRENCY, type ListedRecord, mapWithConcurrency } from './tag-state-store.js';

/**
 * The rolled-back records whose alias is split now, with that alias: one GetAlias per rolled-back
 * record. An alias that cannot be read (or is gone) leaves the record to the usual words.
 */
export async function findSplitSinceRollback(
  deps: Pick<CheckDeps, 'lambda'>,
  listed: readonly ListedRecord[],
): Promise<Map<ListedRecord, AliasInfo>> {
  const rolledBack = listed.filter((l) => l.record.phase === 'rolled-back');
  const aliases = await mapWithConcurrency(rolledBack, DEFAULT_LIST_CONCURRENCY, (l) =>
    deps.lambda.getAlias(l.functionName, l.alias).catch(() => undefined),
  );
  const found = new Map<ListedRecord, AliasInfo>();
  rolledBack.forEach((l, i) => {
    const alias = aliases[i];
    if (alias && isSplit(alias.additionalWeights)) found.set(l, alias);
  });
  return found;
}

/** The check's `skipped` words (`rolled back 5m ago; nothing to watch`), with the split said after them. */
export function describeSplitSinceRollback(skip: string, listed: ListedRecord, alias: AliasInfo): string {
  const status = `lshift status ${listed.functionName} --alias ${listed.alias}`;
  return `${skip}, but the alias now routes ${describeAliasState(alias)}: split since by someone unknown (no lshift deployment put it there; \`${status}\` shows it)`;
}
