/**
 * A command that ends with an error in CI — refused before any write (a conflict, a bad flag, a
 * preflight), interrupted, or a second signal that exits with the alias possibly split (exit 4,
 * interrupts.ts) — reports it where CI looks, as a finished deploy does (github-summary.ts):
 * the step summary (`GITHUB_STEP_SUMMARY`), an `::error` annotation, and, under `--progress
 * ndjson`, a last `run.failed` line, so a consumer can tell an ended run from a cut stream. Found
 * by a hostile pass: the most dangerous end, exit 4 with the alias split on a failing version,
 * left no summary, no annotation and an NDJSON stream that stopped at `record.written`.
 */
import { printableJson } from '../domain/printable.js';
import { ciRunSaid } from './ci-run-state.js';
import { readWallMs } from './clocks.js';
import type { ErrorReport } from './format-error.js';
import * as output from './output.js';
import { workflowCommandWriter } from './renderers/github-summary.js';
import { appendStepSummary, stepSummaryFileOf } from './renderers/step-summary-file.js';
import { inline } from './renderers/summary-text.js';
import { escapeData, escapeProperty } from './renderers/workflow-escape.js';
import { targetJson } from './run-target.js';
import { SCHEMA_VERSION } from './schema-version.js';

export interface CiFailure extends ErrorReport {
  /** The one command that puts every function back, when known (a second signal's). */
  rollbackCommand?: string;
}

export function reportFailureInCi(
  given: CiFailure,
  /** The lshift command (`deploy`), when known. */
  command: string | undefined,
  opts: { json: boolean; env?: NodeJS.ProcessEnv; now?: number; argv?: readonly string[] },
): void {
  // Its commands act where the run acted (run-target.ts): the step summary is a file, not a stream.
  const failure = targetJson(given);
  // Asked for, even when the run ended before its progress began (a bad flag, a bad strategy).
  const ndjson = ciRunSaid.ndjson || (!opts.json && asksForNdjson(opts.argv ?? []));
  if (ndjson) {
    // Wall time: the CLI's own line, as its other notes (the engine's events carry the run's
    // clock) — but never before the last event the stream carried (ci-run-state.ts).
    const at = Math.max(opts.now ?? readWallMs(), ciRunSaid.lastEventAt ?? 0);
    const line = {
      schemaVersion: SCHEMA_VERSION,
      type: 'run.failed',
      at,
      time: new Date(at).toISOString(),
      ...failure,
    };
    output.stdout.writeNow(`${printableJson(JSON.stringify(line))}\n`);
  }
  const file = stepSummaryFileOf(opts.env ?? process.env);
  if (file === undefined || ciRunSaid.outcome) return;
  ciRunSaid.outcome = true;
  appendStepSummary(file, renderFailureSummary(failure, command), (text) => output.stderr.writeNow(text));
  const fix = failure.hint ? `\n${failure.hint}` : '';
  const title = failureTitle(failure, command);
  // Under NDJSON too, stdout holds only events: the annotation goes to stderr, as a deploy's does.
  workflowCommandWriter({ json: opts.json || ndjson })(
    `::error title=${escapeProperty(title)}::${escapeData(`${failure.code}: ${failure.message}${fix}`)}`,
  );
}

function failureTitle(failure: CiFailure, command: string | undefined): string {
  if (failure.exitCode === 4) return 'lshift unsafe';
  if (failure.exitCode === 3) return 'lshift rolled back';
  if (failure.exitCode === 5) return 'lshift conflict';
  return `${named(command)} failed`;
}

function named(command: string | undefined): string {
  return command ? `lshift ${command.replaceAll(':', ' ')}` : 'lshift';
}

/** The step summary of a run that ended with an error: what, the way out, the exit code. */
export function renderFailureSummary(failure: CiFailure, command: string | undefined): string {
  const headline =
    failure.exitCode === 4
      ? `🚨 ${named(command)}: needs a human, the alias may be split`
      : failure.exitCode === 5
        ? `⛔ ${named(command)}: conflict, nothing overwritten`
        : failure.exitCode === 3
          ? `↩️ ${named(command)}: rolled back, then stopped by a signal`
          : `❌ ${named(command)} failed`;
  const lines = [`## ${headline}`, '', `**${failure.code}**: ${inline(failure.message)}`, ''];
  if (failure.hint) lines.push(`**Fix:** ${inline(failure.hint)}`, '');
  if (failure.rollbackCommand) lines.push('```sh', failure.rollbackCommand, '```', '');
  lines.push(`Exit code ${failure.exitCode}.`, '', '');
  return lines.join('\n');
}

/** `--progress ndjson` or `--progress=ndjson` before any `--`. */
function asksForNdjson(argv: readonly string[]): boolean {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const args = argv.slice(0, end);
  return args.some((a, i) => a === '--progress=ndjson' || (a === '--progress' && args[i + 1] === 'ndjson'));
}
