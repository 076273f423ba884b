import { describe, expect, it } from 'vitest';
import { judgeAsyncSignals } from '../../src/domain/async-health.js';

const ctx = { targetVersion: '2', now: 0 };
const zero = { deliveryFailures: 0, deadLetterErrors: 0, received: 0, dropped: 0 };

describe('judgeAsyncSignals', () => {
  it('says nothing when the function got no asynchronous event and nothing failed', () => {
    expect(judgeAsyncSignals(zero, ctx)).toEqual([]);
  });

  it.each([
    [
      { deliveryFailures: 3 },
      /3 asynchronous events of version 2 could not be delivered to a destination \(DestinationDeliveryFailures\)/,
    ],
    [{ deadLetterErrors: 1 }, /1 failed event of version 2 could not be sent to the dead-letter queue/],
  ])('fails on %o', (over, summary) => {
    const [v] = judgeAsyncSignals({ ...zero, ...over }, ctx);
    expect(v?.outcome).toBe('fail');
    expect(v?.summary).toMatch(summary);
  });

  it('shows dropped events function-wide without failing on them', () => {
    const [v] = judgeAsyncSignals({ ...zero, received: 10, dropped: 2 }, ctx);
    expect(v?.outcome).toBe('pass');
    expect(v?.summary).toContain(
      'function-wide (no per-version dimension): 10 asynchronous events received, 2 dropped',
    );
  });

  it('passes with the numbers, saying which are function-wide', () => {
    const [v] = judgeAsyncSignals({ ...zero, received: 40, maxEventAgeMs: 1500 }, ctx);
    expect(v).toMatchObject({ outcome: 'pass', gate: 'async-delivery' });
    expect(v?.summary).toBe(
      'version 2: no destination or dead-letter delivery failures; function-wide (no per-version dimension): 40 asynchronous events received, 0 dropped; oldest queued event 2 s (AsyncEventAge, function-wide)',
    );
  });
});
