/**
 * Progress of a release of several functions: the table at a terminal, plain lines naming the
 * function in CI and under --json (stderr), NDJSON on stdout (every event names its function).
 */
import type { EventSink } from '../ports/event-sink.js';
import { stderr, stdout } from './output.js';
import type { OutputMode, Progress } from './progress.js';
import { createNdjsonRenderer } from './renderers/line-renderers.js';
import { createReleaseLineRenderer } from './renderers/release-lines.js';
import { createReleaseTable } from './renderers/release-table.js';

export function createReleaseProgress(
  mode: OutputMode,
  json: boolean,
  members: readonly { functionName: string }[],
): Progress {
  if (mode === 'none') return { sink: { emit() {} }, finish: async () => {} };
  if (mode === 'ndjson' && !json) {
    return { sink: createNdjsonRenderer((t) => stdout.write(t)), finish: async () => {} };
  }
  if (mode === 'auto' && !json && process.stderr.isTTY && !process.env.CI) {
    return { sink: createTerminalTable(members.map((m) => m.functionName)), finish: async () => {} };
  }
  return { sink: createReleaseLineRenderer((t) => stderr.write(t)), finish: async () => {} };
}

/** Redraws the table in place: up over the lines drawn last time, then each line cleared and written. */
function createTerminalTable(functions: string[]): EventSink {
  let drawn = 0;
  return createReleaseTable(functions, (lines) => {
    const up = drawn > 0 ? `\u001b[${drawn}A` : '';
    stderr.write(`${up}${lines.map((l) => `\u001b[2K${l}\n`).join('')}`);
    drawn = lines.length;
  });
}
