/**
 * Every warning said before the shift starts (the CLI's own: nothing watches health, credentials,
 * the plan; and the engine preflight's: an event source mapping that bypasses the alias, a hook it
 * could not check) goes into the result's `warnings`, so `--json`, the plain summary and the GitHub
 * annotations carry what the screen showed: a CI pipeline reading `--json` never sees the screen.
 * Collected from the events as they are said, until the first weight write (`shift.started`).
 */
import type { EngineEvent } from '../domain/events.js';
import type { EventSink } from '../ports/event-sink.js';

export interface SaidWarnings {
  sink: EventSink;
  /** In the order said, each once (a check repeated after the upload says its warning again). */
  list(): string[];
}

export function collectSaidWarnings(): SaidWarnings {
  const said: string[] = [];
  let shifting = false;
  return {
    sink: {
      emit(e: EngineEvent) {
        if (e.type === 'shift.started' || e.type === 'deploy.finished') shifting = true;
        if (shifting || e.type !== 'log' || e.level !== 'warn') return;
        said.push(e.message);
      },
    },
    list: () => uniqueWarnings(said),
  };
}

/** Each warning once, first place kept. */
export function uniqueWarnings(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}
