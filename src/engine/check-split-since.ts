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
import { entry } from './check-entry.js';
import { aliasesWhere } from './check-records.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import type { GroupRef } from './codedeploy-group.js';
import { describeLateStart, findLateStart } from './codedeploy-late-start.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { buildFixCommand, describeAliasState, SPLIT_ORDER_UNKNOWN } from './deploy-result.js';
import type { ListedRecord } from './record-listing.js';
import {
  aliasMovedSinceEnd,
  isDecidedSplitMovedWhole,
  isHandSplitAfterRollbackDecision,
  isSplit,
} from './record-view.js';
import { describeSplitLeftClosed, isSplitLeftClosed } from './split-left-closed.js';

/**
 * The rolled-back records whose alias was moved since the rollback (record-view.ts
 * aliasMovedSinceEnd), with that alias: one GetAlias per rolled-back record. An alias that cannot
 * be read leaves the record to the usual words; one that is gone is added to `gone`
 * (check-candidates.ts reports it as an error).
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
    (record, alias) =>
      aliasMovedSinceEnd(record, alias) !== undefined ||
      (isHandSplitAfterRollbackDecision(record) && isSplit(alias.additionalWeights)) ||
      isSplitLeftClosed(alias, record) ||
      isDecidedSplitMovedWhole(record, alias),
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

/**
 * A rolled-back record whose alias was moved since: by its own CodeDeploy deployment, taken after
 * its run ended (codedeploy-late-start.ts) — still running, nobody follows it: STALLED (exit 4),
 * with the rollback that stops it; ended, said as such — else by someone unknown, as above.
 */
export async function judgeMovedSinceRollback(
  deps: Pick<CheckDeps, 'codedeploy' | 'codeDeployGroupOf'>,
  skip: string,
  listed: ListedRecord,
  alias: AliasInfo,
): Promise<CheckResult> {
  if (isDecidedSplitMovedWhole(listed.record, alias)) return movedWholeAfterDecision(listed);
  if (isHandSplitAfterRollbackDecision(listed.record)) return splitAfterRollbackDecision(listed, alias);
  const group = deps.codeDeployGroupOf?.(listed.functionName, listed.alias);
  const late = await findLateStart(deps.codedeploy, listed.record, alias, group);
  if (late) {
    const where = { ...listed, stableVersion: listed.record.stableVersion, routing: alias };
    const { what, fix } = describeLateStart(late, where);
    const left = late.running ? '; left as it is, a human must decide' : '';
    return entry(
      listed,
      'skipped',
      `${skip}, but ${what}${left}. ${fix}`,
      late.running ? { stalled: true } : {},
    );
  }
  if (isSplitLeftClosed(alias, listed.record)) return splitLeftClosed(deps, listed, alias, group);
  const moved = describeMovedSinceRollback(skip, listed, alias);
  return entry(listed, 'skipped', moved.reason, { movedSince: moved.movedSince });
}

/**
 * A person's split its run left, its record closed (split-left-closed.ts): said "rolled back …;
 * nothing to watch", exit 0, while the deploy and `lshift wait` had exited 4 for it (h3's s68
 * pass). STALLED (exit 4) with the rollback, as `lshift status` says; the check writes nothing —
 * unless another CodeDeploy deployment on its group drives that split (codedeploy-split-driver.ts).
 */
async function splitLeftClosed(
  deps: Pick<CheckDeps, 'codedeploy'>,
  listed: ListedRecord,
  alias: AliasInfo,
  group: GroupRef | undefined,
): Promise<CheckResult> {
  const { functionName: fn, alias: name, record } = listed;
  const routing = describeAliasState(alias);
  const driver = await findCodeDeployDriver(deps.codedeploy, group, {
    functionName: fn,
    alias: name,
    routing: alias,
  });
  if (driver)
    return entry(
      listed,
      'skipped',
      `deployment ${record.id} was closed over a split by hand; the alias routes ${routing}, driven by another CodeDeploy deployment on its group: ${driver}; left to it`,
    );
  const { what, fix } = describeSplitLeftClosed(listed, record, alias);
  return entry(listed, 'skipped', `${what}. ${capitalize(fix)}`, { stalled: true });
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * lshift decided to roll it back, and someone split its alias (a rollback hook, a person: record-view.ts
 * isHandSplitAfterRollbackDecision). Said "rolled back …; nothing to watch", exit 0, of a split
 * carrying the version whose gate had failed (found by a hostile pass, session 66). The check
 * does not write over the split: STALLED (exit 4), its rollback offered, as `lshift status` says.
 */
function splitAfterRollbackDecision(listed: ListedRecord, alias: AliasInfo): CheckResult {
  const { functionName: fn, alias: name, record } = listed;
  const reason =
    `${describeDecidedAndSplit(record)}: it routes ${describeAliasState(alias)}. ` +
    `Nothing drives that split and the check leaves it as it is; \`deploy --resume\` refuses it. To put all traffic back on version ${record.stableVersion}: ` +
    `\`lshift rollback ${fn} --alias ${name}\` (or by hand: \`${buildFixCommand(fn, name, record.stableVersion)}\`)`;
  return entry(listed, 'skipped', reason, { stalled: true });
}

/**
 * The same split, since moved whole onto the new version (record-view.ts isDecidedSplitMovedWhole):
 * not rolled back — the version lshift decided to roll back serves everything. Said "rolled back
 * …; nothing to watch", exit 0 (session 67). STALLED (exit 4), as `lshift status` says MOVED OVER
 * LSHIFT'S ROLLBACK, with both ways out; the check writes nothing.
 */
function movedWholeAfterDecision(listed: ListedRecord): CheckResult {
  const { functionName: fn, alias: name, record } = listed;
  const reason =
    `lshift decided to roll deployment ${record.id} back, its alias was split by someone else (${SPLIT_ORDER_UNKNOWN}), and someone has since put all traffic on version ${record.targetVersion}, the version lshift decided to roll back: it was not rolled back (\`lshift status ${fn} --alias ${name}\` says why lshift decided so). ` +
    `The check writes nothing over that move: \`lshift rollback ${fn} --alias ${name}\` puts all traffic back on version ${record.stableVersion}, and \`lshift alias ${fn} ${name} ${record.targetVersion}\` records that you keep version ${record.targetVersion}`;
  return entry(listed, 'skipped', reason, { stalled: true });
}

/**
 * A release may have met the split first and rolled back for it (settle-conflict.ts closeMovedByHand):
 * "then split" told the wrong order (h4, session 68), as resume-words.ts rollbackDecidedSplit says;
 * nor does a single deploy's record tell it (deploy-result.ts SPLIT_ORDER_UNKNOWN).
 */
function describeDecidedAndSplit(record: ListedRecord['record']): string {
  return record.releaseId
    ? `lshift decided to roll deployment ${record.id} back (release ${record.releaseId}'s verdict was a rollback), and its alias was split by someone else (a hook, or a person), before or after that verdict`
    : `lshift decided to roll deployment ${record.id} back, and the alias was split by someone else (a hook, or a person), ${SPLIT_ORDER_UNKNOWN}`;
}
