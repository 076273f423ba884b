/**
 * Collects the alarm states of every health poll of one deployment (`health.polled`), so the
 * end of a promoted deploy can say which alarms never had data (src/domain/silent-alarms.ts).
 * A release's polls are kept per function (its events carry `target`: release.ts, namedEvents).
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

export interface ReleaseSilentAlarmsWatch {
  sink: EventSink;
  /** The warning for `functionName` promoted to `version`, as a single deploy's. */
  describe(functionName: string, version: string | undefined): string | undefined;
}

/** The same, one poll list per function of a release; a poll naming no function is not counted. */
export function watchReleaseSilentAlarms(): ReleaseSilentAlarmsWatch {
  const polls = new Map<string, AlarmState[][]>();
  return {
    sink: {
      emit(e: EngineEvent) {
        const name = 'target' in e ? e.target?.functionName : undefined;
        if (e.type !== 'health.polled' || name === undefined) return;
        polls.set(name, [...(polls.get(name) ?? []), e.alarms]);
      },
    },
    describe: (functionName, version) => describeSilentAlarms(polls.get(functionName) ?? [], version),
  };
}
