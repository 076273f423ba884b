/**
 * A deployment whose alias someone moved by hand to a split its record does not place (the new
 * version primary, weight on the stable one: 2 + {"1": 0.5}) is closed as moved by hand, and its
 * end reason says the split it met. Found by a hostile pass: it said "moved by hand to version 2"
 * of an alias routing half its traffic to version 1, and `lshift status` then called the split
 * "a shift is in progress or was abandoned" beside a record closed by hand.
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { runDeploy } from '../../src/engine/deploy.js';
import {
  aliasMovedSinceEnd,
  closedByHand,
  isClosedByHand,
  versionLeftOn,
} from '../../src/engine/record-view.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, linear, request } from './world.js';

const REVERSED = { functionVersion: '2', additionalWeights: { '1': 0.5 } };

describe('closedByHand over a split it does not place', () => {
  it('says the split in its end reason; no version is said to have all traffic', () => {
    const w = createWorld();
    const closed = closedByHand(deadRecord(w), { functionVersion: '11', additionalWeights: { '1': 0.25 } });
    expect(closed).toEqual({
      phase: 'rolled-back',
      percent: 0,
      endReason: 'moved by hand to a split: 75% on 11, 25% on 1',
    });
    const record = { ...deadRecord(w), ...closed, endedAt: w.start };
    expect(isClosedByHand(record)).toBe(true);
    expect(versionLeftOn(record)).toBeUndefined();
    expect(
      aliasMovedSinceEnd(record, { functionVersion: '11', additionalWeights: { '1': 0.25 } }),
    ).toBeUndefined();
    // All on a third version: that version, as before.
    expect(closedByHand(deadRecord(w), { functionVersion: '3', additionalWeights: {} }).endReason).toBe(
      'moved by hand to version 3',
    );
  });

  it('a record with no room for the split keeps the reason without it (not RECORD_TOO_LARGE)', () => {
    const w = createWorld();
    const record = {
      // 13 steps of 2m, then 100%: the record fits, with the split it would not.
      ...deadRecord(w, {
        strategy: `steps:${Array.from({ length: 13 }, (_, i) => `${i + 1}%@2m`).join(',')},100%`,
      }),
      ...closedByHand(deadRecord(w), { functionVersion: '11', additionalWeights: { '1': 0.25 } }),
      endedAt: w.start,
      releaseId: 'r-k3j9x2',
    };
    const decoded = decodeRecord(encodeRecord(record));
    expect(decoded.endReason).toBe('moved by hand to a split');
    expect(isClosedByHand(decoded)).toBe(true);
  });

  it('a deploy that meets it mid-hold: the record says the split, status does not call it a shift', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, REVERSED);
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'moved by hand to a split: 50% on 2, 50% on 1',
    });
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      'routing: version 2 (50%) + version 1 (50%) (split by hand, left by deployment d-abc123: nobody drives it)',
    );
    expect(text).toContain(
      'moved by hand (to a split: 50% on 2, 50% on 1; lshift ran no rollback, and the split it met is still there)',
    );
    expect(text).not.toContain('moved by hand to version 2');
  });
});
