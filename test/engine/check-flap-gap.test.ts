/**
 * The gap before the promotion: an alarm that goes to ALARM and back after the deployment's last
 * alarm poll (of its last step or of its bake) and before its promotion write is judged by
 * neither the deployment (no poll comes after) nor, if `lshift check` looked only from the
 * promotion, by the check. The record carries the instant up to which the deployment's alarm
 * polls judged (`alarmsJudgedUntil`), and `check` looks for flaps from there.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runRelease } from '../../src/engine/release.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { slowAliasWrites } from '../helpers/fake-lambda.js';
import {
  ALARM,
  ALIAS,
  canary,
  createFleetWorld,
  createWorld,
  deadRecord,
  driven,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
} from './world.js';

const checkRequest = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
const checkDeps = (w: World): CheckDeps => ({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' });

/**
 * `canary:10%:1m` polled every 10 s (the last poll at 60 s), then a post-traffic hook of
 * `hookSeconds`: the alarm goes to ALARM 3 s into the hook and back to OK 3 s later.
 */
async function deployWithFlapInPostHook(w: World, hookSeconds: number) {
  // A manual clock (createWorld({ auto: false })): the hook and the polls beside it take turns
  // in time order, as they would in real time; an auto-advancing clock jumps for each sleeper.
  w.hooks.script('cmd:smoke', async () => {
    const at = w.clock.now();
    w.metrics.setAlarm(ALARM, 'ALARM', {
      at: at + 3_000,
      reason: 'Threshold Crossed: 1 datapoint [9.0] > 1.0',
    });
    w.metrics.setAlarm(ALARM, 'OK', { at: at + 6_000 });
    await w.clock.sleep(hookSeconds * 1000);
    return { ok: true, durationMs: hookSeconds * 1000 };
  });
  return driven(w, runDeploy(w.deps, request({ ...canary(10, 60), hooks: { post: [cmdHook('smoke')] } })));
}

/**
 * `canary:10%:1m` polled every 10 s, each alias write taking 8 s (the hold's last poll is at
 * 62 s, the 100% write lands at 70 s): the alarm goes to ALARM 3 s into the 100% write and back
 * to OK 3 s later, after the last poll and before the promotion. (A post-traffic hook is no
 * such gap: the poll that closes its watch reads the alarms at its end, wait-watch.ts.)
 */
async function deployWithFlapInPromoteWrite(w: World) {
  w.deps = { ...w.deps, lambda: slowAliasWrites(w.lambda, w.clock, 8_000) };
  w.metrics.setAlarm(ALARM, 'ALARM', {
    at: w.start + 65_000,
    reason: 'Threshold Crossed: 1 datapoint [9.0] > 1.0',
  });
  w.metrics.setAlarm(ALARM, 'OK', { at: w.start + 68_000 });
  return driven(w, runDeploy(w.deps, request(canary(10, 60))));
}

describe('an alarm that flapped between the last poll and the promotion write', () => {
  it('the deployment promotes (no poll saw it); its record says up to when its polls judged', async () => {
    const w = createWorld({ auto: false });
    const result = await deployWithFlapInPromoteWrite(w);
    expect(result.status).toBe('promoted');
    const record = w.store.peek(FN, ALIAS);
    // The last poll (at 62 s) judged everything before it; the record ends 8 s later.
    expect(record?.alarmsJudgedUntil).toBe(w.start + 62_000);
    expect(record?.endedAt).toBe(w.start + 70_000);
  });

  it('a post-traffic hook longer than a poll interval is watched: the deployment sees the flap itself', async () => {
    const w = createWorld({ auto: false });
    const result = await deployWithFlapInPostHook(w, 20);
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
  });

  it('a post-traffic hook shorter than a poll interval is closed by a poll: the deployment sees the flap itself', async () => {
    const w = createWorld({ auto: false });
    const result = await deployWithFlapInPostHook(w, 8);
    expect(result.status).toBe('rolled_back');
    expect(result.cause).toMatchObject({ code: 'GATE_FAILED' });
    // The one poll beside the hook closed it, at its end (wait-watch.ts).
    const during = w.sink.ofType('health.polled').filter((e) => e.during === 'post-hook');
    expect(during.map((e) => e.at - w.start)).toEqual([68_000]);
  });

  it('a deployment without --alarm judged nothing: its record says nothing (check reads from the promotion)', async () => {
    const w = createWorld();
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), alarms: [] }));
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)).not.toHaveProperty('alarmsJudgedUntil');
  });

  it('a run resumed in its post-traffic hooks (no poll of its own) records its start: check reads from there', async () => {
    const w = createWorld();
    const dead = deadRecord(w, { phase: 'post-hook', stepIndex: 9, percent: 100 });
    leaveDeployment(w, dead);
    const result = await resumeDeploy(w.deps, resumeRequest({ hooks: { post: [cmdHook('smoke')] } }));
    expect(result.status).toBe('promoted');
    expect(w.store.peek(FN, ALIAS)?.alarmsJudgedUntil).toBe(dead.startedAt);
  });

  it('lshift check afterwards rolls it back (exit 3), naming the flap', async () => {
    const w = createWorld({ auto: false });
    await deployWithFlapInPromoteWrite(w);
    await w.clock.advance(120_000);
    const report = await driven(w, runCheck(checkDeps(w), checkRequest));
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back', toVersion: '1' });
    expect(r?.reason).toContain(
      `alarm ${ALARM} went to ALARM at ${new Date(w.start + 65_000).toISOString()} (Threshold Crossed: 1 datapoint [9.0] > 1.0) and cleared before this check (OK now)`,
    );
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
    // Read from (1 s before) the deployment's last poll, not from the promotion.
    expect(w.metrics.callsOf('describeAlarmHistory').at(-1)?.args).toEqual([
      ALARM,
      w.start + 62_000 - 1_000,
      w.start + 68_000 + 1_000,
    ]);
  });

  it('a flap the deployment judged (before its last poll) is not read again', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'INSUFFICIENT_DATA', { at: w.start + 30_000 });
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start + 45_000 });
    const result = await runDeploy(
      w.deps,
      request({ ...canary(10, 60), hooks: { post: [cmdHook('smoke')] } }),
    );
    expect(result.status).toBe('promoted');
    const reads = w.metrics.callsOf('describeAlarmHistory').length;
    await w.clock.sleep(120_000);
    const report = await runCheck(checkDeps(w), checkRequest);
    expect(report.results[0]).toMatchObject({ action: 'healthy' });
    expect(w.metrics.callsOf('describeAlarmHistory')).toHaveLength(reads);
  });
});

describe('lshift check: where the window for flaps begins', () => {
  /** Promoted 10 minutes ago; its last alarm poll was 12 minutes ago (a long post-traffic hook). */
  function promoted(w: World, judged: number | undefined): void {
    const record = deadRecord(w, { startedAt: w.start - 1_200_000, heartbeatAt: w.start - 600_000 });
    const ended = { ...record, phase: 'promoted' as const, percent: 100, endedAt: w.start - 600_000 };
    leaveDeployment(w, judged === undefined ? ended : { ...ended, alarmsJudgedUntil: judged }, 100);
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 3_600_000 });
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start - 690_000 });
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 660_000 });
  }

  it('from the last judged poll when the record says it: a flap before the promotion is rolled back', async () => {
    const w = createWorld();
    promoted(w, w.start - 720_000);
    const report = await runCheck(checkDeps(w), checkRequest);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(w.metrics.callsOf('describeAlarmHistory')[0]?.args[1]).toBe(w.start - 720_000 - 1_000);
  });

  it('from 1 s before that poll: an ALARM just before it, which its DescribeAlarms may not have shown yet', async () => {
    const w = createWorld();
    promoted(w, w.start - 720_000);
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start - 720_500, reason: 'late' });
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 718_000 });
    const report = await runCheck(checkDeps(w), checkRequest);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back' });
    expect(report.results[0]?.reason).toContain(
      `went to ALARM at ${new Date(w.start - 720_500).toISOString()} (late)`,
    );
  });

  it('from the promotion for a record without it (an older lshift): as before, nothing read', async () => {
    const w = createWorld();
    promoted(w, undefined);
    const report = await runCheck(checkDeps(w), checkRequest);
    expect(report.results[0]).toMatchObject({ action: 'healthy' });
    expect(w.metrics.callsOf('describeAlarmHistory')).toEqual([]);
  });

  it('a history that cannot tell says the window began at the last alarm poll', async () => {
    const w = createWorld();
    promoted(w, w.start - 720_000);
    w.metrics.fail({ op: 'describeAlarmHistory' });
    const report = await runCheck(checkDeps(w), checkRequest);
    expect(report.results[0]?.reason).toMatch(
      new RegExp(
        `^could not tell whether alarm ${ALARM} went to ALARM since the deployment's last alarm poll \\(${ALARM}: its state history could not be read`,
      ),
    );
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('a judged instant before the deployment began is read from its start (never before)', async () => {
    const w = createWorld();
    promoted(w, w.start - 9_000_000);
    await runCheck(checkDeps(w), checkRequest);
    expect(w.metrics.callsOf('describeAlarmHistory')[0]?.args[1]).toBe(w.start - 1_200_000);
  });
});

describe('a release of several functions', () => {
  it("each function's promotion records where its own alarm polls stopped judging", async () => {
    const fns = ['alpha', 'beta'];
    const w = createFleetWorld(fns);
    const result = await runRelease(w.deps, {
      releaseId: 'r-abc123',
      members: fns.map((fn, i) =>
        request({
          functionName: fn,
          alarms: [`${fn}-errors`],
          deploymentId: `d-abc12${i}`,
          ...canary(10, 60),
        }),
      ),
    });
    expect(result.status).toBe('promoted');
    for (const fn of fns) {
      const record = w.store.peek(fn, ALIAS);
      // The last poll of the 10% hold, 60 s after the level's start; the record ends after it.
      expect(record?.alarmsJudgedUntil, fn).toBeGreaterThanOrEqual(w.start + 60_000);
      expect(record?.alarmsJudgedUntil, fn).toBeLessThanOrEqual(record?.endedAt ?? 0);
    }
  });
});
