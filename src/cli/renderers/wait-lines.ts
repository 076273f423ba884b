/**
 * What a deployment is waiting on, for the TTY renderer: the plain renderer prints every event on
 * a line of its own, but a listr2 task shows only what its own task sets. Between two weights no
 * step task runs, and the shift can still wait for minutes there (step hooks, the settle before
 * 100%), so those waits are kept from the moment they are emitted and the next step's task shows
 * them; during a step or the bake, the same lines cover the waits inside it (a provisioned-
 * concurrency wait after a weight write, the bake's settle). Every line names its bound when the
 * wait has one ("at most 6m", "5m 49s left").
 */
import type { EngineEvent } from '../../domain/events.js';
import { describeEvent } from './describe-event.js';
import type { EventBus } from './event-bus.js';
import { renderSparklines } from './sparkline.js';

export interface WaitLines {
  /** The wait's own line (a hook, the settle, a note), then the latest health line and its sparklines. */
  lines(): string[];
  /** The settle in progress, if one is: the phase it ends and its bound. */
  settle(): { phase: 'shift' | 'bake'; maxSeconds: number } | undefined;
  /** Called after every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** Events that say what is being waited on (shown until the next one replaces it). */
function isWaitEvent(e: EngineEvent): boolean {
  // A pause stops the hold's clock (its "left" stands still): say why, and who, until resume.
  if (e.type === 'settle.started' || e.type === 'log' || e.type === 'operator.command') return true;
  return (
    (e.type === 'hook.started' || e.type === 'hook.output' || e.type === 'hook.completed') &&
    e.phase === 'step'
  );
}

/** Tracks waits from now on; a new weight or the bake's start clears them. */
export function trackWaits(bus: EventBus): WaitLines {
  let wait: string | undefined;
  let health: string[] = [];
  let settle: { phase: 'shift' | 'bake'; maxSeconds: number } | undefined;
  // Notes before the shift (the plan's warnings) are no wait: the summary repeats them.
  let shifting = false;
  const listeners = new Set<() => void>();
  bus.subscribe((e) => {
    if (e.type === 'shift.started') shifting = true;
    if (!shifting) return;
    if (e.type === 'step.started' || e.type === 'step.completed' || e.type === 'bake.started') {
      wait = undefined;
      health = [];
      settle = undefined;
    } else if (isWaitEvent(e)) {
      wait = describeEvent(e);
      if (e.type === 'settle.started') settle = { phase: e.phase, maxSeconds: e.maxSeconds };
    } else if (e.type === 'health.polled') {
      health = [describeEvent(e) ?? '', ...renderSparklines(e.verdicts)];
    } else if (e.type === 'health.error') {
      health = [describeEvent(e) ?? ''];
    } else {
      return;
    }
    for (const listener of [...listeners]) listener();
  });
  return {
    lines: () => [...(wait === undefined ? [] : [wait]), ...health],
    settle: () => settle,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
