/**
 * `lshift status` and `lshift check` on the same rollback claim (`rolling-back`): the check leaves
 * one whose heartbeat is fresher than `--stale-after` plus the 1-minute clock margin to its owner
 * and finishes it after that; status calls it STALE from that same moment, not before — it said
 * STALE at 2 minutes while the check still said "being rolled back".
 */
import { describe, expect, it } from 'vitest';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runCheck } from '../../src/engine/check.js';
import { getStatus } from '../../src/engine/status.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };

function claimedWorld(owner: string, heartbeatAgeMs: number) {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { phase: 'rolling-back', owner, heartbeatAt: w.start - heartbeatAgeMs }));
  return w;
}

describe('a rollback claim: status and check agree on when it is stale', () => {
  it.each([
    [
      'check:cron@host-a:1',
      'another check is acting: check:cron@host-a:1 is rolling it back (heartbeat 2m 30s ago; if it has stopped, a check finishes it once that is over 3m)',
    ],
    [
      'ci@runner:7',
      'being rolled back by ci@runner:7 (heartbeat 2m 30s ago; if it has stopped, a check finishes it once that is over 3m)',
    ],
  ])('heartbeat 2m 30s old (%s): the check leaves it, status does not call it STALE', async (owner, skip) => {
    const w = claimedWorld(owner, 150_000);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.stale).toBe(false);
    expect(renderStatus(status)).not.toContain('STALE');
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-b:2' }, request);
    expect(report.results[0]).toMatchObject({ action: 'skipped', reason: skip });
  });

  it('heartbeat 3m 10s old: status calls it STALE and the check finishes the rollback', async () => {
    const w = claimedWorld('check:cron@host-a:1', 190_000);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record?.stale).toBe(true);
    expect(renderStatus(status)).toContain(
      'STALE: the rollback check:cron@host-a:1 started has stopped; the next `lshift check` (or `lshift rollback demo --alias live`) finishes it',
    );
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-b:2' }, request);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
  });
});

// Session 61 (h3's pass): a release's function whose rollback stopped offered the rollback of that
// one function; the release line offers the release's.
it('a release’s function whose rollback stopped: its STALE line offers the release rollback', async () => {
  const w = createWorld();
  leaveDeployment(
    w,
    deadRecord(w, {
      phase: 'rolling-back',
      owner: 'ci@runner:7',
      releaseId: 'r-abc123',
      heartbeatAt: w.start - 190_000,
    }),
  );
  const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const text = renderStatus(status);
  expect(text).toContain(
    'STALE: the rollback ci@runner:7 started has stopped; the next `lshift check` (or `lshift rollback --release r-abc123`, naming no function: it finds each function of the release at its own alias by its record) finishes it',
  );
  expect(text).not.toContain(`lshift rollback ${FN} --alias`);
});

describe('a rollback claim left by a check killed on this machine: status says what check would do', () => {
  const running = (...pids: number[]) => ({ isRunning: (pid: number) => pids.includes(pid) });
  const here = 'check:cron@host-a:97';

  it.each([
    ['its pid no longer runs here: STALE at once, and the check takes it over', running(97), true],
    ['its pid still runs here: not STALE, and the check leaves it', running(1, 97), false],
  ])('%s', async (_what, processes, dead) => {
    const w = claimedWorld('check:cron@host-a:1', 20_000);
    const status = await getStatus(
      { ...w.deps, checkOwner: here, processes },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.stale).toBe(dead);
    const text = renderStatus(status);
    if (dead)
      expect(text).toContain(
        'STALE: the rollback check:cron@host-a:1 started has stopped (its process 1 no longer runs on this machine)',
      );
    else expect(text).not.toContain('STALE');
    const report = await runCheck({ ...w.deps, store: w.store, owner: here, processes }, request);
    expect(report.results[0]?.action).toBe(dead ? 'rolled_back' : 'skipped');
  });
});

describe('a rollback claim with this user@host from another container: status and check agree it is live', () => {
  const running = (...pids: number[]) => ({ isRunning: (pid: number) => pids.includes(pid) });
  const here = 'check:cron@host-a:97/3f9a1c2e';

  it.each([
    ['another machine token', 'check:cron@host-a:1/0badcafe', false],
    ['no token (an older lshift) seen from a host that has one', 'check:cron@host-a:1', false],
    ['this machine token', 'check:cron@host-a:1/3f9a1c2e', true],
  ])('%s, its pid not running here', async (_what, claimer, dead) => {
    const w = claimedWorld(claimer, 20_000);
    const processes = running(97);
    const status = await getStatus(
      { ...w.deps, checkOwner: here, processes },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.stale).toBe(dead);
    expect(renderStatus(status).includes('no longer runs on this machine')).toBe(dead);
    const report = await runCheck({ ...w.deps, store: w.store, owner: here, processes }, request);
    expect(report.results[0]?.action).toBe(dead ? 'rolled_back' : 'skipped');
  });
});

describe('a rollback claim whose heartbeat is ahead of this clock: status and check agree', () => {
  it('3 minutes ahead (within the 5-minute skew limit): a live claimer to both — not STALE, left to it', async () => {
    const w = claimedWorld('check:cron@host-a:1', -180_000);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.recordError).toBeUndefined();
    expect(status.record?.stale).toBe(false);
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-b:2' }, request);
    expect(report.results[0]?.action).toBe('skipped');
  });

  it('100 hours ahead: no sign of a live claimer to both — status shows it untrusted, check refuses it, neither calls it live', async () => {
    const w = claimedWorld('check:cron@host-a:1', -100 * 3600_000);
    const ahead = "is in the future (4d 4h ahead of this machine's clock";
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(status.record).toBeUndefined();
    expect(status.recordError).toContain(ahead);
    expect(renderStatus(status)).toContain('no sign of a live writer and lshift does not wait for it');
    const report = await runCheck({ ...w.deps, store: w.store, owner: 'check:cron@host-b:2' }, request);
    expect(report.results[0]).toMatchObject({ action: 'error', reason: expect.stringContaining(ahead) });
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });
});

// Found by a hostile pass: kill -9 of a deploy, then `lshift status` said nothing of its runner
// for 2 minutes (exit 0, "last heartbeat 30s ago"), while `lshift check` a second later said gone.
describe('a deploy runner killed on this machine, its heartbeat still fresh: status says what check says', () => {
  const running = (...pids: number[]) => ({ isRunning: (pid: number) => pids.includes(pid) });
  const here = 'check:cron@host-a:97';
  /** The check's owner: this machine's token when the runner's owner carries one. */
  const checkerOf = (owner: string) => (owner.includes('/') ? `${here}/3f9a1c2e` : here);

  it.each([
    [
      'cron@host-a:41',
      'seems gone (its process 41 no longer runs on this machine, unless it runs in another container with this hostname',
    ],
  ])('%s (no machine token), its pid not running here', async (owner, gone) => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'shifting', owner, heartbeatAt: w.start - 30_000 }));
    const processes = running(97);
    const status = await getStatus(
      {
        ...w.deps,
        checkOwner: checkerOf(owner),
        processes,
      },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record).toMatchObject({ stale: false, deadPid: 41 });
    const text = renderStatus(status);
    const words = `its runner ${owner} ${gone}`;
    expect(text).toContain(`${words}): a check acts on it once its heartbeat is over 2m old`);
    expect(text).not.toMatch(/STALE|STALLED/);
    const report = await runCheck({ ...w.deps, store: w.store, owner: checkerOf(owner), processes }, request);
    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toContain(
      `${words}; heartbeat 30s ago): a check acts on it once its heartbeat is over 2m old`,
    );
  });

  // F2 of session 61: with this machine's token the runner is known gone, yet status read "a check
  // acts on it once its heartbeat is over 2m old", exit 0, no way out, for up to 2 minutes.
  it('cron@host-a:41/3f9a1c2e (this machine’s token), its pid not running here: status says STALLED at once with its ways out, exit 4; check still waits for the heartbeat', async () => {
    const owner = 'cron@host-a:41/3f9a1c2e';
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'shifting', owner, heartbeatAt: w.start - 30_000 }));
    const processes = running(97);
    const status = await getStatus(
      { ...w.deps, checkOwner: checkerOf(owner), processes },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record).toMatchObject({ stale: true, stalled: true, deadPid: 41 });
    expect(needsOperator(status)).toBe(true);
    const text = renderStatus(status);
    expect(text).toContain(
      'STALLED: its runner is gone (its process 41 no longer runs on this machine); nobody drives it',
    );
    expect(text).toContain(`finish it with \`lshift deploy ${FN} --alias ${ALIAS} --resume\``);
    expect(text).toContain(`undo it with \`lshift rollback ${FN} --alias ${ALIAS}\``);
    expect(text).not.toContain('a check acts on it once');
    const report = await runCheck({ ...w.deps, store: w.store, owner: checkerOf(owner), processes }, request);
    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toContain(
      `its runner ${owner} is gone (its process 41 no longer runs on this machine; heartbeat 30s ago): a check acts on it once its heartbeat is over 2m old`,
    );
  });

  it('its pid still runs here: neither says gone', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { phase: 'shifting', owner: 'cron@host-a:41', heartbeatAt: w.start - 30_000 }),
    );
    const status = await getStatus(
      { ...w.deps, checkOwner: here, processes: running(41, 97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.deadPid).toBeUndefined();
    expect(renderStatus(status)).not.toContain('gone');
  });
});
