/**
 * Picks the progress renderer for a command run: listr2 when stderr and stdout are terminals (it
 * draws on stderr, but only when stdout is one too: fitsTaskList), plain lines in CI and under
 * --json (on stderr, so a CI log shows the canary as it goes while stdout keeps its one JSON
 * object), or NDJSON on stdout. Every write goes through the guarded streams (output.ts): a reader
 * that went away never stops the deployment.
 */

import type { CommandTarget } from '../domain/command-target.js';
import type { EventSink } from '../ports/event-sink.js';
import { markNdjsonProgress } from './ci-run-state.js';
import { readWallMs } from './clocks.js';
import type { ProgressMode } from './flags.js';
import { printNodeWarningsThrough } from './node-warnings.js';
import { stderr, stdout } from './output.js';
import { createNdjsonRenderer, createPlainRenderer } from './renderers/line-renderers.js';
import { createListrRenderer, type ProgressLayout } from './renderers/listr-renderer.js';

export type OutputMode = ProgressMode;

export interface Progress {
  sink: EventSink;
  /** Ends the display (all pending tasks settle) and waits for it to flush. */
  finish(): Promise<void>;
  /**
   * Says a line from lshift itself (the first Ctrl-C was heard) inside the display. Only the
   * TTY task list has it: listr2 holds every other write to stderr until it ends, so "send it
   * again to exit at once" showed only after the rollback it was about had finished.
   */
  say?: (text: string) => void;
}

export function createProgress(
  mode: OutputMode,
  json: boolean,
  layout: ProgressLayout,
  target: CommandTarget = {},
): Progress {
  if (mode === 'none') return { sink: { emit() {} }, finish: async () => {} };
  if (mode === 'ndjson' && !json) {
    markNdjsonProgress();
    return { sink: createNdjsonRenderer((t) => stdout.write(t), target), finish: async () => {} };
  }
  if (mode === 'auto' && !json && process.stderr.isTTY && !process.env.CI && fitsTaskList()) {
    const { bus, done, nodeWarning } = createListrRenderer(layout);
    // listr2 holds every other write to stderr until the list ends: a Node warning is shown in it
    // at once. One the list will not keep on screen (and the stack under --debug) is written to
    // stderr as well, which listr2 prints after the list.
    const giveStderrBack = printNodeWarningsThrough((text, part) => {
      if (part === 'stack' || !nodeWarning(text, readWallMs())) stderr.write(text);
    });
    return {
      sink: bus,
      // Closing the bus settles every pending task; calling finish again just awaits the same end.
      finish: async () => {
        giveStderrBack();
        bus.close();
        await done;
      },
      // Wall time: the note is the CLI's own, not an engine event on the (sandbox's) clock.
      say: (text) => bus.say(text.trim(), readWallMs()),
    };
  }
  return { sink: createPlainRenderer((t) => stderr.write(t)), finish: async () => {} };
}

/** Below this width a task list's indented lines are a few letters each: plain lines read better. */
const MIN_DISPLAY_COLUMNS = 20;

/**
 * Whether a display redrawn in place (the task list, a release's table) can be drawn on terminals
 * of these widths: each known and at least MIN_DISPLAY_COLUMNS. A pseudo-terminal nobody sized
 * reports 0 columns.
 */
export function fitsTerminalDisplay(
  widths: readonly (number | undefined)[],
  terminal: { rows?: number; term?: string; minRows?: number } = {},
): boolean {
  const { rows = process.stderr.rows, term = process.env.TERM, minRows = MIN_DISPLAY_ROWS } = terminal;
  // A dumb terminal (Emacs' shell, some log viewers) shows cursor movements as garbage; a frame
  // taller than the window scrolls and every redraw leaves a copy of it in the scrollback (found
  // by a hostile pass: 800 lines in 5 s at 5 rows). Plain lines then.
  if (term === 'dumb') return false;
  if (rows !== undefined && rows > 0 && rows < minRows) return false;
  return widths.every((columns) => (columns ?? 0) >= MIN_DISPLAY_COLUMNS);
}

/** A task list's frame: its title, preflight, publish, the step, health and bake lines, hooks. */
const MIN_DISPLAY_ROWS = 15;

/**
 * Whether the terminal is wide enough, and its width known, for listr2's task list. A
 * pseudo-terminal nobody sized (`script -q -c … /dev/null`, a CI step or container given a TTY
 * without a size) reports 0 columns, and listr2 wraps at that width minus its indentation: every
 * character, halves of escape sequences included, got a line of its own. listr2 wraps at
 * stdout's width although it draws on stderr: both count.
 *
 * And stdout must be a terminal too: with it redirected (`lshift deploy … > out.txt`, `| tee`)
 * listr2 draws no task list but falls back to its `simple` renderer, which printed bare task
 * titles ("❯ Traffic shift", "❯ Step 1/2: 10%") and every health line again at every poll — 4
 * lines each 10 s, long lines cut mid-word — instead of the plain lines made for a log.
 */
function fitsTaskList(): boolean {
  if (process.stdout.isTTY !== true) return false;
  return fitsTerminalDisplay([process.stderr.columns, process.stdout.columns]);
}
