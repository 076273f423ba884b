/**
 * The timeline table of a deploy's job summary: each step, the bake, each hook and the rollback, in
 * the order they started.
 */

import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import type { ReasonedResult } from '../describe-outcome.js';
import { STEP_RESULT_CELL } from './step-result-words.js';
import { redactHook } from './summary-text.js';

export interface TimelineRow {
  at: number;
  offsetSeconds: number;
  step: string;
  weight: string;
  result: string;
}

export function buildTimeline(result: ReasonedResult, events: EngineEvent[], base: number): TimelineRow[] {
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
