/**
 * `deploy fa fb fc --resume` after fb was deleted (its record went with it, a tag on it): fb's
 * refusal said "Function fb does not exist … Check the function name, --region and --profile",
 * which sends the person hunting for a typo while fa and fc stay split (found by a hostile pass
 * over releases). When another function's record names the release, the refusal says how to go
 * on without fb: resume the others, or roll them back.
 *
 * A release's functions are listed nowhere but in their own records, so a function that does not
 * exist may have been deleted — or never been of the release: `deploy k2a k2b nosuch --resume`
 * said "Function nosuch of release r-… does not exist … any more: it was deleted" (exit 1; found by
 * a hostile pass). It is refused as `abort --release` refuses it: NOT_IN_RELEASE (exit 2, nothing
 * taken over), "mistyped, or deleted since the release started", with both ways on.
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, UsageError } from '../domain/errors.js';
import { buildResumeCommand } from './deploy-result.js';
import type { Settled } from './release-refusals.js';

export function explainGoneMembers<T>(
  checked: Settled<T>[],
  members: readonly { functionName: string; alias: string }[],
  records: ReadonlyMap<number, Pick<DeploymentRecord, 'releaseId' | 'stagger' | 'guards' | 'phase'>>,
): Settled<T>[] {
  const known = [...records.values()].find((r) => r.releaseId !== undefined);
  const releaseId = known?.releaseId;
  if (!known || !releaseId) return checked;
  const gone = members.filter((_, i) => isGone(checked[i]!));
  if (gone.length === 0) return checked;
  const others = members.filter((m) => !gone.includes(m));
  const names = others.map((m) => m.functionName);
  const aliasFlag = sharedAliasFlag(others.map((m) => m.alias));
  const aliases = others.map((m) => m.alias);
  const resume = buildResumeCommand(names[0] ?? '', others[0]?.alias ?? 'live', known, names, aliases);
  const rollback = `\`lshift rollback --release ${releaseId} ${names.join(' ')}${aliasFlag}\``;
  return checked.map((c, i) => {
    if (!isGone(c)) return c;
    const { functionName } = members[i]!;
    const error = new UsageError(
      'NOT_IN_RELEASE',
      `Function ${functionName} does not exist in this account and region, so it is no function of release ${releaseId} to resume: mistyped, or deleted since the release started (its deployment record with it). Nothing was taken over.`,
      {
        hint:
          others.length === 0
            ? 'Nothing of the release is left to resume here: `lshift status <its functions>` shows where each is.'
            : `Correct ${functionName} (check the name, --region and --profile), or leave it out: resume the release’s other functions with ${resume}, or roll them back with ${rollback}.`,
        context: { functionName },
        cause: 'error' in c ? c.error : undefined,
      },
    );
    return { error };
  });
}

function isGone<T>(c: Settled<T>): boolean {
  return 'error' in c && isLshiftError(c.error) && c.error.code === 'FUNCTION_NOT_FOUND';
}
