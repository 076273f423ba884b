/** Event sinks for non-interactive output: plain timestamped lines (CI) and NDJSON. */

import type { EngineEvent } from '../../domain/events.js';
import type { EventSink } from '../../ports/event-sink.js';
import { withReason } from '../describe-outcome.js';
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

/** One JSON object per event, as it happens, for log processors (`--output ndjson`). */
export function createNdjsonRenderer(write: Write): EventSink {
  return {
    emit(event: EngineEvent) {
      // The engine's result is data; its `reason` is worded here, as in `--json`.
      const worded =
        event.type === 'deploy.finished' ? { ...event, result: withReason(event.result) } : event;
      write(`${JSON.stringify({ ...worded, time: new Date(event.at).toISOString() })}\n`);
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
