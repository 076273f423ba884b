/**
 * Two `lshift check` runs (two cron hosts, a retried CI job) racing on one function whose
 * deployment went bad: one rolls it back; the other reports "skipped (another check is
 * acting)" — not a failure (exit 4), and not a second rollback.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

/** `demo` with a deployment whose alarm fires: unfinished with a dead runner, or promoted a minute ago. */
function badWorld(promoted: boolean): World {
  const w = createWorld();
  const dead = deadRecord(w);
  if (promoted)
    leaveDeployment(w, { ...dead, phase: 'promoted', percent: 100, endedAt: w.start - 60_000 }, 100);
  else leaveDeployment(w, dead);
  w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors over 3' });
  return w;
}

const checkDeps = (w: World, owner: string): CheckDeps => ({ ...w.deps, store: w.store, owner });

const restores = (w: World) =>
  w.lambda
    .aliasWrites()
    .filter((a) => a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0);

describe('two checks racing on one function', () => {
  it.each([
    ['an unfinished deployment whose runner died', false],
    ['a promoted deployment whose alarm fires', true],
  ])('%s: one rolls back, the other is skipped (another check is acting)', async (_, promoted) => {
    const w = badWorld(promoted);
    const [a, b] = await Promise.all([
      runCheck(checkDeps(w, 'check:cron@host-a:1'), request),
      runCheck(checkDeps(w, 'check:cron@host-b:2'), request),
    ]);
    const results = [a.results[0]!, b.results[0]!];
    const actions = results.map((r) => r.action).sort();
    expect(actions, JSON.stringify(results)).toEqual(['rolled_back', 'skipped']);
    const loser = results.find((r) => r.action === 'skipped')!;
    const winner = results.find((r) => r.action === 'rolled_back')!;
    // Said plainly as the other check's doing (who, since when), not as this check's own
    // rollback reason with the rival tacked on.
    expect(loser.reason).toBe(
      `another check is acting: ${winner === a.results[0] ? 'check:cron@host-a:1' : 'check:cron@host-b:2'} is rolling it back (claimed 6s ago), so this one left it alone`,
    );
    expect(restores(w)).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
    const loserReport = a.results[0]!.action === 'skipped' ? a : b;
    expect(exitCodeForCheck(loserReport)).toBe(ExitCode.Success);
  });
});

describe('a check that finds another check already done', () => {
  it('the rival rolled it back between this check reading the record and acting: skipped, nothing written', async () => {
    const w = badWorld(false);
    let releaseReRead: () => void = () => {};
    const firstDone = new Promise<void>((resolve) => {
      releaseReRead = resolve;
    });
    let reads = 0;
    // Check b reads the record (still shifting), then waits until check a has finished.
    const store = Object.assign(Object.create(w.store), {
      read: async (fn: string, alias: string) => {
        if (reads++ === 1) await firstDone;
        return w.store.read(fn, alias);
      },
    }) as typeof w.store;
    const b = runCheck({ ...checkDeps(w, 'check:cron@host-b:2'), store }, request);
    const a = await runCheck(checkDeps(w, 'check:cron@host-a:1'), request);
    releaseReRead();
    const loser = (await b).results[0]!;

    expect(a.results[0]?.action).toBe('rolled_back');
    expect(loser.action).toBe('skipped');
    expect(loser.reason).toBe(
      'another check is acting: check:cron@host-a:1 rolled it back 0s ago, so this one left it alone',
    );
    expect(loser.stalled).toBeUndefined();
    expect(restores(w)).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'check:cron@host-a:1' });
  });
});

describe('a check that starts while another check rolls the function back', () => {
  it('is skipped (another check is acting) and reads no alarm', async () => {
    const w = createWorld();
    const claimed = deadRecord(w, {
      phase: 'rolling-back',
      owner: 'check:cron@host-a:1',
      heartbeatAt: w.start - 5_000,
    });
    leaveDeployment(w, claimed);
    const report = await runCheck(checkDeps(w, 'check:cron@host-b:2'), request);

    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toBe(
      'another check is acting: check:cron@host-a:1 is rolling it back (heartbeat 5s ago; if it has stopped, a check finishes it once that is over 3m)',
    );
    expect(w.lambda.aliasWrites()).toHaveLength(0);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Success);
  });
});

describe("a check that finds another check's claim gone stale (that check died mid-rollback)", () => {
  it('finishes the rollback: rolled back, all traffic on the stable version, the record closed', async () => {
    const w = createWorld();
    const claimed = deadRecord(w, {
      phase: 'rolling-back',
      owner: 'check:cron@host-a:1',
      heartbeatAt: w.start - 600_000,
    });
    leaveDeployment(w, claimed);
    const report = await runCheck(checkDeps(w, 'check:cron@host-b:2'), request);

    expect(report.results[0], JSON.stringify(report.results[0])).toMatchObject({ action: 'rolled_back' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', owner: 'check:cron@host-b:2' });
  });

  it('two checks finishing it race like any other: one rolls it back, the other is skipped', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'rolling-back', owner: 'check:cron@host-a:1', heartbeatAt: w.start - 600_000 }),
    );
    const [b, c] = await Promise.all([
      runCheck(checkDeps(w, 'check:cron@host-b:2'), request),
      runCheck(checkDeps(w, 'check:cron@host-c:3'), request),
    ]);

    expect([b.results[0]?.action, c.results[0]?.action].sort()).toEqual(['rolled_back', 'skipped']);
    expect(restores(w)).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });
});

/**
 * A check whose claim landed but whose read-back failed said it "could not claim its record"
 * (exit 4) while its claim stood, and the next check skipped the function as "another check is
 * acting" (found by a hostile pass). It now says the claim may stand, and for how long.
 */
describe('a check whose claim was written but could not be read back', () => {
  it('did not roll back, and says its claim may stand and until when others leave it to it (exit 4)', async () => {
    const w = badWorld(false);
    const deps = checkDeps(w, 'check:cron@host-a:1');
    // The claim (the check's `rolling-back` write) lands; the read 3 s after it fails.
    const write = w.store.write.bind(w.store);
    w.store.write = async (fn, alias, record) => {
      await write(fn, alias, record);
      if (record.phase === 'rolling-back')
        w.store.failReads(new Error('ThrottlingException: Rate exceeded'), 1);
    };
    const report = await runCheck(deps, request);

    const row = report.results[0]!;
    expect(row.action).toBe('error');
    expect(row.reason).toContain(
      'claimed its record (`rolling-back`, owner this check) but could not read the claim back',
    );
    expect(row.reason).toContain(
      'other checks leave it to this one until it is older than --stale-after plus 1 minute',
    );
    expect(row.reason).not.toContain('could not claim');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolling-back', owner: 'check:cron@host-a:1' });
    expect(restores(w)).toHaveLength(0);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
  });
});
