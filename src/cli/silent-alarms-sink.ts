/**
 * Collects the alarm states of every health poll of one deployment (`health.polled`), so the
 * end of a promoted deploy can say which alarms never had data (src/domain/silent-alarms.ts).
 */
import type { EngineEvent } from '../domain/events.js';
import type { AlarmState } from '../domain/health-readings.js';
import { describeSilentAlarms } from '../domain/silent-alarms.js';
import type { EventSink } from '../ports/event-sink.js';

export interface SilentAlarmsWatch {
  sink: EventSink;
  /** The warning for a promotion to `version`, or undefined when every alarm had data once. */
  describe(version: string | undefined): string | undefined;
}

export function watchSilentAlarms(): SilentAlarmsWatch {
  const polls: AlarmState[][] = [];
  return {
    sink: {
      emit(e: EngineEvent) {
        if (e.type === 'health.polled') polls.push(e.alarms);
      },
    },
    describe: (version) => describeSilentAlarms(polls, version),
  };
}
