/**
 * While lshift holds a step under `--engine codedeploy`, CodeDeploy may end the deployment on
 * its own (an alarm of the group, a hook that reported Failed). This gate reads its status at
 * every poll, so a hold ends with CodeDeploy's reason instead of judging a shift that is over.
 * No verdict while it runs, nor for its success: the other gates judge the health (a success
 * is told to the driver, whose hold then ends: onSucceeded).
 */
import type { Verdict } from '../domain/verdict.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import { failedHookOf, ownEndOf, recordCauseOfCodeDeployEnd } from './codedeploy-end-cause.js';
import { describeFollowedEnd, isStoppedByRequest, readEndEvents } from './codedeploy-status.js';
import type { DeployHooks } from './deploy-types.js';
import { describeError } from './emit.js';
import type { HealthGate, HealthWindow } from './health-gate.js';
import { codeOf } from './preflight-checks.js';

export function createCodeDeployGate(
  codedeploy: CodeDeployPort,
  deploymentId: () => string | undefined,
  /** lshift's hooks CodeDeploy runs (`--pre-hook`, `--post-hook`), named when one fails. */
  hooks: DeployHooks = {},
  /**
   * Told when a poll reads that CodeDeploy Succeeded (no verdict: its success judges no health);
   * the driver's `succeeded` then ends lshift's hold (traffic-steps.ts runHold).
   */
  onSucceeded?: (deploymentId: string) => void,
): HealthGate {
  // Answers in a row that CodeDeploy does not know the deployment (forgottenVerdict).
  let unknownFor: { id: string; count: number } | undefined;
  return {
    name: 'codedeploy',
    async evaluate(window: HealthWindow): Promise<Verdict[]> {
      const id = deploymentId();
      if (!id) return [];
      try {
        const info = await codedeploy.getDeployment(id);
        unknownFor = undefined;
        if (info.status === 'Succeeded') onSucceeded?.(id);
        if (info.status === 'Failed' || info.status === 'Stopped') {
          const events = await readEndEvents(codedeploy, info);
          const summary = describeFollowedEnd(info, events);
          // stoppedFromOutside: the step then reads `stopped`, not `failed` (step-result.ts).
          // hookFailed: the hold ends HOOK_FAILED, as a native deploy's hook (health-assessment.ts)
          // — CodeDeploy runs its AfterAllowTraffic hook on its own clock, often within lshift's hold.
          const hookFailed = failedHookOf(ownEndOf(recordCauseOfCodeDeployEnd(info, events)), hooks);
          const details = {
            ...info,
            stoppedFromOutside: isStoppedByRequest(info),
            ...(hookFailed ? { hookFailed } : {}),
          };
          return [{ outcome: 'fail', gate: 'codedeploy', summary, details, at: window.now }];
        }
        return [];
      } catch (error) {
        if (codeOf(error) === 'CODEDEPLOY_DEPLOYMENT_NOT_FOUND') {
          unknownFor = { id, count: unknownFor?.id === id ? unknownFor.count + 1 : 1 };
          if (unknownFor.count >= FORGOTTEN_AFTER) return [forgottenVerdict(id, window)];
        }
        return [
          {
            outcome: 'error',
            gate: 'codedeploy',
            summary: `could not read CodeDeploy deployment ${id}: ${describeError(error)}`,
            at: window.now,
          },
        ];
      }
    },
  };
}

/**
 * Deleting a deployment group (or its application) deletes its deployments' details:
 * GetDeployment then answers DeploymentDoesNotExistException
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-delete.html). Nothing
 * drives the alias any more — that is a failure of this deployment, said as such, not "health
 * unreadable (3/3)" (found by a hostile pass). Twice in a row, so one answer from a replica that
 * has not seen a deployment just created is not taken for it. The rollback then writes the alias
 * itself (codedeploy-traffic-driver.ts, a deployment CodeDeploy forgot).
 */
const FORGOTTEN_AFTER = 2;

function forgottenVerdict(id: string, window: HealthWindow): Verdict {
  return {
    outcome: 'fail',
    gate: 'codedeploy',
    summary: `AWS CodeDeploy no longer knows deployment ${id} (its deployment group or application was deleted, which deletes its deployments): nothing drives the alias any more`,
    at: window.now,
  };
}
