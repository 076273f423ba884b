/** Event sinks for non-interactive output: plain timestamped lines (CI, ./plain-renderer.ts) and NDJSON. */

import type { CommandTarget } from '../../domain/command-target.js';
import type { EngineEvent } from '../../domain/events.js';
import { printableJson } from '../../domain/printable.js';
import { describeError } from '../../engine/emit.js';
import type { EventSink } from '../../ports/event-sink.js';
import { markEventWritten } from '../ci-run-state.js';
import { eventReasonOptions, withReason } from '../describe-outcome.js';
import { stderr } from '../output.js';
import { awsMessages, noteOutsideTextOf, outsideTexts } from '../outside-text.js';
import { runTarget } from '../run-target.js';
import { SCHEMA_VERSION } from '../schema-version.js';
import { targetCommandsInJson, targetResult } from '../targeted-result.js';

type Write = (text: string) => void;

export { createPlainRenderer } from './plain-renderer.js';

/**
 * One JSON object per event, as it happens, for log processors (`--progress ndjson`). The
 * contract (schemas/events.schema.json, docs/events.md) is added here, not in the engine's types:
 * `schemaVersion`, `time` (ISO 8601 of `at`) and `step` (1-based, as the UI shows it) for events
 * that carry a 0-based step `index`. Whatever else an event carries is passed through. Its
 * commands carry the run's `target` flags (targeted-result.ts; by default the runtime's,
 * run-target.ts), as in `--json`.
 */
export function createNdjsonRenderer(write: Write, target?: CommandTarget): EventSink {
  return {
    emit(event: EngineEvent) {
      const step = 'index' in event && typeof event.index === 'number' ? { step: event.index + 1 } : {};
      // The engine's result is data; its `reason` is worded here, as in `--json`.
      const worded =
        event.type === 'deploy.finished'
          ? {
              ...event,
              result: withReason(
                targetResult(event.result, target ?? runTarget()),
                eventReasonOptions(event),
              ),
            }
          : event;
      // Every command an event's words offer (a warning's, a refusal's) acts where the run does.
      const line = targetCommandsInJson(
        {
          schemaVersion: SCHEMA_VERSION,
          ...worded,
          ...step,
          time: new Date(event.at).toISOString(),
        },
        target ?? runTarget(),
        '',
        outsideTexts(),
        awsMessages(),
      );
      write(`${printableJson(JSON.stringify(line))}\n`);
      markEventWritten(event.at);
    },
  };
}

export function combineSinks(...sinks: EventSink[]): EventSink {
  return isolateSinks(sinks, (error) =>
    stderr.write(
      `\nlshift: a progress display failed and is switched off; the deployment goes on without it (${describeError(error)}).\n`,
    ),
  );
}

/**
 * Every sink gets every event, and one that throws (a renderer's bug) is dropped after
 * `onFailure` says so, once: the error never reaches the engine. There it would end the shift as
 * an internal error, and then end its rollback too, whose own events it would throw from again:
 * a display must no more stop a deployment than a closed pipe does (output.ts).
 */
export function isolateSinks(sinks: readonly EventSink[], onFailure: (error: unknown) => void): EventSink {
  const live = [...sinks];
  return {
    emit(event) {
      // Before any sink writes it: what the event quotes from outside keeps its own words.
      noteOutsideTextOf(event);
      for (const sink of [...live]) {
        try {
          sink.emit(event);
        } catch (error) {
          live.splice(live.indexOf(sink), 1);
          onFailure(error);
        }
      }
    },
  };
}
