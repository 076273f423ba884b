/** Event sinks for non-interactive output: plain timestamped lines (CI) and NDJSON. */
import type { EngineEvent } from '../../domain/events.js';
import type { EventSink } from '../../ports/event-sink.js';
import { SCHEMA_VERSION } from '../schema-version.js';
import { describeEvent, summarizeHealth } from './describe-event.js';

type Write = (text: string) => void;

/** One line per event. Timestamps are clock time: under a sandbox they are simulated time. */
export function createPlainRenderer(write: Write): EventSink {
  let lastHealth = '';
  return {
    emit(event: EngineEvent) {
      if (event.type === 'health.polled') {
        // A poll line only when the picture changes, so a long hold does not flood CI logs.
        const picture = `${event.index}|${summarizeHealth(event.alarms.length, event.verdicts)}`;
        if (picture === lastHealth) return;
        lastHealth = picture;
      }
      const line = describeEvent(event);
      if (line !== undefined) write(`${new Date(event.at).toISOString()} ${line}\n`);
    },
  };
}

/**
 * One JSON object per event, as it happens, for log processors (`--progress ndjson`). The
 * contract (schemas/events.schema.json, docs/events.md) is added here, not in the engine's types:
 * `schemaVersion`, `time` (ISO 8601 of `at`) and `step` (1-based, as the UI shows it) for events
 * that carry a 0-based step `index`. Whatever else an event carries is passed through.
 */
export function createNdjsonRenderer(write: Write): EventSink {
  return {
    emit(event: EngineEvent) {
      const step = 'index' in event && typeof event.index === 'number' ? { step: event.index + 1 } : {};
      const line = {
        schemaVersion: SCHEMA_VERSION,
        ...event,
        ...step,
        time: new Date(event.at).toISOString(),
      };
      write(`${JSON.stringify(line)}\n`);
    },
  };
}

export function combineSinks(...sinks: EventSink[]): EventSink {
  return {
    emit(event) {
      for (const sink of sinks) sink.emit(event);
    },
  };
}
