/**
 * `lshift status` of a deployment lshift decided to roll back while AWS CodeDeploy runs it on
 * (status-codedeploy.ts againstRollback `InProgress`), its alias routed as CodeDeploy could not
 * have left it: a person's move (a 37% split by hand at a canary's 10% step, then Ctrl-C, its
 * StopDeployment held, a second Ctrl-C). Status called that 37% "CodeDeploy … shifting traffic
 * towards version 2" (session 66's note). Judged as the follow judges a read (codedeploy-hand-move.ts
 * isCodeDeployRouting): only CodeDeploy's two versions, not below what lshift last saw it give, at
 * one of its config's steps when the config's name says them.
 */
import { codeDeployConfigNamed, codeDeployStepPercents } from '../domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { RoutingState } from '../ports/traffic-driver.js';
import { isCodeDeployRouting, percentOn } from './codedeploy-routing.js';
import { describeAliasState } from './deploy-result.js';

/**
 * Words naming a person's move of the alias under a running CodeDeploy deployment lshift decided
 * to roll back, or undefined when CodeDeploy may have written the routing (or nothing routes to
 * the new version: CodeDeploy's own rollback writes that too).
 */
export function describeHandMoveUnderRollback(
  record: Pick<DeploymentRecord, 'percent' | 'stableVersion' | 'targetVersion'>,
  alias: (RoutingState & { name: string }) | undefined,
  config: string | undefined,
): string | undefined {
  if (!alias) return undefined;
  const steps = codeDeployStepPercents(codeDeployConfigNamed(config));
  const onTarget = percentOn(alias, record.targetVersion);
  const third = routesElsewhere(alias, record);
  if (!third && onTarget <= 0.01) return undefined;
  if (isCodeDeployRouting(alias, record, record.percent, steps ? { steps } : {})) return undefined;
  const gives = steps ? `; its config ${config} gives ${steps.map((s) => `${s}%`).join(', ')}` : '';
  return `alias ${alias.name} routes ${describeAliasState(alias)}, which AWS CodeDeploy did not write (lshift last saw it give version ${record.targetVersion} ${record.percent}%${gives}): someone moved it by hand, and CodeDeploy may move the alias over that move at its next step`;
}

function routesElsewhere(
  alias: RoutingState,
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion'>,
): boolean {
  const routed = [
    alias.functionVersion,
    ...Object.keys(alias.additionalWeights).filter((v) => (alias.additionalWeights[v] ?? 0) > 0),
  ];
  return routed.some((v) => v !== record.stableVersion && v !== record.targetVersion);
}
