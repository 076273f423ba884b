/**
 * A Node process warning while the single-function task list runs at a terminal (progress.ts):
 * listr2 holds every write to stderr but its own until the list ends, so the warning routed as
 * output.ts routes it (node-warnings.ts) showed only after the deployment. It is shown in the list
 * at once; one the list does not keep on screen is printed after it too, never twice on screen.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { routeNodeWarnings } from '../../src/cli/node-warnings.js';
import { createProgress } from '../../src/cli/progress.js';
import type { ProgressLayout } from '../../src/cli/renderers/listr-renderer.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { demoPreflightDone, demoShiftStarted } from '../helpers/demo-events.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const LAYOUT: ProgressLayout = { publish: false, shift: true, preHooks: 0, bakeSeconds: 0, postHooks: 0 };
const at = 0;
const LINE = 'Warning: Node.js Warning: something Node wants said';

const preflightDone = demoPreflightDone();
const shiftStarted = demoShiftStarted();

function defineOn(stream: NodeJS.WriteStream, name: 'isTTY' | 'columns'): void {
  if (!Object.getOwnPropertyDescriptor(stream, name)) {
    Object.defineProperty(stream, name, { configurable: true, get: () => undefined });
  }
}

/** The task list at a 100-column terminal, Node's warnings routed to stderr as output.ts does. */
function atTerminal(debug = false) {
  const printed: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    printed.push(String(text));
    return true;
  });
  const node = new EventEmitter();
  node.on('warning', () => {}); // Node's own printer, which routeNodeWarnings takes the place of
  routeNodeWarnings((text) => process.stderr.write(text), node, debug);
  const warn = (message: string) =>
    node.emit('warning', Object.assign(new Error(message), { name: 'Warning' }));
  const progress = createProgress('auto', false, LAYOUT);
  const text = () => printed.join('').replace(ANSI, '');
  const shows = (expected: string) =>
    vi.waitFor(() => expect(text()).toContain(expected), { timeout: 10_000, interval: 5 });
  return { progress, warn, text, shows, emit: (e: EngineEvent) => progress.sink.emit(e) };
}

describe('a Node warning while the task list runs at a terminal', () => {
  beforeEach(() => {
    vi.stubEnv('CI', '');
    for (const stream of [process.stderr, process.stdout]) {
      defineOn(stream, 'isTTY');
      defineOn(stream, 'columns');
    }
    vi.spyOn(process.stderr, 'isTTY', 'get').mockReturnValue(true);
    // listr2 draws its frames only when stdout says it is a terminal.
    vi.spyOn(process.stdout, 'isTTY', 'get').mockReturnValue(true);
    vi.spyOn(process.stderr, 'columns', 'get').mockReturnValue(100);
    vi.spyOn(process.stdout, 'columns', 'get').mockReturnValue(100);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('before the shift: shown under the preflight at once, kept there, not printed after the list', async () => {
    const run = atTerminal();
    await run.shows('Preflight');
    run.warn('something Node wants said');
    // Before: held by listr2 until the list had ended.
    await run.shows(`› ${LINE}`);
    run.emit(preflightDone);
    run.emit(shiftStarted);
    await run.progress.finish();
    const after = run.text().slice(run.text().lastIndexOf('Preflight passed'));
    expect(after.match(/something Node wants said/g)).toHaveLength(1);
  });

  it('during the shift: shown under the step at once, and printed after the list', async () => {
    const run = atTerminal();
    run.emit(preflightDone);
    run.emit(shiftStarted);
    run.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    await run.shows('Step 1/2: 10%');
    run.warn('something Node wants said');
    await run.shows('› warning: Node.js Warning: something Node wants said');
    run.emit({ type: 'step.completed', at, index: 0, percent: 10 });
    run.emit({ type: 'step.started', at, index: 1, total: 2, percent: 100, holdSeconds: 0 });
    run.emit({ type: 'step.completed', at, index: 1, percent: 100 });
    await run.progress.finish();
    // The last frame no longer shows the step's lines: the warning follows it, once.
    const after = run.text().slice(run.text().lastIndexOf('Step 2/2: 100%'));
    expect(after.match(/something Node wants said/g)).toHaveLength(1);
    expect(after).toContain(`\n${LINE}\n`);
  });

  it('--debug: the stack is printed after the list, not under a task', async () => {
    const run = atTerminal(true);
    await run.shows('Preflight');
    run.warn('something Node wants said');
    await run.shows(`› ${LINE}`);
    run.emit(preflightDone);
    run.emit(shiftStarted);
    await run.progress.finish();
    const after = run.text().slice(run.text().lastIndexOf('Preflight passed'));
    expect(after).toMatch(/\nWarning: something Node wants said\n\s+at /);
  });
});
