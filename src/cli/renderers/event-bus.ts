/** Lets a renderer's tasks wait for engine events that have happened or are yet to come. */
import type { EngineEvent } from '../../domain/events.js';
import type { EventSink } from '../../ports/event-sink.js';

type Listener = (event: EngineEvent | undefined) => void;

export class EventBus implements EventSink {
  private readonly history: EngineEvent[] = [];
  private readonly listeners = new Set<Listener>();
  private closed = false;

  emit(event: EngineEvent): void {
    // A hook's output lines are shown as they come and never waited for; kept, a hook that prints
    // without end (a test runner in a loop, `yes`) would grow the history until lshift runs out
    // of memory mid-deployment.
    if (event.type !== 'hook.output') this.history.push(event);
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Ends every pending wait (with undefined): the deployment is over, however it ended. */
  close(): void {
    this.closed = true;
    for (const listener of [...this.listeners]) listener(undefined);
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    const wrapped: Listener = (event) => {
      if (event) listener(event);
    };
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /**
   * Resolves with the first event (past or future) matching `match`, or undefined when the
   * deployment finished first (`deploy.finished`, or the bus closed).
   */
  waitFor(match: (event: EngineEvent) => boolean, from = 0): Promise<EngineEvent | undefined> {
    const past = this.history.slice(from).find((e) => match(e) || e.type === 'deploy.finished');
    if (past) return Promise.resolve(match(past) ? past : undefined);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const listener: Listener = (event) => {
        if (event && !match(event) && event.type !== 'deploy.finished') return;
        this.listeners.delete(listener);
        resolve(event && match(event) ? event : undefined);
      };
      this.listeners.add(listener);
    });
  }

  seen(match: (event: EngineEvent) => boolean): EngineEvent | undefined {
    return this.history.find(match);
  }

  /** The events seen after `event` (one this bus has seen; none if it has not), oldest first. */
  seenAfter(event: EngineEvent): EngineEvent[] {
    const index = this.history.indexOf(event);
    return index < 0 ? [] : this.history.slice(index + 1);
  }
}
