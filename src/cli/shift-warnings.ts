/**
 * The CLI's warnings about a shift (nothing watches health, `--detach` leaves an `--alarm` unread,
 * holds no poll sees, credentials that may expire mid-shift: deploy-warnings.ts,
 * detach-warning.ts) are said only once there is a shift: held until the engine's
 * `shift.started` and said just before it, so before the first weight moves or CodeDeploy is
 * asked to move one. A run that ends without a shift — the alias already on the version
 * (`nothing_to_deploy`), a refusal — says none of them: "nothing reads --alarm …" over a deploy
 * that did nothing was a false alarm, in the log, the result's `warnings` and a CI annotation.
 */
import type { EngineEvent } from '../domain/events.js';
import type { EventSink } from '../ports/event-sink.js';
import { emitWarnings, type SaidWarning } from './deploy-warnings.js';

export interface ShiftWarnings {
  /** The sink the engine emits to: it says the held warnings just before `shift.started`. */
  sink: EventSink;
  hold(warnings: readonly SaidWarning[]): void;
}

export function holdUntilShift(events: EventSink): ShiftWarnings {
  let held: SaidWarning[] = [];
  return {
    sink: {
      emit(e: EngineEvent) {
        if (e.type === 'shift.started' || e.type === 'deploy.finished') {
          const due = held;
          held = [];
          if (e.type === 'shift.started') emitWarnings(events, e.at, due);
        }
        events.emit(e);
      },
    },
    hold(warnings) {
      held.push(...warnings);
    },
  };
}
