/**
 * A CodeDeploy record lshift closed rolled back while AWS CodeDeploy's own record of the deployment
 * says Succeeded: CodeDeploy had finished its shift (lshift's StopDeployment held or lost until
 * then, or the rollback came after the promote) and lshift's rollback put the alias back itself, a
 * write CodeDeploy does not see. Status said only "ended: rolled-back" (h4's pass, session 65): both
 * are true, and the CodeDeploy console shows Succeeded. One GetDeployment, only for such a record;
 * a question that fails adds nothing.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import { isClosedByHand } from './record-view.js';

/** `Succeeded` when CodeDeploy says so of a record lshift rolled back; undefined otherwise. */
export async function askRolledBackCodeDeploy(
  codedeploy: CodeDeployPort | undefined,
  record: DeploymentRecord,
): Promise<'Succeeded' | undefined> {
  if (!codedeploy || record.engine !== 'codedeploy' || record.phase !== 'rolled-back') return undefined;
  if (!record.codeDeployId || isClosedByHand(record)) return undefined;
  try {
    const { status } = await codedeploy.getDeployment(record.codeDeployId);
    return status === 'Succeeded' ? status : undefined;
  } catch {
    return undefined;
  }
}
