/**
 * `--progress auto` draws listr2's task list only at a terminal whose width is known and usable.
 * A pseudo-terminal nobody sized (`script -q -c 'lshift deploy …' /dev/null`, a CI step or
 * container given a TTY without a size) reports 0 columns; listr2 wraps at that width minus its
 * indentation, so every character, escape sequences cut in half included, got a line of its own:
 * an all-at-once deploy printed 400 lines of single letters.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgress } from '../../src/cli/progress.js';
import { createReleaseProgress } from '../../src/cli/release-progress.js';
import type { ProgressLayout } from '../../src/cli/renderers/listr-renderer.js';

const LAYOUT: ProgressLayout = { publish: false, shift: true, preHooks: 0, bakeSeconds: 0, postHooks: 0 };

function atTerminal(
  stderrColumns: number | undefined,
  stdoutColumns: number | undefined,
  stdoutTerminal = true,
): void {
  vi.spyOn(process.stderr, 'isTTY', 'get').mockReturnValue(true);
  vi.spyOn(process.stdout, 'isTTY', 'get').mockReturnValue(stdoutTerminal);
  vi.spyOn(process.stderr, 'columns', 'get').mockReturnValue(stderrColumns as number);
  vi.spyOn(process.stdout, 'columns', 'get').mockReturnValue(stdoutColumns as number);
}

/** Only the listr2 task list can say a line inside its display (progress.ts). */
async function drawsTaskList(): Promise<boolean> {
  const progress = createProgress('auto', false, LAYOUT);
  await progress.finish();
  return progress.say !== undefined;
}

describe('--progress auto at a terminal', () => {
  beforeEach(() => {
    vi.stubEnv('CI', '');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    // Defined on the stream so that the getters above can be spied on.
    for (const stream of [process.stderr, process.stdout] as const) {
      if (!Object.getOwnPropertyDescriptor(stream, 'isTTY')) {
        Object.defineProperty(stream, 'isTTY', { configurable: true, get: () => false });
      }
      if (!Object.getOwnPropertyDescriptor(stream, 'columns')) {
        Object.defineProperty(stream, 'columns', { configurable: true, get: () => undefined });
      }
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  it('an 80-column terminal gets the task list', async () => {
    atTerminal(80, 80);
    expect(await drawsTaskList()).toBe(true);
  });

  // listr2 draws its task list only when stdout is a terminal: with stdout redirected it fell back
  // to its `simple` renderer, bare task titles and every health line again at every poll.
  it.each([
    ['stdout piped (`lshift deploy | tee`)', undefined],
    ['stdout redirected to a file (`> out.txt`)', undefined],
    ['stdout a pipe that reports a width', 80],
  ])('%s, stderr an 80-column terminal: plain lines on stderr', async (_name, stdoutColumns) => {
    atTerminal(80, stdoutColumns, false);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const progress = createProgress('auto', false, LAYOUT);
    expect(progress.say).toBeUndefined();
    progress.sink.emit({
      type: 'log',
      level: 'warn',
      message: 'plain line',
      at: Date.UTC(2026, 11, 4, 21, 0),
    });
    await progress.finish();
    const written = write.mock.calls.map(([text]) => String(text)).join('');
    expect(written).toContain('plain line');
  });

  it.each([
    ['a terminal of unknown size (0 columns: `script`, an unsized pty)', 0, 0],
    ['stderr of unknown size', 0, 80],
    ['stdout of unknown size (listr2 wraps at stdout’s width)', 80, 0],
    ['a terminal too narrow for the list (10 columns)', 10, 10],
  ])('%s: plain lines instead', async (_name, stderrColumns, stdoutColumns) => {
    atTerminal(stderrColumns, stdoutColumns);
    expect(await drawsTaskList()).toBe(false);
  });

  it('a release draws its table at an 80-column terminal', () => {
    atTerminal(80, 80);
    expect(createReleaseProgress('auto', false, [{ functionName: 'a' }]).say).toBeDefined();
  });

  it('a release at a terminal of unknown size: plain lines, not a table redrawn by a row count it cannot know', () => {
    atTerminal(0, 0);
    expect(createReleaseProgress('auto', false, [{ functionName: 'a' }]).say).toBeUndefined();
  });
});
