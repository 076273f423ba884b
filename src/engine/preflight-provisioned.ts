/**
 * Preflight for provisioned concurrency (issue 14): an alias with provisioned concurrency sends
 * the new version its share of traffic, and Lambda allocates provisioned concurrency to that
 * version only as weights change (see provisioned-concurrency.ts), so unless the version has its
 * own, its first requests start cold. Shown as a warning; the shift then waits for READY after
 * each weight write.
 */
import type { LambdaPort, ProvisionedConcurrencyInfo } from '../ports/lambda.js';
import { logWarn } from './emit.js';
import { type CheckDeps, guard, pass } from './preflight-checks.js';
import { noteNoProvisionedConcurrency } from './provisioned-concurrency.js';

type Deps = CheckDeps & { lambda: LambdaPort };

export async function checkProvisionedConcurrency(
  deps: Deps,
  where: { functionName: string; alias: string },
  targetVersion: string,
): Promise<ProvisionedConcurrencyInfo | undefined> {
  const { functionName: fn, alias } = where;
  const onAlias = await guard(deps, 'provisioned-concurrency', () =>
    deps.lambda.getProvisionedConcurrency(fn, alias),
  );
  if (!onAlias) {
    noteNoProvisionedConcurrency(deps.lambda, fn, alias);
    pass(deps, 'provisioned-concurrency', `alias ${alias} has no provisioned concurrency`);
    return undefined;
  }
  const onTarget = await guard(deps, 'provisioned-concurrency', () =>
    deps.lambda.getProvisionedConcurrency(fn, targetVersion),
  );
  if (onTarget?.status !== 'READY') {
    logWarn(
      deps,
      `alias ${alias} has provisioned concurrency (${onAlias.requested}), but version ${targetVersion} has none ready of its own: its share starts cold until Lambda re-allocates the alias's provisioned concurrency after each weight change (lshift waits for READY after each step)`,
      'provisioned-concurrency',
    );
  }
  pass(
    deps,
    'provisioned-concurrency',
    `alias ${alias} has provisioned concurrency ${onAlias.requested} (${onAlias.status}); version ${targetVersion}: ${onTarget ? `${onTarget.requested} of its own (${onTarget.status})` : 'none of its own'}`,
  );
  return onAlias;
}
