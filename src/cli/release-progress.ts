/**
 * Progress of a release of several functions: the table at a terminal, plain lines naming the
 * function in CI and under --json (stderr), NDJSON on stdout (every event names its function,
 * but `release.started`, which names the release: a plain line, or the table's title).
 */
import { stderr, stdout } from './output.js';
import type { OutputMode, Progress } from './progress.js';
import { createNdjsonRenderer } from './renderers/line-renderers.js';
import { createReleaseLineRenderer } from './renderers/release-lines.js';
import { createReleaseTable, type ReleaseTable } from './renderers/release-table.js';

export function createReleaseProgress(
  mode: OutputMode,
  json: boolean,
  members: readonly { functionName: string }[],
): Progress {
  const finish = async () => {};
  if (mode === 'none') return { sink: { emit() {} }, finish };
  if (mode === 'ndjson' && !json) {
    return { sink: createNdjsonRenderer((t) => stdout.write(t)), finish };
  }
  if (mode === 'auto' && !json && process.stderr.isTTY && !process.env.CI) {
    const table = createTerminalTable(members.map((m) => m.functionName));
    return { sink: table, finish };
  }
  return { sink: createReleaseLineRenderer((t) => stderr.write(t)), finish };
}

/** Redraws the table in place: up over the lines drawn last time, then each line cleared and written. */
function createTerminalTable(functions: string[]): ReleaseTable {
  let drawn = 0;
  return createReleaseTable(functions, (lines) => {
    const up = drawn > 0 ? `\u001b[${drawn}A` : '';
    stderr.write(`${up}${lines.map((l) => `\u001b[2K${l}\n`).join('')}`);
    drawn = lines.length;
  });
}
