/** A check's settings per function, and its usage errors before any AWS call (check.ts). */
import { UsageError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import { checkStaleAfter } from '../domain/poll-interval.js';
import { recordTagKey } from '../domain/record-tag.js';
import type { CheckRequest } from './check-types.js';

/** The alias and alarms one function is checked on: its own, else the request's. */
export function checkSettingsOf(
  req: CheckRequest,
  functionName: string,
): { alias: string; alarms: string[] } {
  const own = req.own?.get(functionKeyOf(functionName));
  return { alias: own?.alias ?? req.alias, alarms: own?.alarms ?? req.alarms };
}

/** Usage errors of a check, before any AWS call (the command calls it before it builds clients). */
export function validateCheckRequest(req: CheckRequest): void {
  refuseMissingAlarms(req);
  refuseUnrecordableAliases(req);
  if (req.staleAfterSeconds !== undefined) checkStaleAfter(req.staleAfterSeconds);
  if (!Number.isFinite(req.windowSeconds) || req.windowSeconds <= 0) {
    throw new UsageError(
      'CHECK_WINDOW_INVALID',
      `--window must be a positive duration, got ${req.windowSeconds}s`,
      {
        hint: 'Use e.g. --window 1h (how long after promotion a release is still watched).',
      },
    );
  }
}

/**
 * Every checked function needs an alarm. Without names, any function with a record may be
 * checked, so the request's own alarms must be there whatever the config file's entries have.
 */
function refuseMissingAlarms(req: CheckRequest): void {
  const named = req.functionNames ?? [];
  const bare = named.filter((f) => checkSettingsOf(req, f).alarms.length === 0);
  if (named.length > 0 && bare.length === 0) return;
  if (named.length === 0 && req.alarms.length > 0) return;
  const which =
    bare.length > 0 && req.own?.size
      ? ` (${bare.join(', ')} ${bare.length === 1 ? 'has' : 'have'} none)`
      : '';
  const unnamed =
    named.length === 0 && req.own?.size
      ? ' Without function names every function with a record is checked, so the top-level `alarms` (or --alarm) are needed too; or name the functions whose entries list alarms.'
      : '';
  throw new UsageError(
    'CHECK_NO_ALARMS',
    `lshift check needs at least one alarm to judge health by${which}`,
    {
      // `lshift status` offers "the next `lshift check` (or `lshift rollback …`)" for a rollback
      // whose runner died: copied at a terminal with no config file, the check was refused with
      // no word that the rollback needs no alarm (found by a hostile pass, session 61).
      hint: `Pass --alarm <name> (repeatable; \`{function}\` stands for each function name) or list \`alarms\` in lshift.config (a \`functions:\` entry may list its own).${unnamed} To finish a rollback left unfinished, or undo a deployment nobody drives, no alarm is needed: \`lshift rollback <function> --alias <alias>\`${describeReleaseRollback(named)}.`,
      context: { alias: req.alias },
    },
  );
}

/**
 * A release's functions are rolled back together, by the release's rollback: status of a release
 * whose rollback stopped offered "the next `lshift check`", copied as `lshift check fa fb fc` and
 * refused here with only one function's rollback offered (h1's pass, session 71). Which release
 * the functions are of is in their records, not read here (a usage error makes no AWS call):
 * status names it.
 */
function describeReleaseRollback(named: readonly string[]): string {
  const names = named.length > 0 ? named.join(' ') : '<functions…>';
  return `; for the functions of a release, \`lshift rollback --release <release id>\` rolls every one back (\`lshift status ${names}\` names the release, and its rollback, on its first line)`;
}

/**
 * An alias too long to name the record tag can have no record for a check to judge: said once,
 * before any call (ALIAS_TOO_LONG, exit 2, as deploy, rollback and history say it), not as an
 * unreadable record per function (exit 1).
 */
function refuseUnrecordableAliases(req: CheckRequest): void {
  recordTagKey(req.alias);
  for (const own of req.own?.values() ?? []) if (own.alias !== undefined) recordTagKey(own.alias);
}
