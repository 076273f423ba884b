/**
 * The release table at a terminal is redrawn in place: up over the rows it drew, then the table
 * again. A Node process warning (node-warnings.ts) written straight to stderr lands under the
 * table, the next redraw goes up by the table's rows only and overdraws it, and the rows above
 * are left behind. While the table is shown, each warning is printed above it instead.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { routeNodeWarnings } from '../../src/cli/node-warnings.js';
import { startTerminalTable } from '../../src/cli/release-progress.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { createScreen } from '../helpers/fake-screen.js';

const COLUMNS = 120;
const FUNCTIONS = ['orders', 'billing'];

const started = {
  type: 'release.started',
  at: 0,
  releaseId: 'r-k3j9x2',
  mode: 'lockstep',
  functions: FUNCTIONS.map((functionName) => ({ functionName, alias: 'live' })),
} as unknown as EngineEvent;

const step = (functionName: string, percent: number) =>
  ({
    type: 'step.started',
    at: 0,
    index: 0,
    total: 2,
    percent,
    holdSeconds: 60,
    target: { functionName, alias: 'live' },
  }) as unknown as EngineEvent;

/** A terminal, Node's warnings routed to it as output.ts does (through stderr), and the table on it. */
function atTerminal() {
  const screen = createScreen(COLUMNS, 24);
  const terminal = { write: screen.write, writeControl: screen.write, columns: () => COLUMNS };
  const node = new EventEmitter();
  node.on('warning', () => {}); // Node's own printer, which routeNodeWarnings takes the place of
  routeNodeWarnings((text) => terminal.write(text), node);
  const warn = (message: string) =>
    node.emit('warning', Object.assign(new Error(message), { name: 'Warning' }));
  return { screen, warn, ...startTerminalTable(FUNCTIONS, terminal) };
}

describe('the release table at a terminal with a Node warning', () => {
  it('prints the warning above the table, which redraws whole under it', () => {
    const { screen, warn, table, stop } = atTerminal();
    table.emit(started);
    table.emit(step('orders', 10));
    warn('something Node wants said');
    table.emit(step('billing', 10));
    warn('and another thing');
    table.emit(step('orders', 50));
    const shown = screen.rows().filter((r) => r !== '');
    expect(shown).toEqual([
      'Warning: Node.js Warning: something Node wants said',
      'Warning: Node.js Warning: and another thing',
      ...table.lines(),
    ]);
    stop();
  });

  it('before the first draw and after the table ends, a warning is an ordinary stderr line', () => {
    const { screen, warn, table, stop } = atTerminal();
    warn('before the table');
    table.emit(started);
    stop();
    warn('after the table');
    const shown = screen.rows().filter((r) => r !== '');
    expect(shown).toEqual([
      'Warning: Node.js Warning: before the table',
      ...table.lines(),
      'Warning: Node.js Warning: after the table',
    ]);
  });
});
