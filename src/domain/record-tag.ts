/**
 * Where the deployment record lives: the Lambda tag `lshift:<alias>` on the function, whose value
 * holds at most 256 characters (https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html),
 * and the command that deletes it by hand.
 */
import { UsageError } from './errors.js';
import { MAX_TAG_KEY_LENGTH } from './tag-key.js';

export const RECORD_TAG_PREFIX = 'lshift:';
export const RECORD_FORMAT_VERSION = 'v1';
export const MAX_TAG_VALUE_LENGTH = 256;

/**
 * The version number a record's size check counts for a version not published yet (its number is
 * unknown): above every existing one, with one more digit than the alias's versions, for the ones
 * published meanwhile. The deploy's check before its publish and `lshift plan` both count it, so
 * plan never passes a strategy that deploy refuses for one character (found by a docs pass).
 */
export function unpublishedVersionForSize(...versions: readonly string[]): string {
  return '9'.repeat(Math.max(...versions.map((v) => v.length)) + 1);
}

export function recordTagKey(alias: string): string {
  const key = RECORD_TAG_PREFIX + alias;
  if (key.length > MAX_TAG_KEY_LENGTH) {
    throw new UsageError(
      'ALIAS_TOO_LONG',
      `Alias \`${alias}\` is too long to name the deployment record tag`,
      {
        hint: `Tag keys hold at most ${MAX_TAG_KEY_LENGTH} characters; use an alias of at most ${MAX_TAG_KEY_LENGTH - RECORD_TAG_PREFIX.length} characters.`,
        context: { alias },
      },
    );
  }
  return key;
}

/**
 * The shell command that deletes the record tag. UntagResource wants the unqualified function
 * ARN (https://docs.aws.amazon.com/lambda/latest/api/API_UntagResource.html), so it looks it up.
 */
export function describeClearRecordCommand(
  functionName: string | undefined,
  alias: string | undefined,
): string {
  const fn = functionName ?? '<function>';
  const arn = `$(aws lambda get-function --function-name ${fn} --query Configuration.FunctionArn --output text)`;
  return `aws lambda untag-resource --resource ${arn} --tag-keys ${RECORD_TAG_PREFIX}${alias ?? '<alias>'}`;
}
