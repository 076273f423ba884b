/**
 * The one rule every one-shot reader of a heartbeat uses (heartbeat-age.ts): a heartbeat a little
 * ahead of this clock is fresh (the writer's clock runs ahead), one more than the 5-minute skew
 * limit ahead is `future` — no sign of a live writer — and an old one is stale.
 */
import { describe, expect, it } from 'vitest';
import {
  describeAhead,
  describeHeartbeatBrief,
  describeHeartbeatSilence,
  judgeHeartbeatAge,
  RECORD_CLOCK_SKEW_MS,
} from '../../src/domain/heartbeat-age.js';

const NOW = 1_000_000_000;
const MIN = 60_000;

describe('judgeHeartbeatAge', () => {
  it.each([
    // ahead of now (ms; negative: behind), staleMs, margin, expected
    [100 * 60 * MIN, 2 * MIN, 0, 'future'],
    [RECORD_CLOCK_SKEW_MS + 1, 2 * MIN, 0, 'future'],
    [RECORD_CLOCK_SKEW_MS, 2 * MIN, 0, 'fresh'],
    [1_000, 2 * MIN, 0, 'fresh'],
    [0, 2 * MIN, 0, 'fresh'],
    [-(2 * MIN - 1), 2 * MIN, 0, 'fresh'],
    [-2 * MIN, 2 * MIN, 0, 'stale'],
    [-2 * MIN, 2 * MIN, MIN, 'fresh'],
    [-3 * MIN, 2 * MIN, MIN, 'stale'],
    [100 * 60 * MIN, Number.POSITIVE_INFINITY, 0, 'future'],
    [-100 * 60 * MIN, Number.POSITIVE_INFINITY, 0, 'fresh'],
  ] as const)('heartbeat %d ms ahead (stale %d + %d) → %s', (ahead, staleMs, margin, expected) => {
    expect(judgeHeartbeatAge(NOW + ahead, NOW, staleMs, margin)).toBe(expected);
  });

  it('takes another skew limit when given', () => {
    expect(judgeHeartbeatAge(NOW + 2 * MIN, NOW, MIN, 0, MIN)).toBe('future');
    expect(judgeHeartbeatAge(NOW + MIN, NOW, MIN, 0, MIN)).toBe('fresh');
  });
});

describe('describeAhead', () => {
  it.each([
    [100 * 60 * MIN, "4d 4h ahead of this machine's clock"],
    [6 * MIN, "6m ahead of this machine's clock"],
    [-MIN, "0s ahead of this machine's clock"],
  ])('%d ms ahead → %s', (ahead, text) => {
    expect(describeAhead(NOW + ahead, NOW)).toBe(text);
  });
});

/** Why an operator verb found no runner (`abort <fn>`, and each function of `abort --release`). */
describe('describeHeartbeatSilence and describeHeartbeatBrief', () => {
  it.each([
    [
      100 * 60 * MIN,
      "has a heartbeat 4d 4h ahead of this machine's clock (more than the 5 minutes two clocks may differ by: no sign of a live runner)",
      "heartbeat 4d 4h ahead of this machine's clock",
    ],
    [-2 * MIN, 'has had no heartbeat for 120 s', 'no heartbeat for 120 s'],
    [-10 * MIN, 'has had no heartbeat for 600 s', 'no heartbeat for 600 s'],
  ])('%d ms ahead', (ahead, silence, brief) => {
    expect(describeHeartbeatSilence(NOW + ahead, NOW)).toBe(silence);
    expect(describeHeartbeatBrief(NOW + ahead, NOW)).toBe(brief);
  });
});
