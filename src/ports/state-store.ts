/**
 * Where the deployment record lives (issue 6): a tag on the function keyed by alias, so any
 * machine can see, resume or roll back a deployment. See src/domain/deployment-record.ts.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { RequestUrgency } from './lambda.js';

export interface StateStore {
  read(functionName: string, alias: string, opts?: RequestUrgency): Promise<DeploymentRecord | undefined>;
  write(functionName: string, alias: string, record: DeploymentRecord, opts?: RequestUrgency): Promise<void>;
}
