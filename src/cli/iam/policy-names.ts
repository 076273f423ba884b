// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is IAM's escape syntax, not a JS template.
/**
 * The names `lshift iam-policy` writes into ARNs. A policy must grant what lshift needs on the
 * named resources and nothing more, so a name that would act as a wildcard is refused (function
 * and alias names can never hold `*` or `?`) or escaped (alarm and CodeDeploy names may).
 */

import { assertRegionName } from '../../domain/aws-names.js';
import { echoInput } from '../../domain/echo.js';
import { UsageError } from '../../domain/errors.js';
import { type FunctionRef, parseFunctionRef as parseAnyFunctionRef } from '../../domain/function-ref.js';

/** A function as given: a name, a partial ARN (`<account>:function:<name>`) or a full ARN. */
export type { FunctionRef } from '../../domain/function-ref.js';

const PLACEHOLDER = /\{(function|alias)\}/;

/**
 * Reads a function argument (optionally qualified: the qualifier is dropped, `:*` covers it).
 * Throws FUNCTION_INVALID (as every function argument: src/cli/function-args.ts) naming the value and the rule.
 */
export function parseFunctionRef(text: string, where: string): FunctionRef {
  const ref = parseAnyFunctionRef(text);
  if (!ref) throw functionNameInvalid(text, where);
  if (ref.region !== undefined) assertRegionName(ref.region, `the ARN ${echoInput(text)}`);
  return ref;
}

function functionNameInvalid(text: string, where: string): UsageError {
  if (PLACEHOLDER.test(text)) {
    return new UsageError(
      'FUNCTION_INVALID',
      `Invalid function \`${echoInput(text)}\` (${where}): \`{function}\` and \`{alias}\` stand for each function in --alarm and --hook, not in the function names themselves.`,
      { hint: 'Name the functions, e.g. lshift iam-policy orders payments --alarm "{function}-errors".' },
    );
  }
  return new UsageError(
    'FUNCTION_INVALID',
    `Invalid function \`${echoInput(text)}\` (${where}): a Lambda function name is 1–64 letters, digits, hyphens or underscores (optionally :<version or alias>), or the function's ARN, so it never holds "*" or "?"; in a policy they would be wildcards granting lshift's writes on other functions.`,
    { hint: 'Name each function exactly, e.g. lshift iam-policy orders payments.' },
  );
}

/**
 * A name as a literal in an IAM resource ARN. `*` and `?` are wildcards there and `${…}` a
 * policy variable, so they are written as IAM's fixed-value variables `${*}`, `${?}`, `${$}`
 * ("Special characters" in https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html;
 * also cited by https://docs.aws.amazon.com/iot/latest/developerguide/iot-policy-variables.html).
 * One pass, so the `$` of an inserted escape is never escaped again.
 */
export function arnLiteral(name: string): string {
  return name.replace(/[*?$]/g, (c) => `\${${c}}`);
}
