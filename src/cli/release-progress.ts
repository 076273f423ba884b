/**
 * Progress of a release of several functions: the table at a terminal, plain lines naming the
 * function in CI and under --json (stderr), NDJSON on stdout (every event names its function,
 * but `release.started` and the release's own hooks, which name the release: a plain line, or
 * the table's title and a line above its header).
 */

import type { CommandTarget } from '../domain/command-target.js';
import { printable } from '../domain/printable.js';
import { markNdjsonProgress } from './ci-run-state.js';
import { printNodeWarningsThrough } from './node-warnings.js';
import { stderr, stdout } from './output.js';
import { fitsTerminalDisplay, type OutputMode, type Progress } from './progress.js';
import { createNdjsonRenderer } from './renderers/line-renderers.js';
import { createReleaseLineRenderer } from './renderers/release-lines.js';
import { createReleaseTable, type ReleaseTable } from './renderers/release-table.js';

export function createReleaseProgress(
  mode: OutputMode,
  json: boolean,
  members: readonly { functionName: string }[],
  target: CommandTarget = {},
): Progress {
  const finish = async () => {};
  if (mode === 'none') return { sink: { emit() {} }, finish };
  if (mode === 'ndjson' && !json) {
    markNdjsonProgress();
    return { sink: createNdjsonRenderer((t) => stdout.write(t), target), finish };
  }
  // At a terminal of unknown width the rows a line takes are unknown, and so is how far up a redraw goes.
  // The table: a header and summary around a row per function.
  const tableFits = fitsTerminalDisplay([process.stderr.columns], { minRows: members.length + 6 });
  if (mode === 'auto' && !json && process.stderr.isTTY && !process.env.CI && tableFits) {
    const { table, stop } = startTerminalTable(
      members.map((m) => m.functionName),
      {
        write: (t) => stderr.write(t),
        writeControl: (c) => stderr.writeControl(c),
        columns: () => process.stderr.columns,
      },
    );
    // A line written under the table would be wiped, and throw its rows off, at the next redraw.
    return { sink: table, finish: async () => stop(), say: (text) => table.say(text.trim()) };
  }
  return { sink: createReleaseLineRenderer((t) => stderr.write(t)), finish };
}

/** Where the table is drawn: the guarded stderr at a terminal, a fake screen in tests. */
export interface TableTerminal {
  /** Text, made printable on its way. */
  write(text: string): void;
  /** lshift's own cursor movement and erasing, as it is. */
  writeControl(sequence: string): void;
  /** The terminal's width (undefined: unknown). */
  columns(): number | undefined;
}

/**
 * Redraws the table in place: up over the rows drawn last time, then each line written. A line
 * longer than the terminal is wide takes several rows (a warning, a long title), and going up by
 * lines only would leave copies of it above the table at every redraw.
 *
 * A Node process warning (node-warnings.ts) is not an engine event: it would be written under
 * the table, and the next redraw, going up by the table's rows only, would overdraw it and leave
 * the table's top rows behind. Until `stop`, it is printed above the table, which is then drawn
 * again under it: the warning stays in the terminal's scrollback, the table stays whole.
 */
export function startTerminalTable(
  functions: string[],
  terminal: TableTerminal,
): { table: ReleaseTable; stop: () => void } {
  let drawn = 0;
  let shown: string[] = [];
  const draw = (above: string) => {
    const { control, text } = redrawText(drawn, shown);
    terminal.writeControl(control);
    terminal.write(above + text);
    drawn = rowsTaken(shown, terminal.columns());
  };
  const table = createReleaseTable(functions, (lines) => {
    // One row each: a newline inside a line would throw the count of rows to go up off.
    shown = lines.map(printable);
    draw('');
  });
  const stop = printNodeWarningsThrough((text) => draw(text));
  return { table, stop };
}

/**
 * The text that replaces the `drawn` rows above the cursor with `lines`. Everything below the
 * first row is erased at once, not line by line: a line clear reaches only the first row of a
 * wrapped line, and when the rows shift (the title arrives above the warnings) the old text left
 * in the other rows showed through the shorter new lines.
 */
export function redrawText(drawn: number, lines: readonly string[]): { control: string; text: string } {
  const up = drawn > 0 ? `\u001b[${drawn}A` : '';
  return { control: `${up}\r\u001b[J`, text: lines.map((l) => `${l}\n`).join('') };
}

/** Terminal rows the lines take once wrapped at `columns` (unknown width: one row a line). */
export function rowsTaken(lines: readonly string[], columns: number | undefined): number {
  if (!columns || columns <= 0) return lines.length;
  return lines.reduce((rows, l) => rows + Math.max(1, Math.ceil([...l].length / columns)), 0);
}
