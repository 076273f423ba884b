/**
 * Every warning said before the shift starts (the CLI's own: nothing watches health, credentials,
 * the plan; and the engine preflight's: an event source mapping that bypasses the alias, a hook it
 * could not check) goes into the result's `warnings`, so `--json`, the plain summary and the GitHub
 * annotations carry what the screen showed: a CI pipeline reading `--json` never sees the screen.
 * Collected from the events as they are said, until the first weight write (`shift.started`);
 * after it, only what the canary analysis could not judge (`about: 'analysis'`: a settle wait that
 * gave up with the last step's minutes missing), which only the shift can tell: it was said as a
 * log line alone, and `--json`, the step summary and the annotations promoted without a word of
 * it (found by a hostile pass, session 61).
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
        if (e.type !== 'log' || e.level !== 'warn' || (shifting && e.about !== 'analysis')) return;
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

export interface SaidMemberWarnings {
  sink: EventSink;
  /** What the engine said about this function before its shift started, each once. */
  of(functionName: string): string[];
}

/**
 * A release's: the engine's checks of each function say their warnings with the function as
 * `target` (src/engine/release.ts namedEvents), kept until that function's shift starts. The
 * CLI's own (no target) are already in each function's result (release-warnings.ts).
 */
export function collectMemberWarnings(): SaidMemberWarnings {
  const said = new Map<string, string[]>();
  const shifting = new Set<string>();
  return {
    sink: {
      emit(e: EngineEvent) {
        const name = 'target' in e ? e.target?.functionName : undefined;
        if (name === undefined) return;
        if (e.type === 'shift.started' || e.type === 'deploy.finished') shifting.add(name);
        if (e.type !== 'log' || e.level !== 'warn' || (shifting.has(name) && e.about !== 'analysis')) return;
        said.set(name, [...(said.get(name) ?? []), e.message]);
      },
    },
    of: (functionName) => uniqueWarnings(said.get(functionName) ?? []),
  };
}
