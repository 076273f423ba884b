/**
 * The fleet a release program runs over, as a new release and a resumed one build it (one
 * function for both: release.ts fleetOf).
 */
import { describe, expect, it } from 'vitest';
import { fleetOf } from '../../src/engine/release.js';
import type { ShiftContext } from '../../src/engine/shift-context.js';
import { RecordingSink } from '../helpers/recording-sink.js';

describe('fleetOf', () => {
  it("holds the members, the release's bounds and verdict; the release's events carry its id", () => {
    const sink = new RecordingSink();
    const members = [{ name: 'a' }, { name: 'b' }] as unknown as ShiftContext[];
    const verdict = new AbortController();
    const fleet = fleetOf({ events: sink }, { releaseId: 'r-abc123', concurrency: 4 }, members, verdict, 8);
    expect(fleet).toMatchObject({ members, concurrency: 8, writeConcurrency: 4, verdict });
    expect(fleet.release?.releaseId).toBe('r-abc123');
    fleet.release?.events.emit({ type: 'log', at: 0, level: 'info', message: 'hook' });
    expect(sink.events).toEqual([
      { type: 'log', at: 0, level: 'info', message: 'hook', releaseId: 'r-abc123' },
    ]);
  });

  it('no --concurrency given: the level writes keep their default (writeConcurrency unset)', () => {
    const fleet = fleetOf(
      { events: new RecordingSink() },
      { releaseId: 'r-abc123' },
      [],
      new AbortController(),
      8,
    );
    expect(fleet.writeConcurrency).toBeUndefined();
  });
});
