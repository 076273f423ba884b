/**
 * Shapes of AWS names that lshift checks before using them: a value outside these shapes either
 * cannot exist in AWS or, inside an IAM ARN, would act as a wildcard.
 */
import { fillAlarmName, hasAlarmPlaceholder, parseAlarmName } from './alarm-name-parts.js';
import { echoInput, echoStart } from './echo.js';
import { UsageError } from './errors.js';
import { describeUnprintable } from './printable.js';

/**
 * A Lambda function name: 1–64 letters, digits, hyphens or underscores (the name part of the
 * FunctionName pattern in https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html).
 * So `*` and `?` never name a function.
 */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** An alias name (API_CreateAlias: `(?!^[0-9]+$)([a-zA-Z0-9-_]+)`, at most 128), or a version, or $LATEST. */
export const QUALIFIER = /^(\$LATEST|[A-Za-z0-9_-]{1,128})$/;

/** An alias name: not all digits (that would be a version). */
export const ALIAS_NAME = /^(?![0-9]+$)[A-Za-z0-9_-]{1,128}$/;

/**
 * Throws ALIAS_INVALID unless `alias` is an alias name. An empty `--alias ""` read as
 * `demo:` everywhere: status showed "all traffic on version " and a dry run "passed".
 */
export function assertAliasName(
  alias: string,
  where: string,
  hint = 'Name the alias lshift shifts, e.g. --alias live.',
): void {
  if (ALIAS_NAME.test(alias)) return;
  throw new UsageError(
    'ALIAS_INVALID',
    `Invalid alias \`${echoInput(alias)}\` (${where}): an alias name is 1–128 letters, digits, hyphens or underscores, not all digits.`,
    { hint },
  );
}

/** CloudWatch's bound on an alarm name (API_PutMetricAlarm: AlarmName, 1–255 characters). */
export const MAX_ALARM_NAME_CHARS = 255;

/**
 * What is wrong with the braces of an alarm name, or undefined: a placeholder-shaped `{…}` other
 * than `{function}` and `{alias}` (`has an unknown placeholder \`{nope}\``), or a lone `{` or `}`
 * (`has a \`{\` that is part of no placeholder (character 12)`); `{{` and `}}` are a literal brace
 * (alarm-name-parts.ts). One rule for every command that takes alarm names (deploy, check,
 * status, iam-policy, the config file): `--alarm '{function}-{nope}'` was read as an alarm
 * literally named `orders-{nope}`, and `{function}-{` and `demo-}` as names no one meant (found by
 * hostile passes). CloudWatch alarm names may hold braces (any UTF-8 but ASCII control
 * characters, 1–255: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
 * AlarmName), but a lone brace in a name lshift fills is far likelier a typo than part of a real
 * name: a real one is written doubled. Until 4 December 2026 there was no escape, and an alarm
 * whose name held a brace could not be watched by name.
 */
export function describeBraceProblem(name: string): string | undefined {
  const parsed = parseAlarmName(name);
  if (Array.isArray(parsed)) return undefined;
  if (parsed.kind === 'unknown-placeholder')
    return `has an unknown placeholder \`${echoInput(parsed.text)}\``;
  const at = Array.from(name.slice(0, parsed.index)).length + 1;
  return `has a \`${parsed.text}\` that is part of no placeholder (character ${at})`;
}

const PLACEHOLDER_RULE =
  'lshift fills only `{function}` (each function’s name) and `{alias}` (its alias), reads `{{` and `}}` as a literal `{` and `}`, and takes no other `{` or `}`';
const PLACEHOLDER_HINT =
  'Write `{function}` or `{alias}` with one brace on each side (`{function}-errors`), or write the alarm’s name out; double a brace that is part of the alarm’s own name (`team{{a}}-errors` watches the alarm `team{a}-errors`). `aws cloudwatch describe-alarms` lists your alarm names.';

/**
 * Throws ALARM_NAME_INVALID for a blank or over-long alarm name, before any AWS call: `--alarm ''`
 * read as "alarm not found: ." and "alarm  no longer exists". `where` names the source
 * (`--alarm`, the config file's `alarms`).
 */
export function assertAlarmNames(
  names: readonly string[],
  where: string,
  options: {
    /**
     * The names are templates filled per function (`status`, `check`): one with `{function}` or
     * `{alias}` has its length checked once filled (alarm-templates.ts), not as typed.
     */
    templates?: boolean;
  } = {},
): void {
  for (const [i, name] of names.entries()) {
    const which = names.length === 1 ? where : `${where}, entry ${i + 1}`;
    if (name.trim() === '') {
      throw new UsageError(
        'ALARM_NAME_INVALID',
        `An alarm name is ${name === '' ? 'empty' : 'blank'} (${which}): there is no alarm to watch by that name.`,
        { hint: BLANK_ALARM_HINT },
      );
    }
    const filledLater = options.templates === true && hasAlarmPlaceholder(name);
    // Measured as CloudWatch is asked about it: `{{` is one character of the alarm's name.
    const asked = fillAlarmName(name, {});
    const length = [...asked].length;
    if (!filledLater && length > MAX_ALARM_NAME_CHARS) {
      const counted = asked === name ? '' : ' as CloudWatch counts them (`{{` and `}}` are one each)';
      throw new UsageError(
        'ALARM_NAME_INVALID',
        `Alarm name \`${echoStart(name)}\` (${which}) is ${length} characters${counted}, longer than CloudWatch's ${MAX_ALARM_NAME_CHARS}.`,
        { hint: LONG_ALARM_HINT },
      );
    }
    const unprintable = describeUnprintable(name);
    if (unprintable !== undefined) {
      throw new UsageError(
        'ALARM_NAME_INVALID',
        `Alarm name \`${echoInput(name)}\` (${which}) contains a control character (${unprintable}): ${PRINTABLE_ALARM_RULE}.`,
        { hint: UNPRINTABLE_ALARM_HINT },
      );
    }
    const braces = describeBraceProblem(name);
    if (braces !== undefined) {
      throw new UsageError(
        'ALARM_NAME_INVALID',
        `Alarm name \`${echoInput(name)}\` (${which}) ${braces}: ${PLACEHOLDER_RULE}.`,
        { hint: PLACEHOLDER_HINT },
      );
    }
  }
}

/**
 * CloudWatch alarm names are 1–255 printable characters (no control characters:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html,
 * AlarmName). lshift also refuses the line separators and bidirectional controls printable.ts
 * never prints: a name that cannot be shown as it is cannot be told apart in the output.
 */
const PRINTABLE_ALARM_RULE = 'CloudWatch alarm names are 1–255 printable characters';
const UNPRINTABLE_ALARM_HINT =
  'Remove the character (a newline from a YAML block scalar, an escape pasted from a terminal); `aws cloudwatch describe-alarms` lists your alarm names.';

const BLANK_ALARM_HINT = 'Name a CloudWatch alarm (e.g. orders-errors), or remove the empty one.';
const LONG_ALARM_HINT = 'Check the name; `aws cloudwatch describe-alarms` lists yours.';

/**
 * As assertAlarmNames, for a list at a path of a file: the message starts with `place`
 * (`Config file x.yaml: functions[1] (billing)`) and names the item by its index there (`alarms[0]`)
 * and as it is written there, `{function}` and `{alias}` unfilled.
 */
export function assertAlarmNamesAt(
  names: readonly string[],
  place: string,
  key: string,
  options: {
    /**
     * The name CloudWatch is asked about, placeholders filled (its length is what counts), or
     * undefined while it is not known (an `{alias}` a command fills later). Default: as written.
     */
    fill?: (name: string) => string | undefined;
  } = {},
): void {
  for (const [i, name] of names.entries()) {
    const unprintable = describeUnprintable(name);
    const filled = options.fill ? options.fill(name) : fillAlarmName(name, {});
    const length = filled === undefined ? 0 : [...filled].length;
    const braces = describeBraceProblem(name);
    const [problem, hint] =
      name.trim() === ''
        ? [`is ${name === '' ? 'empty' : 'blank'}: there is no alarm to watch by that name`, BLANK_ALARM_HINT]
        : length > MAX_ALARM_NAME_CHARS
          ? [
              filled === name
                ? `(\`${echoStart(name)}\`) is ${length} characters, longer than CloudWatch's ${MAX_ALARM_NAME_CHARS}`
                : `(\`${echoStart(name)}\`) is \`${echoStart(filled ?? '')}\` once filled, ${length} characters, longer than CloudWatch's ${MAX_ALARM_NAME_CHARS}`,
              LONG_ALARM_HINT,
            ]
          : unprintable !== undefined
            ? [
                `contains a control character (${unprintable}): \`${echoInput(name)}\`; ${PRINTABLE_ALARM_RULE}`,
                UNPRINTABLE_ALARM_HINT,
              ]
            : braces !== undefined
              ? [`${braces}: \`${echoInput(name)}\`; ${PLACEHOLDER_RULE}`, PLACEHOLDER_HINT]
              : [undefined, undefined];
    if (problem === undefined) continue;
    throw new UsageError('ALARM_NAME_INVALID', `${place}: ${key}[${i}] ${problem}.`, { hint });
  }
}

/**
 * CodeDeploy application and deployment group names: 1–100 characters, the only constraint the
 * API states (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateApplication.html,
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentGroup.html).
 * lshift also refuses a blank name (`--deployment-group ' '`, an unset CI variable in quotes:
 * no one names a group with spaces only, and it read as a group "not found" after AWS calls)
 * and control characters, which would reach terminals and CI logs in every message naming it.
 */
export const MAX_CODEDEPLOY_NAME_CHARS = 100;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with a CodeDeploy application or deployment group name, or undefined. */
export function codeDeployNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > MAX_CODEDEPLOY_NAME_CHARS) {
    return `is ${name.length} characters; CodeDeploy takes at most ${MAX_CODEDEPLOY_NAME_CHARS}`;
  }
  if (CONTROL.test(name)) return 'holds a control character';
  if (name.trim() === '') return 'is blank';
  return undefined;
}

export const ACCOUNT_ID = /^\d{12}$/;

export const PARTITION = /^aws(-[a-z]+)*$/;

/**
 * A region name such as `us-east-1`, `us-gov-west-1`, `cn-north-1` or `eusc-de-east-1`:
 * a 2–4 letter prefix, one or more words, a number.
 */
export const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d+$/;

export function isRegionName(text: string): boolean {
  return REGION_NAME.test(text);
}

/**
 * Throws REGION_INVALID (exit 2) unless `value` is a region name. `source` says where it came
 * from (`--region`, `AWS_REGION`, the profile …), so the user knows what to fix.
 */
export function assertRegionName(value: string, source: string): void {
  if (isRegionName(value)) return;
  throw new UsageError(
    'REGION_INVALID',
    `Invalid AWS region \`${echoInput(value)}\` (from ${source}): a region name looks like us-east-1 or eu-west-2.`,
    {
      hint: `Set ${source} to a region name such as us-east-1.`,
    },
  );
}
