/**
 * Alarm names that `status` and `check` fill per function: `{function}` becomes the function's
 * name (the name part of an ARN, as deploy fills it) and `{alias}` the alias. CloudWatch bounds
 * the name it is asked about, not the template, at 255 characters
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html,
 * AlarmNames): `{function}-errors` is fine for `orders` and too long for a function of 250.
 */
import { fillAlarmName } from './alarm-name-parts.js';
import { MAX_ALARM_NAME_CHARS } from './aws-names.js';
import { echoInput, echoStart } from './echo.js';
import { UsageError } from './errors.js';
import { functionKeyOf } from './function-ref.js';

/**
 * The alarm's name for this function and alias: `{function}` and `{alias}` filled, `{{` and `}}`
 * read as a literal brace (alarm-name-parts.ts).
 */
export function expandAlarmTemplate(template: string, functionName: string, alias: string): string {
  return fillAlarmName(template, { function: functionKeyOf(functionName), alias });
}

/**
 * `{alias}` filled alone (a release's shared options, which know no function): a name still
 * holding `{function}` keeps its escapes, to be filled later; one without is the alarm's name.
 */
export function fillAlias(name: string, alias: string): string {
  return fillAlarmName(name, { alias });
}

/**
 * Why the first template that fills to a name over CloudWatch's 255 characters for this function
 * cannot be read (the name, its length, the template and the function), or undefined.
 */
export function describeOverlongAlarm(
  templates: readonly string[],
  functionName: string,
  alias: string,
  where: string,
): string | undefined {
  for (const template of templates) {
    const name = expandAlarmTemplate(template, functionName, alias);
    const length = [...name].length;
    if (length <= MAX_ALARM_NAME_CHARS) continue;
    return (
      `Alarm name \`${echoStart(name)}\` (${where} \`${echoStart(template)}\` for function ` +
      `${echoInput(functionKeyOf(functionName))}, alias ${echoInput(alias)}) is ${length} characters, longer than CloudWatch's ${MAX_ALARM_NAME_CHARS}.`
    );
  }
  return undefined;
}

export const OVERLONG_ALARM_HINT =
  'Shorten the alarm name template, or list that function’s own alarms in its `functions:` entry of the config file; `aws cloudwatch describe-alarms` lists your alarm names.';

/** Throws ALARM_NAME_INVALID (exit 2) when a template fills to a name over 255 characters. */
export function assertExpandedAlarms(
  templates: readonly string[],
  functionName: string,
  alias: string,
  where: string,
): void {
  const problem = describeOverlongAlarm(templates, functionName, alias, where);
  if (problem === undefined) return;
  throw new UsageError('ALARM_NAME_INVALID', problem, { hint: OVERLONG_ALARM_HINT });
}
