/**
 * `deploy --supersede`, before its rollback: every check of the new deployment that does not
 * need the old one rolled back, against the version the rollback will leave all traffic on (the
 * new deployment's stable version). A mistyped version, alarm or hook, or a target Lambda cannot
 * split traffic with, is refused while the old deployment is still as it was (DESIGN.md §6).
 *
 * Left to the full preflight after the rollback, and why:
 * - the record and the alias being free (DEPLOYMENT_STALE, SHIFT_IN_PROGRESS…): the rollback is
 *   what frees them;
 * - what the checks that only warn say (run settings, event sources, provisioned concurrency):
 *   said twice it would only be noise. Their reads run here all the same (saying nothing but a
 *   refusal): a denied lambda:ListEventSourceMappings or GetProvisionedConcurrencyConfig refuses
 *   before the rollback, not after it.
 * An alarm already firing is refused here, although the old deployment's target may be what
 * fires it: CloudWatch takes at least one evaluation period to see the rollback, so the
 * preflight after it would refuse the same alarm, with the old deployment gone for nothing.
 * The full preflight repeats the rest too: something may change during the rollback. So these
 * checks say only a refusal; each pass is said once, by the full preflight.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatPercent } from '../domain/duration.js';
import { isLshiftError, type LshiftError, PreflightError } from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import { readTarget } from './preflight.js';
import { checkAsyncSettings } from './preflight-async.js';
import { checkAlarms, checkSameConfig, guard, pass, sayingRefusalsOnly } from './preflight-checks.js';
import { checkEventSources } from './preflight-event-sources.js';
import { checkDeployHooks } from './preflight-hooks.js';
import { checkProvisionedConcurrency } from './preflight-provisioned.js';
import { checkRecordFits, type DraftRecord } from './preflight-record.js';

/** What --supersede would roll back, read before anything is written; undefined: nothing to. */
export interface SupersedePlan {
  alias: AliasInfo;
  /** The alias's record as read: the new deployment's record carries its history on. */
  record?: DeploymentRecord;
  /** The deployment holding the alias; none: the alias is split with no deployment of its own. */
  holder?: DeploymentRecord;
  /** Where the rollback leaves all traffic: the new deployment's stable version. */
  stableVersion: string;
  /** All traffic is already on another version: only the holder's record is closed. */
  recordOnly: boolean;
}

import { checkWarmPossible } from './warm.js';

export type { DraftRecord };

export function checkBeforeSupersede(
  deps: DeployDeps,
  req: DeployRequest,
  plan: Pick<SupersedePlan, 'record' | 'stableVersion' | 'holder' | 'recordOnly'>,
  draft: DraftRecord | undefined,
): Promise<void> {
  return runChecksBeforeSupersede(sayingRefusalsOnly(deps), req, plan, draft);
}

async function runChecksBeforeSupersede(
  deps: DeployDeps,
  req: DeployRequest,
  plan: Pick<SupersedePlan, 'record' | 'stableVersion' | 'holder' | 'recordOnly'>,
  draft: DraftRecord | undefined,
): Promise<void> {
  const { functionName: fn, alias } = req;
  const stableVersion = plan.stableVersion;
  const target = await readTarget(deps, req);
  // The rollback alone puts all traffic on the target, and the deploy then has nothing to do: as
  // the preflight does then, nothing about the shift is asked (not even whether an alarm fires).
  if (target.version === stableVersion) return;
  checkRecordFits(deps, draft, stableVersion, plan.record);
  const stable = await guard(deps, 'stable-version', () => deps.lambda.getFunction(fn, stableVersion));
  pass(deps, 'stable-version', `stable version ${stableVersion} (after the rollback) is readable`);
  checkSameConfig(deps, req, stable, target);
  await checkAsyncSettings(deps, { functionName: fn, alias }, stable, target);
  await checkEventSources(deps, { functionName: fn, alias, stableVersion });
  // The alias's read (the target's is the same action); the full preflight reads both.
  await checkProvisionedConcurrency(deps, { functionName: fn, alias }, undefined);
  if (req.warm) await checkWarmPossible(deps, { functionName: fn, alias }, stableVersion);
  await checkAlarms(deps, req).catch((error: unknown) => {
    throw firingBeforeRollback(error, req, plan);
  });
  await checkDeployHooks(deps, req);
}

/**
 * An alarm firing while the alias still routes traffic the supersede would take away: that
 * traffic may be what fires it, so "fix the stable version first" pointed at the wrong version
 * (found by a hostile pass). The refusal stands (see the top); its hint says what to do.
 */
function firingBeforeRollback(
  error: unknown,
  req: Pick<DeployRequest, 'functionName' | 'alias'>,
  plan: Pick<SupersedePlan, 'holder' | 'recordOnly'>,
): unknown {
  if (!isLshiftError(error) || error.code !== 'ALARM_ALREADY_FIRING' || plan.recordOnly) return error;
  const { holder } = plan;
  const cause = holder
    ? `Deployment ${holder.id} (version ${holder.targetVersion} at ${formatPercent(holder.percent)})`
    : `The split of alias ${req.alias} (no deployment records it)`;
  const hint =
    `${cause}, which --supersede would roll back, may be what fires it. Roll it back first ` +
    `(\`lshift rollback ${req.functionName} --alias ${req.alias}\`), wait until the alarm is OK again, ` +
    'then deploy; or pass --ignore-initial-alarms to supersede anyway.';
  return new PreflightError(error.code, error.message, {
    hint,
    context: (error as LshiftError).context,
    cause: error,
  });
}
