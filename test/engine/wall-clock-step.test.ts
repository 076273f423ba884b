/**
 * A hold lasts its length on the monotonic clock (`Clock.elapsedMs`), whatever the wall clock
 * does meanwhile: NTP correcting a VM's clock at boot, `date -s`, a VM restored from a snapshot
 * step the wall clock, and a hold measured on it ended early by a step forward (a 30-minute
 * canary promoted after 10 minutes of watching) or stretched by a step back. Timestamps (the
 * steps' and the result's times, heartbeats) stay wall time: other machines read them.
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { PROMOTION_SETTLE_MS } from '../../src/engine/promotion-settle.js';
import { runRelease } from '../../src/engine/release.js';
import { ALARM, canary, createFleetWorld, createWorld, linear, request } from './world.js';

const MINUTE = 60_000;

function deployThroughStep(stepMs: number) {
  const w = createWorld();
  // The fake scripts alarm states on wall time: this alarm was OK long before, as a real one
  // stays whatever this machine's clock says.
  w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 60 * MINUTE });
  w.clock.after(10 * MINUTE, () => w.clock.stepWall(stepMs));
  const run = runDeploy(w.deps, request(canary(10, 30 * 60)));
  return { w, run };
}

describe('a wall clock stepped during a 30-minute canary hold', () => {
  it('stepped forward 20 min after 10 min: the hold still watches 30 minutes and polls all 180 times', async () => {
    const { w, run } = deployThroughStep(20 * MINUTE);
    const result = await run;
    expect(result.status).toBe('promoted');
    // The hold, then the promotion's read-back (promotion-settle.ts).
    expect(w.clock.elapsed()).toBe(30 * MINUTE + PROMOTION_SETTLE_MS);
    expect(w.sink.ofType('health.polled')).toHaveLength(180);
    // Timestamps are wall time: the promote landed 30 min of watching later, read 50 min on.
    expect(result.steps.map((s) => [s.percent, s.startedAt - w.start])).toEqual([
      [10, 0],
      [100, 50 * MINUTE],
    ]);
    expect(result.endedAt! - w.start).toBe(50 * MINUTE + PROMOTION_SETTLE_MS);
  });

  it('stepped back 20 min after 10 min: the hold is not stretched, it ends after 30 minutes', async () => {
    const { w, run } = deployThroughStep(-20 * MINUTE);
    const result = await run;
    expect(result.status).toBe('promoted');
    expect(w.clock.elapsed()).toBe(30 * MINUTE + PROMOTION_SETTLE_MS);
    expect(w.sink.ofType('health.polled')).toHaveLength(180);
    expect(result.endedAt! - w.start).toBe(10 * MINUTE + PROMOTION_SETTLE_MS);
  });

  it('says the time left on the monotonic clock: the poll after the step still has 19:50 to go', async () => {
    const { w, run } = deployThroughStep(20 * MINUTE);
    await run;
    const left = w.sink.ofType('health.polled').map((e) => e.remainingSeconds);
    expect(left[59]).toBe(20 * 60);
    expect(left[60]).toBe(19 * 60 + 50);
    expect(left.at(-1)).toBe(0);
  });
});

describe('a wall clock stepped during a lockstep release', () => {
  const FNS = ['alpha', 'beta'];

  /** Runs a 2-function linear:25%:10m release; the elapsed seconds of every end-of-step poll. */
  async function releaseEnds(stepMs: number) {
    const w = createFleetWorld(FNS, { auto: false });
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-errors`, 'OK', { at: w.start - 60 * MINUTE });
    // Five minutes into the first level's hold.
    if (stepMs !== 0) w.clock.after(5 * MINUTE, () => w.clock.stepWall(stepMs));
    const ends: string[] = [];
    const gatesFor = (target: { functionName: string }): HealthGate[] => [
      {
        name: 'probe',
        async evaluate(window) {
          const at = (w.clock.elapsedMs() - w.start) / 1000;
          if (window.endOfStep) ends.push(`${target.functionName}@${window.stepIndex}:${at}`);
          return [{ outcome: 'pass', gate: 'probe', summary: 'ok', at: window.now }];
        },
      },
    ];
    const members = FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-wall0${i}`,
        ...linear(25, 600),
      }),
    );
    let ended = false;
    const running = runRelease({ ...w.deps, gatesFor }, { releaseId: 'r-wall01', members }).finally(() => {
      ended = true;
    });
    while (!ended) await w.clock.advance(1000);
    const result = await running;
    return { status: result.status, ends, polls: w.sink.ofType('health.polled').length };
  }

  it('stepped forward or back 20 min in a level: every level still holds 10 minutes, polled as often', async () => {
    const steady = await releaseEnds(0);
    expect(steady.status).toBe('promoted');
    // The first level starts 1 s in (the test advances the clock a second at a time).
    const levels = [601, 1201, 1801].flatMap((at, step) => [`alpha@${step}:${at}`, `beta@${step}:${at}`]);
    expect(steady.ends).toEqual(levels);
    expect(await releaseEnds(20 * MINUTE)).toEqual(steady);
    expect(await releaseEnds(-20 * MINUTE)).toEqual(steady);
  });
});
