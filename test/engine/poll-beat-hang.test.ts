/**
 * A health poll's heartbeat hung in TagResource (poll-record-work.ts): the hold's next polls read
 * health on time meanwhile — before, the hold waited for it, and the poll that would see a firing
 * alarm came an AWS call bound (31 s) late. A hold that ends healthy still waits for it: traffic
 * moves on only once the record work answered.
 */
import { describe, expect, it } from 'vitest';
import { timeBounds } from '../../src/aws/time-bounds.js';
import { OperationError } from '../../src/domain/errors.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const HUNG_MS = timeBounds().callMs;

/** Every record write asked for from `fromMs` to `untilMs` after the start hangs HUNG_MS, then lands. */
function hangWritesBetween(w: World, fromMs: number, untilMs: number): void {
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record, opts) => {
    const at = w.clock.now() - w.start;
    if (at >= fromMs && at < untilMs) await w.clock.sleep(HUNG_MS);
    return write(fn, alias, record, opts);
  };
}

/**
 * Every record write asked for from `fromMs` to `untilMs` after the start hangs HUNG_MS, then fails;
 * what lands and what the alias is told, in order (`order`).
 */
function failWritesBetween(w: World, fromMs: number, untilMs: number, order: string[]): void {
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record, opts) => {
    const at = w.clock.now() - w.start;
    if (at >= fromMs && at < untilMs) {
      await w.clock.sleep(HUNG_MS);
      throw new OperationError('NETWORK_ERROR', 'no answer to lambda:TagResource within its 31s deadline');
    }
    await write(fn, alias, record, opts);
    order.push(`record ${record.phase}`);
  };
  w.lambda.onCall = (call) => {
    if (call.op === 'updateAlias') order.push(`alias ${JSON.stringify(call.args[2])}`);
  };
}

/** When each health poll was reported, in ms after the start. */
function pollTimes(w: World): number[] {
  const times: number[] = [];
  const sink = w.deps.events;
  w.deps = {
    ...w.deps,
    events: {
      emit: (event) => {
        if (event.type === 'health.polled') times.push(w.clock.now() - w.start);
        sink.emit(event);
      },
    },
  };
  return times;
}

describe('a heartbeat hung at a health poll', () => {
  it('does not hold the next polls: they come on the grid while it hangs, and it lands in its turn', async () => {
    const w = createWorld({ auto: false });
    // The heartbeat of the 91 s poll hangs until 122 s, then lands (the grid is 1 s past the tens).
    hangWritesBetween(w, 85_000, 95_000);
    const polls = pollTimes(w);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('promoted');
    // Before: nothing between 91 s and 131 s (the grid's next point once it answered).
    expect(polls).toEqual(expect.arrayContaining([91_000, 101_000, 111_000, 121_000, 131_000]));
    const hung = w.store.writes.find((x) => x.record.heartbeatAt - w.start === 91_000);
    expect(hung?.record.phase).toBe('shifting');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted' });
  });

  it('hung across the end of a hold: the next weight waits for it, as it always did', async () => {
    const w = createWorld({ auto: false });
    // The heartbeat of the 271 s poll hangs until 302 s; the hold ends at 301 s.
    hangWritesBetween(w, 265_000, 275_000);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('promoted');
    const full = w.lambda
      .callsOf('updateAlias')
      .filter((c) => JSON.stringify(c.args[2]).includes('"functionVersion":"2"'));
    expect(full).toHaveLength(1);
    expect(full[0]!.at - w.start).toBeGreaterThanOrEqual(271_000 + HUNG_MS);
  });

  it('hung across the end of a hold and then failed: the next weight waits for a write that lands', async () => {
    const w = createWorld({ auto: false });
    const order: string[] = [];
    // The heartbeat of the 271 s poll hangs until 302 s and fails: the record lags, and no weight
    // is written until a write lands. The hold's end waits for that heartbeat, and the weight
    // write's own gate (traffic-steps.ts recordLagBeforeWrite) tries the record first.
    failWritesBetween(w, 265_000, 275_000, order);
    const result = await driveUntil(w, runDeploy(w.deps, request(canary(10, 300))));

    expect(result.status).toBe('promoted');
    const full = order.findIndex((x) => x.startsWith('alias') && x.includes('"functionVersion":"2"'));
    expect(full).toBeGreaterThan(0);
    expect(order[full - 1]).toBe('record shifting');
  });
});
