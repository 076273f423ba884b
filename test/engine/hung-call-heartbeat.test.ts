/**
 * One AWS call of a live runner may hang until its bound (src/aws/time-bounds.ts: 3 × the
 * request timeout + 1 s, 181 s at the old LSHIFT_AWS_TIMEOUT maximum of 60 s). The record's
 * heartbeat waited for it: a runner stuck in one alias write looked abandoned to `status` and to
 * a `lshift check`, which rolled back under it while it still ran (two actors on one alias).
 * The alias writes and reads now beat the record while they run (beating-driver.ts).
 */
import { describe, expect, it } from 'vitest';
import { timeBounds } from '../../src/aws/time-bounds.js';
import { runCheck } from '../../src/engine/check.js';
import { isAbandoned } from '../../src/engine/check-classify.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../../src/engine/deploy-types.js';
import type { Clock } from '../../src/ports/clock.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const STALE_MS = DEFAULT_STALE_AFTER_SECONDS * 1000;
/** One call hung until the bound of the old 60 s maximum request timeout. */
const HUNG_MS = timeBounds(60_000).callMs;

/** The `nth` UpdateAlias answers only after `ms` of clock time (the write then lands). */
function hangAliasWrite(w: World, nth: number, ms: number): void {
  const original = w.lambda.updateAlias.bind(w.lambda);
  let calls = 0;
  w.lambda.updateAlias = async (functionName: string, alias: string, write: AliasWrite) => {
    calls++;
    if (calls === nth) await w.clock.sleep(ms);
    return original(functionName, alias, write);
  };
}

/** A clock `aheadMs` ahead of the world's (a check on another machine), sleeping on it. */
function clockAhead(w: World, aheadMs: number): Clock {
  return {
    now: () => w.clock.now() + aheadMs,
    elapsedMs: () => w.clock.elapsedMs(),
    sleep: (ms, signal) => w.clock.sleep(ms, signal),
  };
}

describe('a live runner whose alias write hangs until its bound', () => {
  it('never looks abandoned while the write hangs (status: heartbeat younger than the stale limit)', async () => {
    const w = createWorld({ auto: false });
    // The promote (the second alias write, at 60 s) hangs.
    hangAliasWrite(w, 2, HUNG_MS);
    const deploy = runDeploy(w.deps, request(canary(10, 60)));
    await w.clock.advance(0);
    let oldest = 0;
    let abandoned = false;
    for (let t = 0; t < 60_000 + HUNG_MS + 10_000; t += 1_000) {
      await w.clock.advance(1_000);
      const stored = w.store.peek(FN, ALIAS)!;
      if (stored.phase === 'promoted') break;
      oldest = Math.max(oldest, w.clock.now() - stored.heartbeatAt);
      abandoned ||= isAbandoned(stored, w.clock.now(), STALE_MS);
    }
    expect(abandoned).toBe(false);
    // A beat is asked for every 10 s once the last write is 30 s old: at most about 40 s.
    expect(oldest).toBeLessThanOrEqual(41_000);
    await w.clock.advance(600_000);
    const result = await deploy;
    expect(result.status).toBe('promoted');
    expect(w.clock.pendingSleeps).toBe(0);
  });

  it('a check whose clock runs ahead leaves it alone: nothing rolled back under it, the deploy promotes', async () => {
    const w = createWorld({ auto: false });
    hangAliasWrite(w, 2, HUNG_MS);
    const deploy = runDeploy(w.deps, request(canary(10, 60)));
    await w.clock.advance(0);
    await w.clock.advance(70_000);
    // The check watches a firing alarm of its own: an abandoned deployment would be rolled back.
    w.metrics.setAlarm('check-errors', 'ALARM', { reason: 'errors over 3' });
    const check = runCheck(
      { ...w.deps, clock: clockAhead(w, 150_000), store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: ['check-errors'] },
    );
    await w.clock.advance(0);
    let report: Awaited<typeof check> | undefined;
    void check.then((r) => {
      report = r;
    });
    // Long enough for the check to watch the record for the stale limit (to 190 s) and act.
    await w.clock.advance(130_000);
    expect(report?.results[0]).toMatchObject({ action: 'skipped' });
    expect(w.store.writes.map((x) => x.record.owner)).not.toContain('check:cron@host:1');

    await w.clock.advance(600_000);
    const result = await deploy;
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'promoted', owner: 'tester@host:1' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(2);
  });
});

describe('a runner whose own rollback write hangs until its bound', () => {
  it('keeps its rolling-back record moving during the write: a check whose clock runs ahead does not finish the rollback beside it', async () => {
    const w = createWorld({ auto: false });
    // The restore (the second alias write, after the alarm at 20 s) hangs.
    hangAliasWrite(w, 2, HUNG_MS);
    w.clock.after(15_000, () => w.metrics.setAlarm('demo-errors', 'ALARM', { reason: 'errors over 3' }));
    const deploy = runDeploy(w.deps, request(canary(10, 60)));
    await w.clock.advance(0);
    await w.clock.advance(30_000);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: 'tester@host:1' });
    // 200 s ahead: the runner's rolling-back heartbeat looks older than the 3 minutes after which
    // a check finishes a rollback whose runner died, so it watches the record.
    const check = runCheck(
      { ...w.deps, clock: clockAhead(w, 200_000), store: w.store, owner: 'check:cron@host:1' },
      { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: ['demo-errors'] },
    );
    await w.clock.advance(0);
    let report: Awaited<typeof check> | undefined;
    void check.then((r) => {
      report = r;
    });
    await w.clock.advance(130_000);
    expect(report?.results[0]).toMatchObject({ action: 'skipped' });
    expect(w.store.writes.map((x) => x.record.owner)).not.toContain('check:cron@host:1');

    await w.clock.advance(600_000);
    const result = await deploy;
    expect(result.status).toBe('rolled_back');
    expect(result.finishedBy).toBeUndefined();
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'tester@host:1' });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(2);
    expect(w.clock.pendingSleeps).toBe(0);
  });
});
