/** Picks the progress renderer for a command run: listr2 at a TTY, plain lines in CI, NDJSON, or nothing under --json. */
import type { EventSink } from '../ports/event-sink.js';
import { createNdjsonRenderer, createPlainRenderer } from './renderers/line-renderers.js';
import { createListrRenderer, type ProgressLayout } from './renderers/listr-renderer.js';

export type OutputMode = 'auto' | 'plain' | 'ndjson';

export interface Progress {
  sink: EventSink;
  /** Ends the display (all pending tasks settle) and waits for it to flush. */
  finish(): Promise<void>;
}

export function createProgress(mode: OutputMode, json: boolean, layout: ProgressLayout): Progress {
  if (json) return { sink: { emit: () => {} }, finish: async () => {} };
  if (mode === 'ndjson') {
    return { sink: createNdjsonRenderer((t) => process.stdout.write(t)), finish: async () => {} };
  }
  if (mode === 'auto' && process.stderr.isTTY && !process.env.CI) {
    const { bus, done } = createListrRenderer(layout);
    return {
      sink: bus,
      // Closing the bus settles every pending task; calling finish again just awaits the same end.
      finish: async () => {
        bus.close();
        await done;
      },
    };
  }
  return { sink: createPlainRenderer((t) => process.stderr.write(t)), finish: async () => {} };
}
