/**
 * `lshift check` and an alarm that went to ALARM and back since the deployment's window began:
 * a cron check reads states every few minutes, and a 10-second alarm that fired and cleared in
 * between would pass, though the deployment's own gate rolls back on it. The check reads that
 * alarm's history (check-flaps.ts) with the gate's bounded reader.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode } from '../../src/domain/errors.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { FLAP_READS_PER_CHECK } from '../../src/engine/check-flaps.js';
import { ALARM, ALIAS, createWorld, deadRecord, FN, leaveDeployment, type World } from './world.js';

const request = { functionNames: [FN], alias: ALIAS, windowSeconds: 3600, alarms: [ALARM] };
const checkDeps = (w: World): CheckDeps => ({ ...w.deps, store: w.store, owner: 'check:cron@host-a:1' });

/** `demo` promoted to version 2 ten minutes ago (its shift began ten minutes before that). */
function promotedWorld(): World {
  const w = createWorld();
  const record = deadRecord(w, { startedAt: w.start - 1_200_000, heartbeatAt: w.start - 600_000 });
  leaveDeployment(w, { ...record, phase: 'promoted', percent: 100, endedAt: w.start - 600_000 }, 100);
  w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 3_600_000 });
  return w;
}

/** The alarm goes to ALARM `at` ms from the world's start and back to OK 30 s later. */
function flapAt(w: World, at: number): void {
  w.metrics.setAlarm(ALARM, 'ALARM', {
    at: w.start + at,
    reason: 'Threshold Crossed: 1 datapoint [9.0] > 1.0',
  });
  w.metrics.setAlarm(ALARM, 'OK', { at: w.start + at + 30_000 });
}

describe('lshift check: an alarm that went to ALARM and back', () => {
  it('after the promotion: rolled back (exit 3), saying when it fired and that it cleared', async () => {
    const w = promotedWorld();
    flapAt(w, -300_000);
    const report = await runCheck(checkDeps(w), request);
    const [r] = report.results;
    expect(r, JSON.stringify(r)).toMatchObject({ action: 'rolled_back', toVersion: '1' });
    expect(
      w.sink.events.some(
        (e) =>
          e.type === 'log' &&
          e.message.includes(
            `alarm ${ALARM} went to ALARM at ${new Date(w.start - 300_000).toISOString()} (Threshold Crossed: 1 datapoint [9.0] > 1.0) and cleared before this check (OK now) after deployment d-dead01 promoted version 2`,
          ),
      ),
    ).toBe(true);
    expect(exitCodeForCheck(report)).toBe(ExitCode.RolledBack);
    // One read, from the promotion to the change DescribeAlarms reported (and its slack).
    expect(w.metrics.callsOf('describeAlarmHistory').map((c) => c.args)).toEqual([
      [ALARM, w.start - 600_000, w.start - 270_000 + 1_000],
    ]);
  });

  it('before the promotion (the deployment judged it): healthy, nothing read', async () => {
    const w = promotedWorld();
    flapAt(w, -900_000);
    const report = await runCheck(checkDeps(w), request);
    expect(report.results[0]).toMatchObject({ action: 'healthy' });
    expect(w.metrics.callsOf('describeAlarmHistory')).toEqual([]);
    expect(w.lambda.aliasWrites()).toEqual([]);
  });

  it('during a deployment whose runner died: rolled back to its stable version', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 3_600_000 });
    leaveDeployment(w, deadRecord(w));
    // After the deployment began, while its runner was still alive (it may have died before judging it).
    flapAt(w, -500_000);
    const report = await runCheck(checkDeps(w), request);
    expect(report.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '1' });
    expect(w.metrics.callsOf('describeAlarmHistory')[0]?.args[1]).toBe(w.start - 600_000);
  });

  // A split a person made during the deployment's rollback, its record closed "paused (weights
  // changed by hand)": a flap before that move rolled the person's split back, while the same
  // history left a hand promotion HEALTHY (found by a hostile pass, session 61).
  it('a split closed as moved by hand: a flap before the move is not held against it', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 3_600_000 });
    const record = deadRecord(w);
    leaveDeployment(
      w,
      {
        ...record,
        phase: 'paused',
        percent: 35,
        endedAt: w.start - 300_000,
        endReason: 'weights changed by hand',
      },
      35,
    );
    flapAt(w, -500_000);
    const report = await runCheck(checkDeps(w), request);
    expect(report.results[0]?.action).not.toBe('rolled_back');
    expect(w.lambda.aliasWrites()).toEqual([]);
    // After the move, the same flap rolls it back.
    const later = createWorld();
    later.metrics.setAlarm(ALARM, 'OK', { at: later.start - 3_600_000 });
    leaveDeployment(
      later,
      {
        ...deadRecord(later),
        phase: 'paused',
        percent: 35,
        endedAt: later.start - 300_000,
        endReason: 'weights changed by hand',
      },
      35,
    );
    flapAt(later, -200_000);
    const after = await runCheck(checkDeps(later), request);
    expect(after.results[0]).toMatchObject({ action: 'rolled_back', toVersion: '1' });
  });

  it('a change that never went to ALARM since the promotion: healthy', async () => {
    const w = promotedWorld();
    w.metrics.setAlarm(ALARM, 'INSUFFICIENT_DATA', { at: w.start - 200_000 });
    w.metrics.setAlarm(ALARM, 'OK', { at: w.start - 100_000 });
    const report = await runCheck(checkDeps(w), request);
    expect(report.results[0]).toMatchObject({ action: 'healthy', reason: '1 alarm OK' });
    expect(w.metrics.callsOf('describeAlarmHistory')).toHaveLength(1);
  });

  it.each([
    [
      'the history cannot be read',
      (w: World) => w.metrics.fail({ op: 'describeAlarmHistory' }),
      'its state history could not be read: THROTTLED',
    ],
    [
      'the history does not show the change DescribeAlarms reported yet',
      (w: World) => {
        w.metrics.describeAlarmHistory = async () => ({ transitions: [], complete: true });
      },
      'its state history does not show the change yet',
    ],
  ])('%s: error (exit 1), health unknown, not rolled back', async (_what, breakIt, why) => {
    const w = promotedWorld();
    flapAt(w, -300_000);
    breakIt(w);
    const report = await runCheck(checkDeps(w), request);
    const [r] = report.results;
    expect(r).toMatchObject({ action: 'error' });
    expect(r?.reason).toMatch(
      new RegExp(
        `^could not tell whether alarm ${ALARM} went to ALARM since the promotion \\(${ALARM}: ${why}.*\\); health unknown, not rolled back$`,
      ),
    );
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(exitCodeForCheck(report)).toBe(ExitCode.Failed);
  });

  it(`reads at most ${FLAP_READS_PER_CHECK} histories a run; a function whose alarm was not read is an error`, async () => {
    const w = promotedWorld();
    const names = Array.from(
      { length: FLAP_READS_PER_CHECK + 1 },
      (_, i) => `a-${String(i).padStart(3, '0')}`,
    );
    for (const name of names) {
      w.metrics.setAlarm(name, 'INSUFFICIENT_DATA', { at: w.start - 3_600_000 });
      w.metrics.setAlarm(name, 'OK', { at: w.start - 100_000 });
    }
    const report = await runCheck(checkDeps(w), { ...request, alarms: names });
    expect(w.metrics.callsOf('describeAlarmHistory')).toHaveLength(FLAP_READS_PER_CHECK);
    const read = new Set(w.metrics.callsOf('describeAlarmHistory').map((c) => c.args[0]));
    const [unread] = names.filter((n) => !read.has(n));
    const [r] = report.results;
    expect(r).toMatchObject({ action: 'error' });
    expect(r?.reason).toContain(
      `${unread}: not read in this run (more than ${FLAP_READS_PER_CHECK} alarm histories to read; run lshift check again, or for fewer functions)`,
    );
  });
});

describe(`lshift check: more than ${FLAP_READS_PER_CHECK} changed alarms (a check keeps no memory between runs)`, () => {
  /** 150 alarms changed since the promotion; `a-120` (past the first 100 by name) flapped. */
  function manyChanged(): { w: World; names: string[] } {
    const w = promotedWorld();
    const names = Array.from({ length: 150 }, (_, i) => `a-${String(i).padStart(3, '0')}`);
    for (const name of names) {
      w.metrics.setAlarm(name, 'INSUFFICIENT_DATA', { at: w.start - 3_600_000 });
      if (name === 'a-120') w.metrics.setAlarm(name, 'ALARM', { at: w.start - 150_000, reason: 'spike' });
      w.metrics.setAlarm(name, 'OK', { at: w.start - 100_000 });
    }
    return { w, names };
  }

  it('each run starts its 100 reads somewhere else: a flap past the first 100 is found within a few runs', async () => {
    const { w, names } = manyChanged();
    const actions: string[] = [];
    const firstReads = new Set<string>();
    for (let run = 0; run < 8 && !actions.includes('rolled_back'); run++) {
      const before = w.metrics.callsOf('describeAlarmHistory').length;
      const report = await runCheck(checkDeps(w), { ...request, alarms: names });
      const reads = w.metrics.callsOf('describeAlarmHistory').slice(before);
      if (report.results[0]?.action !== 'rolled_back') expect(reads).toHaveLength(FLAP_READS_PER_CHECK);
      firstReads.add(String(reads[0]?.args[0]));
      actions.push(String(report.results[0]?.action));
      // The next scheduled run, 5 minutes later.
      await w.clock.sleep(300_000);
    }
    expect(actions.at(-1), actions.join(', ')).toBe('rolled_back');
    expect(actions.slice(0, -1).every((a) => a === 'error')).toBe(true);
    expect(firstReads.size, 'the runs started their reads at different alarms').toBe(actions.length);
  });

  it('a run that cannot read them all is an error naming those not read, never healthy', async () => {
    const { w, names } = manyChanged();
    w.metrics.setAlarm('a-120', 'OK', { at: w.start - 150_000 });
    const report = await runCheck(checkDeps(w), { ...request, alarms: names });
    expect(report.results[0]).toMatchObject({ action: 'error' });
    expect(report.results[0]?.reason).toContain('not read in this run');
  });
});

describe('lshift check: interrupted while reading alarm histories', () => {
  it('starts no further read after the signal, and leaves every function untouched', async () => {
    const w = promotedWorld();
    const names = Array.from({ length: 20 }, (_, i) => `a-${String(i).padStart(2, '0')}`);
    for (const name of names) {
      w.metrics.setAlarm(name, 'INSUFFICIENT_DATA', { at: w.start - 3_600_000 });
      w.metrics.setAlarm(name, 'OK', { at: w.start - 100_000 });
    }
    const stop = new AbortController();
    const read = w.metrics.describeAlarmHistory.bind(w.metrics);
    w.metrics.describeAlarmHistory = async (name, startMs, endMs) => {
      stop.abort(new Error('interrupted by SIGTERM'));
      return read(name, startMs, endMs);
    };
    const report = await runCheck(checkDeps(w), { ...request, alarms: names, signal: stop.signal });
    // The two in flight when it came finish; none starts after.
    expect(w.metrics.callsOf('describeAlarmHistory')).toHaveLength(2);
    expect(report.results[0]).toMatchObject({ action: 'skipped', interrupted: true });
    expect(w.lambda.aliasWrites()).toEqual([]);
  });
});
