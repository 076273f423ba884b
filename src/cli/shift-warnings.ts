/**
 * The CLI's warnings about a shift (nothing watches health, `--detach` leaves an `--alarm` unread,
 * holds no poll sees, credentials that may expire mid-shift: deploy-warnings.ts,
 * detach-warning.ts) are said only once they matter: just before the engine's `shift.started`
 * (before the first weight moves or CodeDeploy is asked to move one), or at the first thing the
 * checks say against the deploy — a check that refuses it (so one run names everything to fix)
 * or a warning of their own (said after the CLI's, as before). A run that ends with neither —
 * the alias already on the version (`nothing_to_deploy`) — says none of them: "nothing reads
 * --alarm …" over a deploy that did nothing was a false alarm, in the log, the result's
 * `warnings` and a CI annotation.
 */
import type { EngineEvent } from '../domain/events.js';
import type { EventSink } from '../ports/event-sink.js';
import { emitWarnings, type SaidWarning } from './deploy-warnings.js';

export interface ShiftWarnings {
  /** The sink the engine emits to: it says the held warnings when they come due. */
  sink: EventSink;
  hold(warnings: readonly SaidWarning[]): void;
}

export function holdUntilShift(events: EventSink): ShiftWarnings {
  let held: SaidWarning[] = [];
  return {
    sink: {
      emit(e: EngineEvent) {
        const due = isDue(e);
        if (due || e.type === 'deploy.finished') {
          const warnings = held;
          held = [];
          if (due) emitWarnings(events, e.at, warnings);
        }
        events.emit(e);
      },
    },
    hold(warnings) {
      held.push(...warnings);
    },
  };
}

function isDue(e: EngineEvent): boolean {
  if (e.type === 'shift.started') return true;
  if (e.type === 'preflight.check') return !e.ok;
  return e.type === 'log' && e.level === 'warn';
}
