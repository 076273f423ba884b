import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { Plan } from '../../domain/plan.js';
import { formatStrategy } from '../../domain/strategy.js';

/** The human timeline of `lshift plan` (and the header of a deploy). */
export function renderPlanTable(plan: Plan): string {
  const rows = plan.steps.map((s) => [
    String(s.index + 1),
    formatDuration(s.offsetSeconds),
    formatPercent(s.percent),
    formatDuration(s.holdSeconds),
  ]);
  const header = ['step', 'offset', 'weight', 'hold'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const stepWord = plan.steps.length === 1 ? 'step' : 'steps';
  return [
    `Strategy ${formatStrategy(plan.strategy)} (${plan.strategy.name})`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `total ${formatDuration(plan.totalSeconds)} (${plan.steps.length} ${stepWord})`,
    // All-at-once settles only at the end of a bake (the program says so): nothing before 100%.
    ...((plan.settleSeconds ?? 0) > 0 && plan.steps.length > 1
      ? [
          `then up to ${formatDuration(plan.settleSeconds ?? 0)} at ${formatPercent(plan.steps.at(-2)?.percent ?? 0)} before 100%, until CloudWatch has the last step's metrics${settleExtraText(plan)} (settle)`,
        ]
      : []),
  ].join('\n');
}

/** The settle's extra minutes at the last weight, in words (docs/analysis.md#the-settle-wait). */
function settleExtraText(plan: Plan): string {
  const extra = plan.settleExtraMinutes ?? 0;
  if (extra <= 0) return '';
  return ` and those of ${extra} more minute${extra === 1 ? '' : 's'} at that weight`;
}
