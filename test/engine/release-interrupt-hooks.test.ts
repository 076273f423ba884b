/**
 * A release of two functions interrupted (a CI cancel): every function's rollback hooks run in
 * one round, side by side. Found by a hostile pass: the marked function's record was closed — and
 * its hooks run — only after every other function's hooks had ended, so two functions with 4 s
 * hooks took 8 s and CI's SIGTERM, 7.5 s after its SIGINT, cut the second round; the marked
 * function's "all traffic is on version 1" line was printed behind the others' hooks, seconds
 * after its alias write had landed. The mark is still closed after every other record.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/domain/events.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { driveUntil } from './race.js';
import { ALIAS, createFleetWorld, linear, request } from './world.js';

const FNS = ['fa', 'fb'];
const HOOK_MS = 4000;

describe('a release interrupted: every function’s rollback hooks in one round', () => {
  it('both 4 s hooks start before either ends; the mark still closed after the other record', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const cancel = new AbortController();
    w.clock.at(w.start + 95_000, () => cancel.abort(new Error('interrupted by SIGTERM')));
    const spans: { fn: string; start: number; end: number }[] = [];
    w.hooks.script('cmd:./notify', async (payload) => {
      const fn = 'functionName' in payload ? payload.functionName : '?';
      const span = { fn, start: w.clock.now(), end: 0 };
      spans.push(span);
      await w.clock.sleep(HOOK_MS);
      span.end = w.clock.now();
      return { ok: true, durationMs: HOOK_MS };
    });
    const result = await driveUntil(w, runRelease(w.deps, notifyingRelease('r-int01', cancel.signal)));
    const story = JSON.stringify({ spans, status: result.status }, null, 1);

    expect(
      result.functions.map((f) => f.status),
      story,
    ).toEqual(['rolled_back', 'rolled_back']);
    expect(spans.map((s) => s.fn).sort(), story).toEqual(FNS);
    const lastStart = Math.max(...spans.map((s) => s.start));
    const firstEnd = Math.min(...spans.map((s) => s.end));
    expect(lastStart, story).toBeLessThan(firstEnd);
    // One round of 4 s after the signal (plus the writes), not two.
    const hooksTook = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
    expect(hooksTook, story).toBeLessThan(2 * HOOK_MS);

    // The mark (the first function to roll back: fa, nothing failing) is closed last.
    const closes = w.store.writes.filter((x) => x.record.phase === 'rolled-back').map((x) => x.functionName);
    expect(closes, story).toHaveLength(2);
    const markedFn = w.store.writes.find((x) => x.record.phase === 'rolling-back')!.functionName;
    expect(closes.at(-1), story).toBe(markedFn);
    for (const fn of FNS) expect(w.store.peek(fn, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });

  it('each "all traffic is on version 1" is told before any rollback hook runs', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const cancel = new AbortController();
    w.clock.at(w.start + 95_000, () => cancel.abort(new Error('interrupted by SIGTERM')));
    const seen: string[] = [];
    const emit = w.deps.events.emit.bind(w.deps.events);
    w.deps.events.emit = (e: EngineEvent) => {
      if (e.type === 'rollback.completed') seen.push('completed');
      emit(e);
    };
    w.hooks.script('cmd:./notify', async () => {
      seen.push('hook');
      await w.clock.sleep(HOOK_MS);
      return { ok: true, durationMs: HOOK_MS };
    });
    await driveUntil(w, runRelease(w.deps, notifyingRelease('r-int02', cancel.signal)));
    expect(seen).toEqual(['completed', 'completed', 'hook', 'hook']);
  });
});

/** Both functions at linear 25% a minute, each with the rollback hook `cmd:./notify`. */
function notifyingRelease(releaseId: string, signal: AbortSignal): ReleaseRequest {
  return {
    releaseId,
    signal,
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...linear(25, 60),
        hooks: { rollback: [cmdHook('./notify')] },
      }),
    ),
  };
}
