import { describe, expect, it } from 'vitest';
import { readEachSettled, STATUS_CONCURRENCY } from '../../src/cli/status-unreadable.js';

/**
 * `lshift status a b c …`: the reads of several functions. All at once, 5,000 functions queued
 * 10,000 requests in the Lambda limiter together (~1 GB), and against AWS's 15 requests a second
 * the last ones waited past the queue's allowance and failed.
 */
describe('readEachSettled: the status reads of several functions', () => {
  it('starts at most STATUS_CONCURRENCY reads at once, the next as one ends', async () => {
    const pending: { name: string; end: () => void }[] = [];
    const started: string[] = [];
    const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
    const all = readEachSettled(names, (name) => {
      started.push(name);
      return new Promise<string>((resolve) => pending.push({ name, end: () => resolve(name) }));
    });
    await Promise.resolve();
    expect(started).toEqual(names.slice(0, STATUS_CONCURRENCY));
    pending.shift()?.end();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(names.slice(0, STATUS_CONCURRENCY + 1));
    while (pending.length > 0) {
      pending.shift()?.end();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect((await all).map((r) => (r.status === 'fulfilled' ? r.value : undefined))).toEqual(names);
  });

  it('settles each read as Promise.allSettled does, in the targets’ order', async () => {
    const failure = new Error('f1 cannot be read');
    const reads = await readEachSettled(
      ['f0', 'f1', 'f2'],
      async (name) => {
        if (name === 'f1') throw failure;
        return name.toUpperCase();
      },
      2,
    );
    expect(reads).toEqual([
      { status: 'fulfilled', value: 'F0' },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 'F2' },
    ]);
  });

  it('no targets: no reads', async () => {
    expect(await readEachSettled([], async () => 1)).toEqual([]);
  });
});
