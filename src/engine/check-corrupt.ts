/**
 * A record `lshift check` found but cannot decode (RECORD_CORRUPT: a tag edited by hand or by
 * another tool, or written in a newer record format by a newer lshift). Like one it decodes but
 * does not trust (RECORD_INVALID, check-candidates.ts refuseUntrusted), it is never acted on, and the check
 * cannot judge the deployment: `error`. Over an alias all on one version that is exit 1 (health
 * unknown, nothing split). Over a split alias it is exit 4 (`stalled`), with the alias state and
 * the `--to` rollback that needs no record: the check leaves a split it cannot judge, which a
 * human must look at (DESIGN.md §6). Before, a corrupt record there was exit 1 while one that did
 * not add up was 4, and neither `lshift status` (exit 4 for both) nor the exit-code table said why.
 *
 * A record that could not be read at all (ListTags throttled, denied) is not this: a live runner
 * may drive the split, the alias is not read, and it stays exit 1 (check-records.ts).
 */
import { isLshiftError, type LshiftError } from '../domain/errors.js';
import type { CheckDeps, CheckResult } from './check-types.js';
import { describeAliasState } from './deploy-result.js';
import { describeError } from './emit.js';
import { isSplit } from './record-view.js';

export function isCorruptRecord(error: unknown): error is LshiftError {
  return isLshiftError(error) && error.code === 'RECORD_CORRUPT';
}

/** The report line of a record the check cannot decode, from where its alias routes traffic. */
export async function judgeCorruptRecord(
  deps: CheckDeps,
  functionName: string,
  alias: string,
  error: LshiftError,
): Promise<CheckResult> {
  const base = { functionName, alias, action: 'error' as const };
  const found = await deps.lambda.getAlias(functionName, alias).catch(() => undefined);
  if (!found || !isSplit(found.additionalWeights)) {
    // Nothing split (or the alias unreadable): health unknown, and how to clear the tag.
    const hint = error.hint ? ` ${error.hint}` : '';
    return { ...base, reason: `could not read the deployment record: ${describeError(error)}.${hint}` };
  }
  const fix = `lshift rollback ${functionName} --alias ${alias} --to ${found.functionVersion}`;
  const split = `Alias ${alias} is split (${describeAliasState(found)})`;
  const reason = error.context.newerRecord
    ? `${error.message}. ${split}: a newer lshift wrote the record and may still be running that deployment, which this lshift cannot judge. Run the check with that newer lshift (upgrade this one); if no deployment is in progress, put all traffic on its primary version with \`${fix}\` (the record is left as it is).`
    : `${error.message}. ${split}, and with its record unreadable nothing will finish or undo it: put all traffic on its primary version with \`${fix}\` (the record is left as it is).`;
  return { ...base, reason, stalled: true };
}
