/**
 * The operations the sandbox answers, and the one check of a name a caller gives: a hold's
 * `only`/`after`, a release's `only` (control.ts) and an API fault's `operations` (scenario
 * files and POST /__lshift/faults). A name nothing would ever match was taken without a word —
 * a hold that held nothing, a fault on `UpdateAlais` that never fired (found by hostile passes).
 */
import { distance } from 'fastest-levenshtein';
import { CLOUDWATCH_OPERATIONS } from './cloudwatch-router.js';
import { CODEDEPLOY_OPERATIONS } from './codedeploy/router.js';
import { LAMBDA_OPERATIONS } from './lambda-router.js';

export const OPERATIONS_BY_SERVICE = {
  lambda: LAMBDA_OPERATIONS,
  cloudwatch: CLOUDWATCH_OPERATIONS,
  codedeploy: CODEDEPLOY_OPERATIONS,
} as const;

export type SandboxService = keyof typeof OPERATIONS_BY_SERVICE;

const ALL_OPERATIONS: readonly string[] = [
  ...LAMBDA_OPERATIONS,
  ...CLOUDWATCH_OPERATIONS,
  ...CODEDEPLOY_OPERATIONS,
];

/**
 * Why `name` matches no request of `service` (any service when absent), to follow the field's
 * name (`names "UpdateAlais", which is …`), or undefined when it is one the sandbox answers.
 */
export function operationProblem(name: string, service?: SandboxService): string | undefined {
  const known = service ? OPERATIONS_BY_SERVICE[service] : ALL_OPERATIONS;
  if (known.includes(name)) return undefined;
  const quoted = JSON.stringify(name.slice(0, 80));
  if (service && ALL_OPERATIONS.includes(name)) {
    return `names ${quoted}, which is no ${service} operation (the fault's \`service\` is ${service})`;
  }
  const near = closest(name, known);
  // The list (60-odd names) only when no name is close: a typo needs the one it meant.
  return `names ${quoted}, which is no operation the sandbox answers${near ? `: did you mean ${near}?` : `; it answers ${known.join(', ')}`}`;
}

/** A name one or two edits away (`UpdateAlais` → UpdateAlias), or undefined. */
export function closest(typed: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = distance(typed.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= 2 ? best.name : undefined;
}
