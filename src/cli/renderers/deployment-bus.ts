/**
 * The event bus of the TTY renderer for one deployment. `deploy --supersede` first rolls back the
 * deployment holding the alias, on the same event stream, before its own preflight passes: those
 * `rollback.*` events are not this deployment's. The tasks read `rollback.*` as this deployment's
 * ending (the rollback task appears, the shift is skipped as "no step run"), so a superseding
 * deploy that promoted showed a skipped shift and "Rolled back: all traffic on version 1". Before
 * this deployment's shift starts they are therefore turned into notes (`log` events with their
 * line), which the preflight task shows as it runs.
 */
import type { EngineEvent } from '../../domain/events.js';
import { describeEvent } from './describe-event.js';
import { EventBus } from './event-bus.js';

export class DeploymentBus extends EventBus {
  #shifting = false;
  #said: string | undefined;

  /**
   * A line from lshift itself (the first Ctrl-C was heard: how to exit at once), shown by the
   * task running then as a note, and kept for the rollback that follows it.
   */
  say(text: string, at: number): void {
    this.#said = text;
    this.emit({ type: 'log', at, level: 'info', message: text });
  }

  /**
   * A Node process warning (node-warnings.ts: `Warning: Node.js …`), said as the engine's
   * warnings are, so the task running then shows it (listr2 would hold it with every other write
   * to stderr until the list ends).
   */
  warn(line: string, at: number): void {
    this.emit({ type: 'log', at, level: 'warn', message: line.trim().replace(/^Warning: /, '') });
  }

  get said(): string | undefined {
    return this.#said;
  }

  override emit(event: EngineEvent): void {
    if (event.type === 'shift.started') this.#shifting = true;
    super.emit(this.#shifting ? event : asNoteIfRollback(event));
  }
}

function asNoteIfRollback(event: EngineEvent): EngineEvent {
  if (!event.type.startsWith('rollback.')) return event;
  return {
    type: 'log',
    at: event.at,
    level: event.type === 'rollback.failed' ? 'warn' : 'info',
    message: `supersede: ${describeEvent(event) ?? event.type}`,
  };
}
