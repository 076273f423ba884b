/**
 * At a terminal, a release of several functions shows as one table (issue 13): a row per
 * function with its weight on the new version, its health as last polled, and what it is doing,
 * redrawn in place as events arrive — not N copies of the single-function task list.
 */
import { formatPercent } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import type { Verdict } from '../../domain/verdict.js';
import type { EventSink } from '../../ports/event-sink.js';
import { describeReleaseStart } from './describe-event.js';
import { functionOf } from './release-lines.js';

interface Row {
  percent: number;
  health: string;
  state: string;
}

export interface ReleaseTable extends EventSink {
  /** The table as it stands, one string per line (the title, if any, then the header). */
  lines(): string[];
}

export function createReleaseTable(
  functions: readonly string[],
  redraw: (lines: string[]) => void,
): ReleaseTable {
  const rows = new Map<string, Row>(
    functions.map((f) => [f, { percent: 0, health: '—', state: 'checking' }]),
  );
  const width = Math.max(8, ...functions.map((f) => f.length));
  let title: string | undefined;
  // The release's own warnings before its first write (no function named): kept above the header,
  // where a redraw cannot wipe them before the operator has read them.
  const warnings: string[] = [];
  // `pause --release`: every function's hold stops, whichever function obeyed it.
  let paused = false;
  const stateOf = (row: Row) => (paused && row.state.startsWith('hold') ? 'paused, watched' : row.state);
  const lines = () => [
    ...(title === undefined ? [] : [title]),
    ...warnings.map((w) => `Warning: ${w}`),
    `${'FUNCTION'.padEnd(width)}  WEIGHT  ${'HEALTH'.padEnd(14)}  STATE`,
    ...functions.map((f) => {
      const row = rows.get(f)!;
      return `${f.padEnd(width)}  ${formatPercent(row.percent).padStart(6)}  ${row.health.padEnd(14)}  ${stateOf(row)}`;
    }),
  ];
  return {
    lines,
    emit(event: EngineEvent) {
      // A line above the header: the release id and how to abort it.
      if (event.type === 'release.started') {
        title = describeReleaseStart(event);
        redraw(lines());
        return;
      }
      if (
        event.type === 'operator.command' &&
        event.obeyed &&
        (event.verb === 'pause' || event.verb === 'resume')
      ) {
        paused = event.verb === 'pause';
        redraw(lines());
        return;
      }
      const name = functionOf(event);
      if (name === undefined && event.type === 'log' && event.level === 'warn') {
        warnings.push(event.message);
        redraw(lines());
        return;
      }
      const row = name === undefined ? undefined : rows.get(name);
      if (!row || !apply(row, event)) return;
      redraw(lines());
    },
  };
}

/** Updates a row from one event; false when the event changes nothing shown. */
function apply(row: Row, event: EngineEvent): boolean {
  switch (event.type) {
    case 'preflight.completed':
      row.state = `ready (${event.stableVersion} → ${event.targetVersion})`;
      return true;
    case 'step.started':
      row.percent = event.percent;
      row.state = `step ${event.index + 1}/${event.total}`;
      return true;
    case 'health.polled':
      row.percent = event.percent;
      row.health = describeHealth(event.verdicts);
      row.state = event.alongside
        ? `${event.percent > 0 ? 'promoted' : 'waiting its turn'}, watched`
        : event.remainingSeconds > 0
          ? `holding, ${Math.ceil(event.remainingSeconds)}s left`
          : 'held';
      return true;
    case 'bake.started':
      row.state = 'baking';
      return true;
    case 'rollback.started':
      row.state = 'rolling back';
      return true;
    case 'rollback.completed':
      row.percent = 0;
      row.state = `rolled back to ${event.toVersion}`;
      return true;
    case 'rollback.failed':
      row.state = 'ROLLBACK FAILED';
      return true;
    case 'deploy.finished':
      row.state = event.result.status.replaceAll('_', ' ');
      if (event.result.status === 'promoted') row.percent = 100;
      return true;
    default:
      return false;
  }
}

function describeHealth(verdicts: readonly Verdict[]): string {
  if (verdicts.some((v) => v.outcome === 'fail')) return 'FAILING';
  if (verdicts.some((v) => v.outcome === 'error')) return 'unreadable';
  if (verdicts.some((v) => v.outcome === 'inconclusive')) return 'inconclusive';
  return verdicts.length === 0 ? 'not watched' : 'ok';
}
