/**
 * A function as users name it. Lambda's FunctionName takes three spellings of one function: its
 * name (`orders`), its ARN (`arn:aws:lambda:us-east-1:123456789012:function:orders`) and a partial
 * ARN (`123456789012:function:orders`); each may end in `:<qualifier>` (a version or an alias).
 * Pure: the CLI decides what a qualifier or a bad spelling means for a command.
 */

import { ACCOUNT_ID, FUNCTION_NAME, PARTITION, QUALIFIER, REGION_NAME } from './aws-names.js';

export interface FunctionRef {
  /** The text as given. */
  text: string;
  /** The function-name part: two spellings of one function share it. */
  name: string;
  /** `:live`, `:7`, `:$LATEST` at the end, when there is one. */
  qualifier?: string;
  /** The text without its qualifier: what Lambda takes as the unqualified function. */
  unqualified: string;
  /** What an ARN says (a partial ARN: the account): it overrides the command's region and account. */
  partition?: string;
  region?: string;
  account?: string;
}

/** Reads a function name, ARN or partial ARN; undefined when the text is none of them. */
export function parseFunctionRef(text: string): FunctionRef | undefined {
  const parts = text.split(':');
  const [head] = parts;
  if (head === 'arn') return fromParts(text, parts, 7, isFullArnPrefix);
  if (parts.length >= 3 && ACCOUNT_ID.test(head!)) return fromParts(text, parts, 3, isPartialArnPrefix);
  return fromParts(text, parts, 1, () => true);
}

/**
 * The key that tells functions apart: the function-name part. Spellings that do not read as a
 * function keep their text, so they never collide with a real one.
 */
export function functionKeyOf(text: string): string {
  return parseFunctionRef(text)?.name ?? text;
}

/**
 * The region a function ARN names when it is not `region`, the one its calls go to. Lambda
 * reaches a function only in the region it is called in; a name or a partial ARN has no region
 * of its own (it goes where the call goes), so it never differs.
 */
export function foreignRegionOf(text: string, region: string): string | undefined {
  const named = parseFunctionRef(text)?.region;
  return named !== undefined && named !== region ? named : undefined;
}

function fromParts(
  text: string,
  parts: string[],
  length: number,
  prefixOk: (prefix: string[]) => boolean,
): FunctionRef | undefined {
  if (parts.length !== length && parts.length !== length + 1) return undefined;
  const name = parts[length - 1]!;
  const qualifier = parts[length];
  if (!prefixOk(parts.slice(0, length - 1)) || !FUNCTION_NAME.test(name)) return undefined;
  if (qualifier !== undefined && !QUALIFIER.test(qualifier)) return undefined;
  const unqualified = parts.slice(0, length).join(':');
  return {
    text,
    name,
    unqualified,
    ...(qualifier === undefined ? {} : { qualifier }),
    ...whereOf(parts, length),
  };
}

/** The partition, region and account an ARN (7 parts before the qualifier) or a partial ARN (3) names. */
function whereOf(parts: string[], length: number): Pick<FunctionRef, 'partition' | 'region' | 'account'> {
  if (length === 7) return { partition: parts[1]!, region: parts[3]!, account: parts[4]! };
  return length === 3 ? { account: parts[0]! } : {};
}

// arn:<partition>:lambda:<region>:<account>:function
function isFullArnPrefix([
  ,
  partition = '',
  service,
  region = '',
  account = '',
  resource,
]: string[]): boolean {
  return (
    PARTITION.test(partition) &&
    service === 'lambda' &&
    REGION_NAME.test(region) &&
    ACCOUNT_ID.test(account) &&
    resource === 'function'
  );
}

// <account>:function
function isPartialArnPrefix([, resource]: string[]): boolean {
  return resource === 'function';
}
