/**
 * `lshift status` of an unfinished CodeDeploy record asks CodeDeploy about its deployment (one
 * GetDeployment): after the application or deployment group was deleted CodeDeploy answers
 * DeploymentDoesNotExistException, and nothing moves the alias any more
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html). Status then
 * says so, as `lshift wait` and `lshift check` do, instead of "follow it: lshift wait". A question
 * that fails is said too: it is neither running nor forgotten as far as status knows.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import { isForgottenByCodeDeploy } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { isFinished } from './record-view.js';

export interface CodeDeployAnswer {
  /** CodeDeploy no longer knows the deployment the unfinished record names. */
  forgottenByCodeDeploy?: true;
  /** Why CodeDeploy could not be asked. */
  codeDeployError?: string;
}

export async function askCodeDeployAbout(
  codedeploy: CodeDeployPort | undefined,
  record: DeploymentRecord,
): Promise<CodeDeployAnswer> {
  const id = record.engine === 'codedeploy' && !isFinished(record) ? record.codeDeployId : undefined;
  if (!codedeploy || !id) return {};
  try {
    await codedeploy.getDeployment(id);
    return {};
  } catch (error) {
    if (isForgottenByCodeDeploy(error)) return { forgottenByCodeDeploy: true };
    return { codeDeployError: describeError(error) };
  }
}
