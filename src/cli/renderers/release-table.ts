/**
 * At a terminal, a release of several functions shows as one table (issue 13): a row per
 * function with its weight on the new version, its health as last polled, and what it is doing,
 * redrawn in place as events arrive — not N copies of the single-function task list.
 */
import { describeDeletionWhen } from '../../domain/deletion-words.js';
import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import type { Verdict } from '../../domain/verdict.js';
import type { EventSink } from '../../ports/event-sink.js';
import { describeEvent, describeNoData, describeReleaseStart } from './describe-event.js';
import { finalPercent } from './final-percent.js';
import { functionOf } from './release-lines.js';

interface Row {
  /** The last weight known to have landed (a poll at it, its step's end). */
  percent: number;
  /**
   * The weight being written (`step.started` is said as the write is sent): shown `→ 50%` until a
   * poll at its step or the step's end says it landed. Before, the column showed it at once, for
   * a write that may fail (found by a hostile pass).
   */
  writing?: { index: number; percent: number };
  health: string;
  state: string;
  /** Its shift started: a `log` naming it is then what it waits on, no longer a warning before it. */
  shifting: boolean;
  /** What its health polls count down: a step's hold, the settle (at most), the bake. */
  watch: 'hold' | 'settle' | 'bake';
  /** Its function (or alias) was found deleted: no weight or health is left to show. */
  gone?: boolean;
}

export interface ReleaseTable extends EventSink {
  /** The table as it stands, one string per line (the title, if any, then the header). */
  lines(): string[];
  /** A line from lshift itself (the first Ctrl-C was heard), kept above the header. */
  say(text: string): void;
}

export function createReleaseTable(
  functions: readonly string[],
  redraw: (lines: string[]) => void,
): ReleaseTable {
  const rows = new Map<string, Row>(
    functions.map((f) => [f, { percent: 0, health: '—', state: 'checking', shifting: false, watch: 'hold' }]),
  );
  const width = Math.max(8, ...functions.map((f) => f.length));
  let title: string | undefined;
  // The release's own warnings before its first write (no function named): kept above the header,
  // where a redraw cannot wipe them before the operator has read them.
  const warnings: string[] = [];
  // `pause --release`: every function's hold stops, whichever function obeyed it.
  let paused = false;
  const stateOf = (row: Row) => (paused && row.state.startsWith('hold') ? 'paused, watched' : row.state);
  let said: string | undefined;
  // A release hook running (or just ended), until the next weight, settle or bake.
  let releaseWait: string | undefined;
  const lines = () => {
    // Wider when a row names its alarms without data ("ok (orders-errors INSUFFICIENT_DATA)").
    const healthWidth = Math.max(14, ...functions.map((f) => rows.get(f)!.health.length));
    return [
      ...(title === undefined ? [] : [title]),
      ...warnings.map((w) => `Warning: ${w}`),
      ...(said === undefined ? [] : [said]),
      ...(releaseWait === undefined ? [] : [releaseWait]),
      `${'FUNCTION'.padEnd(width)}  WEIGHT  ${'HEALTH'.padEnd(healthWidth)}  STATE`,
      ...functions.map((f) => {
        const row = rows.get(f)!;
        const weight = row.gone
          ? '—'
          : row.writing
            ? `→ ${formatPercent(row.writing.percent)}`
            : formatPercent(row.percent);
        const health = row.gone ? '—' : row.health;
        return `${f.padEnd(width)}  ${weight.padStart(6)}  ${health.padEnd(healthWidth)}  ${stateOf(row)}`;
      }),
    ];
  };
  return {
    lines,
    say(text) {
      said = text;
      redraw(lines());
    },
    emit(event: EngineEvent) {
      // A line above the header: the release id and how to abort it.
      if (event.type === 'release.started') {
        title = describeReleaseStart(event);
        redraw(lines());
        return;
      }
      if (event.type === 'operator.command' && event.obeyed && event.verb !== 'abort') {
        // A promote frees a paused hold too (operator-control.ts); the polls then say so for sure.
        paused = event.verb === 'pause';
        redraw(lines());
        return;
      }
      // The engine's word at each poll: paused also after `deploy --resume` of a paused deployment.
      if (event.type === 'health.polled' && !event.alongside) paused = event.paused === true;
      // A hook of the whole release (its events carry the release's id): it holds every function.
      if (
        (event.type === 'hook.started' || event.type === 'hook.completed') &&
        event.releaseId !== undefined
      ) {
        releaseWait = `release ${describeEvent(event) ?? event.hook}`;
        redraw(lines());
        return;
      }
      // What comes next (a weight, the settle, the bake) is each row's again.
      if (['step.started', 'settle.started', 'bake.started'].includes(event.type)) releaseWait = undefined;
      const name = functionOf(event);
      const row = name === undefined ? undefined : rows.get(name);
      // Said before the shift (the preflight's, about one function: an event source mapping that
      // bypasses its alias): kept with the release's own, naming the function.
      if (event.type === 'log' && event.level === 'warn' && !row?.shifting) {
        warnings.push(name === undefined ? event.message : `${name}: ${event.message}`);
        redraw(lines());
        return;
      }
      if (!row || !apply(row, event)) return;
      redraw(lines());
    },
  };
}

/**
 * The words of a row whose function a read or write of its record found deleted mid-release
 * (deletion-words.ts): kept until its end, which says it again. Before, its next poll wrote
 * `holding … (alarms ok)` over the warning, and its rollback `rolling back` and `ROLLBACK FAILED`.
 */
const DELETED_STATE = describeDeletionWhen('function', 'shift', true);

/** Updates a row from one event; false when the event changes nothing shown. */
function apply(row: Row, event: EngineEvent): boolean {
  if (event.type === 'log' && event.functionGone) {
    row.gone = true;
    row.state = DELETED_STATE;
    return true;
  }
  if (row.gone && event.type !== 'deploy.finished') return false;
  switch (event.type) {
    case 'preflight.completed':
      row.state = `ready (${event.stableVersion} → ${event.targetVersion})`;
      return true;
    case 'shift.started':
      row.shifting = true;
      return false;
    case 'step.started':
      row.writing = { index: event.index, percent: event.percent };
      row.state = `step ${event.index + 1}/${event.total}`;
      row.watch = 'hold';
      return true;
    case 'health.polled':
      // Its percent is the alias's as last written (a poll during the write is at the weight before).
      row.percent = event.percent;
      if (row.writing && event.index >= row.writing.index) row.writing = undefined;
      row.health = describeHealth(event.verdicts);
      // Watched beside a wait (a hook, provisioned concurrency): its own line says what holds the weight.
      if (event.during) return true;
      row.state = event.alongside
        ? describeAlongside(row.watch, event.percent)
        : describeWatch(row.watch, event.remainingSeconds);
      return true;
    case 'health.error':
      // Unknown health is never shown as the last good poll.
      row.health = `unreadable ${event.consecutive}/${event.limit}`;
      return true;
    case 'bake.started':
      row.state = 'baking';
      row.watch = 'bake';
      return true;
    // What holds the weight between two steps, as the single-function view shows it (wait-lines.ts).
    case 'settle.started':
      row.state = `waiting for metrics to arrive, at most ${formatDuration(event.maxSeconds)}`;
      row.watch = 'settle';
      return true;
    // A function's own hook (the release's show above the header). Its output lines are not
    // shown: each would redraw the whole table, and a hook may print thousands.
    case 'hook.started':
    case 'hook.completed':
      row.state = describeEvent(event) ?? row.state;
      return true;
    case 'log':
      // During its shift: a note on what it waits for (a provisioned-concurrency wait, the settle's end).
      row.state = describeEvent(event) ?? row.state;
      return true;
    case 'step.completed':
      if (!row.writing || event.index < row.writing.index) return false;
      row.writing = undefined;
      row.percent = event.percent;
      return true;
    case 'rollback.started':
      // A write in flight failed or was stopped: the column keeps the last weight that landed.
      row.writing = undefined;
      row.state = event.functionDeleted ? 'function deleted' : 'rolling back';
      return true;
    case 'rollback.completed':
      row.percent = 0;
      row.state = `rolled back to ${event.toVersion}`;
      return true;
    case 'rollback.failed':
      row.state = event.deleted
        ? `${event.deleted} deleted, nothing to roll back`
        : event.conflict
          ? 'rollback stopped: moved by someone else'
          : 'ROLLBACK FAILED';
      return true;
    case 'deploy.finished':
      row.state = event.result.status.replaceAll('_', ' ');
      // "60%  ok  failed" read as a function still split and healthy; it no longer exists. Exit 1,
      // not a failed rollback (exit 4): the reason says when it went (deletion-words.ts).
      if (event.result.cause?.code === 'ROLLBACK_TARGET_DELETED') {
        row.gone = true;
        row.state = `failed: ${event.result.cause.data.what} deleted, nothing to roll back`;
      }
      // Rolled back by another lshift (`lshift rollback fb` from a second terminal), a function
      // sends no `rollback.completed` of this process: its row kept the last weight written.
      // Known at the end, it is the weight; else a write not seen landing stays `→ 20%`.
      if (finalPercent(event.result) !== undefined) row.writing = undefined;
      row.percent = finalPercent(event.result) ?? row.percent;
      return true;
    default:
      return false;
  }
}

/** What a poll's countdown is: a hold's end, the settle's bound (it ends once the data are in), the bake's end. */
function describeWatch(watch: Row['watch'], remainingSeconds: number): string {
  const left = formatDuration(Math.ceil(remainingSeconds));
  if (watch === 'settle') {
    return remainingSeconds > 0
      ? `waiting for metrics to arrive, at most ${left} more`
      : 'waiting for metrics to arrive';
  }
  if (remainingSeconds <= 0) return watch === 'bake' ? 'baked' : 'held';
  return `${watch === 'bake' ? 'baking' : 'holding'}, ${left} left`;
}

/**
 * Watched while others still hold or settle: `--stagger`'s functions before the one walking
 * (promoted) and after it (waiting its turn), or, in lockstep, one whose own settle or hold ended
 * a poll before the others' (still at its weight, not promoted).
 */
function describeAlongside(watch: Row['watch'], percent: number): string {
  if (watch === 'settle') return 'metrics in, watched until the others have theirs';
  if (percent >= 100) return 'promoted, watched';
  return percent > 0 ? 'held, watched' : 'waiting its turn, watched';
}

function describeHealth(verdicts: readonly Verdict[]): string {
  if (verdicts.some((v) => v.outcome === 'fail')) return 'FAILING';
  if (verdicts.some((v) => v.outcome === 'error')) return 'unreadable';
  if (verdicts.some((v) => v.outcome === 'inconclusive')) return 'inconclusive';
  // "ok" alone read as if alarms without data had looked at the new version (as the plain lines say).
  return verdicts.length === 0 ? 'not watched' : `ok${describeNoData([...verdicts])}`;
}
