/**
 * `deploy --resume` of a deployment AWS CodeDeploy runs: refused (CODEDEPLOY_NOT_RESUMABLE),
 * resuming would start a second one, or write the alias beside the first. Exit 2 while CodeDeploy
 * (or another deployment on its group) drives the alias; exit 4 once CodeDeploy has ended it and
 * left the alias split with nobody to finish it, as `lshift status` calls it STALLED
 * (status-codedeploy.ts leftSplitByCodeDeploy): a refusal over a split nobody drives is exit 4
 * whatever its code (resume-words.ts refusalOver). It was exit 2, "carries on without lshift"
 * (session 70).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { PreflightError, UnsafeError } from '../domain/errors.js';
import type { DeploymentInfo } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeLeftSplitRollback } from './codedeploy-left-split.js';
import { findCodeDeployDriver } from './codedeploy-split-driver.js';
import { isTerminal } from './codedeploy-status.js';
import { describeAliasState } from './deploy-result.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import { describeKeptMoveWaysOut, type KeptMoveDeployment } from './kept-move-hint.js';
import { isKeepMoveUnconfirmed, isSplit } from './record-view.js';

type ResumeTarget = Pick<DeployRequest, 'functionName' | 'alias'>;

/** The refusal, after one GetDeployment (and, when it ended over a split, a look at its group). */
export async function refuseCodeDeployResume(
  deps: Pick<DeployDeps, 'deployments' | 'codeDeploySplitDriver'>,
  req: ResumeTarget,
  record: DeploymentRecord,
  alias: AliasInfo,
): Promise<PreflightError | UnsafeError> {
  const id = record.codeDeployId;
  const info = id ? await deps.deployments?.getDeployment(id).catch(() => undefined) : undefined;
  // A kept move's hint reads it as readKeptMoveDeployment would (kept-move-hint.ts).
  const kept = isKeepMoveUnconfirmed(record) ? info : undefined;
  const ended = await readEnded(deps, req, alias, info);
  if (ended?.driver) return drivenByOther(req, record, alias, ended.driver);
  return notResumable(req, record, alias, kept, ended?.status);
}

/**
 * Ended over a split another deployment on its group drives (codedeploy-split-rule.ts): exit 2 as
 * before, but naming that one, as status and check do. It said "run by AWS CodeDeploy, which
 * carries on without lshift" and "Follow it with `lshift wait <its own, ended, deployment>`"
 * (h3's s71 brief).
 */
function drivenByOther(
  req: ResumeTarget,
  record: DeploymentRecord,
  alias: AliasInfo,
  driver: string,
): PreflightError {
  const { functionName: fn, alias: name } = req;
  const id = driver.split(' ')[0];
  return new PreflightError(
    'CODEDEPLOY_NOT_RESUMABLE',
    `Deployment ${record.id} of ${fn} alias ${name} was run by AWS CodeDeploy (deployment ${record.codeDeployId}), which has ended it; the alias routes ${describeAliasState(alias)}, driven by another CodeDeploy deployment on its group: ${driver}. --resume does not apply; nothing was written.`,
    {
      hint: `Follow it with \`lshift wait ${id} --on-interrupt leave\` (or \`aws deploy get-deployment --deployment-id ${id}\`); lshift writes nothing to the alias beside it.`,
      context: { functionName: fn, alias: name },
    },
  );
}

/**
 * Its deployment's status once ended over a split, with the other deployment that drives it if any
 * (codedeploy-split-rule.ts); undefined while it runs, when the alias is on one version, or when
 * CodeDeploy cannot be asked (not known to be ended: the refusal says what it said before).
 */
async function readEnded(
  deps: Pick<DeployDeps, 'deployments' | 'codeDeploySplitDriver'>,
  req: ResumeTarget,
  alias: AliasInfo,
  info: DeploymentInfo | undefined,
): Promise<{ status: DeploymentInfo['status']; driver?: string } | undefined> {
  if (!isSplit(alias.additionalWeights) || !info || !isTerminal(info.status)) return undefined;
  const split = { functionName: req.functionName, alias: req.alias, routing: alias };
  // Its own group, as CodeDeploy names it, first: the one preflight looks in (the config's names,
  // else lshift's defaults) may not be the one it ran on.
  const own =
    info.application && info.group ? { application: info.application, group: info.group } : undefined;
  const driver =
    (await findCodeDeployDriver(deps.deployments, own, split, info.id)) ??
    (await deps.codeDeploySplitDriver?.(split).catch(() => undefined));
  return { status: info.status, ...(driver === undefined ? {} : { driver }) };
}

function notResumable(
  req: ResumeTarget,
  record: DeploymentRecord,
  alias: AliasInfo,
  kept: KeptMoveDeployment | undefined,
  ended: DeploymentInfo['status'] | undefined,
): PreflightError | UnsafeError {
  const { functionName: fn, alias: name } = req;
  const id = record.codeDeployId;
  const which = id ? ` (deployment ${id})` : '';
  const rollback = `\`lshift rollback ${fn} --alias ${name}\``;
  const hint = isKeepMoveUnconfirmed(record)
    ? describeKeptMoveWaysOut(fn, name, record, alias, kept)
    : ended
      ? `${describeLeftSplitRollback(fn, name, record, alias)}.`
      : id
        ? `Follow it with \`lshift wait ${id}\` (it closes the record), or stop it and put the alias back with ${rollback}.`
        : `See it with \`lshift status ${fn} --alias ${name}\`; ${rollback} puts the alias back.`;
  const context = { functionName: fn, alias: name };
  if (ended)
    return new UnsafeError(
      'CODEDEPLOY_NOT_RESUMABLE',
      `Deployment ${record.id} of ${fn} alias ${name} was run by AWS CodeDeploy${which}, which has ended it (${ended}) and left the alias split: it routes ${describeAliasState(alias)} with nobody to finish it — \`lshift status ${fn} --alias ${name}\` calls it STALLED. --resume does not apply; nothing was written.`,
      { hint, context },
    );
  return new PreflightError(
    'CODEDEPLOY_NOT_RESUMABLE',
    `Deployment ${record.id} of ${fn} alias ${name} is run by AWS CodeDeploy${which}, which carries on without lshift: --resume does not apply.`,
    { hint, context },
  );
}
