/**
 * The one KnownSecrets of this process: the Lambda client adds every function environment value
 * it reads (src/aws/function-environments.ts); hook runners and the error report mask them
 * (docs/hooks.md, "Secrets in hook output"). One per process, as the values are the same for
 * every command a process runs and an error may be reported after its runtime is gone.
 * The names a command gives lshift are spared: a value equal to one is never masked.
 */
import { KnownSecrets } from '../domain/output-secrets.js';
import type { CodeChoice } from './code-choice.js';
import type { DeployOptions } from './deploy-options.js';

export const functionSecrets = new KnownSecrets();

/**
 * A deploy's own names (the function, its alias, its alarms, CodeDeploy's application and group, its
 * code source: a zip's path, an S3 bucket and key, an image URI; a release's id): printed in every hint, so never masked even when the function's environment
 * holds one (`STAGE=production` for alias `production`, `SERVICE_NAME=orders-service`).
 */
export function spareDeployNames(
  functionName: string,
  options: Pick<DeployOptions, 'alias' | 'alarms' | 'engine'> & { code?: CodeChoice },
  releaseId?: string,
): void {
  const engine = options.engine.kind === 'codedeploy' ? options.engine : undefined;
  functionSecrets.spare([
    functionName,
    options.alias,
    ...options.alarms,
    engine?.application,
    engine?.group,
    ...codeNames(options.code),
    releaseId,
  ]);
}

function codeNames(code: CodeChoice | undefined): string[] {
  switch (code?.kind) {
    case 'zip':
      return [code.path];
    case 's3':
      return [code.bucket, code.key, `s3://${code.bucket}/${code.key}`];
    case 'image':
      return [code.imageUri];
    default:
      return [];
  }
}
