import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { holdWhileBackgrounded, type TerminalProbe } from '../../src/cli/background-terminal.js';

/** A terminal stream that records what reaches it, and a switch for "in the background". */
function terminal() {
  const shown: string[] = [];
  const sink = (tag: string) =>
    new Writable({
      write(chunk, _encoding, done) {
        shown.push(`${tag}:${chunk.toString()}`);
        done();
      },
    });
  let background = false;
  const probe: TerminalProbe = { wouldStop: () => background };
  let atExit: () => void = () => {};
  const out = sink('out');
  const err = sink('err');
  return {
    out,
    err,
    shown,
    probe,
    setBackground: (b: boolean) => {
      background = b;
    },
    hold: (limit: number, fds = { out: 1, err: 2 }) =>
      holdWhileBackgrounded(
        [
          { stream: out, fd: fds.out },
          { stream: err, fd: fds.err },
        ],
        probe,
        limit,
        (listener) => {
          atExit = listener;
        },
      ),
    exit: () => atExit(),
  };
}

describe('holdWhileBackgrounded (a background job of a `stty tostop` terminal)', () => {
  it('writes through in the foreground', () => {
    const t = terminal();
    t.hold(1024);
    t.err.write('progress\n');
    t.out.write('result\n');
    expect(t.shown).toEqual(['err:progress\n', 'out:result\n']);
  });

  it('holds every write while in the background, reports success, and calls back', async () => {
    const t = terminal();
    const heldBytes = t.hold(1024);
    t.setBackground(true);
    let calledBack = false;
    expect(t.err.write('step 1\n', () => (calledBack = true))).toBe(true);
    await new Promise((r) => process.nextTick(r));
    expect(calledBack).toBe(true);
    expect(t.shown).toEqual([]);
    expect(heldBytes()).toBe(7);
  });

  it('at fg, the next write sends what was held first, in the order written across both streams', () => {
    const t = terminal();
    const heldBytes = t.hold(1024);
    t.setBackground(true);
    t.err.write('a\n');
    t.out.write('b\n');
    t.err.write('c\n');
    t.setBackground(false);
    t.out.write('d\n');
    expect(t.shown).toEqual(['err:a\n', 'out:b\n', 'err:c\n', 'out:d\n']);
    expect(heldBytes()).toBe(0);
  });

  it('past the limit, drops what does not fit and says how much', () => {
    const t = terminal();
    t.hold(4);
    t.setBackground(true);
    t.err.write('abc');
    t.err.write('x'.repeat(2048));
    t.setBackground(false);
    t.err.write('!');
    expect(t.shown[0]).toBe('err:abc');
    expect(t.shown[1]).toContain('lshift dropped 2 KiB of output');
    expect(t.shown[2]).toBe('err:!');
  });

  it('at exit, writes what is still held to the file descriptors, synchronously and in order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-hold-'));
    const fd = openSync(join(dir, 'terminal'), 'w');
    try {
      const t = terminal();
      t.hold(1024, { out: fd, err: fd });
      t.setBackground(true);
      t.err.write('progress\n');
      t.out.write('✔ Promoted\n');
      t.exit();
      expect(t.shown).toEqual([]);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(join(dir, 'terminal'), 'utf8')).toBe('progress\n✔ Promoted\n');
  });
});
