/**
 * CodeDeploy over awsJson1_1: `POST /`, `x-amz-target: CodeDeploy_20141006.<Operation>`,
 * JSON bodies with camelCase members, timestamps as epoch seconds.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/CommonParameters.html
 */
import { own } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { createApplication, getApplication } from './applications.js';
import { createDeploymentConfig, deleteDeploymentConfig, getDeploymentConfig } from './configs.js';
import { deleteApplication, deleteDeploymentGroup } from './deletions.js';
import {
  batchGetDeployments,
  createDeployment,
  getDeployment,
  listDeployments,
  stopDeployment,
} from './deployments.js';
import { codeDeployErrors } from './errors.js';
import { createDeploymentGroup, getDeploymentGroup, updateDeploymentGroup } from './groups.js';
import { putLifecycleEventHookExecutionStatus } from './hooks.js';
import type { Input } from './input.js';
import { getDeploymentTarget, listDeploymentTargets } from './targets.js';

export const CODEDEPLOY_TARGET_PREFIX = 'CodeDeploy_20141006.';

type Handler = (sb: Sandbox, input: Input) => Input;

const HANDLERS: Record<string, Handler> = {
  CreateApplication: createApplication,
  GetApplication: getApplication,
  DeleteApplication: deleteApplication,
  CreateDeploymentGroup: createDeploymentGroup,
  GetDeploymentGroup: getDeploymentGroup,
  UpdateDeploymentGroup: updateDeploymentGroup,
  DeleteDeploymentGroup: deleteDeploymentGroup,
  CreateDeploymentConfig: createDeploymentConfig,
  GetDeploymentConfig: getDeploymentConfig,
  DeleteDeploymentConfig: deleteDeploymentConfig,
  CreateDeployment: createDeployment,
  GetDeployment: getDeployment,
  BatchGetDeployments: batchGetDeployments,
  ListDeployments: listDeployments,
  StopDeployment: stopDeployment,
  PutLifecycleEventHookExecutionStatus: putLifecycleEventHookExecutionStatus,
  ListDeploymentTargets: listDeploymentTargets,
  GetDeploymentTarget: getDeploymentTarget,
};

/** Every operation name of this service the sandbox answers (a hold's `only` is checked against them). */
export const CODEDEPLOY_OPERATIONS: readonly string[] = Object.keys(HANDLERS);

export function isCodeDeployTarget(target: unknown): boolean {
  return typeof target === 'string' && target.startsWith(CODEDEPLOY_TARGET_PREFIX);
}

export function codeDeployOperation(target: string): string {
  return target.slice(CODEDEPLOY_TARGET_PREFIX.length);
}

export function handleCodeDeploy(sb: Sandbox, operation: string, body: Buffer): Input {
  const handler = own(HANDLERS, operation);
  if (!handler) {
    throw codeDeployErrors.unknownOperation(
      `The sandbox does not implement the CodeDeploy operation ${operation || '(none)'}; it supports ${Object.keys(HANDLERS).join(', ')}.`,
    );
  }
  let input: unknown = {};
  if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw codeDeployErrors.badJson();
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw codeDeployErrors.badJson();
  return handler(sb, input as Input);
}
