/**
 * A function of `lshift rollback --release` that ended as an error — its claim could not be read
 * back, its record could not be read or did not add up — was not rolled back: its alias is where
 * the deployment left it. The release said `failed` (exit 1) with both aliases still at 80/20
 * (found by a hostile pass, session 64: ListTags answered by an HTML 502 after the claim).
 * DESIGN.md: no exit leaves an alias split unless it is exit 4 with the alias state and the fix.
 * So each such alias is read once more: split, or unreadable (unknown), the release is `unsafe`
 * and the error carries the alias state and the command that puts all traffic back.
 */
import type { LambdaPort } from '../ports/lambda.js';
import { buildFixCommand } from './deploy-result.js';
import type { ReleaseRollbackResult } from './release-rollback.js';

type ReleaseError = ReleaseRollbackResult['errors'][number];

export interface LeftSplitError extends ReleaseError {
  /** The alias as read after the rollback; absent when it could not be read (unknown). */
  aliasState?: { functionVersion: string; additionalWeights: Record<string, number> };
  /** Puts all traffic on the alias's primary version (the stable one, in a shift lshift wrote). */
  fixCommand?: string;
  /** True when the alias is split, or could not be read: a human must look (exit 4). */
  leftSplit?: true;
}

/**
 * The errors with their aliases read: `unsafe` when one is split or unknown. A Ctrl-C
 * (INTERRUPTED) is the interrupt's to report, as before.
 */
export async function judgeErrorAliases<
  R extends { status: ReleaseRollbackResult['status']; errors: ReleaseError[] },
>(lambda: Pick<LambdaPort, 'getAlias'>, result: R): Promise<R & { errors: LeftSplitError[] }> {
  const errors = await Promise.all(result.errors.map((e) => judgeOne(lambda, e)));
  const split = errors.some((e) => e.leftSplit);
  return { ...result, errors, status: split ? 'unsafe' : result.status };
}

async function judgeOne(lambda: Pick<LambdaPort, 'getAlias'>, error: ReleaseError): Promise<LeftSplitError> {
  if (error.code === 'INTERRUPTED') return error;
  let alias: Awaited<ReturnType<LambdaPort['getAlias']>>;
  try {
    alias = await lambda.getAlias(error.functionName, error.alias);
  } catch {
    return { ...error, leftSplit: true };
  }
  // No alias (or no function): nothing is split.
  if (!alias) return error;
  const aliasState = {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
  const split = Object.values(alias.additionalWeights).some((w) => w > 0);
  if (!split) return error;
  return {
    ...error,
    aliasState,
    fixCommand: buildFixCommand(error.functionName, error.alias, alias.functionVersion),
    leftSplit: true,
  };
}
