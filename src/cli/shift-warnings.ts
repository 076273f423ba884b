/**
 * The CLI's warnings about a shift (nothing watches health, `--detach` leaves an `--alarm` unread,
 * holds no poll sees, credentials that may expire mid-shift: deploy-warnings.ts,
 * detach-warning.ts) are said only once they matter: just before the engine's `shift.started`
 * (before the first weight moves or CodeDeploy is asked to move one), or at the first thing the
 * checks say against the deploy — a check that refuses it (so one run names everything to fix)
 * or a warning of their own (said after the CLI's, as before). A run that ends with neither —
 * the alias already on the version (`nothing_to_deploy`) — says none of them: "nothing reads
 * --alarm …" over a deploy that did nothing was a false alarm, in the log, the result's
 * `warnings` and a CI annotation. A release holds its warnings the same way: due at its first
 * function's `shift.started`; a release whose functions are all on their version ends with their
 * `deploy.finished` and says none.
 */
import type { EngineEvent } from '../domain/events.js';
import type { EventSink } from '../ports/event-sink.js';
import { emitWarnings, type SaidWarning } from './deploy-warnings.js';

export interface ShiftWarnings {
  /** The sink the engine emits to: it says the held warnings when they come due. */
  sink: EventSink;
  hold(warnings: readonly SaidWarning[]): void;
  /** Says what is still held now: a dry run's checks passed and it would move weights. */
  release(at: number): void;
  /** Whether any held warning was said: only then does a result carry it (a release's). */
  said(): boolean;
}

/** `say`: where the held warnings go, when not with the engine's events (a dry run's answer). */
export function holdUntilShift(events: EventSink, say: EventSink = events): ShiftWarnings {
  let held: SaidWarning[] = [];
  let said = false;
  const release = (at: number) => {
    const warnings = held;
    held = [];
    said ||= warnings.length > 0;
    emitWarnings(say, at, warnings);
  };
  return {
    sink: {
      emit(e: EngineEvent) {
        if (isDue(e)) release(e.at);
        else if (e.type === 'deploy.finished') held = [];
        events.emit(e);
      },
    },
    hold(warnings) {
      held.push(...warnings);
    },
    release,
    said: () => said,
  };
}

function isDue(e: EngineEvent): boolean {
  if (e.type === 'shift.started') return true;
  if (e.type === 'preflight.check') return !e.ok;
  return e.type === 'log' && e.level === 'warn';
}
