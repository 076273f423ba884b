/**
 * The config file's `functions:` entries, checked when the file is loaded, so every command (not
 * only a release) refuses a list it would misread: a name Lambda would refuse or one with a
 * qualifier, a function listed twice (which entry's alias would `check` or `status` use?), a bad
 * alias or a blank alarm. Each error names the file, the entry's place and its function.
 */
import { hasAlarmPlaceholder } from '../domain/alarm-name-parts.js';
import { expandAlarmTemplate } from '../domain/alarm-templates.js';
import { assertAlarmNamesAt, assertAliasName } from '../domain/aws-names.js';
import { UsageError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import { checkFunctionName } from './function-args.js';
import type { LshiftConfig } from './option-schema.js';

const QUALIFIER_HINT =
  'An entry `{ name: …, alias: …, version: … }` sets a function’s own alias and version.';

export function checkConfigFunctions(path: string, config: LshiftConfig): void {
  const seen = new Map<string, number>();
  for (const [i, entry] of (config.functions ?? []).entries()) {
    const name = typeof entry === 'string' ? entry : entry.name;
    const at = `functions[${i}]`;
    checkFunctionName(name, {
      where: 'config',
      qualifierHint: QUALIFIER_HINT,
      label: `Config file ${path}: ${at}`,
    });
    const key = functionKeyOf(name);
    const place = `Config file ${path}: ${at} (${key})`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new UsageError(
        'FUNCTION_NAMED_TWICE',
        `${place} lists the function of functions[${first}] again.`,
        {
          hint: 'List each function once, in one spelling (its name, ARN and partial ARN are one function); its one entry holds its alias, alarms and hooks.',
          context: { functionName: key },
        },
      );
    }
    seen.set(key, i);
    if (typeof entry === 'string') continue;
    if (entry.alias !== undefined) assertAliasName(entry.alias, `${path}: ${at} (${key}): alias`);
    if (entry.alarms !== undefined) checkEntryAlarms(entry.alarms, key, entry.alias, place);
  }
}

/**
 * An entry's alarm names, measured as CloudWatch sees them: `{function}` is this entry's function
 * and `{alias}` its own alias (status and check fill them so), not 10 or 7 characters of template.
 * Without an alias of its own the entry's alias is chosen when a command runs (--alias, the
 * top-level `alias`): such a name is measured then, once filled (alarm-templates.ts).
 */
function checkEntryAlarms(
  alarms: readonly string[],
  key: string,
  alias: string | undefined,
  place: string,
): void {
  // Named as written (`{function}-{nope}`, not `billing-{nope}`), measured once filled.
  assertAlarmNamesAt(alarms, place, 'alarms', {
    fill: (alarm) =>
      alias === undefined && hasAlarmPlaceholder(alarm, 'alias')
        ? undefined
        : expandAlarmTemplate(alarm, key, alias ?? ''),
  });
}
