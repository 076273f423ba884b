import type { EngineEvent, WarningTopic } from '../domain/events.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';

/** An engine event without `at`; `emitEvent` stamps it with clock time. */
export type EventInput = EngineEvent extends infer E
  ? E extends EngineEvent
    ? Omit<E, 'at'>
    : never
  : never;

export function emitEvent(deps: { clock: Clock; events: EventSink }, event: EventInput): void {
  deps.events.emit({ ...event, at: deps.clock.now() } as EngineEvent);
}

/**
 * A warning, and what it is about (required: its GitHub `::warning` title, docs/ci.md). The
 * engine's only way to say one (test/engine/warning-topics.test.ts keeps it so). `functionGone`:
 * the warning that the function was found deleted (a release's table keeps its row saying so).
 */
export function logWarn(
  deps: { clock: Clock; events: EventSink },
  message: string,
  about: WarningTopic,
  functionGone = false,
): void {
  emitEvent(deps, { type: 'log', level: 'warn', message, about, ...(functionGone ? { functionGone } : {}) });
}

export function logInfo(deps: { clock: Clock; events: EventSink }, message: string): void {
  emitEvent(deps, { type: 'log', level: 'info', message });
}

/** The message of anything thrown, for reasons and events. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${code}: ${error.message}`
      : error.message;
  }
  return String(error);
}

/** describeError and, when the error has one, its hint: a report's row that gives the way out. */
export function describeErrorWithHint(error: unknown): string {
  const hint = (error as { hint?: unknown } | undefined)?.hint;
  return typeof hint === 'string' && hint ? `${describeError(error)} ${hint}` : describeError(error);
}
