/**
 * `lshift check` in GitHub Actions (`GITHUB_STEP_SUMMARY` set): the step summary and an `::error`
 * annotation for each deployment it rolled back, left for a human (stalled, a rollback that
 * failed) or could not judge, as a deploy reports its end (github-summary.ts). A check that
 * rolled production back (exit 3) or found a split nobody drives (exit 4) wrote neither, while
 * one refused for a bad setting did (ci-failure-report.ts): the job page said more about a typo
 * than about the rollback (h3's hostile pass, session 69, F1).
 */
import type { CheckReport, CheckResult } from '../engine/check-types.js';
import { ciRunSaid } from './ci-run-state.js';
import { describeCheckAction } from './exit-codes.js';
import * as output from './output.js';
import { type GithubReporterOptions, workflowCommandWriter } from './renderers/github-summary.js';
import { appendStepSummary, stepSummaryFileOf } from './renderers/step-summary-file.js';
import { cell, inline } from './renderers/summary-text.js';
import { escapeMessage, escapeProperty } from './renderers/workflow-escape.js';

/** Said on the run's page: each needs someone to read it (healthy and skipped ones are counted). */
function isNotable(r: CheckResult): boolean {
  if (r.interrupted) return false;
  return (r.action !== 'healthy' && r.action !== 'skipped') || r.stalled === true || r.unjudged === true;
}

export function reportCheckInCi(
  report: CheckReport,
  exitCode: number,
  opts: GithubReporterOptions & { env?: NodeJS.ProcessEnv },
): void {
  const file = stepSummaryFileOf(opts.env ?? process.env);
  if (file === undefined) return;
  // The outcome is said here: a later failure (an output lost) adds no second summary.
  ciRunSaid.outcome = true;
  appendStepSummary(file, renderCheckSummary(report, exitCode), (text) => output.stderr.writeNow(text));
  const annotate = workflowCommandWriter(opts);
  const said = report.results.flatMap((r) => {
    const title = annotationTitle(r);
    return title ? [`::error title=${escapeProperty(title)}::${escapeMessage(describeResult(r))}`] : [];
  });
  // GitHub shows at most 10 error annotations of a step: the 10th says how many more there are.
  const shown = said.length > MAX_ANNOTATIONS ? said.slice(0, MAX_ANNOTATIONS - 1) : said;
  for (const line of shown) annotate(line);
  if (said.length > shown.length)
    annotate(
      `::error title=lshift check::${escapeMessage(`and ${said.length - shown.length} more rolled back, stalled or failed: see the step summary`)}`,
    );
}

/** GitHub's limit of error annotations shown per step. */
const MAX_ANNOTATIONS = 10;

/** The Markdown: a headline by exit code, a row per result someone must read, the rest counted. */
export function renderCheckSummary(report: CheckReport, exitCode: number): string {
  const notable = report.results.filter(isNotable);
  const untouched = report.results.filter((r) => r.interrupted).length;
  const quiet = report.results.length - notable.length - untouched;
  const lines = [`## ${headline(exitCode, report)}`, ''];
  if (notable.length > 0) {
    lines.push('| function | deployment | outcome | reason |', '| --- | --- | --- | --- |');
    for (const r of notable)
      lines.push(
        `| ${cell(`${r.functionName}:${r.alias}`)} | ${cell(r.deploymentId ?? '')} | ${describeCheckAction(r)} | ${cell(r.reason)} |`,
      );
    lines.push('');
  }
  if (quiet > 0) lines.push(`${quiet} more checked: healthy, or nothing to watch.`, '');
  if (untouched > 0) lines.push(`${untouched} not checked: the check was stopped before their turn.`, '');
  if (report.results.length === 0)
    lines.push(`No lshift deployment of alias ${inline(report.alias)} to check.`, '');
  if (report.interrupted)
    lines.push(`Interrupted (${inline(report.interrupted)}): run lshift check again.`, '');
  lines.push(`Exit code ${exitCode}.`, '', '');
  return lines.join('\n');
}

function headline(exitCode: number, report: CheckReport): string {
  const rolled = report.results.filter((r) => r.action === 'rolled_back').length;
  if (exitCode === 4) return '🚨 lshift check: needs a human';
  if (exitCode === 130) return '⏹️ lshift check: stopped by a signal';
  if (exitCode === 3) return `↩️ lshift check: rolled back ${rolled} deployment${rolled === 1 ? '' : 's'}`;
  if (exitCode === 1) return '❌ lshift check: could not judge everything';
  return '✅ lshift check: nothing to roll back';
}

/** The annotation's title, or none (an unjudged one is in the summary only: nothing was wrong). */
function annotationTitle(r: CheckResult): string | undefined {
  // Its release's other functions could not be looked for (exit 4); `stalled` beside a rollback
  // (one finished for a dead claimer) is no exit 4 (exit-codes.ts exitCodeForCheck).
  if (r.action === 'rolled_back')
    return r.releaseMatesUnknown ? 'lshift check: rolled back, needs a human' : 'lshift check rolled back';
  if (r.action === 'rollback_failed') return 'lshift check: rollback failed';
  if (r.action === 'stalled' || r.stalled) return 'lshift check: stalled';
  if (r.action === 'error') return 'lshift check failed';
  return undefined;
}

function describeResult(r: CheckResult): string {
  return `${r.functionName}:${r.alias}${r.deploymentId ? ` (${r.deploymentId})` : ''}: ${r.reason}`;
}
