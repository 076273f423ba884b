import { UsageError } from './errors.js';

export const NATIVE_HINT = 'Use the native engine (drop --engine codedeploy), which runs it.';

/** What AWS CodeDeploy cannot express, refused before anything is written, naming the native engine. */
export function refuseForCodeDeploy(what: string, hint = NATIVE_HINT): UsageError {
  return new UsageError('ENGINE_CANNOT_RUN', `CodeDeploy cannot run ${what}.`, { hint });
}
