/**
 * GitHub Actions output: a Markdown job summary appended to the file named by
 * `GITHUB_STEP_SUMMARY`, and an `::error::` workflow command that puts the reason of a failed
 * deploy on the run's page (https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions).
 */

import { formatDuration } from '../../domain/duration.js';
import type { DeployStatus, EngineEvent, WarningTopic } from '../../domain/events.js';
import { describeAliasState } from '../../engine/deploy-result.js';
import type { EventSink } from '../../ports/event-sink.js';
import { describeAnalysisHint } from '../analysis-hints.js';
import { markOutcomeReported } from '../ci-run-state.js';
import { type ReasonedResult, reasonOf } from '../describe-outcome.js';
import { exitCodeForStatus } from '../exit-codes.js';
import { deployHookOutputs } from '../hook-output.js';
import * as output from '../output.js';
import { isSplitLeft } from '../split-left.js';
import { buildTimeline } from './github-timeline.js';
import { githubWarnings, topicsSaid } from './github-warnings.js';
import { renderMinuteCharts } from './mermaid-chart.js';
import { appendStepSummary, stepSummaryFileOf } from './step-summary-file.js';
import { cell, inline, renderHookOutput, verdictOutcomeCell } from './summary-text.js';
import { escapeData, escapeMessage, escapeProperty } from './workflow-escape.js';

const HEADLINE: Record<DeployStatus, (r: ReasonedResult) => string> = {
  promoted: (r) => `✅ lshift: ${target(r)} promoted to version ${r.toVersion ?? '?'}`,
  nothing_to_deploy: (r) =>
    `✅ lshift: ${target(r)} already on version ${r.toVersion ?? '?'}, nothing to deploy`,
  rolled_back: (r) =>
    r.cause?.code === 'STOPPED_IN_CODEDEPLOY'
      ? `↩️ lshift: ${target(r)} back on version ${r.fromVersion ?? '?'}: AWS CodeDeploy deployment ${r.cause.data.deploymentId} was stopped from outside this run, not by its health`
      : `↩️ lshift: ${target(r)} rolled back to version ${r.fromVersion ?? '?'}`,
  failed: (r) => `❌ lshift: ${target(r)} deploy failed, alias unchanged`,
  unsafe: (r) =>
    isSplitLeft(r)
      ? `🚨 lshift: ${target(r)} needs a human: split by someone else and left split, nobody drives it`
      : `🚨 lshift: ${target(r)} needs a human, the rollback did not finish`,
  conflict: (r) => `⛔ lshift: ${target(r)} changed underneath, nothing overwritten`,
  paused: (r) =>
    r.cause?.code === 'DETACHED' && r.codeDeploy
      ? `➜ lshift: ${target(r)} handed to AWS CodeDeploy as deployment ${r.codeDeploy.deploymentId} (--detach)`
      : `⏸️ lshift: ${target(r)} paused with traffic split`,
};

/** Title of the `::error` of a split someone made and lshift left (split-left.ts): no rollback failed. */
export const SPLIT_LEFT_TITLE = 'lshift: alias split by someone else, left';

/** Title of the `::error` annotation; absent for outcomes that are not failures. */
export const ANNOTATION_TITLE: Partial<Record<DeployStatus, string>> = {
  rolled_back: 'lshift rolled back',
  unsafe: 'lshift rollback failed',
  conflict: 'lshift conflict',
  failed: 'lshift deploy failed',
  paused: 'lshift paused',
};

export { escapeData, escapeMessage, escapeProperty };

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
  const title = isSplitLeft(result) ? SPLIT_LEFT_TITLE : ANNOTATION_TITLE[result.status];
  // `deploy --detach` did as asked (exit 0): no failure to annotate; its warnings say what watches it.
  if (title === undefined || result.cause?.code === 'DETACHED') return undefined;
  const fix = result.rollbackCommand
    ? `\nFix: ${result.rollbackCommand}\nWithout lshift: ${result.fixCommand}`
    : result.fixCommand
      ? `\nFix: ${result.fixCommand}`
      : '';
  const message = `${result.functionName}:${result.alias}: ${reasonOf(result) ?? result.status}${fix}`;
  return `::error title=${escapeProperty(title)}::${escapeMessage(message)}`;
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
