/**
 * Where the deployment record lives (issue 6): a tag on the function keyed by alias, so any
 * machine can see, resume or roll back a deployment. See src/domain/deployment-record.ts.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { RequestUrgency } from './lambda.js';

export interface StoreWriteOptions extends RequestUrgency {
  /**
   * Write the record's runner token (`rn=`, src/domain/record-seal.ts): only its own runner
   * (deployment-recorder.ts) and a copy of the record as read (an operator command, its
   * withdrawal) may. Without it the token is left out: any other writer's record is not that run's.
   */
  keepRunnerToken?: boolean;
  /**
   * The seal (src/domain/record-seal.ts): `also` writes the record as the alias's seal too, in the
   * same request; `only` writes the seal alone (a close of a record that may still land).
   */
  seal?: 'also' | 'only';
}

export interface StateStore {
  /**
   * The record of the alias: the record tag's, or its seal when that tag holds an older record of
   * the run that sealed it (a late write: record-seal.ts resolveSealed).
   */
  read(functionName: string, alias: string, opts?: RequestUrgency): Promise<DeploymentRecord | undefined>;
  write(
    functionName: string,
    alias: string,
    record: DeploymentRecord,
    opts?: StoreWriteOptions,
  ): Promise<void>;
}
