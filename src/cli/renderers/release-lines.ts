/**
 * Plain lines for a release of several functions (issue 13): each function's events go to its
 * own plain renderer (its preflight count, health picture and holds are its own), and every line
 * names the function after the timestamp. Events that name no function (the CLI's own warnings,
 * the hooks of the whole release, which carry its `releaseId` instead) print as they are.
 */
import type { EngineEvent } from '../../domain/events.js';
import { printable } from '../../domain/printable.js';
import type { EventSink } from '../../ports/event-sink.js';
import { createPlainRenderer } from './plain-renderer.js';

type Write = (text: string) => void;

export function createReleaseLineRenderer(write: Write): EventSink {
  const shared = createPlainRenderer(write);
  const perFunction = new Map<string, EventSink>();
  const rendererOf = (name: string) => {
    let sink = perFunction.get(name);
    if (!sink) {
      // After the timestamp, on the line the plain renderer made printable: printable itself.
      const shown = printable(name);
      sink = createPlainRenderer((text) =>
        write(text.replace(/^(\S+) /, (_, time: string) => `${time} ${shown}: `)),
      );
      perFunction.set(name, sink);
    }
    return sink;
  };
  return {
    emit(event: EngineEvent) {
      const name = functionOf(event);
      (name === undefined ? shared : rendererOf(name)).emit(event);
    },
  };
}

/** The function an event is about: its `target` (a release adds it) or its own `functionName`. */
export function functionOf(event: EngineEvent): string | undefined {
  if ('target' in event && event.target) return event.target.functionName;
  return 'functionName' in event ? event.functionName : undefined;
}
