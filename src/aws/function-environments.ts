/**
 * Every Lambda answer that carries a function's environment (GetFunctionConfiguration,
 * GetFunction, ListVersionsByFunction, UpdateFunctionCode, PublishVersion…) hands its values to
 * the process's KnownSecrets, so a hook that prints them (`aws lambda get-function-configuration
 * --output text`, a smoke test echoing its config) shows `***` (docs/hooks.md, "Secrets in hook
 * output"). One middleware on the client: no call site can forget it. The values go nowhere else.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { KnownSecrets } from '../domain/output-secrets.js';

export function rememberFunctionEnvironments(client: LambdaClient, known: KnownSecrets): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      known.add(environmentValuesIn(result.output));
      return result;
    },
    { step: 'initialize', name: 'lshiftRememberFunctionEnvironments' },
  );
}

/** The values of every `Environment.Variables` in an answer, a few levels deep (a listing's versions). */
export function environmentValuesIn(output: unknown, depth = 0): string[] {
  if (depth > 3 || output === null || typeof output !== 'object') return [];
  if (Array.isArray(output)) return output.flatMap((item) => environmentValuesIn(item, depth + 1));
  const values: string[] = [];
  for (const [key, value] of Object.entries(output)) {
    const variables =
      key === 'Environment' ? (value as { Variables?: unknown } | undefined)?.Variables : undefined;
    if (variables !== null && typeof variables === 'object') {
      for (const v of Object.values(variables)) if (typeof v === 'string') values.push(v);
    } else if (typeof value === 'object') values.push(...environmentValuesIn(value, depth + 1));
  }
  return values;
}
