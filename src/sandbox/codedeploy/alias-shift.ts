/**
 * CodeDeploy shifts a Lambda deployment's traffic by updating the alias, as a user would: the
 * current version stays primary with the target as the additional version at the step's weight,
 * then the target becomes primary. Each write is a new alias revision (RevisionId changes) and
 * enters the traffic model's history at the step's simulated time.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/welcome.html#welcome-deployment-overview-lambda
 */
import { reallocateAfterAliasWrite } from '../lambda-provisioned.js';
import { own } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import type { LambdaTargetData } from './types.js';

/** Returns false when the function or alias no longer exists. */
export function setTargetWeight(sb: Sandbox, target: LambdaTargetData, weight: number, at: number): boolean {
  const fn = own(sb.data.functions, target.functionName);
  const alias = fn ? own(fn.aliases, target.alias) : undefined;
  if (!fn || !alias) return false;
  const version = weight >= 1 ? target.targetVersion : target.currentVersion;
  const weights: Record<string, number> = weight > 0 && weight < 1 ? { [target.targetVersion]: weight } : {};
  const changed =
    alias.functionVersion !== version || JSON.stringify(alias.weights) !== JSON.stringify(weights);
  target.weight = weight;
  target.lastUpdatedMs = at;
  if (!changed) return true;
  alias.functionVersion = version;
  alias.weights = weights;
  alias.revisionId = sb.nextId();
  fn.history.push({ at, kind: 'alias', alias: alias.name, version, weights: { ...weights } });
  reallocateAfterAliasWrite(sb, fn, alias.name);
  sb.markDirty();
  return true;
}

/** Why a deployment cannot start on this alias, or undefined when it can. */
export function targetProblem(
  sb: Sandbox,
  target: LambdaTargetData,
): { code: string; message: string } | undefined {
  const fn = own(sb.data.functions, target.functionName);
  if (!fn) {
    return {
      code: 'INVALID_LAMBDA_FUNCTION',
      message: `The Lambda function ${target.functionName} does not exist.`,
    };
  }
  const alias = own(fn.aliases, target.alias);
  if (!alias) {
    return {
      code: 'INVALID_LAMBDA_CONFIGURATION',
      message: `The alias ${target.alias} of Lambda function ${fn.name} does not exist.`,
    };
  }
  for (const version of [target.currentVersion, target.targetVersion]) {
    if (!own(fn.versions, version)) {
      return {
        code: 'INVALID_LAMBDA_CONFIGURATION',
        message: `Version ${version} of Lambda function ${fn.name} does not exist.`,
      };
    }
  }
  if (target.currentVersion === target.targetVersion) {
    return {
      code: 'INVALID_LAMBDA_CONFIGURATION',
      message: `The AppSpec's CurrentVersion and TargetVersion are both ${target.currentVersion}.`,
    };
  }
  if (alias.functionVersion !== target.currentVersion || Object.keys(alias.weights).length > 0) {
    return {
      code: 'INVALID_LAMBDA_CONFIGURATION',
      message: `The alias ${target.alias} does not point to the AppSpec's CurrentVersion ${target.currentVersion} alone (it routes to version ${alias.functionVersion}${Object.keys(alias.weights).length > 0 ? ' with additional version weights' : ''}).`,
    };
  }
  return undefined;
}
