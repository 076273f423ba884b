/**
 * `lshift status` of an unfinished CodeDeploy record asks CodeDeploy about its deployment (one
 * GetDeployment): after the application or deployment group was deleted CodeDeploy answers
 * DeploymentDoesNotExistException, and nothing moves the alias any more
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html). Status then
 * says so, as `lshift wait` and `lshift check` do, instead of "follow it: lshift wait". A question
 * that fails is said too: it is neither running nor forgotten as far as status knows.
 * A deployment CodeDeploy answers as ended (Stopped or Failed without rollback, say by
 * `aws deploy stop-deployment`) while its alias still splits traffic is driven by nobody: STALLED,
 * as `lshift check` says it (check-codedeploy.ts), not "follow it".
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeCodeDeployEnd, isForgottenByCodeDeploy, isTerminal } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { isFinished, isSplit } from './record-view.js';

export interface CodeDeployAnswer {
  /** CodeDeploy no longer knows the deployment the unfinished record names. */
  forgottenByCodeDeploy?: true;
  /** Why CodeDeploy could not be asked. */
  codeDeployError?: string;
  /** How CodeDeploy says the deployment ended, when it has (`CodeDeploy deployment d-X Stopped: why`). */
  codeDeployEnded?: string;
  /** It ended in CodeDeploy and left the alias split: nobody drives the split any more. */
  leftSplitByCodeDeploy?: true;
}

export async function askCodeDeployAbout(
  codedeploy: CodeDeployPort | undefined,
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'additionalWeights'>,
): Promise<CodeDeployAnswer> {
  const id = record.engine === 'codedeploy' && !isFinished(record) ? record.codeDeployId : undefined;
  if (!codedeploy || !id) return {};
  try {
    const info = await codedeploy.getDeployment(id);
    if (!isTerminal(info.status)) return {};
    const ended = { codeDeployEnded: describeCodeDeployEnd({ ...info, id }) };
    return isSplit(alias.additionalWeights) ? { ...ended, leftSplitByCodeDeploy: true } : ended;
  } catch (error) {
    if (isForgottenByCodeDeploy(error)) return { forgottenByCodeDeploy: true };
    return { codeDeployError: describeError(error) };
  }
}
