/**
 * The warnings said before the shift starts, for the TTY renderer: the CLI's (deploy-warnings.ts:
 * nothing watches health, holds no poll sees, what the analysis cannot judge with this plan, the
 * credentials expiring mid-shift) and the preflight's (an event source mapping that bypasses the
 * alias, a hook it could not check). The plain renderer prints each on a line as it comes, but a
 * listr2 task shows only what its own task sets, and the CLI says its warnings before any task
 * could subscribe: so they are kept from the moment they are emitted, and the task running then
 * shows them (the preflight's for the whole shift, where the operator sees them before the first
 * weight moves, not only in the final summary).
 */
import type { EngineEvent } from '../../domain/events.js';
import { printable } from '../../domain/printable.js';
import type { EventBus } from './event-bus.js';

export interface EarlyWarnings {
  /** One line each ("Warning: …"), in the order said; a warning said twice (a check repeated after the upload) once. */
  lines(): string[];
  /** Called after every new warning; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

/** Tracks `log` warnings from now until the shift starts (after it, wait-lines.ts shows them). */
export function trackEarlyWarnings(bus: EventBus): EarlyWarnings {
  const said: string[] = [];
  const listeners = new Set<() => void>();
  const stop = bus.subscribe((e: EngineEvent) => {
    if (e.type === 'shift.started' || e.type === 'deploy.finished') {
      stop();
      return;
    }
    if (e.type !== 'log' || e.level !== 'warn') return;
    const line = printable(`Warning: ${e.message}`);
    if (said.includes(line)) return;
    said.push(line);
    for (const listener of [...listeners]) listener();
  });
  return {
    lines: () => [...said],
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
