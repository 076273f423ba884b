/**
 * GitHub Actions output: a Markdown job summary appended to the file named by
 * `GITHUB_STEP_SUMMARY`, and an `::error::` workflow command that puts the reason of a failed
 * deploy on the run's page (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
 */

import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { DeployStatus, EngineEvent, WarningTopic } from '../../domain/events.js';
import type { Verdict } from '../../domain/verdict.js';
import { ALARM_GATE_NAME } from '../../engine/alarm-gate.js';
import { describeAliasState } from '../../engine/deploy-result.js';
import type { EventSink } from '../../ports/event-sink.js';
import { describeAnalysisHint } from '../analysis-hints.js';
import { markOutcomeReported } from '../ci-run-state.js';
import { type ReasonedResult, reasonOf } from '../describe-outcome.js';
import { exitCodeForStatus } from '../exit-codes.js';
import {
  deployHookOutputs,
  describeHowMany,
  describeOutputSource,
  type FailedHookOutput,
} from '../hook-output.js';
import * as output from '../output.js';
import { githubWarnings, topicsSaid } from './github-warnings.js';
import { renderMinuteCharts } from './mermaid-chart.js';
import { STEP_RESULT_CELL } from './step-result-words.js';
import { appendStepSummary, stepSummaryFileOf } from './step-summary-file.js';
import { escapeData, escapeProperty } from './workflow-escape.js';

const HEADLINE: Record<DeployStatus, (r: ReasonedResult) => string> = {
  promoted: (r) => `✅ lshift: ${target(r)} promoted to version ${r.toVersion ?? '?'}`,
  nothing_to_deploy: (r) =>
    `✅ lshift: ${target(r)} already on version ${r.toVersion ?? '?'}, nothing to deploy`,
  rolled_back: (r) =>
    r.cause?.code === 'STOPPED_IN_CODEDEPLOY'
      ? `↩️ lshift: ${target(r)} back on version ${r.fromVersion ?? '?'}: AWS CodeDeploy deployment ${r.cause.data.deploymentId} was stopped from outside this run, not by its health`
      : `↩️ lshift: ${target(r)} rolled back to version ${r.fromVersion ?? '?'}`,
  failed: (r) => `❌ lshift: ${target(r)} deploy failed, alias unchanged`,
  unsafe: (r) => `🚨 lshift: ${target(r)} needs a human, the rollback did not finish`,
  conflict: (r) => `⛔ lshift: ${target(r)} changed underneath, nothing overwritten`,
  paused: (r) =>
    r.cause?.code === 'DETACHED' && r.codeDeploy
      ? `➜ lshift: ${target(r)} handed to AWS CodeDeploy as deployment ${r.codeDeploy.deploymentId} (--detach)`
      : `⏸️ lshift: ${target(r)} paused with traffic split`,
};

/** Title of the `::error` annotation; absent for outcomes that are not failures. */
export const ANNOTATION_TITLE: Partial<Record<DeployStatus, string>> = {
  rolled_back: 'lshift rolled back',
  unsafe: 'lshift rollback failed',
  conflict: 'lshift conflict',
  failed: 'lshift deploy failed',
  paused: 'lshift paused',
};

export { escapeData, escapeProperty };

export function renderGithubSummary(result: ReasonedResult, events: EngineEvent[]): string {
  const base = result.startedAt ?? events[0]?.at ?? result.steps[0]?.startedAt ?? 0;
  const lines = [`## ${HEADLINE[result.status](result)}`, '', ...renderFacts(result), ''];
  const timeline = buildTimeline(result, events, base);
  if (timeline.length > 0) {
    lines.push('### Timeline', '', '| step | weight | started | result |', '|---|---|---|---|');
    for (const row of timeline) {
      lines.push(
        `| ${cell(row.step)} | ${cell(row.weight)} | +${formatDuration(row.offsetSeconds)} | ${cell(row.result)} |`,
      );
    }
    lines.push('');
  }
  if (result.verdicts.length > 0) {
    lines.push('### Verdicts', '', '| gate | outcome | summary |', '|---|---|---|');
    for (const v of result.verdicts) {
      lines.push(`| ${cell(v.gate)} | ${verdictOutcomeCell(v)} | ${cell(v.summary)} |`);
    }
    lines.push('');
  }
  lines.push(...renderMinuteCharts(result));
  if (result.warnings?.length) {
    lines.push('### Warnings', '', ...result.warnings.map((w) => `- ⚠️ ${inline(w)}`), '');
  }
  lines.push(...renderOutcome(result), '');
  return lines.join('\n');
}

/** `::error title=…::<reason>` for outcomes that fail the step, undefined on success. */
export function githubAnnotation(result: ReasonedResult): string | undefined {
  const title = ANNOTATION_TITLE[result.status];
  // `deploy --detach` did as asked (exit 0): no failure to annotate; its warnings say what watches it.
  if (title === undefined || result.cause?.code === 'DETACHED') return undefined;
  const fix = result.rollbackCommand
    ? `\nFix: ${result.rollbackCommand}\nWithout lshift: ${result.fixCommand}`
    : result.fixCommand
      ? `\nFix: ${result.fixCommand}`
      : '';
  const message = `${result.functionName}:${result.alias}: ${reasonOf(result) ?? result.status}${fix}`;
  return `::error title=${escapeProperty(title)}::${escapeData(message)}`;
}

export interface GithubReporterOptions {
  /** Under `--json` stdout carries only the result object, so the annotation goes to stderr. */
  json?: boolean;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export interface GithubReporter {
  /** True when `GITHUB_STEP_SUMMARY` is set; `finish` does nothing otherwise. */
  readonly enabled: boolean;
  sink: EventSink;
  /** `topics`: what the warnings said after the shift (never as an event) are about. */
  finish(result: ReasonedResult, topics?: ReadonlyMap<string, WarningTopic>): void;
}

/**
 * Collects events; `finish` appends the summary and prints the annotation. Both are reports: a
 * summary file that cannot be written becomes a warning on stderr, never a failed deploy.
 */
export function createGithubReporter(
  env: NodeJS.ProcessEnv = process.env,
  opts: GithubReporterOptions = {},
): GithubReporter {
  const summaryFile = stepSummaryFileOf(env);
  const stderr = opts.stderr ?? ((text) => output.stderr.write(text));
  const events: EngineEvent[] = [];
  return {
    enabled: summaryFile !== undefined,
    sink: {
      emit(event) {
        if (summaryFile !== undefined && event.type !== 'hook.output') events.push(event);
      },
    },
    finish(result, topics) {
      if (summaryFile === undefined) return;
      markOutcomeReported();
      appendStepSummary(summaryFile, `${renderGithubSummary(result, events)}\n`, stderr);
      const command = workflowCommandWriter(opts);
      const annotation = githubAnnotation(result);
      if (annotation !== undefined) command(annotation);
      for (const warning of githubWarnings(result, new Map([...topicsSaid(events), ...(topics ?? [])])))
        command(warning);
    },
  };
}

/**
 * Where lshift's own workflow commands go: stdout (stderr under `--json`), through the one write
 * that lets a line start with `::` — every other printed line that would is neutralized
 * (src/domain/printable.ts), so text from outside cannot issue one.
 */
export function workflowCommandWriter(opts: GithubReporterOptions): (line: string) => void {
  return (line) => {
    const injected = opts.json ? opts.stderr : opts.stdout;
    if (injected) injected(`${line}\n`);
    else (opts.json ? output.stderr : output.stdout).writeWorkflowCommand(line);
  };
}

interface TimelineRow {
  at: number;
  offsetSeconds: number;
  step: string;
  weight: string;
  result: string;
}

export const OUTCOME_MARK = { pass: '✅', fail: '❌', inconclusive: '❔', error: '⚠️' } as const;

/**
 * A verdict's outcome cell. Alarms that were all INSUFFICIENT_DATA pass (not alarming, as
 * CodeDeploy counts them), but "✅ pass" over an alarm that never had data read as measured
 * (found by a hostile pass): such a pass is `❔ pass, no data`.
 */
export function verdictOutcomeCell(v: Verdict): string {
  const details = v.details as { alarms?: unknown[]; insufficientData?: unknown[] } | undefined;
  const silent =
    v.gate === ALARM_GATE_NAME &&
    v.outcome === 'pass' &&
    (details?.alarms?.length ?? 0) > 0 &&
    details?.insufficientData?.length === details?.alarms?.length;
  return silent ? '❔ pass, no data' : `${OUTCOME_MARK[v.outcome]} ${v.outcome}`;
}

function buildTimeline(result: ReasonedResult, events: EngineEvent[], base: number): TimelineRow[] {
  const rows: Omit<TimelineRow, 'offsetSeconds'>[] = result.steps.map((s) => ({
    at: s.startedAt,
    step: `${s.index + 1}`,
    weight: formatPercent(s.percent),
    result:
      s.endedAt === undefined
        ? '… running'
        : s.result === 'completed' && s.percent >= 100
          ? // Nothing holds at 100% (a bake has a row of its own): "✅ held 0s" read as watched.
            '✅ written'
          : `${STEP_RESULT_CELL[s.result]} ${formatDuration(Math.round((s.endedAt - s.startedAt) / 1000))}`,
  }));
  const ended = (type: EngineEvent['type'], after: number) =>
    events.find((e) => e.type === type && e.at >= after);
  for (const e of events) {
    if (e.type === 'bake.started') {
      const done = ended('bake.completed', e.at);
      rows.push({
        at: e.at,
        step: `bake ${formatDuration(e.seconds)}`,
        weight: '100%',
        result: !done
          ? '❌ stopped'
          : done.type === 'bake.completed' && done.unjudged
            ? '❔ not judged (no alarm watched, the analysis inconclusive)'
            : done.type === 'bake.completed' && done.endedEarly
              ? `✅ healthy until a promote ended it after ${formatDuration(done.endedEarly.afterSeconds)}`
              : '✅ healthy',
      });
    } else if (e.type === 'hook.completed') {
      const took = `${(e.durationMs / 1000).toFixed(1)}s`;
      rows.push({
        at: e.at - e.durationMs,
        step: `${e.phase} hook ${redactHook(e.hook)}`,
        weight: '',
        result: e.ok ? `✅ passed in ${took}` : `❌ failed in ${took}${e.reason ? `: ${e.reason}` : ''}`,
      });
    } else if (e.type === 'rollback.started') {
      const done = events.find(
        (x) => (x.type === 'rollback.completed' || x.type === 'rollback.failed') && x.at >= e.at,
      );
      // A pre-traffic hook failed, or the preflight after a publish: no weight was ever written.
      // At 0% after a weight write was sent (its answer lost), traffic may have moved.
      const moved = e.trafficMoved ?? e.fromPercent > 0;
      const outcome =
        done?.type === 'rollback.completed'
          ? moved
            ? `✅ all traffic on version ${done.toVersion}`
            : `✅ no traffic had moved: all of it stayed on version ${done.toVersion}`
          : done?.type === 'rollback.failed'
            ? `❌ ${done.message}`
            : '… not finished';
      rows.push({
        at: e.at,
        step: 'rollback',
        weight: moved ? `${formatPercent(e.fromPercent)} → 0%` : '',
        result: `${outcome} (${e.reason})`,
      });
    }
  }
  return rows
    .sort((a, b) => a.at - b.at)
    .map((row) => ({ ...row, offsetSeconds: Math.max(0, Math.round((row.at - base) / 1000)) }));
}

function renderFacts(r: ReasonedResult): string[] {
  const facts: [string, string | undefined][] = [
    ['deployment', r.deploymentId],
    [
      'versions',
      r.fromVersion !== undefined && r.toVersion !== undefined
        ? `${r.fromVersion} → ${r.toVersion}`
        : undefined,
    ],
    ['strategy', r.strategy],
    [
      'duration',
      r.startedAt !== undefined && r.endedAt !== undefined
        ? formatDuration(Math.round((r.endedAt - r.startedAt) / 1000))
        : undefined,
    ],
    ['exit code', String(exitCodeForStatus(r.status))],
  ];
  return [
    '| | |',
    '|---|---|',
    ...facts.filter(([, v]) => v !== undefined).map(([k, v]) => `| ${k} | ${cell(v!)} |`),
  ];
}

function renderOutcome(r: ReasonedResult): string[] {
  const reason = reasonOf(r);
  const out = [`**Result: ${r.status.replace(/_/g, ' ')}**${reason ? ` — ${inline(reason)}` : ''}`];
  for (const output of deployHookOutputs(r)) out.push('', ...renderHookOutput(output));
  // The analysis flags to change, as the terminal's summary names them (analysis-hints.ts).
  const hint = describeAnalysisHint(r)?.trim();
  if (hint) out.push('', inline(hint));
  if (r.aliasState) out.push('', `Alias as last seen: ${inline(describeAliasState(r.aliasState))}`);
  if (r.rollbackCommand) out.push('', 'Fix:', '', '```sh', r.rollbackCommand, '```');
  if (r.fixCommand) {
    out.push('', r.rollbackCommand ? 'Without lshift:' : 'Fix:', '', '```sh', r.fixCommand, '```');
  }
  return out;
}

function target(r: ReasonedResult): string {
  return `\`${r.functionName}:${r.alias}\``;
}

/**
 * A failed hook's last lines, as a code block under the result (the `::error::` annotation keeps
 * to the one-line reason). The fence is longer than any run of backquotes in the output, so no
 * line of it can close the block and write Markdown of its own onto the job page.
 */
export function renderHookOutput(output: FailedHookOutput): string[] {
  const runs = output.lines.flatMap((line) => line.match(/`+/g) ?? []);
  const fence = '`'.repeat(Math.max(3, ...runs.map((run) => run.length + 1)));
  return [
    `Output of ${inline(redactHook(describeOutputSource(output)))} (${describeHowMany(output)}):`,
    '',
    `${fence}text`,
    ...output.lines,
    fence,
  ];
}

/** Hook URLs may carry tokens in the query or user part: keep only scheme, host and path. */
function redactHook(hook: string): string {
  return hook.replace(/https?:\/\/\S+/g, (raw) => {
    try {
      const url = new URL(raw);
      return `${url.protocol}//${url.host}${url.pathname}${url.search || url.hash ? '?…' : ''}`;
    } catch {
      return raw;
    }
  });
}

/** Text inside a table cell: no pipes, no raw HTML, no line breaks. */
export function cell(text: string): string {
  return inline(text).replaceAll('|', '\\|');
}

/**
 * Text inside a line of the summary. Reasons and hook answers come from other people's endpoints,
 * functions and alarms: no raw HTML, no line breaks, and no brackets, which would make a link or an
 * image (`[Re-run with this fix](https://…)`, a tracking pixel) on the job page. The backslash is
 * escaped first, so a `\[` in the text cannot undo the bracket's escape. A lone CR ends a
 * Markdown line too.
 */
export function inline(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('[', '\\[')
    .replaceAll(']', '\\]')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/\r\n|\r|\n/g, '<br>');
}
