import type { EngineEvent } from '../../src/domain/events.js';
import type { EventSink } from '../../src/ports/event-sink.js';

export type EventOfType<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

/** Collects every engine event, for assertions. */
export class RecordingSink implements EventSink {
  readonly events: EngineEvent[] = [];

  emit(event: EngineEvent): void {
    this.events.push(event);
  }

  ofType<T extends EngineEvent['type']>(type: T): EventOfType<T>[] {
    return this.events.filter((e): e is EventOfType<T> => e.type === type);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  /** The warnings said, each with its topic (the `about` of its `log` event; the GitHub title). */
  warnings(): { message: string; about: string | undefined }[] {
    return this.ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => ({ message: e.message, about: e.about }));
  }

  /** Log events' messages at a level (or all). */
  logs(level?: 'info' | 'warn'): string[] {
    return this.ofType('log')
      .filter((e) => level === undefined || e.level === level)
      .map((e) => e.message);
  }
}
