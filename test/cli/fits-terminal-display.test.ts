import { describe, expect, it } from 'vitest';
import { fitsTerminalDisplay } from '../../src/cli/progress.js';

/** When a display redrawn in place (the task list, a release's table) is used, or plain lines. */
describe('fitsTerminalDisplay', () => {
  it.each([
    ['80×24, xterm', [80], { rows: 24, term: 'xterm-256color' }, true],
    ['rows unknown (0): judged by width alone', [80], { rows: 0, term: 'xterm' }, true],
    ['19 columns', [19], { rows: 24, term: 'xterm' }, false],
    ['width unknown (a pseudo-terminal nobody sized)', [undefined], { rows: 24, term: 'xterm' }, false],
    // Found by a hostile pass: the frame scrolled and every redraw left a copy in the scrollback.
    ['5 rows', [130], { rows: 5, term: 'xterm' }, false],
    ['14 rows', [130], { rows: 14, term: 'xterm' }, false],
    ['15 rows', [130], { rows: 15, term: 'xterm' }, true],
    ['a release of 12 functions in 16 rows', [130], { rows: 16, term: 'xterm', minRows: 18 }, false],
    // Found by a hostile pass: cursor movements shown as garbage by a dumb terminal.
    ['TERM=dumb', [80], { rows: 24, term: 'dumb' }, false],
  ] as const)('%s → %s', (_name, widths, terminal, fits) => {
    expect(fitsTerminalDisplay(widths, terminal)).toBe(fits);
  });
});
