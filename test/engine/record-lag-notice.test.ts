/**
 * What a hold says while its record lags (record-lag-notice.ts): once as the lag begins (again for
 * a new spot or kind), every 30 s while it lasts, and never "2m" before the 2m limit it names.
 */
import { describe, expect, it } from 'vitest';
import { type LaggingRecord, RecordLagNotice } from '../../src/engine/record-lag-notice.js';
import type { RecordLag } from '../../src/engine/recorder-reads.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { RecordingSink } from '../helpers/recording-sink.js';

function lagging(lag: { current?: RecordLag }): LaggingRecord {
  return { behind: () => lag.current, limitMs: 120_000, target: { functionName: 'demo', alias: 'live' } };
}

describe('RecordLagNotice', () => {
  it('reminds in whole seconds gone: 119.6 s is "1m 59s", not the limit itself', () => {
    const events = new RecordingSink();
    const notice = new RecordLagNotice({ clock: new FakeClock(), events });
    const lag: { current?: RecordLag } = { current: { kind: 'unread', sinceMs: 60_000, error: 'THROTTLED' } };
    const spot = { kind: 'paused', percent: 50 } as const;
    expect(notice.check(lagging(lag), spot, true)).toBeUndefined();
    lag.current = { kind: 'unread', sinceMs: 119_600, error: 'THROTTLED' };
    expect(notice.check(lagging(lag), spot, false)).toBeUndefined();
    expect(events.logs('info')).toEqual([
      'still paused at 50%: the deployment record is unread 1m 59s after the last read that landed (THROTTLED); rolls back at 2m',
    ]);
  });

  it('warns again when the spot changes (paused, then the hold’s end), and ends past the limit saying which', () => {
    const events = new RecordingSink();
    const notice = new RecordLagNotice({ clock: new FakeClock(), events });
    const lag: { current?: RecordLag } = { current: { kind: 'unread', sinceMs: 10_000, error: 'DENIED' } };
    notice.check(lagging(lag), { kind: 'paused', percent: 50 }, true);
    const gate = { kind: 'gate', gate: { next: 'weight' }, percent: 50 } as const;
    notice.check(lagging(lag), gate, false);
    expect(events.logs('warn')).toEqual([
      expect.stringMatching(
        /^could not read the deployment record of demo alias live while paused at 50% \(DENIED\)/,
      ),
      expect.stringMatching(
        /^could not read the deployment record of demo alias live as the hold at 50% was to end/,
      ),
    ]);
    lag.current = { kind: 'unread', sinceMs: 121_000, error: 'DENIED' };
    expect(notice.check(lagging(lag), { kind: 'paused', percent: 50 }, false)).toMatchObject({
      seconds: 121,
      lag: 'unread',
      paused: true,
      reason: expect.stringContaining('while the deployment was paused at 50%'),
    });
    expect(notice.check(lagging(lag), gate, false)).not.toHaveProperty('paused');
  });
});
