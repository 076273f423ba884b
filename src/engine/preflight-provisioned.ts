/**
 * Preflight for provisioned concurrency (issue 14): an alias with provisioned concurrency sends
 * the new version its share of traffic, and Lambda allocates provisioned concurrency to that
 * version only as weights change (see provisioned-concurrency.ts), so unless the version has its
 * own, its first requests start cold. Shown as a warning; the shift then waits for READY after
 * each weight write.
 *
 * Before an upload (`targetVersion` undefined) only the alias is read: a version not published
 * yet has no provisioned concurrency of its own (Lambda configures it on an existing qualifier).
 * That read is what could refuse (a denied lambda:GetProvisionedConcurrencyConfig), so it comes
 * before any write; the full preflight reads again, the new version's own config included.
 */
import type { LambdaPort, ProvisionedConcurrencyInfo } from '../ports/lambda.js';
import { logWarn } from './emit.js';
import { type CheckDeps, guard, pass } from './preflight-checks.js';
import { noteNoProvisionedConcurrency } from './provisioned-concurrency.js';

type Deps = CheckDeps & { lambda: LambdaPort };

export async function checkProvisionedConcurrency(
  deps: Deps,
  where: { functionName: string; alias: string },
  /** Undefined: the version is not published yet (before an upload). */
  targetVersion: string | undefined,
): Promise<ProvisionedConcurrencyInfo | undefined> {
  const { functionName: fn, alias } = where;
  const onAlias = await guard(deps, 'provisioned-concurrency', () =>
    deps.lambda.getProvisionedConcurrency(fn, alias),
  );
  if (!onAlias) {
    // Remembered only once the version exists: the weight writes then skip their READY waits.
    if (targetVersion !== undefined) noteNoProvisionedConcurrency(deps.lambda, fn, alias);
    pass(deps, 'provisioned-concurrency', `alias ${alias} has no provisioned concurrency`);
    return undefined;
  }
  const onTarget =
    targetVersion === undefined
      ? undefined
      : await guard(deps, 'provisioned-concurrency', () =>
          deps.lambda.getProvisionedConcurrency(fn, targetVersion),
        );
  const name = targetVersion === undefined ? 'the new version' : `version ${targetVersion}`;
  if (onTarget?.status !== 'READY') {
    logWarn(
      deps,
      `alias ${alias} has provisioned concurrency (${onAlias.requested}), but ${name} has none ready of its own: its share starts cold until Lambda re-allocates the alias's provisioned concurrency after each weight change (lshift waits for READY after each step)`,
      'provisioned-concurrency',
    );
  }
  pass(
    deps,
    'provisioned-concurrency',
    `alias ${alias} has provisioned concurrency ${onAlias.requested} (${onAlias.status}); ${name}: ${onTarget ? `${onTarget.requested} of its own (${onTarget.status})` : 'none of its own'}`,
  );
  return onAlias;
}
