import { describe, expect, it } from 'vitest';
import { mapBounded, mapEach } from '../../src/engine/bounded.js';

/** A run that ends when told to, so the order of ends is the test's, not the timer's. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('mapEach and mapBounded', () => {
  it('keep the items order whatever order the runs end in, and handle an empty list', async () => {
    await expect(mapEach(5, [], async (x: number) => x)).resolves.toEqual([]);
    const gates = [gate(), gate(), gate()];
    const out = mapEach(3, [0, 1, 2], async (x) => {
      await gates[x]!.opened;
      return x * 10;
    });
    gates[2]!.open();
    gates[0]!.open();
    gates[1]!.open();
    await expect(out).resolves.toEqual([0, 10, 20]);
  });

  it('run at most `limit` at once', async () => {
    let running = 0;
    let most = 0;
    await mapEach(2, [1, 2, 3, 4, 5], async () => {
      running++;
      most = Math.max(most, running);
      await Promise.resolve();
      running--;
    });
    expect(most).toBe(2);
  });

  it.each([
    ['mapEach', mapEach],
    ['mapBounded', mapBounded],
  ])('%s starts no new item after a rejection, and rejects with it', async (_name, map) => {
    const started: number[] = [];
    const first = gate();
    const run = map(2, [1, 2, 3, 4, 5], async (x: number) => {
      started.push(x);
      if (x === 1) await first.opened;
      if (x === 2) throw new Error('boom');
      return x;
    });
    await expect(run).rejects.toThrow('boom');
    // The run in flight ends after the rejection: its worker must not take item 3.
    first.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([1, 2]);
  });

  it('mapBounded starts no new item once `stop` holds for a result; those never started have none', async () => {
    const started: number[] = [];
    const out = await mapBounded(
      1,
      [1, 2, 3, 4],
      async (x) => {
        started.push(x);
        return x;
      },
      (r) => r === 2,
    );
    expect(started).toEqual([1, 2]);
    expect(out).toEqual([1, 2, undefined, undefined]);
  });
});
