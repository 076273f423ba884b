/**
 * The one KnownSecrets of this process: the Lambda client adds every function environment value
 * it reads (src/aws/function-environments.ts); hook runners and the error report mask them
 * (docs/hooks.md, "Secrets in hook output"). One per process, as the values are the same for
 * every command a process runs and an error may be reported after its runtime is gone.
 */
import { KnownSecrets } from '../domain/output-secrets.js';

export const functionSecrets = new KnownSecrets();
