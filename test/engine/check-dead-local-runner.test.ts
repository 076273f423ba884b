/**
 * A deploy killed -9 mid-shift on this machine leaves its record `shifting`, owner
 * `cron@host-a:41`. The check (and `lshift status`) take this machine's processes as evidence:
 * a runner of the same user@host whose pid no longer runs cannot write its heartbeat again.
 *
 * Not at once, though: only once its heartbeat is older than --stale-after, as for any runner.
 * The pid alone cannot be trusted while the heartbeat is fresh: containers that share a hostname
 * (host networking) each have their own pids, so a deploy running in one has a pid that "no
 * longer runs" in the other; and a live runner writes its heartbeat only every 30 s plus a poll
 * period (up to 90 s), so a fresh-looking gap proves nothing sooner. What the pid saves is the
 * watch after that (another --stale-after of watching the record for a writer): a heartbeat
 * stale by this machine's clock — which containers on one host share — and a pid gone here
 * leave nobody to wait for. A pid reused by another process only looks alive, which falls back
 * to the watch: never wrong the dangerous way.
 */
import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../src/cli/renderers/describe-event.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { classifyRecord } from '../../src/engine/check-classify.js';
import { describeLiveUnwritten } from '../../src/engine/owner-kinds.js';
import { getStatus } from '../../src/engine/status.js';
import type { LocalProcesses } from '../../src/ports/local-processes.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
const running = (...pids: number[]): LocalProcesses => ({ isRunning: (pid) => pids.includes(pid) });
const CHECK = 'check:cron@host-a:97';

/** A deploy by `owner` left shifting at 20%, its heartbeat `ageMs` old; its new version alarms. */
function killedWorld(owner: string, ageMs: number): World {
  const w = createWorld();
  leaveDeployment(w, deadRecord(w, { owner, heartbeatAt: w.start - ageMs }));
  w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'errors above 5%' });
  return w;
}

const checkDeps = (w: World, processes: LocalProcesses): CheckDeps => ({
  ...w.deps,
  store: w.store,
  owner: CHECK,
  processes,
});

describe('a check that finds a deploy killed mid-shift on this machine', () => {
  it('stale and its pid gone here: rolled back without watching the record first', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    const startedAt = w.clock.now();
    const report = await runCheck(checkDeps(w, running(97)), request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back' });
    expect(r?.reason).toContain('its process 41 no longer runs on this machine');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    // No 2-minute watch for a writer: only the claim's settle wait.
    expect(w.clock.now() - startedAt).toBeLessThan(60_000);
  });

  it('stale, its pid gone here, alarms OK: left split (stalled) and the line says its process is gone', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    w.metrics.setAlarm(ALARM, 'OK');
    const report = await runCheck(checkDeps(w, running(97)), request);

    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]?.reason).toContain(
      'deployment d-dead01 (shifting at 20%) has no live owner (heartbeat 2m 10s ago; its process 41 no longer runs on this machine): finish it with',
    );
    expect(w.lambda.aliasWrites()).toHaveLength(0);
  });

  it('stale but its pid still runs here (maybe reused): watched for the stale limit first', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    const startedAt = w.clock.now();
    const report = await runCheck(checkDeps(w, running(41, 97)), request);

    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).not.toContain('no longer runs');
    expect(w.clock.now() - startedAt).toBeGreaterThanOrEqual(120_000);
  });

  it.each([
    ['its heartbeat is fresh (another container with this hostname may run it)', 'cron@host-a:41', 20_000],
    ['it is another machine’s', 'cron@host-b:41', 20_000],
  ])('left alone when %s', async (_what, owner, ageMs) => {
    const w = killedWorld(owner, ageMs);
    const report = await runCheck(checkDeps(w, running(97)), request);

    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(w.lambda.aliasWrites()).toHaveLength(0);
  });

  // Its pid gone here drives nothing: "driven by" it was said of a killed runner (a hostile pass).
  it('fresh, its pid gone here, no machine token: left alone, said to seem gone, not "driven by"', async () => {
    const w = killedWorld('cron@host-a:41', 20_000);
    const report = await runCheck(checkDeps(w, running(97)), request);
    expect(report.results[0]).toMatchObject({ action: 'skipped' });
    expect(report.results[0]?.reason).toBe(
      'in progress (shifting at 20%), but its runner cron@host-a:41 seems gone (its process 41 no longer runs on this machine, unless it runs in another container with this hostname; heartbeat 20s ago): a check acts on it once its heartbeat is over 2m old',
    );
  });

  it('another machine’s runner, fresh: driven by it, as ever', async () => {
    const w = killedWorld('cron@host-b:41', 20_000);
    const report = await runCheck(checkDeps(w, running(97)), request);
    expect(report.results[0]?.reason).toBe(
      'in progress (shifting at 20%), driven by cron@host-b:41 (heartbeat 20s ago)',
    );
  });

  it('status says STALLED at the same moment, and why', async () => {
    const fresh = killedWorld('cron@host-a:41', 20_000);
    const before = await getStatus(
      { ...fresh.deps, checkOwner: CHECK, processes: running(97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(before.record?.stale).toBe(false);

    const w = killedWorld('cron@host-a:41', 130_000);
    const status = await getStatus(
      { ...w.deps, checkOwner: CHECK, processes: running(97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record).toMatchObject({ stale: true, deadPid: 41 });
    expect(renderStatus(status)).toContain(
      'STALLED: its runner seems to have died (its process 41 no longer runs on this machine); nobody drives it',
    );
  });
});

/**
 * A runner alive on this machine whose record is stale: its record writes fail (TagResource
 * throttled or refused: it rolls back by itself at its next poll past the stale limit), or it is
 * hung. Found by a hostile pass: status said "its runner seems to have died (its heartbeats stopped; whether its process still runs, status cannot see from this machine); nobody drives it" and
 * check "has no live owner" while its pid ran. Only the words change: the label (STALLED), the
 * exit codes and what the check does are those of any stale record whose pid looks alive.
 */
describe('a stale record whose runner still runs on this machine', () => {
  it('status: STALLED, but says its runner runs and writes no record, not that it died', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    const status = await getStatus(
      { ...w.deps, checkOwner: CHECK, processes: running(41, 97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record).toMatchObject({ stale: true, livePid: 41, stalled: true });
    expect(status.record?.deadPid).toBeUndefined();
    const text = renderStatus(status);
    expect(text).toContain(
      'STALLED: its runner seems alive but writes no record (its process 41 still runs on this machine, but its record has not been written for 2m 10s: lshift rolls back a deployment whose record it cannot write for the stale limit, so it rolls back by itself soon (at a health poll, once a hung call gives up); if it does not, it is hung (or process 41 is another program now))',
    );
    expect(text).not.toContain('seems to have died');
    expect(text).not.toContain('nobody drives it');
  });

  it('another machine’s runner, or another user’s: no pid is judged, the words are as before', async () => {
    const w = killedWorld('cron@host-b:41', 130_000);
    const status = await getStatus(
      { ...w.deps, checkOwner: CHECK, processes: running(41, 97) },
      { functionName: FN, alias: ALIAS, alarms: [] },
    );
    expect(status.record?.livePid).toBeUndefined();
    expect(renderStatus(status)).toContain(
      'STALLED: its runner seems to have died (its heartbeats stopped; whether its process still runs, status cannot see from this machine); nobody drives it',
    );
  });

  it('check, alarms OK: stalled after watching the record, saying its owner runs but writes no record', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    w.metrics.setAlarm(ALARM, 'OK');
    const report = await runCheck(checkDeps(w, running(41, 97)), request);

    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    const reason = report.results[0]?.reason ?? '';
    expect(reason).toMatch(
      /deployment d-dead01 \(shifting at 20%\) has an owner that writes no record \(heartbeat \d+m( \d+s)? ago; its process 41 still runs on this machine, but its record has not been written for /,
    );
    expect(reason).not.toContain('no live owner');
    expect(w.lambda.aliasWrites()).toHaveLength(0);
  });

  it('a CodeDeploy follower is not said to roll back for its record (CodeDeploy shifts)', () => {
    expect(describeLiveUnwritten(41, '3m', 'codedeploy')).toBe(
      'its process 41 still runs on this machine, but its record has not been written for 3m: its record writes fail, or it is hung (or process 41 is another program now)',
    );
    expect(describeLiveUnwritten(41, '3m')).toContain('so it rolls back by itself soon');
  });

  it('check, its alarm firing: rolled back, saying its process runs but its record is unwritten', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    const report = await runCheck(checkDeps(w, running(41, 97)), request);

    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).toMatch(
      /during deployment d-dead01 \(shifting at 20%, its record unwritten for \d+m( \d+s)? though its process 41 still runs on this machine\)/,
    );
  });
});

/**
 * kill -9 while the deploy wrote its first record (or published, or ran its pre-traffic hook):
 * the record says `started` at 0% and the alias never moved. Found by a hostile pass: every
 * scheduled check then said STALLED (exit 4) and the next deploy was refused (DEPLOYMENT_STALE).
 */
describe('a check that finds a deploy killed before any traffic moved', () => {
  it('closes its record as rolled back through the real rollback (the same routing written again), skipped', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, {
        owner: 'cron@host-a:41',
        phase: 'started',
        percent: 0,
        stepIndex: 0,
        heartbeatAt: w.start - 130_000,
      }),
    );
    const revisionBefore = w.lambda.peekAlias(FN, ALIAS)?.revisionId;
    const report = await runCheck(checkDeps(w, running(97)), request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'skipped', toVersion: '1' });
    expect(r?.reason).toContain('(started at 0%) has no live owner');
    expect(r?.reason).toContain('its process 41 no longer runs on this machine) and moved no traffic');
    expect(r?.reason).toMatch(/: its record is now closed as rolled back$/);
    // Its log line says what its SKIPPED line says: the record closed, no traffic moved — not
    // "ROLLBACK to version 1 (all traffic was already on it)", a rollback it did not make.
    const [started] = w.sink.ofType('rollback.started');
    const reason = r?.reason.replace(/: its record is now closed as rolled back$/, '');
    expect(describeEvent(started!)).toBe(
      `CLOSING its record as rolled back (all traffic was already on version 1; this check moved no traffic): ${reason}`,
    );
    // A runner still alive gets a 412 at its first weight write.
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.lambda.peekAlias(FN, ALIAS)?.revisionId).not.toBe(revisionBefore);
    const record = await w.store.read(FN, ALIAS);
    expect(record).toMatchObject({
      id: 'd-dead01',
      phase: 'rolled-back',
      endReason: 'abandoned before any traffic moved',
    });
    const status = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(status).toContain('rolled-back (abandoned before any traffic moved)');

    const again = await runCheck(checkDeps(w, running(97)), request);
    expect(again.results[0]).toMatchObject({ action: 'skipped' });
    expect(again.results[0]?.reason).toMatch(/^rolled back .* ago; nothing to watch$/);
  });
});

/**
 * kill -9 of a deploy between its rollback's alias write and its record's: all traffic is back on
 * the stable version, the record says `rolling-back`. Found by a hostile pass: every check said
 * STALLED (exit 4) and never closed it; a new deploy was refused as in progress.
 */
describe('a check that finds a rollback killed after its alias write', () => {
  it('closes the record through the real rollback: rolled_back, then nothing to watch', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, { owner: 'cron@host-a:41', phase: 'rolling-back', heartbeatAt: w.start - 130_000 }),
      0,
    );
    const report = await runCheck(checkDeps(w, running(97)), request);
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back', toVersion: '1' });
    expect(r?.reason).toMatch(
      /^finishing the rollback of deployment d-dead01 .*: alias live already routes all traffic to version 1; its record is now closed as rolled back$/,
    );
    expect(await w.store.read(FN, ALIAS)).toMatchObject({ id: 'd-dead01', phase: 'rolled-back' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });

    const again = await runCheck(checkDeps(w, running(97)), request);
    expect(again.results[0]).toMatchObject({ action: 'skipped' });
  });
});

/**
 * A deploy killed mid-rollback now leaves why it rolled back on its `rolling-back` mark (`y=`);
 * the check that finishes it keeps that. Found by a hostile pass: `status` then said nothing of
 * why (a check) or only "`deploy --resume` finished a rollback left unfinished".
 */
describe('a check that finishes a rollback a killed deploy began', () => {
  it('keeps the reason the deploy wrote on its mark', async () => {
    const w = createWorld();
    leaveDeployment(
      w,
      deadRecord(w, {
        owner: 'cron@host-a:41',
        phase: 'rolling-back',
        heartbeatAt: w.start - 130_000,
        cause: { code: 'GATE_FAILED', gates: ['alarms'] },
      }),
    );
    const report = await runCheck(checkDeps(w, running(97)), request);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      cause: { code: 'GATE_FAILED', gates: ['alarms'] },
    });
  });
});

/**
 * A `deploy --resume` on this machine takes a dead runner's deployment over at once, as the check
 * does; the check decided on the record it listed, and its STALLED line told a second operator to
 * resume what the first resume already drove (found by a hostile pass).
 */
describe('a check racing a resume that takes the deployment over', () => {
  it('the record taken over while the check read the alarms: skipped, said as the resume’s, no --resume hint', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    w.metrics.setAlarm(ALARM, 'OK');
    const listed = w.store.peek(FN, ALIAS)!;
    const metrics = Object.create(w.metrics) as typeof w.metrics;
    metrics.describeAlarms = async (names) => {
      // The resume's claim lands: its owner, a fresh heartbeat, the same deployment.
      w.store.seed(FN, ALIAS, { ...listed, owner: 'ann@host-a:120', heartbeatAt: w.clock.now() });
      return w.metrics.describeAlarms(names);
    };
    const report = await runCheck({ ...checkDeps(w, running(97, 120)), metrics }, request);

    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'skipped' });
    expect(r?.stalled).toBeUndefined();
    expect(r?.reason).toContain(
      'deployment d-dead01 was taken over while this check ran (a `deploy --resume`): it is shifting at 20%, driven by ann@host-a:120 (heartbeat 0s ago); left to it',
    );
    expect(r?.reason).not.toContain('--resume`,');
    expect(r?.reason).not.toContain('finish it with');
    expect(w.lambda.aliasWrites()).toHaveLength(0);
  });

  it('nobody took it: still STALLED with the --resume hint', async () => {
    const w = killedWorld('cron@host-a:41', 130_000);
    w.metrics.setAlarm(ALARM, 'OK');
    const report = await runCheck(checkDeps(w, running(97)), request);
    expect(report.results[0]).toMatchObject({ action: 'stalled', stalled: true });
    expect(report.results[0]?.reason).toContain('finish it with `lshift deploy demo --alias live --resume`');
  });
});

/** classifyRecord's words for a fresh record whose runner's pid is gone from this machine. */
describe('a fresh record whose runner is gone from this machine', () => {
  const NOW_MS = 1_800_000_000_000;
  const base = {
    id: 'd-cd0001',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:1h30m',
    stepIndex: 0,
    percent: 0,
    phase: 'started' as const,
    startedAt: NOW_MS - 60_000,
    owner: 'ann@host-a:41/3f9a1c2e',
    heartbeatAt: NOW_MS - 6_000,
    history: [],
  };
  const opts = { windowSeconds: 3600, owner: 'check:ann@host-a:97/3f9a1c2e', processes: running(97) };

  it('a CodeDeploy follower killed: CodeDeploy runs on, the follower is gone, `lshift wait` follows it', () => {
    const record = { ...base, engine: 'codedeploy' as const, codeDeployId: 'd-E62D42E45' };
    expect(classifyRecord(record, NOW_MS, opts)).toEqual({
      skip: 'in progress (started at 0%): AWS CodeDeploy runs its deployment d-E62D42E45 on its own, but its follower ann@host-a:41/3f9a1c2e is gone (its process 41 no longer runs on this machine; heartbeat 6s ago): `lshift wait d-E62D42E45` follows it to its end and closes the record',
    });
  });

  it('a CodeDeploy follower whose pid still runs: driven by it', () => {
    const record = { ...base, engine: 'codedeploy' as const, codeDeployId: 'd-E62D42E45' };
    const alive = { ...opts, processes: running(41, 97) };
    expect(classifyRecord(record, NOW_MS, alive)).toEqual({
      skip: 'in progress (started at 0%), driven by ann@host-a:41/3f9a1c2e (heartbeat 6s ago)',
    });
  });

  it('a native runner with the same machine token: gone, no "unless"', () => {
    const record = { ...base, phase: 'shifting' as const, percent: 10 };
    expect(classifyRecord(record, NOW_MS, opts)).toEqual({
      skip: 'in progress (shifting at 10%), but its runner ann@host-a:41/3f9a1c2e is gone (its process 41 no longer runs on this machine; heartbeat 6s ago): a check acts on it once its heartbeat is over 2m old',
    });
  });
});

/**
 * A deployment whose traffic was put back on its stable version without its record saying so (a
 * rollback whose record writes failed, a person's update-alias), its runner gone: the check
 * closes the record (check-close-on-stable.ts closeIfOnStable) and reports it SKIPPED. Its log
 * line said "ROLLBACK to version 1 (all traffic was already on it; …)" beside that SKIPPED line.
 */
describe('a check that finds a dead deployment moved back on its stable version', () => {
  it('its log line and its result line both say the record was closed, and the log line that no traffic moved', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { owner: 'cron@host-a:41', heartbeatAt: w.start - 130_000 }), 0);
    const report = await runCheck(checkDeps(w, running(97)), request);
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'skipped', toVersion: '1' });
    expect(r?.reason).toMatch(
      /routes all traffic to its stable version 1 again, .*: its record is now closed as rolled back$/,
    );
    const [started] = w.sink.ofType('rollback.started');
    expect(describeEvent(started!)).toMatch(
      /^CLOSING its record as rolled back \(all traffic was already on version 1; version 2 had 20% when its record was last written; this check moved no traffic\): deployment d-dead01 /,
    );
    expect(w.sink.events.map((e) => describeEvent(e) ?? '').join('\n')).not.toContain('ROLLBACK');
    // Nor its end line "rollback: all traffic is on version 1", as if it had moved it there.
    const [completed] = w.sink.ofType('rollback.completed');
    expect(completed).toMatchObject({ toVersion: '1', closeOnly: true });
    expect(describeEvent(completed!)).toBe('rollback: none was needed; all traffic stays on version 1');
    expect(await w.store.read(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'found back on its stable version with no live owner',
    });
  });
});
