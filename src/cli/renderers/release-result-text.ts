/**
 * The end-of-release summary people read: one line for the release, its reason and fix, then one
 * row per function (mark, status, versions, alias, who took it over, its own fix).
 */
import { formatDuration } from '../../domain/duration.js';
import { joinPrintableLines } from '../../domain/printable.js';
import { describeReleaseAnalysisHints } from '../analysis-hints.js';
import type { ReasonedResult } from '../describe-outcome.js';
import type { ReasonedRelease } from '../describe-release.js';
import { isRolledBackByOther } from '../describe-release-takers.js';
import { describeHookOutputs, releaseHookOutputs } from '../hook-output.js';
import { describeInterruptedAfterEnd } from '../late-interrupt.js';
import { sayOnce } from '../release-warnings.js';
import { describeResultAlias } from '../result-alias.js';

const MARK: Record<string, string> = {
  promoted: '✔',
  nothing_to_deploy: '✔',
  rolled_back: '↩',
  paused: '‖',
};

/** The end-of-release summary: one line for the release, one row per function. */
export function renderReleaseResult(result: ReasonedRelease): string {
  const took = formatDuration(Math.round((result.endedAt - result.startedAt) / 1000));
  const head =
    result.status === 'promoted'
      ? `✔ Release ${result.releaseId} promoted: ${plural(result.functions.length, 'function')} in ${took} (${result.mode}).`
      : result.status === 'nothing_to_deploy'
        ? `✔ Nothing to deploy: every function of release ${result.releaseId} already points at its target version.`
        : `✖ Release ${result.releaseId} ${result.status.replaceAll('_', ' ')} (${result.mode}, ${took}).`;
  const why =
    result.status === 'promoted' || result.status === 'nothing_to_deploy'
      ? []
      : [
          `  Reason: ${result.reason ?? 'unknown'}`,
          ...describeHookOutputs(releaseHookOutputs(result)),
          ...(result.rollbackCommand ? [`  Fix: ${result.rollbackCommand}`] : []),
        ];
  const width = Math.max(8, ...result.functions.map((f) => `${f.functionName}:${f.alias}`.length));
  const rows = result.functions.map((f) => {
    const where = `${f.functionName}:${f.alias}`.padEnd(width);
    const versions = `${f.fromVersion ?? '?'} → ${f.toVersion ?? '?'}`;
    const alias = describeResultAlias(f);
    const state = alias ? `  ${alias}` : '';
    const fix = describeRowFix(f, result.rollbackCommand !== undefined);
    const held = f.heldBy
      ? `  taken over by ${f.heldBy.owner} (${f.heldBy.phase})`
      : isRolledBackByOther(f)
        ? `  rolled back by ${f.finishedBy.owner}`
        : '';
    // Stopped before its first weight (a staggered function whose turn never came): unchanged,
    // not rolled back (found by a hostile pass: "↩ rolled_back 2 → 3" for a function never moved).
    const unchanged = f.status === 'rolled_back' && f.trafficMoved === false;
    const status = unchanged ? 'unchanged' : f.status;
    const mark = unchanged ? '-' : (MARK[f.status] ?? '✖');
    return `  ${mark} ${where}  ${status.padEnd(17)} ${versions}${state}${held}${fix}`;
  });
  // A warning every function has (no --alarm, the plan's) once, not once a function.
  const perFunction = result.functions.map((f) => ({
    functionName: `${f.functionName}:${f.alias}`,
    warnings: f.warnings ?? [],
  }));
  const warnings = sayOnce(perFunction, result.functions.length).map((w) => `  Warning: ${w}`);
  // Under the reason that names the gate, as a single deploy's; after the warnings of a promotion.
  const hints = describeReleaseAnalysisHints(result).map((h) => `  ${h}`);
  const [early, late] = result.status === 'promoted' ? [[], hints] : [hints, []];
  const interrupt = describeInterruptedAfterEnd(result, releaseUndoCommand(result));
  // Each line printable on its own: a reason quotes AWS messages and hook output.
  return joinPrintableLines([head, ...interrupt, ...why, ...early, ...rows, ...warnings, ...late]);
}

/** `lshift rollback --release <id> <functions…>` (`--alias` when all share one that is not `live`). */
function releaseUndoCommand(result: ReasonedRelease): string | undefined {
  const aliases = new Set(result.functions.map((f) => f.alias));
  if (aliases.size !== 1) return undefined;
  const [alias] = aliases;
  const names = result.functions.map((f) => f.functionName).join(' ');
  return `lshift rollback --release ${result.releaseId} ${names}${alias === 'live' ? '' : ` --alias ${alias}`}`;
}

/** The function's own lshift command unless the release's covers it; the AWS line as the fallback. */
function describeRowFix(f: ReasonedResult, releaseFix: boolean): string {
  if (!f.fixCommand) return '';
  if (releaseFix) return `  without lshift: ${f.fixCommand}`;
  if (f.rollbackCommand) return `  fix: ${f.rollbackCommand} (without lshift: ${f.fixCommand})`;
  return `  fix: ${f.fixCommand}`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
