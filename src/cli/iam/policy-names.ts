// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${…} here is IAM's escape syntax, not a JS template.
/**
 * The names `lshift iam-policy` writes into ARNs. A policy must grant what lshift needs on the
 * named resources and nothing more, so a name that would act as a wildcard is refused (function
 * and alias names can never hold `*` or `?`) or escaped (alarm and CodeDeploy names may).
 */
import {
  ACCOUNT_ID,
  ALIAS_NAME,
  assertRegionName,
  FUNCTION_NAME,
  PARTITION,
  QUALIFIER,
} from '../../domain/aws-names.js';
import { UsageError } from '../../domain/errors.js';

/** A function as given: a name, a partial ARN (`<account>:function:<name>`) or a full ARN. */
export interface FunctionRef {
  name: string;
  /** From an ARN: they override --region/--account for this function. */
  partition?: string;
  region?: string;
  account?: string;
}

const PLACEHOLDER = /\{(function|alias)\}/;

/**
 * Reads a function argument (optionally qualified: the qualifier is dropped, `:*` covers it).
 * Throws FUNCTION_NAME_INVALID naming the value and the rule.
 */
export function parseFunctionRef(text: string, where: string): FunctionRef {
  const parts = text.split(':');
  const qualifierOk = (q: string | undefined) => q === undefined || QUALIFIER.test(q);
  if (parts[0] === 'arn' && (parts.length === 7 || parts.length === 8)) {
    const [, partition = '', service, region = '', account = '', resource, name = ''] = parts;
    const ok =
      PARTITION.test(partition) &&
      service === 'lambda' &&
      ACCOUNT_ID.test(account) &&
      resource === 'function' &&
      FUNCTION_NAME.test(name) &&
      qualifierOk(parts[7]);
    if (ok) {
      assertRegionName(region, `the ARN ${text}`);
      return { name, partition, region, account };
    }
  } else if (
    parts.length >= 3 &&
    parts.length <= 4 &&
    ACCOUNT_ID.test(parts[0]!) &&
    parts[1] === 'function'
  ) {
    if (FUNCTION_NAME.test(parts[2]!) && qualifierOk(parts[3]))
      return { name: parts[2]!, account: parts[0]! };
  } else if (parts.length <= 2 && FUNCTION_NAME.test(parts[0]!) && qualifierOk(parts[1])) {
    return { name: parts[0]! };
  }
  throw functionNameInvalid(text, where);
}

function functionNameInvalid(text: string, where: string): UsageError {
  if (PLACEHOLDER.test(text)) {
    return new UsageError(
      'FUNCTION_NAME_INVALID',
      `Invalid function \`${text}\` (${where}): \`{function}\` and \`{alias}\` stand for each function in --alarm and --hook, not in the function names themselves.`,
      { hint: 'Name the functions, e.g. lshift iam-policy orders payments --alarm "{function}-errors".' },
    );
  }
  return new UsageError(
    'FUNCTION_NAME_INVALID',
    `Invalid function \`${text}\` (${where}): a Lambda function name is 1–64 letters, digits, hyphens or underscores (optionally :<version or alias>), or the function's ARN, so it never holds "*" or "?"; in a policy they would be wildcards granting lshift's writes on other functions.`,
    { hint: 'Name each function exactly, e.g. lshift iam-policy orders payments.' },
  );
}

/** Throws FUNCTION_NAME_INVALID unless `alias` is an alias name (it goes into alarm and CodeDeploy names). */
export function assertAliasName(alias: string, where: string): void {
  if (ALIAS_NAME.test(alias)) return;
  throw new UsageError(
    'FUNCTION_NAME_INVALID',
    `Invalid alias \`${alias}\` (${where}): an alias name is 1–128 letters, digits, hyphens or underscores, not all digits.`,
    { hint: 'Name the alias lshift shifts, e.g. --alias live.' },
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
