/**
 * An older lshift closed a split made after it decided to roll back `paused (weights changed by
 * hand)`; the one whose rollback hook split the alias kept its `y=`, which a plain pause by hand
 * never carries. `status` and `deploy --resume` read it as decided (session 66), but `lshift check`
 * read it as an ordinary stalled pause and offered `deploy --resume` — which is refused. It offers
 * only the rollback now, and leaves the split (exit 4).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

function olderPausedWithCause(withCause: boolean) {
  const w = createWorld();
  leaveDeployment(
    w,
    deadRecord(w, {
      phase: 'paused',
      percent: 50,
      endReason: 'weights changed by hand',
      endedAt: w.start - 300_000,
      ...(withCause ? { cause: { code: 'HOOK_FAILED' as const, phase: 'step' as const } } : {}),
    }),
    50,
  );
  const deps: CheckDeps = { ...w.deps, store: w.store, owner: 'check:cron@host:1' };
  const req = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
  return { w, deps, req };
}

describe("lshift check of an older lshift's paused (weights changed by hand) that kept its y=", () => {
  it.each([
    ['runCheck', runCheck],
    ['runCheckWithReleases', runCheckWithReleases],
  ] as const)('%s: STALLED (exit 4), offering only the rollback, the split left', async (_, check) => {
    const { w, deps, req } = olderPausedWithCause(true);
    const before = w.lambda.aliasWrites().length;
    const report = await check(deps, req);
    const [entry] = report.results;
    expect(entry).toMatchObject({ action: 'stalled', stalled: true });
    expect(entry?.reason).toContain('`lshift rollback demo --alias live`');
    expect(entry?.reason).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(exitCodeForCheck(report)).toBe(4);
    expect(w.lambda.aliasWrites().length).toBe(before);
  });

  it('a plain pause by hand (no y=) is still offered its resume, as documented', async () => {
    const { deps, req } = olderPausedWithCause(false);
    const report = await runCheck(deps, req);
    expect(report.results[0]).toMatchObject({ action: 'stalled' });
    expect(report.results[0]?.reason).toMatch(/lshift deploy demo --alias live --resume/);
  });
});
