/**
 * Mermaid charts of the new vs the stable version per minute for the GitHub step summary
 * (GitHub renders ```mermaid blocks: https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams).
 * `xychart-beta` has no legend, so the title says which line is which; each minute's label
 * carries the weight written in it (`12:03 →20%`). A long shift or bake is drawn in buckets of
 * several minutes, at most 120 points a line (minute-buckets.ts).
 */
import type { DeployResult } from '../../domain/events.js';
import { type Buckets, bucketMinutes } from './minute-buckets.js';
import { errorRates, findPerMinute } from './sparkline.js';

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** "12:03 →20%" when a weight was written in that minute (or bucket), "12:03" otherwise. */
function labels(buckets: Buckets, steps: DeployResult['steps']): string[] {
  return buckets.series.at.map((at, i) => {
    const end = buckets.endsAt[i]!;
    const written = steps.filter((s) => s.startedAt >= at && s.startedAt < end).at(-1);
    return written ? `${clock(at)} →${written.percent}%` : clock(at);
  });
}

function chart(title: string, unit: string, x: string[], lines: (number | null)[][]): string[] {
  const keep = x.map((_, i) => lines.every((l) => l[i] !== null && Number.isFinite(l[i] as number)));
  const xs = x.filter((_, i) => keep[i]);
  if (xs.length < 2) return [];
  const ys = lines.map((l) => l.filter((_, i) => keep[i]) as number[]);
  const max = Math.max(...ys.flat());
  const top = max > 0 ? Number((max * 1.1).toPrecision(2)) : 1;
  const round = (v: number) => Number(v.toFixed(unit === '%' ? 2 : 0));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${xs.map((l) => `"${l}"`).join(', ')}]`,
    `  y-axis "${unit}" 0 --> ${top}`,
    ...ys.map((y) => `  line [${y.map(round).join(', ')}]`),
    '```',
  ];
}

/** The charts section, or nothing when the analysis compared no minutes. */
export function renderMinuteCharts(result: DeployResult): string[] {
  const perMinute = findPerMinute(result.verdicts);
  if (!perMinute) return [];
  const buckets = bucketMinutes(perMinute);
  const series = buckets.series;
  const x = labels(buckets, result.steps);
  const lines = `(1st line: version ${result.toVersion ?? 'new'}, 2nd: stable ${result.fromVersion ?? ''})`;
  const errors = chart(
    buckets.minutes === 1
      ? `Error rate per minute, % ${lines}`
      : `Error rate per ${buckets.minutes} minutes, % ${lines}`,
    '%',
    x,
    [
      errorRates(series.targetErrors, series.targetInvocations),
      errorRates(series.stableErrors, series.stableInvocations),
    ],
  );
  const p99 = chart(
    buckets.minutes === 1
      ? `p99 latency per minute, ms ${lines}`
      : `p99 latency, worst minute of each ${buckets.minutes}, ms ${lines}`,
    'ms',
    x,
    [series.targetP99, series.stableP99],
  );
  if (errors.length === 0 && p99.length === 0) return [];
  const heading = buckets.minutes === 1 ? 'per minute' : `per ${buckets.minutes} minutes`;
  return [`### New vs stable, ${heading}`, '', ...errors, '', ...p99, ''];
}
