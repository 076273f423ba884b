/**
 * A release whose records cannot be read (ListTags denied) holds its level's weight, as a single
 * deploy does (record-unread-hold.test.ts): each function reads its record at every poll while
 * its latest read failed (operator-control.ts), and the release rolls back once none has landed
 * for the stale limit, never writing 100% blind to `abort --release` and to takeovers.
 */
import { describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import type { HookResult } from '../../src/ports/hooks.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { FNS, fleetWorld, fn, release, runUntil } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

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

/** A release-wide hook that takes `ms` of clock time unless its signal ends it. */
function slowHook(w: World, raw: string, ms: number) {
  w.hooks.script(
    raw,
    (_payload, opts) =>
      new Promise<HookResult>((resolve) => {
        w.clock.after(ms, () => resolve({ ok: true, durationMs: ms }));
        opts.signal?.addEventListener('abort', () => resolve({ ok: false, reason: 'killed', durationMs: 0 }));
      }),
  );
}

const denied = () => new OperationError('ACCESS_DENIED', 'lambda:ListTags');

describe('a release whose deployment records cannot be read at the end', () => {
  it('is not declared promoted at the end of its bake: every function rolls back at the stale limit', async () => {
    const w = fleetWorld();
    // 50% at 0 s, 100% at 60 s, the bake's end at 180 s; ListTags fails from 165 s.
    w.clock.after(165_000, () => w.store.failReads(denied()));
    const { settled, running } = await runUntil(
      w,
      release(undefined, linear(50, 60), () => ({ bakeSeconds: 120 })),
      900_000,
    );

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    expect(FNS.map((name) => fn(result, name).cause?.code)).toContain('RECORD_UNREAD');
    for (const name of FNS) {
      expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.writes.filter((x) => x.functionName === name).map((x) => x.record.phase)).not.toContain(
        'promoted',
      );
    }
    expect(w.sink.logs('warn').some((m) => m.includes('as the bake was to end'))).toBe(true);
  });

  it('a step hook before 100% whose reads failed holds every function at 50%, watched, until they land', async () => {
    const w = fleetWorld();
    slowHook(w, 'cmd:smoke', 30_000);
    // 50% at 0 s held 30 s, the release's step hook 30–60 s; ListTags fails from 32 s to 100 s.
    // (A function of a release reads its record about once a minute: the last read of some landed
    // at 0 s, and the stale limit counts from there.)
    w.clock.after(32_000, () => w.store.failReads(denied()));
    w.clock.after(100_000, () => w.store.healReads());
    const { settled, running } = await runUntil(
      w,
      release({ step: [cmdHook('smoke')] }, linear(50, 30)),
      900_000,
    );

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('promoted');
    const at100 = w.lambda.callsOf('updateAlias').filter((c) => c.at > w.start + 30_000);
    expect(at100.length).toBe(FNS.length);
    for (const write of at100) expect(write.at - w.start).toBeGreaterThanOrEqual(100_000);
    // Each function's health was polled while the release waited for the records.
    const polled = w.sink.ofType('health.polled') as { at: number; target?: { functionName: string } }[];
    for (const name of FNS) {
      const during = polled.filter(
        (e) => e.target?.functionName === name && e.at > w.start + 60_000 && e.at < w.start + 100_000,
      );
      expect(during.length, name).toBeGreaterThanOrEqual(2);
    }
    expect(w.sink.logs('warn').some((m) => m.includes('before writing 100%'))).toBe(true);
  });

  it('a paused release rolls back at the stale limit, saying it was paused: it stayed paused for good', async () => {
    const w = fleetWorld();
    // fa carries the release's commands (read at every poll): `lshift pause --release` at 20 s.
    w.clock.after(20_000, () => {
      const record = w.store.peek('fa', ALIAS)!;
      w.store.seed('fa', ALIAS, {
        ...record,
        command: { verb: 'pause', nonce: 'p1', state: 'sent', by: 'ann@laptop:9' },
      });
    });
    w.clock.after(45_000, () => w.store.failReads(denied()));
    const { settled, running } = await runUntil(w, release(undefined, linear(50, 60)), 900_000);

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    const unread = FNS.map((name) => fn(result, name).cause).find((c) => c?.code === 'RECORD_UNREAD');
    expect(unread).toMatchObject({ data: { paused: true } });
    for (const name of FNS)
      expect(w.lambda.peekAlias(name, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('its post-traffic hook whose reads failed: every function is held at 100% until they land, then promoted', async () => {
    const w = fleetWorld();
    slowHook(w, 'cmd:smoke', 30_000);
    // 50% at 0 s held 30 s, 100% at 30 s, the post-traffic hook 30–60 s; ListTags fails 32–100 s.
    w.clock.after(32_000, () => w.store.failReads(denied()));
    w.clock.after(100_000, () => w.store.healReads());
    const { settled, running } = await runUntil(
      w,
      release({ post: [cmdHook('smoke')] }, linear(50, 30)),
      900_000,
    );

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('promoted');
    expect(
      w.sink.logs('warn').filter((m) => m.includes('before declaring the deployment promoted')).length,
    ).toBeGreaterThanOrEqual(1);
    for (const name of FNS) {
      const promoted = w.store.writes.find((x) => x.functionName === name && x.record.phase === 'promoted');
      expect((promoted?.record.endedAt ?? 0) - w.start, name).toBeGreaterThanOrEqual(100_000);
    }
  });
});
