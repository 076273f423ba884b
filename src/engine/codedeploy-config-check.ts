/**
 * lshift's own CodeDeploy configs (`lshift.Linear20PercentEvery10Minutes`) are made once and reused
 * by name, and config names are account-wide: one made by hand under that name with another
 * routing (linear 20% every minute, say) was trusted by its name (found by a hostile pass: the
 * deployment ran a schedule nobody asked for, and the follower, expecting the named one, took
 * CodeDeploy's own 80% for a person's move: CodeDeploy stopped, the alias left split, exit 5).
 * Such a config is read (GetDeploymentConfig: trafficRoutingConfig) and refused before anything moves
 * — unless it routes the same schedule spelled otherwise (sameSchedule).
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeploymentConfig.html
 */
import {
  type CodeDeployConfig,
  codeDeployStepPercents,
  type TimeBasedRouting,
} from '../domain/codedeploy-plan.js';
import { UsageError } from '../domain/errors.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';

/**
 * `absent` when config `config` names does not exist yet (lshift creates it); `same` when it
 * exists routing as its name says (or is an AWS-managed one); throws CODEDEPLOY_CONFIG_MISMATCH
 * when it exists with another routing.
 */
export async function checkOwnConfig(
  codedeploy: Pick<CodeDeployPort, 'getDeploymentConfig'>,
  config: CodeDeployConfig,
): Promise<'absent' | 'same'> {
  if (config.kind !== 'custom') return 'same';
  const found = await codedeploy.getDeploymentConfig(config.name);
  if (!found) return 'absent';
  if (found.routing && sameSchedule(found.routing, config.routing)) return 'same';
  throw configMismatch(config.name, config.routing, found.routing);
}

/**
 * True when two routings give the new version the same weights at the same times: what
 * CodeDeploy runs, what lshift's plan holds and what its follower judges (the config's steps and
 * interval, codeDeployStepPercents). A schedule spelled otherwise is the same one: linear 50%
 * every 10 minutes is canary 50% then 100% after 10 minutes (it was refused as a mismatch).
 */
export function sameSchedule(a: TimeBasedRouting, b: TimeBasedRouting): boolean {
  if (a.intervalMinutes !== b.intervalMinutes) return false;
  const steps = (routing: TimeBasedRouting) =>
    codeDeployStepPercents({ kind: 'custom', name: '', routing })?.join(',');
  const stepsOfA = steps(a);
  return stepsOfA !== undefined && stepsOfA === steps(b);
}

/** `linear: 20% more every 10 minutes`, as a person reads a config's routing. */
export function describeRouting(routing: TimeBasedRouting | undefined): string {
  if (!routing) return 'not time-based (all at once, or a routing lshift does not read)';
  const every = `${routing.intervalMinutes} minute${routing.intervalMinutes === 1 ? '' : 's'}`;
  return routing.type === 'TimeBasedCanary'
    ? `canary: ${routing.percentage}%, then 100% after ${every}`
    : `linear: ${routing.percentage}% more every ${every}`;
}

function configMismatch(
  name: string,
  wanted: TimeBasedRouting,
  found: TimeBasedRouting | undefined,
): UsageError {
  return new UsageError(
    'CODEDEPLOY_CONFIG_MISMATCH',
    `CodeDeploy deployment config ${name} exists with another routing (${describeRouting(found)}) than its name says and this strategy needs (${describeRouting(wanted)}): lshift started no deployment and moved nothing.`,
    {
      hint: `Someone made ${name} by hand. Delete it (\`aws deploy delete-deployment-config --deployment-config-name ${name}\`, once no deployment uses it) and deploy again: lshift creates it as its name says. A routing someone wants kept goes under a name of their own.`,
    },
  );
}
