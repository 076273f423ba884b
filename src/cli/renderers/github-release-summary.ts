/**
 * The GitHub Actions summary of a release of several functions (issue 13): the verdict, the
 * function that decided it and why (its verdicts and its per-minute charts), then one row per
 * function (versions, weight on the new version, health, result). Short for 100 functions: the
 * failing, the unsafe or unusual, and the never-judged functions get a row; the rest are counted.
 * Workflow commands: https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
 */
import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { DeployResult, DeployStatus, WarningTopic } from '../../domain/events.js';
import { describeReleaseAnalysisHints } from '../analysis-hints.js';
import { markOutcomeReported } from '../ci-run-state.js';
import type { ReasonedResult } from '../describe-outcome.js';
import type { ReasonedRelease } from '../describe-release.js';
import { isTakenOver } from '../describe-release-takers.js';
import { exitCodeForStatus } from '../exit-codes.js';
import { releaseHookOutputs } from '../hook-output.js';
import * as output from '../output.js';
import { describeResultAlias } from '../result-alias.js';
import { isSplitLeft } from '../split-left.js';
import { finalPercent } from './final-percent.js';
import { githubReleaseWarnings, neverJudged, renderReleaseWarnings } from './github-release-warnings.js';
import {
  ANNOTATION_TITLE,
  escapeMessage,
  escapeProperty,
  type GithubReporterOptions,
  SPLIT_LEFT_TITLE,
  workflowCommandWriter,
} from './github-summary.js';
import { renderMinuteCharts } from './mermaid-chart.js';
import { appendStepSummary, stepSummaryFileOf } from './step-summary-file.js';
import { cell, inline, renderHookOutput, verdictOutcomeCell } from './summary-text.js';

/** Up to this many functions every one gets a row; beyond, only those worth a look do. */
export const FULL_TABLE_UP_TO = 20;

const MARK: Record<DeployStatus, string> = {
  promoted: '✅',
  nothing_to_deploy: '✅',
  rolled_back: '↩️',
  failed: '❌',
  unsafe: '🚨',
  conflict: '⛔',
  paused: '⏸️',
};

export function renderGithubReleaseSummary(result: ReasonedRelease): string {
  const n = result.functions.length;
  const lines = [`## ${MARK[result.status]} lshift: release ${result.releaseId} ${headline(result)}`, ''];
  lines.push(...renderFacts(result), '');
  const reason = result.reason ? ` — ${inline(result.reason)}` : '';
  lines.push(`**Result: ${result.status.replace(/_/g, ' ')}**${reason}`, '');
  for (const output of releaseHookOutputs(result)) lines.push(...renderHookOutput(output), '');
  for (const hint of describeReleaseAnalysisHints(result)) lines.push(inline(hint), '');
  const decider = failedFunction(result);
  if (decider) lines.push(...renderDecider(decider));
  const shown = result.functions.filter((f) => n <= FULL_TABLE_UP_TO || worthARow(f, decider));
  lines.push(
    '### Functions',
    '',
    '| function | versions | weight on new | health | result |',
    '|---|---|---|---|---|',
  );
  for (const f of shown) lines.push(renderRow(f, f === decider));
  const rest = result.functions.filter((f) => !shown.includes(f));
  if (rest.length > 0) {
    lines.push(
      '',
      `…and ${rest.length} more (${describeCounts(rest)}): none failed a check or had unreadable health.`,
    );
  }
  lines.push('', ...renderReleaseWarnings(result));
  return lines.join('\n');
}

/**
 * Appends the release's summary when `GITHUB_STEP_SUMMARY` is set and prints its annotations (on
 * stderr under --json). A summary that cannot be written is a warning, never a failed release.
 * `topics`: what each warning of the functions' results is about (its `::warning` title).
 */
export function reportReleaseToGithub(
  result: ReasonedRelease,
  env: NodeJS.ProcessEnv = process.env,
  opts: GithubReporterOptions = {},
  topics: ReadonlyMap<string, WarningTopic> = new Map(),
): void {
  const summaryFile = stepSummaryFileOf(env);
  if (summaryFile === undefined) return;
  const stderr = opts.stderr ?? ((text) => output.stderr.write(text));
  markOutcomeReported();
  appendStepSummary(summaryFile, `${renderGithubReleaseSummary(result)}\n`, stderr);
  const command = workflowCommandWriter(opts);
  const annotation = githubReleaseAnnotation(result);
  if (annotation !== undefined) command(annotation);
  for (const warning of githubReleaseWarnings(result, topics)) command(warning);
}

/** `::error` for a release that did not promote; undefined otherwise. */
export function githubReleaseAnnotation(result: ReasonedRelease): string | undefined {
  const title = splitsLeftOnly(result) ? SPLIT_LEFT_TITLE : ANNOTATION_TITLE[result.status];
  if (title === undefined) return undefined;
  const fixes = [
    ...(result.rollbackCommand ? [`Fix: ${result.rollbackCommand}`] : []),
    ...result.functions.flatMap((f) => describeFix(f, result.rollbackCommand !== undefined)),
  ];
  const message = [`release ${result.releaseId}: ${result.reason ?? result.status}`, ...fixes].join('\n');
  return `::error title=${escapeProperty(title)}::${escapeMessage(message)}`;
}

/** A function's lshift command unless the release's covers it, then the AWS CLI line. */
function describeFix(f: ReasonedResult, releaseFix: boolean): string[] {
  if (!f.fixCommand) return [];
  if (!f.rollbackCommand) return [`Fix: ${f.fixCommand}`];
  const own = releaseFix ? [] : [`Fix: ${f.rollbackCommand}`];
  return [...own, `Without lshift: ${f.fixCommand}`];
}

function headline(result: ReasonedRelease): string {
  const n = plural(result.functions.length, 'function');
  const failed = result.failed ? `\`${result.failed.functionName}:${result.failed.alias}\`` : undefined;
  switch (result.status) {
    case 'promoted':
      return `promoted: ${n}`;
    case 'nothing_to_deploy':
      return `had nothing to deploy (${n})`;
    case 'rolled_back': {
      // One with nothing to deploy never moved: it is not "back" (describe-release-stop.ts).
      const moved = result.functions.filter((f) => f.status !== 'nothing_to_deploy').length;
      const decider = failedFunction(result);
      const what =
        failed && decider
          ? `: ${failed} ${deciderRole(decider, 'headline')}`
          : failed
            ? `: ${failed} failed`
            : '';
      // Stopped before its first weight (a failed pre-traffic hook, a Ctrl-C): nothing came back
      // from anywhere — "unchanged", as the result's reason says (describe-release-stop.ts).
      const unchanged = result.functions.every(
        (f) => f.status === 'nothing_to_deploy' || f.trafficMoved === false,
      );
      if (unchanged)
        return `rolled back${what}, ${moved === 1 ? '1 function unchanged' : `${moved} functions unchanged`}: no traffic moved`;
      return `rolled back${what}, ${moved === 1 ? '1 function back on its stable version' : `${moved} functions back on their stable versions`}`;
    }
    case 'unsafe': {
      if (!splitsLeftOnly(result)) return `needs a human: a rollback did not finish (${n})`;
      const left = result.functions.filter(isSplitLeft).map((f) => `\`${f.functionName}:${f.alias}\``);
      return `needs a human: ${left.join(', ')} split by someone else and left split, nobody drives ${left.length === 1 ? 'it' : 'them'} (${n})`;
    }
    case 'conflict':
      return `stopped: an alias changed underneath, nothing overwritten (${n})`;
    case 'failed':
      return `failed${failed ? `: ${failed}` : ''} (${n})`;
    case 'paused':
      return `paused with traffic split (${n})`;
  }
}

/** Unsafe only for splits someone made and lshift left (split-left.ts): no rollback failed. */
function splitsLeftOnly(r: ReasonedRelease): boolean {
  const unsafe = r.functions.filter((f) => f.status === 'unsafe');
  return r.status === 'unsafe' && unsafe.length > 0 && unsafe.every(isSplitLeft);
}

function renderFacts(r: ReasonedRelease): string[] {
  const facts: [string, string][] = [
    ['release', r.releaseId],
    ['strategy', `${r.strategy ?? '?'} (${r.mode})`],
    ['functions', describeCounts(r.functions)],
    ['duration', formatDuration(Math.round((r.endedAt - r.startedAt) / 1000))],
    ['exit code', String(exitCodeForStatus(r.status))],
  ];
  return ['| | |', '|---|---|', ...facts.map(([k, v]) => `| ${k} | ${cell(v)} |`)];
}

function failedFunction(r: ReasonedRelease): ReasonedResult | undefined {
  const failed = r.failed;
  if (!failed) return undefined;
  return r.functions.find((f) => f.functionName === failed.functionName && f.alias === failed.alias);
}

/** The function that ended the release, in full: why, its verdicts, its charts. */
function renderDecider(f: ReasonedResult): string[] {
  const lines = [`### \`${f.functionName}:${f.alias}\` ${deciderRole(f, 'heading')}`, ''];
  if (f.reason) lines.push(inline(f.reason), '');
  if (f.verdicts.length > 0) {
    lines.push('| gate | outcome | summary |', '|---|---|---|');
    for (const v of f.verdicts) {
      lines.push(`| ${cell(v.gate)} | ${verdictOutcomeCell(v)} | ${cell(v.summary)} |`);
    }
    lines.push('');
  }
  lines.push(...renderMinuteCharts(f));
  return lines;
}

/**
 * What the function the release stopped for did: failed it, or was taken from it — its alias moved
 * by someone else, its record taken over, rolled back by another lshift. "`fb:live` failed the
 * release" said of a function whose alias was moved by hand read as if its checks had failed.
 */
function deciderRole(f: ReasonedResult, form: 'headline' | 'heading' | 'row'): string {
  const code = f.cause?.code ?? '';
  const taken = isTakenOver(f)
    ? `taken over${f.heldBy ? ` by ${f.heldBy.owner}` : ''}`
    : f.status === 'rolled_back' && code === 'ROLLED_BACK_BY_OTHER' && f.finishedBy
      ? `rolled back by ${f.finishedBy.owner}`
      : undefined;
  // Its health unread (one CloudWatch read serves every function: release-verdict.ts): no version failed.
  if (taken === undefined && code === 'HEALTH_UNREADABLE')
    return form === 'headline' ? 'health unreadable' : 'health unreadable: the release stopped for it';
  if (taken === undefined) return form === 'headline' ? 'failed' : 'failed the release';
  if (form === 'headline') return taken;
  return `${form === 'heading' ? 'was ' : ''}${taken}: the release stopped for it`;
}

/** In a long release: the decider, whatever needs a look, failed or unreadable, and whatever was never judged. */
function worthARow(f: ReasonedResult, decider: ReasonedResult | undefined): boolean {
  if (f === decider || f.fixCommand || f.aliasState) return true;
  if (!['promoted', 'nothing_to_deploy', 'rolled_back'].includes(f.status)) return true;
  // Inconclusive gates of a function rolled back for another are expected (it was cut short).
  return (
    neverJudged(f) !== undefined || f.verdicts.some((v) => v.outcome === 'fail' || v.outcome === 'error')
  );
}

function renderRow(f: ReasonedResult, decided: boolean): string {
  const versions = `${f.fromVersion ?? '?'} → ${f.toVersion ?? '?'}`;
  const result = [
    `${MARK[f.status]} ${f.status.replace(/_/g, ' ')}${decided ? ` (${deciderRole(f, 'row')})` : ''}`,
    describeResultAlias(f) || undefined,
    f.rollbackCommand ? `fix: \`${f.rollbackCommand}\`` : undefined,
    f.fixCommand ? `${f.rollbackCommand ? 'without lshift' : 'fix'}: \`${f.fixCommand}\`` : undefined,
  ].filter((part) => part !== undefined);
  return `| \`${f.functionName}:${f.alias}\` | ${versions} | ${finalWeight(f)} | ${cell(describeHealth(f))} | ${cell(result.join('; '))} |`;
}

/** The new version's share of the alias at the end (final-percent.ts), `?` when unknown. */
export function finalWeight(f: DeployResult): string {
  const percent = finalPercent(f);
  return percent === undefined ? '?' : formatPercent(percent);
}

/** The health as last polled: failing gates named, unreadable, never judged, healthy, or unwatched. */
function describeHealth(f: ReasonedResult): string {
  const failing = f.verdicts.filter((v) => v.outcome === 'fail').map((v) => v.gate);
  if (failing.length > 0) return `❌ ${failing.join(', ')} failed`;
  if (f.verdicts.some((v) => v.outcome === 'error')) return '⚠️ unreadable';
  if (neverJudged(f) !== undefined) return '❔ never judged';
  if (f.verdicts.some((v) => v.outcome === 'inconclusive')) return '❔ inconclusive';
  return f.verdicts.length > 0 ? '✅ healthy' : 'not watched';
}

/** "97 rolled back, 2 promoted": how many functions ended each way, most first. */
function describeCounts(functions: readonly DeployResult[]): string {
  const counts = new Map<string, number>();
  for (const f of functions) counts.set(f.status, (counts.get(f.status) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([status, count]) => `${count} ${status.replace(/_/g, ' ')}`)
    .join(', ');
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
