/**
 * The records a check looks at (check.ts): read by name or found by listing; and which of them
 * are promoted over a split alias.
 */
import type { AliasInfo } from '../ports/lambda.js';
import { mapEach } from './bounded.js';
import { isCorruptRecord, judgeCorruptRecord } from './check-corrupt.js';
import { checkSettingsOf } from './check-request.js';
import type { CheckDeps, CheckRequest, CheckResult } from './check-types.js';
import { describeAliasState } from './deploy-result.js';
import { describeError } from './emit.js';
import { isPromotedButSplit } from './promoted-split.js';
import { DEFAULT_LIST_CONCURRENCY, type ListedRecord, listRecords } from './record-listing.js';
import { isSplit } from './record-view.js';

/**
 * `onUnread`: told of each function whose record was there but could not be read or decoded —
 * one that could be any release's (check-release-close.ts closes no release's function then).
 */
export async function gatherRecords(
  deps: CheckDeps,
  req: CheckRequest,
  add: (r: CheckResult) => void,
  onUnread: (functionName: string) => void = () => undefined,
): Promise<ListedRecord[]> {
  const aliasOf = (functionName: string) => checkSettingsOf(req, functionName).alias;
  // A record found but not decodable is judged by its alias (check-corrupt.ts): one GetAlias each.
  const judging: Promise<void>[] = [];
  const unreadable = (functionName: string, error: unknown, alias = aliasOf(functionName)): CheckResult => ({
    functionName,
    alias,
    action: 'error',
    reason: `could not read the deployment record: ${describeError(error)}`,
  });
  const refuse = (functionName: string, error: unknown, alias = aliasOf(functionName)): void => {
    onUnread(functionName);
    if (isCorruptRecord(error)) judging.push(judgeCorruptRecord(deps, functionName, alias, error).then(add));
    else add(unreadable(functionName, error, alias));
  };
  // A function named to the check that Lambda does not know: misspelled, or deleted (its record too).
  const notFound = (functionName: string, error: unknown): CheckResult | undefined =>
    isFunctionNotFound(error)
      ? {
          functionName,
          alias: aliasOf(functionName),
          action: 'error',
          reason: `function ${functionName} does not exist in this account and region: nothing to check (is its name spelled right, or was it deleted? then drop it from the check’s arguments or the config file’s \`functions\`)`,
        }
      : undefined;
  if (req.functionNames === undefined || req.functionNames.length === 0) {
    const listed = await listRecords(deps.lambda, {
      alias: req.own?.size ? aliasOf : req.alias,
      onError: ({ functionName, alias, error }) => refuse(functionName, error, alias),
    });
    await Promise.all(judging);
    return listed;
  }
  const read = await mapEach(DEFAULT_LIST_CONCURRENCY, req.functionNames, async (functionName) => {
    const alias = aliasOf(functionName);
    try {
      const record = await deps.store.read(functionName, alias);
      if (record) return { functionName, alias, record };
      add(await withoutRecord(deps, functionName, alias));
    } catch (error) {
      const missing = notFound(functionName, error);
      if (missing) add(missing);
      else refuse(functionName, error, alias);
    }
    return undefined;
  });
  await Promise.all(judging);
  return read.filter((r) => r !== undefined);
}

/**
 * A named function without a record on the alias: nothing to watch — unless the alias itself does
 * not exist (a typo in --alias or the config file), which a scheduled check must not pass as
 * "skipped" run after run. One GetAlias, only for a named function without a record.
 */
async function withoutRecord(deps: CheckDeps, functionName: string, alias: string): Promise<CheckResult> {
  const found = await deps.lambda.getAlias(functionName, alias);
  if (found && isSplit(found.additionalWeights)) return splitWithoutRecord(functionName, alias, found);
  if (found)
    return { functionName, alias, action: 'skipped', reason: `no deployment record for alias ${alias}` };
  return {
    functionName,
    alias,
    action: 'error',
    reason: `alias ${alias} of function ${functionName} does not exist: nothing to check (is --alias, or the config file’s \`alias\`, spelled right?)`,
  };
}

/**
 * A named function whose alias is split with no lshift record on it: traffic on two versions that
 * no lshift deployment explains and nothing of lshift watches. It said only "no deployment record"
 * (found by a hostile pass). Still `skipped`, exit 0: lshift cannot tell it from a split another
 * tool drives or a person keeps on purpose (a rolled-back deployment's alias split since is exit 0
 * too, check-split-since.ts), so it says the split and both ways to end it, and `--json` carries
 * the routing (`splitWithoutRecord`).
 */
function splitWithoutRecord(functionName: string, alias: string, found: AliasInfo): CheckResult {
  const primary = found.functionVersion;
  const other = Object.entries(found.additionalWeights).find(([, w]) => w > 0)?.[0] ?? primary;
  const rollback = `lshift rollback ${functionName} --alias ${alias}`;
  const finish = `lshift alias ${functionName} ${alias} ${other}`;
  return {
    functionName,
    alias,
    action: 'skipped',
    reason: `no deployment record for alias ${alias}, but the alias is split: it routes ${describeAliasState(found)}, and no lshift deployment record explains that split, so nothing of lshift watches it; unless another tool drives it, end it: all traffic on version ${primary} with \`${rollback}\`, or on version ${other} with \`${finish}\``,
    splitWithoutRecord: {
      functionVersion: found.functionVersion,
      additionalWeights: { ...found.additionalWeights },
    },
  };
}

/**
 * The promoted records whose alias is still split (promoted-split.ts), with that alias: one
 * GetAlias per promoted record, within the window or not — a split nobody drives is stalled
 * whenever it was promoted. An alias that cannot be read leaves the record to the usual path.
 */
export function findPromotedButSplit(
  deps: CheckDeps,
  listed: readonly ListedRecord[],
  gone?: Set<ListedRecord>,
): Promise<Map<ListedRecord, AliasInfo>> {
  return aliasesWhere(deps, listed, 'promoted', isPromotedButSplit, gone);
}

/**
 * The records of `listed` in `phase` whose alias, read once each (GetAlias, a few at a time),
 * passes `test`, with that alias. An alias that cannot be read leaves its record out; one that
 * does not exist does too, and is added to `gone` when given.
 */
export async function aliasesWhere(
  deps: Pick<CheckDeps, 'lambda'>,
  listed: readonly ListedRecord[],
  phase: ListedRecord['record']['phase'],
  test: (record: ListedRecord['record'], alias: AliasInfo) => boolean,
  gone?: Set<ListedRecord>,
): Promise<Map<ListedRecord, AliasInfo>> {
  const inPhase = listed.filter((l) => l.record.phase === phase);
  // undefined: no such alias; null: it could not be read.
  const aliases = await mapEach(DEFAULT_LIST_CONCURRENCY, inPhase, (l) =>
    deps.lambda.getAlias(l.functionName, l.alias).catch(() => null),
  );
  const found = new Map<ListedRecord, AliasInfo>();
  inPhase.forEach((l, i) => {
    const alias = aliases[i];
    if (alias === undefined) gone?.add(l);
    else if (alias && test(l.record, alias)) found.set(l, alias);
  });
  return found;
}

/**
 * The functions of each release among `listed`, by release id, when they are all of it: a check
 * without names that listed every record (none unreadable) has every function of a release in
 * hand, so its resume hint names them rather than a placeholder. Undefined otherwise: a record
 * names its release, never the release's other functions.
 */
export function releaseFunctionsOf(
  req: CheckRequest,
  listed: readonly ListedRecord[],
  unreadable: number,
): Map<string, string[]> | undefined {
  if ((req.functionNames?.length ?? 0) > 0 || unreadable > 0) return undefined;
  const found = new Map<string, string[]>();
  for (const { functionName, record } of listed) {
    if (record.releaseId === undefined) continue;
    found.set(record.releaseId, [...(found.get(record.releaseId) ?? []), functionName]);
  }
  for (const names of found.values()) names.sort((a, b) => a.localeCompare(b));
  return found;
}

/** A named function Lambda does not know (misspelled, or deleted with its record). */
function isFunctionNotFound(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'FUNCTION_NOT_FOUND';
}
