import type { EngineEvent } from '../domain/events.js';

/** Renderers (listr2, plain lines, NDJSON, CI summary) subscribe to engine events through this. */
export interface EventSink {
  emit(event: EngineEvent): void;
}
