import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GuardedStream } from '../../src/cli/output.js';
import { watchStatus } from '../../src/cli/status-watch.js';
import { FakeClock } from '../helpers/fake-clock.js';

/**
 * `lshift status --watch | head -2`: once the reader is gone, the watch ends at the first write
 * that failed, however long the deployment still runs.
 */
function pipeClosedAfter(writes: number): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  // Like process.stdout on a pipe: a failed write marks it errored at once, its 'error' event
  // comes a tick later, and it is not destroyed.
  const stream = new Writable({
    autoDestroy: false,
    write(chunk, _encoding, done) {
      if (lines.length >= writes) return done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      lines.push(String(chunk));
      done();
    },
  });
  return { stream, lines };
}

describe('watchStatus', () => {
  it('a deployment that never ends: the watch ends at the first write to a closed pipe', async () => {
    const clock = new FakeClock({ maxSleeps: 50 });
    const pipe = pipeClosedAfter(2);
    const out = new GuardedStream(pipe.stream);
    let reads = 0;
    const last = await watchStatus({
      clock,
      intervalMs: 5_000,
      read: async () => ++reads,
      show: (view) => out.write(`view ${view}\n`),
      goesOn: () => true,
      outputGone: () => out.broken,
    });
    expect(pipe.lines).toEqual(['view 1\n', 'view 2\n']);
    expect([last, reads, clock.sleeps]).toEqual([3, 3, [5_000, 5_000]]);
  });

  it('with its reader there, it refreshes until the deployment ends', async () => {
    const clock = new FakeClock();
    const pipe = pipeClosedAfter(100);
    const out = new GuardedStream(pipe.stream);
    let reads = 0;
    await watchStatus({
      clock,
      intervalMs: 5_000,
      read: async () => ++reads,
      show: (view) => out.write(`view ${view}\n`),
      goesOn: (view) => view < 4,
      outputGone: () => out.broken,
    });
    expect(pipe.lines).toHaveLength(4);
    expect(clock.sleeps).toEqual([5_000, 5_000, 5_000]);
  });
});
