/**
 * CodeDeploy's own error names (API reference, "Errors" of each action) → typed codes. Called
 * by mapAwsError before the generic rules, so a missing group is not "function not found".
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeployment.html#API_CreateDeployment_Errors
 */
import {
  ConflictError,
  isLshiftError,
  type LshiftError,
  OperationError,
  UsageError,
} from '../domain/errors.js';
import { type AwsErrorContext, contextOf, type ErrorShape } from './error-shape.js';

const INIT_HINT =
  'Create them with `lshift codedeploy init <function> --role <service-role-arn>` (or pass --application/--deployment-group naming existing ones).';

const GROUP_MISSING = new Set(['ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException']);

export function mapCodeDeployError(
  s: ErrorShape,
  ctx: AwsErrorContext,
  error: unknown,
): LshiftError | undefined {
  if (!ctx.operation.startsWith('codedeploy:')) return undefined;
  const opts = { context: contextOf(ctx), cause: error };
  const what = ctx.resource ?? 'the CodeDeploy resource';
  const aws = s.message ? ` (CodeDeploy: ${s.message})` : '';
  if (GROUP_MISSING.has(s.name)) {
    return new OperationError(
      'CODEDEPLOY_GROUP_NOT_FOUND',
      `${ctx.operation}: ${what} does not exist${aws}.`,
      {
        ...opts,
        hint: INIT_HINT,
      },
    );
  }
  if (s.name === 'DeploymentConfigDoesNotExistException') {
    return new OperationError(
      'CODEDEPLOY_CONFIG_NOT_FOUND',
      `${ctx.operation}: ${what} does not exist${aws}.`,
      opts,
    );
  }
  // A malformed id names no deployment CodeDeploy could have forgotten: lshift check and
  // rollback take CODEDEPLOY_DEPLOYMENT_NOT_FOUND as "nothing drives the alias any more".
  if (s.name === 'InvalidDeploymentIdException') {
    return new OperationError(
      'INVALID_PARAMETER',
      `${ctx.operation}: ${what} is not a valid deployment id${aws}.`,
      {
        ...opts,
        hint: 'A CodeDeploy deployment id looks like d-XXXXXXXXX (`lshift status <function>` shows the last one).',
      },
    );
  }
  if (s.name === 'DeploymentDoesNotExistException') {
    return new OperationError(
      'CODEDEPLOY_DEPLOYMENT_NOT_FOUND',
      `${ctx.operation}: ${what} does not exist${aws}.`,
      {
        ...opts,
        hint: 'Check the deployment id (`lshift status <function>` shows the last one).',
      },
    );
  }
  if (s.name === 'DeploymentTargetDoesNotExistException' || s.name === 'DeploymentNotStartedException') {
    return new OperationError(
      'CODEDEPLOY_TARGET_NOT_FOUND',
      `${ctx.operation}: ${what} does not exist${aws}.`,
      opts,
    );
  }
  if (s.name === 'AlarmsLimitExceededException') {
    return new UsageError(
      'CODEDEPLOY_TOO_MANY_ALARMS',
      `${ctx.operation}: a deployment group takes at most 10 alarms${aws}.`,
      { ...opts, hint: 'Combine alarms into a composite alarm, or give at most 10 --alarm.' },
    );
  }
  if (s.name === 'DeploymentLimitExceededException') {
    // The same exception says "The Deployment Group 'x' already has an active Deployment 'd-…'".
    if (/already has an active deployment/i.test(s.message)) {
      const active = /active deployment '([^']+)'/i.exec(s.message)?.[1];
      return new ConflictError(
        'CODEDEPLOY_DEPLOYMENT_RUNNING',
        `${ctx.operation}: a deployment is already running for ${what}; nothing was started${aws}.`,
        {
          ...opts,
          context: { ...opts.context, ...(active ? { activeDeploymentId: active } : {}) },
          hint: 'Wait for it (`lshift wait <deployment-id>`) or stop it, then deploy again.',
        },
      );
    }
    return new OperationError(
      'CODEDEPLOY_LIMIT_EXCEEDED',
      `${ctx.operation}: a CodeDeploy limit was reached${aws}.`,
      {
        ...opts,
        hint: 'See the CodeDeploy quotas; retry once other deployments have finished.',
      },
    );
  }
  return undefined;
}

/** True for the typed "does not exist" of an application, group or config. */
export function isCodeDeployMissing(error: unknown): boolean {
  return (
    isLshiftError(error) &&
    (error.code === 'CODEDEPLOY_GROUP_NOT_FOUND' || error.code === 'CODEDEPLOY_CONFIG_NOT_FOUND')
  );
}
