/**
 * Every Lambda answer that carries a function's environment (GetFunctionConfiguration,
 * GetFunction, ListVersionsByFunction, UpdateFunctionCode, PublishVersion…) hands its values to
 * the process's KnownSecrets, so a hook that prints them (`aws lambda get-function-configuration
 * --output text`, a smoke test echoing its config) shows `***` (docs/hooks.md, "Secrets in hook
 * output"). One middleware on the client: no call site can forget it. The values go nowhere else.
 * The names the same calls carry (the function, its ARN, the alias, a version, the client's region)
 * are spared: a value equal to one of them is lshift's own identifier, printed everywhere, and is
 * never masked (KnownSecrets.spare).
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { KnownSecrets } from '../domain/output-secrets.js';

export function rememberFunctionEnvironments(
  client: LambdaClient,
  known: KnownSecrets,
  region?: string,
): void {
  known.spare([region]);
  client.middlewareStack.add(
    (next) => async (args) => {
      known.spare(identifiersIn(args.input));
      const result = await next(args);
      known.spare(identifiersIn(result.output));
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

/** The members of a Lambda request or answer that name a function, an alias or a version. */
const IDENTIFIER_KEYS = new Set([
  'FunctionName',
  'FunctionArn',
  'Qualifier',
  'Name',
  'AliasArn',
  'Version',
  'FunctionVersion',
]);

/** The identifiers in a request or an answer, a few levels deep (a listing's aliases), never an environment's. */
export function identifiersIn(data: unknown, depth = 0): string[] {
  if (depth > 3 || data === null || typeof data !== 'object') return [];
  if (Array.isArray(data)) return data.flatMap((item) => identifiersIn(item, depth + 1));
  const ids: string[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (key === 'Environment') continue;
    if (typeof value === 'string' && IDENTIFIER_KEYS.has(key)) ids.push(value);
    else if (typeof value === 'object') ids.push(...identifiersIn(value, depth + 1));
  }
  return ids;
}
