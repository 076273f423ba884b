import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GuardedStream } from '../../src/cli/output.js';

/** A reader that went away: every write fails as a closed pipe does. */
function closedPipe(): { stream: Writable; attempts: () => number } {
  let attempts = 0;
  const stream = new Writable({
    write(_chunk, _encoding, done) {
      attempts += 1;
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  return { stream, attempts: () => attempts };
}

describe('GuardedStream', () => {
  it('survives EPIPE: no uncaught error, marked broken, later writes skipped', async () => {
    const pipe = closedPipe();
    const out = new GuardedStream(pipe.stream);
    out.write('first\n');
    await new Promise((resolve) => setImmediate(resolve)); // the 'error' event is emitted async
    expect(out.broken).toBe(true);
    out.write('second\n');
    out.writeNow('third\n');
    expect(pipe.attempts()).toBe(1);
  });

  it('a failed write is known at once, before its error event (process.stdout on a closed pipe)', () => {
    const stream = new Writable({
      autoDestroy: false,
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const out = new GuardedStream(stream);
    out.write('first\n');
    expect([stream.destroyed, out.broken]).toEqual([false, true]);
  });

  it('is the only error listener: a listener that rethrows (as @oclif/core does for EIO) is dropped', async () => {
    const pipe = closedPipe();
    pipe.stream.on('error', (error) => {
      throw error;
    });
    const out = new GuardedStream(pipe.stream);
    out.dropOtherErrorListeners();
    expect(pipe.stream.listenerCount('error')).toBe(1);
    out.write('x\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.broken).toBe(true);
  });

  it('writeNow bypasses a replaced write (listr2 buffers process.stderr.write while rendering)', () => {
    const seen: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        seen.push(String(chunk));
        done();
      },
    });
    const out = new GuardedStream(stream);
    stream.write = () => true; // the capture: nothing reaches the stream
    out.write('buffered\n');
    out.writeNow('now\n');
    expect(seen).toEqual(['now\n']);
  });

  it("every write is made printable; only writeControl (lshift's own cursor moves) is raw", () => {
    const seen: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        seen.push(String(chunk));
        done();
      },
    });
    const out = new GuardedStream(stream);
    out.write('a\u001b[2J\r\u2028\u202e\nb\n');
    out.writeNow('c\u001b[8m\n');
    out.writeControl('\u001b[?25h');
    expect(seen).toEqual(['a\uFFFD[2J\uFFFD\uFFFD\\u{202E}\nb\n', 'c\uFFFD[8m\n', '\u001b[?25h']);
  });
});
