/**
 * While lshift holds a step under `--engine codedeploy`, CodeDeploy may end the deployment on
 * its own (an alarm of the group, a hook that reported Failed). This gate reads its status at
 * every poll, so a hold ends with CodeDeploy's reason instead of judging a shift that is over.
 * No verdict while it runs: the other gates judge the health.
 */
import type { Verdict } from '../domain/verdict.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import { failedHookOf, ownEndOf, recordCauseOfCodeDeployEnd } from './codedeploy-end-cause.js';
import { describeFollowedEnd, isStoppedByRequest, readEndEvents } from './codedeploy-status.js';
import type { DeployHooks } from './deploy-types.js';
import { describeError } from './emit.js';
import type { HealthGate, HealthWindow } from './health-gate.js';

export function createCodeDeployGate(
  codedeploy: CodeDeployPort,
  deploymentId: () => string | undefined,
  /** lshift's hooks CodeDeploy runs (`--pre-hook`, `--post-hook`), named when one fails. */
  hooks: DeployHooks = {},
): HealthGate {
  return {
    name: 'codedeploy',
    async evaluate(window: HealthWindow): Promise<Verdict[]> {
      const id = deploymentId();
      if (!id) return [];
      try {
        const info = await codedeploy.getDeployment(id);
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
