/**
 * A release whose records cannot be read (ListTags denied) holds its level's weight, as a single
 * deploy does (record-unread-hold.test.ts): each function reads its record at every poll while
 * its latest read failed (operator-control.ts), and the release rolls back once none has landed
 * for the stale limit, never writing 100% blind to `abort --release` and to takeovers.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { FNS, fleetWorld, fn, release, runUntil } from './release-takeover-world.js';
import { ALIAS, linear } from './world.js';

describe('a release whose deployment records cannot be read', () => {
  it('holds its level and rolls back every function at the stale limit, none ever at 100%', async () => {
    const w = fleetWorld();
    w.clock.after(5_000, () => w.store.failReads(new OperationError('ACCESS_DENIED', 'lambda:ListTags')));
    const { settled, running } = await runUntil(w, release(undefined, linear(50, 60)), 600_000);

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    const causes = FNS.map((name) => fn(result, name).cause?.code);
    expect(causes).toContain('RECORD_UNREAD');
    expect(w.lambda.aliasWrites().filter((x) => x.functionVersion === '2')).toEqual([]);
    expect(w.lambda.aliasWrites().some((x) => x.additionalWeights['2'] === 0.5)).toBe(true);
    for (const name of FNS)
      expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});
