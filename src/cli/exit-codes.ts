/** The exit-code table shown in every command's --help (docs/exit-codes.md has the long form). */
import { ERROR_CODES, type ErrorCodeInfo } from '../domain/error-codes.js';
import { ExitCode } from '../domain/errors.js';
import type { DeployStatus } from '../domain/events.js';
import type { CheckReport, CheckResult } from '../engine/check.js';
export const EXIT_CODES_HELP = [
  'EXIT CODES',
  '  0  success: promoted to 100% (or nothing to do)',
  '  1  failed before any weight write (AWS, permission, internal error), or its function was deleted',
  '  2  usage, config or validation error; nothing changed',
  "  3  rolled back: a check, hook, signal, refused weight write or another operator's rollback stopped it; all traffic is on the stable version",
  '  4  unsafe: rollback failed, or the alias is left split (nobody drives it) or unknown; a human must look',
  '  5  conflict: another deployment holds the alias, or someone moved it whole onto one version; nothing overwritten',
  '130  interrupted: `lshift check` stopped by a signal (each function untouched or fully rolled back), or `status`/`history` (they only read)',
].join('\n');

export const ERROR_TABLE_START =
  '<!-- error-codes:start (generated from src/domain/error-codes.ts by `npm run docs:errors`) -->';
export const ERROR_TABLE_END = '<!-- error-codes:end -->';

/** The error-code table of docs/exit-codes.md, ordered by exit code, then as declared. */
export function renderErrorCodeTable(): string {
  const rows = (Object.entries(ERROR_CODES) as [string, ErrorCodeInfo][])
    .map(([code, info], order) => ({ code, info, order }))
    .sort((a, b) => (a.info.exits[0] ?? 0) - (b.info.exits[0] ?? 0) || a.order - b.order)
    // A pipe inside a code span still splits a GitHub table cell: escape it.
    .map(
      ({ code, info }) =>
        `| \`${code}\` | ${info.exits.join(' or ')} | ${info.meaning.replaceAll('|', '\\|')} |`,
    );
  return ['| code | exit | what happened |', '| --- | --- | --- |', ...rows].join('\n');
}

/** `doc` with the text between the markers replaced by the current table. */
export function updateErrorCodeDoc(doc: string): string {
  const start = doc.indexOf(ERROR_TABLE_START);
  const end = doc.indexOf(ERROR_TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/exit-codes.md lacks the error-code markers');
  return `${doc.slice(0, start + ERROR_TABLE_START.length)}\n\n${renderErrorCodeTable()}\n\n${doc.slice(end)}`;
}

/**
 * The exit code of a deploy outcome (DESIGN.md §5). `paused` maps to 4 (unsafe) on purpose: the
 * user asked to leave the weights as they were on Ctrl-C, so the alias is knowingly split and
 * nothing watches it any more — a human must look (resume, `lshift rollback`, or promote). Exit 0
 * would let a CI pipeline carry on as if the release were done.
 */
export function exitCodeForStatus(status: DeployStatus): ExitCode {
  switch (status) {
    case 'promoted':
    case 'nothing_to_deploy':
      return ExitCode.Success;
    case 'rolled_back':
      return ExitCode.RolledBack;
    case 'unsafe':
    case 'paused':
      return ExitCode.Unsafe;
    case 'conflict':
      return ExitCode.Conflict;
    case 'failed':
      return ExitCode.Failed;
  }
}

/** `lshift rollback`: a rollback that did what was asked is success (exit 3 means a *deploy* was rolled back). */
export function exitCodeForRollback(status: DeployStatus): ExitCode {
  return status === 'rolled_back' ? ExitCode.Success : exitCodeForStatus(status);
}

/**
 * 4 when a rollback failed or a deployment is stalled (in progress, or paused, with no live owner
 * and left as it is: its alias may be split and nobody watches it — a scheduled check must make
 * someone look, not report success), 130 when a signal stopped it between functions, 3 when
 * something was rolled back, 1 when health or a record could not be read, else 0.
 */
export function exitCodeForCheck(report: CheckReport): ExitCode {
  const actions = new Set(report.results.map((r) => r.action));
  if (actions.has('rollback_failed')) return ExitCode.Unsafe;
  if (report.results.some((r) => r.stalled && r.action !== 'rolled_back')) return ExitCode.Unsafe;
  // A release rolled back whose other functions could not be looked for: they may be split.
  if (report.results.some((r) => r.releaseMatesUnknown)) return ExitCode.Unsafe;
  // Below 4 (a human must look), above the rest: the check did not get through every function.
  if (report.interrupted) return ExitCode.Interrupted;
  if (actions.has('rolled_back')) return ExitCode.RolledBack;
  if (actions.has('error')) return ExitCode.Failed;
  return ExitCode.Success;
}

/**
 * The word a `check` line starts with: the action, `STALLED` for a stalled deployment left as
 * it is (the check exits 4 for it; HEALTHY beside exit 4 read as a false alarm at 3 a.m.).
 */
export function describeCheckAction(result: CheckResult): string {
  // Not HEALTHY: every alarm was INSUFFICIENT_DATA, so nothing judged it (check-types.ts unjudged).
  if (result.action === 'healthy' && result.unjudged) return 'UNJUDGED';
  return result.action.toUpperCase();
}

/**
 * The line an interrupted `check` ends with: what it did before the signal and what it left
 * untouched, so a scheduler's log says whether running it again is all there is to do (and
 * says nothing of the kind when nothing was left).
 */
export function describeInterruptedCheck(report: CheckReport): string {
  const untouched = report.results.filter((r) => r.interrupted).length;
  const rolled = report.results.filter((r) => r.action === 'rolled_back').length;
  const failed = report.results.filter((r) => r.action === 'rollback_failed').length;
  const done = [`${rolled} rolled back`, ...(failed > 0 ? [`${failed} whose rollback FAILED`] : [])].join(
    ', ',
  );
  const why = report.interrupted ?? 'interrupted';
  // The signal came during the last function: nothing is left to run the check again for.
  if (untouched === 0) return `lshift check ${why}: every function was checked before it stopped (${done}).`;
  return (
    `lshift check ${why}: stopped between functions (${done}); ` +
    `${untouched} function${untouched === 1 ? '' : 's'} left untouched, not checked — run lshift check again.`
  );
}
