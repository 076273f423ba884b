/**
 * Plain lines for CI logs (no TTY): one line per event a person reading the log needs.
 * - preflight: failed checks only, then one "passed N checks" line;
 * - health polls: a line when the picture (alarm states, gate outcomes) changes, not when only
 *   the wording of a reason does (its minute range moves every poll); otherwise at most one
 *   "still holding, N left" line a minute during a hold or the bake;
 * - a step's end only for the last step ("100% reached"): the next step's line says the same.
 * Timestamps are clock time: under a sandbox they are simulated time.
 */
import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import { printable } from '../../domain/printable.js';
import type { EventSink } from '../../ports/event-sink.js';
import { describeEvent, gateOutcomeWords, summarizeHealth } from './describe-event.js';

type Write = (text: string) => void;
type HealthEvent = Extract<EngineEvent, { type: 'health.polled' }>;

const STILL_HOLDING_EVERY_MS = 60_000;

export function createPlainRenderer(write: Write): EventSink {
  let picture = '';
  let lastLineAt = 0;
  let okChecks = 0;
  let total = 0;
  let baking = false;
  /** The settle before 100% or at the end of the bake: its polls count down its bound, not a hold. */
  let settling = false;
  /** The hold's clock is stopped by an operator's pause (the last poll's `paused`, or a verb since). */
  let paused = false;
  const line = (at: number, text: string) => {
    lastLineAt = at;
    // One line each, whatever the outside values in it (a newline there cannot start another).
    write(`${new Date(at).toISOString()} ${printable(text)}\n`);
  };
  return {
    emit(event: EngineEvent) {
      switch (event.type) {
        case 'preflight.started':
          okChecks = 0;
          break;
        case 'preflight.check':
          if (event.ok) {
            okChecks++;
            return;
          }
          break;
        case 'preflight.stopped':
          return line(
            event.at,
            `preflight: passed ${okChecks} checks before the upload (stable ${event.stableVersion}; the checks that need the new version did not run)`,
          );
        case 'preflight.completed':
          return line(
            event.at,
            `preflight: passed ${okChecks} checks (stable ${event.stableVersion} → target ${event.targetVersion})`,
          );
        case 'step.started':
          total = event.total;
          settling = false;
          break;
        case 'settle.started':
          settling = true;
          break;
        case 'step.completed':
          if (event.index + 1 < total) return;
          break;
        case 'bake.started':
          baking = true;
          break;
        case 'operator.command':
          // A promote frees a paused hold too (operator-control.ts).
          if (event.obeyed && event.verb !== 'abort') paused = event.verb === 'pause';
          break;
        case 'health.polled':
          // The engine's word at each poll: paused also after `deploy --resume` of a paused deployment.
          if (!event.alongside) paused = event.paused === true;
          return health(event);
      }
      const text = describeEvent(event);
      if (text !== undefined) line(event.at, text);
    },
  };

  function health(event: HealthEvent): void {
    const now = healthPicture(event);
    if (now !== picture) {
      picture = now;
      const text = describeEvent(event);
      if (text !== undefined) line(event.at, text);
      return;
    }
    if (event.remainingSeconds <= 0 || event.at - lastLineAt < STILL_HOLDING_EVERY_MS) return;
    const left = formatDuration(Math.round(event.remainingSeconds));
    if (settling) {
      // Before: "step 1/2: still holding at 50%, 4m 40s left", as if the step's hold had grown.
      const at = formatPercent(event.percent);
      line(
        event.at,
        `settle: still waiting for metrics at ${at}, at most ${left} left (${shortHealth(event)})`,
      );
      return;
    }
    const where = baking
      ? 'bake: still watching at 100%'
      : `step ${event.index + 1}/${total}: ${paused ? 'paused' : 'still holding'} at ${formatPercent(event.percent)}`;
    line(event.at, `${where}, ${left} left${paused ? ' once resumed' : ''} (${shortHealth(event)})`);
  }
}

/** What changes the health picture: alarm states and each gate's outcome, not the reasons' wording. */
function healthPicture(event: HealthEvent): string {
  const alarms = event.alarms.map((a) => `${a.name}=${a.state}`).join(',');
  const gates = event.verdicts.map((v) => `${v.gate}=${v.outcome}`).join(',');
  return `${alarms}|${gates}`;
}

/** "alarms ok; error-rate-increase inconclusive" — the outcomes only; the reasons were printed when they changed. */
function shortHealth(event: HealthEvent): string {
  if (event.verdicts.length === 0) return summarizeHealth(event.alarms.length, event.verdicts);
  return event.verdicts.map(gateOutcomeWords).join(', ');
}
