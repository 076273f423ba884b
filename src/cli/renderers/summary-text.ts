/**
 * Text that goes into a GitHub job summary (Markdown): a table cell, a line, a failed hook's
 * output, a verdict's outcome. The text comes from other people's endpoints, functions and alarms,
 * so nothing in it may write Markdown or HTML of its own onto the job page.
 */

import type { Verdict } from '../../domain/verdict.js';
import { ALARM_GATE_NAME } from '../../engine/alarm-gate.js';
import { describeHowMany, describeOutputSource, type FailedHookOutput } from '../hook-output.js';

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
export function redactHook(hook: string): string {
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
