import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundBacklog } from '../../src/cli/output.js';

/**
 * A terminal that takes no output (Ctrl-S, a stalled SSH connection): lshift's writes queue
 * instead of blocking the process, up to a bound past which they are dropped and, once the
 * terminal reads again, said to be.
 */
describe('boundBacklog', () => {
  /** A stream whose writes complete only when `release()` is called: a terminal that stopped. */
  function stoppedTerminal() {
    const taken: string[] = [];
    const held: Array<() => void> = [];
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        held.push(() => {
          taken.push(chunk.toString());
          done();
        });
      },
    });
    const release = () => {
      while (held.length > 0) held.shift()?.();
    };
    return { stream, taken, release };
  }

  it('passes writes through while the backlog is within the bound', () => {
    const t = stoppedTerminal();
    boundBacklog(t.stream, 100);
    t.stream.write('a'.repeat(60));
    t.stream.write('b'.repeat(40));
    expect(t.stream.writableLength).toBe(100);
  });

  it('drops writes past the bound, calls their callbacks, and says how much once drained', async () => {
    const t = stoppedTerminal();
    boundBacklog(t.stream, 100);
    t.stream.write('a'.repeat(101));
    let calledBack = false;
    const accepted = t.stream.write('x'.repeat(2048), () => {
      calledBack = true;
    });
    expect(accepted).toBe(false);
    expect(t.stream.writableLength).toBe(101);
    await new Promise((resolve) => process.nextTick(resolve));
    expect(calledBack).toBe(true);
    // The terminal reads again: what was queued arrives, then the notice of what was not.
    t.release();
    await new Promise((resolve) => setImmediate(resolve));
    t.release();
    expect(t.taken.join('')).toBe(
      `${'a'.repeat(101)}\n(lshift dropped 2 KiB of progress output while this terminal took none; \`lshift status\` shows where the deployment is)\n`,
    );
  });

  it('says nothing when nothing was dropped', async () => {
    const t = stoppedTerminal();
    boundBacklog(t.stream, 1000);
    t.stream.write('a'.repeat(50));
    t.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(t.taken.join('')).toBe('a'.repeat(50));
  });
});
