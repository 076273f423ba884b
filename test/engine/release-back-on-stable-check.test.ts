/**
 * A release whose record writes all hung from its rollback on, the mark too, then whose process
 * died: every alias back on its stable version, every record `shifting`. `lshift check` reported
 * it STALLED (exit 4) at every run, and only `lshift rollback --release` closed it, while a single
 * deployment in that state is closed by the check (check-release-close.ts). Now the check closes
 * each function found back on its stable version with no live owner once the whole release is so;
 * with one split, it judges that one as before (rolled back with its release on its alarm, else
 * all STALLED with ways out that work).
 */
import { describe, expect, it } from 'vitest';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { type DeploymentRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { LshiftError } from '../../src/domain/errors.js';
import { recordTagKey } from '../../src/domain/record-tag.js';
import { FOUND_BACK_ON_STABLE } from '../../src/engine/check-rollback.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { rollbackRelease } from '../../src/engine/release-rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { driveUntil } from './race.js';
import { ALIAS, canary, createFleetWorld, request, resumeRequest, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const RELEASE = 'r-hang03';

/** The release rolled back on fc's alarm, every record write hanging from 87 s on, then dead. */
async function leftBehind(): Promise<World> {
  const w = createFleetWorld(FNS, { auto: false });
  w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.start + 85_000, reason: 'errors over 3' });
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record: DeploymentRecord, opts) =>
    w.clock.now() - w.start >= 87_000 ? new Promise(() => undefined) : write(fn, alias, record, opts);
  const members = FNS.map((fn, i) =>
    request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...canary(10, 600) }),
  );
  await driveUntil(w, runRelease(w.deps, { releaseId: RELEASE, members }));
  w.store.write = write;
  await w.clock.advance(10 * 60_000);
  expect(phases(w)).toEqual(['shifting', 'shifting', 'shifting']);
  return w;
}

const phases = (w: World) => FNS.map((fn) => w.store.peek(fn, ALIAS)?.phase);

/** A check with `alarms` (fc's own went to ALARM and back: a flap the check rolls back for). */
async function check(w: World, alarms = ['{function}-errors'], names: string[] | 'none' = FNS) {
  const functionNames = names === 'none' ? {} : { functionNames: names };
  const work = runCheckWithReleases(
    { ...w.deps, store: w.store, owner: 'check:cron@ops:12' },
    { ...functionNames, alias: ALIAS, windowSeconds: 3600, alarms },
  );
  const report = await drive(w, work);
  return (fn: string) => report.results.find((r) => r.functionName === fn)!;
}

/** Drives a command that waits on the fake clock (a check watches, a resume polls). */
async function drive<T>(w: World, work: Promise<T>): Promise<T> {
  let done = false;
  work
    .finally(() => {
      done = true;
    })
    .catch(() => undefined);
  for (let s = 0; !done && s < 3600; s++) await w.clock.advance(1000);
  return work;
}

/** The records as Lambda holds them (tags), so a listing finds them as it would on AWS. */
async function tagRecords(w: World): Promise<void> {
  for (const fn of FNS) {
    const { functionArn } = await w.lambda.getFunction(fn);
    await w.lambda.tagResource(functionArn, {
      [recordTagKey(ALIAS)]: encodeRecord(w.store.peek(fn, ALIAS)!),
    });
  }
}

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.1 } };

/**
 * A named check of the release during whose stale-limit watch a resume on another machine takes
 * `fn` (from 10 s in, beating every 5 s), as `deploy --resume` would (found by a hostile pass).
 */
async function checkWhileResumeTakes(w: World, fn: string, alarms: string[]) {
  const work = runCheckWithReleases(
    { ...w.deps, store: w.store, owner: 'check:cron@ops:12' },
    { functionNames: FNS, alias: ALIAS, windowSeconds: 3600, alarms },
  );
  let done = false;
  work.finally(() => {
    done = true;
  });
  for (let s = 0; !done && s < 3600; s++) {
    if (s >= 10 && s % 5 === 0) {
      const record = w.store.peek(fn, ALIAS)!;
      await w.store.write(fn, ALIAS, { ...record, owner: 'bob@laptop:9', heartbeatAt: w.clock.now() });
    }
    await w.clock.advance(1000);
  }
  return work;
}

describe('lshift check over a release left back on its stable versions, no record of it landed', () => {
  it('closes every function as found back on its stable version, moving nothing; the next check is quiet', async () => {
    const w = await leftBehind();
    const writes = w.lambda.callsOf('updateAlias').length;
    const first = await check(w);
    for (const fn of FNS) {
      const r = first(fn);
      expect(r.action, fn).toBe('skipped');
      expect(r.stalled, fn).toBeUndefined();
      expect(r.reason, fn).toContain('its record is now closed as rolled back');
      expect(r.reason, fn).not.toContain('--resume');
      expect(w.store.peek(fn, ALIAS), fn).toMatchObject({
        phase: 'rolled-back',
        endReason: FOUND_BACK_ON_STABLE,
      });
    }
    // The same routing written again, so a runner still alive gets a 412 at its next write.
    expect(
      w.lambda
        .callsOf('updateAlias')
        .slice(writes)
        .map((c) => c.args[0]),
    ).toEqual(FNS);
    for (const fn of FNS)
      expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const second = await check(w);
    for (const fn of FNS) expect(second(fn)).toMatchObject({ action: 'skipped', phase: 'rolled-back' });
  });

  it('one back on stable, the others split, alarms OK: nothing closed, all STALLED; the undo offered works', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fb', ALIAS, SPLIT);
    w.lambda.moveAlias('fc', ALIAS, SPLIT);
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-latency`, 'OK');
    const writes = w.lambda.callsOf('updateAlias').length;
    const result = await check(w, ['{function}-latency']);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
    expect(phases(w)).toEqual(['shifting', 'shifting', 'shifting']);
    for (const fn of FNS) {
      expect(result(fn), fn).toMatchObject({ action: 'stalled', stalled: true });
      expect(result(fn).reason, fn).toContain(`\`lshift rollback --release ${RELEASE} fa fb fc\``);
    }
    // fa's way out besides the undo: closed where it is, the others resumed without it.
    expect(result('fa').reason).toContain('`lshift alias fa live 1`, then');
    expect(result('fa').reason).toContain('`lshift deploy fb fc --alias live --resume`');
    const undo = await drive(
      w,
      rollbackRelease(
        { ...w.deps, store: w.store },
        {
          releaseId: RELEASE,
          targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
          reason: 'undo',
        },
      ),
    );
    expect(undo.errors).toEqual([]);
    for (const fn of FNS) {
      expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('rolled-back');
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
    }
  });

  it('a split function in ALARM is rolled back with its release; the ones back on stable are closed', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fc', ALIAS, SPLIT);
    const result = await check(w);
    expect(result('fc')).toMatchObject({ action: 'rolled_back' });
    for (const fn of FNS) {
      expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('rolled-back');
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
    }
  });

  it('a function of the release with a live owner (a resume claimed it) leaves every function to it', async () => {
    const w = await leftBehind();
    const fb = w.store.peek('fb', ALIAS)!;
    await w.store.write('fb', ALIAS, { ...fb, owner: 'ci@runner:7', heartbeatAt: w.clock.now() });
    const writes = w.lambda.callsOf('updateAlias').length;
    const result = await check(w);
    expect(result('fa')).toMatchObject({ action: 'stalled' });
    expect(phases(w)).toEqual(['shifting', 'shifting', 'shifting']);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
  });
});

describe('lshift check over a release partly back on its stable versions, its alarm firing on one back', () => {
  // fc's line offered `lshift deploy fc --alias live --resume … once fa and fb's deployment is
  // closed`: fc's own alias is back on version 1, and that resume is refused (ALIAS_MISMATCH).
  it('never offers to resume a function whose alias is back on its stable version', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-latency`, 'OK');
    const result = await check(w, ['{function}-latency']);
    const resumes = (fn: string) =>
      [...result(fn).reason.matchAll(/`lshift deploy ([^`]*) --resume`/g)].map((m) => m[1]);
    for (const fn of FNS) {
      expect(result(fn).stalled, fn).toBe(true);
      for (const names of resumes(fn)) {
        expect(names, fn).not.toMatch(/\bfb\b/);
        expect(names, fn).not.toMatch(/\bfc\b/);
      }
    }
    expect(result('fc').reason).toContain(`\`lshift rollback --release ${RELEASE} fa fb fc\``);
    // Both moved back are to be closed before fa is resumed alone: a resume leaving an open
    // record of the release unnamed is refused (CONFLICTING_FLAGS).
    expect(result('fc').reason).toContain(
      "or keep fc on version 1 and close its deployment with `lshift alias fc live 1`, and fb's (back on version 1 too) with `lshift alias fb live 1`, then resume its other functions with `lshift deploy fa --alias live --resume`",
    );
    // What it says works: both closed where they are, fa resumed alone (its alarm OK) and promoted.
    for (const fn of ['fb', 'fc'])
      await moveAlias({ ...w.deps, store: w.store }, { functionName: fn, alias: ALIAS, version: '1' });
    const resumed = await drive(
      w,
      resumeRelease(w.deps, { members: [resumeRequest({ functionName: 'fa', alarms: ['fa-errors'] })] }),
    );
    expect(resumed.functions.map((r) => r.status)).toEqual(['promoted']);
  });
});

describe('lshift check over a release partly back on its stable versions, its alarm fired on one back', () => {
  // fa split, fb and fc back on version 1, fc's alarm went to ALARM during the release: all three
  // were STALLED (exit 4), fa left at 10% on the new code, and fc's line offered to resume fa
  // (found by a hostile pass). One function's failed gate rolls its release back, as the runner would.
  it('rolls the split one back with its release and closes the others (exit 3)', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    const result = await check(w);
    for (const fn of FNS) {
      expect(result(fn).action, fn).toBe('rolled_back');
      expect(result(fn).reason, fn).toContain(
        `release ${RELEASE}: fc's gate failed (alarm fc-errors is ALARM`,
      );
      expect(result(fn).reason, fn).not.toContain('--resume');
      expect(result(fn).releaseGateFailed, fn).toBeUndefined();
      expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('rolled-back');
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({
        functionVersion: '1',
        additionalWeights: {},
      });
    }
  });

  it('the same when its alarm is in ALARM now rather than a flap: fa rolled back with the release', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-latency`, 'OK');
    w.metrics.setAlarm('fc-latency', 'ALARM', { at: w.start + 85_000, reason: 'p99 over 2s' });
    const result = await check(w, ['{function}-latency']);
    expect(result('fa').action).toBe('rolled_back');
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  // Found by a hostile pass: an alarm that went to ALARM minutes after the runner died (fc back on
  // version 1: the stable version's own traffic), or before the deployment began, rolled the whole
  // release back, "fc's gate failed … during deployment". Only an alarm that fired while the
  // runner could still move traffic (its start to its last heartbeat plus the stale limit) counts.
  it.each([
    ['minutes after its runner died', (w: World) => w.clock.now() - 60_000],
    ['before the deployment began', (w: World) => w.start - 60_000],
  ])('its alarm went to ALARM %s: nothing rolled back, every function STALLED', async (_, firedAt) => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-latency`, 'OK');
    w.metrics.setAlarm('fc-latency', 'ALARM', { at: firedAt(w), reason: 'p99 over 2s' });
    const writes = w.lambda.callsOf('updateAlias').length;
    const result = await check(w, ['{function}-latency']);
    for (const fn of FNS) expect(result(fn).stalled, fn).toBe(true);
    expect(result('fa').action).not.toBe('rolled_back');
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject(SPLIT);
  });
});

describe('lshift check closes no function of a release it does not know whole (one still split)', () => {
  // Found by a hostile pass: fa and fb closed as "found back on its stable version" while fc stayed
  // split, its record unread or not named; `status` then offered to resume fc alone.
  const latencyOk = (w: World) => {
    for (const fn of FNS) w.metrics.setAlarm(`${fn}-latency`, 'OK');
  };
  const expectNothingClosed = (w: World, writes: number) => {
    expect(phases(w)).toEqual(['shifting', 'shifting', 'shifting']);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
  };

  it("fc's record unreadable (throttled), fc split: fa and fb left STALLED, not closed", async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fc', ALIAS, SPLIT);
    latencyOk(w);
    const read = w.store.read.bind(w.store);
    w.store.read = async (fn, alias) => {
      if (fn === 'fc') throw new Error('ThrottlingException: Rate exceeded');
      return read(fn, alias);
    };
    const writes = w.lambda.callsOf('updateAlias').length;
    const result = await check(w, ['{function}-latency']);
    expectNothingClosed(w, writes);
    for (const fn of ['fa', 'fb']) {
      expect(result(fn).action, fn).toBe('stalled');
      expect(result(fn).reason, fn).toContain(`\`lshift rollback --release ${RELEASE}`);
    }
    expect(result('fc').action).toBe('error');
  });

  it("fc's record corrupt, fc split: fa and fb left STALLED, not closed", async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fc', ALIAS, SPLIT);
    latencyOk(w);
    const read = w.store.read.bind(w.store);
    w.store.read = async (fn, alias) => {
      if (fn === 'fc') throw new LshiftError('RECORD_CORRUPT', 'record of fc:live does not decode');
      return read(fn, alias);
    };
    const writes = w.lambda.callsOf('updateAlias').length;
    const result = await check(w, ['{function}-latency']);
    expectNothingClosed(w, writes);
    for (const fn of ['fa', 'fb']) expect(result(fn).action, fn).toBe('stalled');
  });

  it('`check fa fb`, fc of the release split and not named: fa and fb left STALLED, not closed', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fc', ALIAS, SPLIT);
    latencyOk(w);
    const writes = w.lambda.callsOf('updateAlias').length;
    await tagRecords(w);
    const result = await check(w, ['{function}-latency'], ['fa', 'fb']);
    expectNothingClosed(w, writes);
    for (const fn of ['fa', 'fb']) expect(result(fn).action, fn).toBe('stalled');
  });

  it('`check fa fb` with fc back on stable too still closes nothing: fc is not among those read', async () => {
    const w = await leftBehind();
    latencyOk(w);
    const writes = w.lambda.callsOf('updateAlias').length;
    await tagRecords(w);
    await check(w, ['{function}-latency'], ['fa', 'fb']);
    expectNothingClosed(w, writes);
  });

  it('`check fa fb fc` (every function named) lists the records in reach and closes them all', async () => {
    const w = await leftBehind();
    latencyOk(w);
    await tagRecords(w);
    const result = await check(w, ['{function}-latency']);
    for (const fn of FNS) expect(result(fn).action, fn).toBe('skipped');
    expect(phases(w)).toEqual(['rolled-back', 'rolled-back', 'rolled-back']);
  });

  it('`check fa fb fc` whose listing of the records in reach fails closes nothing', async () => {
    const w = await leftBehind();
    latencyOk(w);
    w.lambda.listFunctions = async () => {
      throw new Error('AccessDeniedException: not authorized to perform lambda:ListFunctions');
    };
    const writes = w.lambda.callsOf('updateAlias').length;
    await check(w, ['{function}-latency']);
    expectNothingClosed(w, writes);
  });

  it('a function of the release on another alias (ga:prod) still split: a check of live closes nothing, named or not', async () => {
    // Found by a hostile pass: the listing looked at one alias, so fa, fb and fc were closed
    // while ga:prod of the same release stayed split; `status` then offered to resume ga alone.
    const w = await leftBehind();
    latencyOk(w);
    await tagRecords(w);
    w.lambda.addFunction('ga');
    w.lambda.addVersion('ga');
    w.lambda.addVersion('ga');
    w.lambda.addAlias('ga', 'prod', '1');
    w.lambda.moveAlias('ga', 'prod', SPLIT);
    const { functionArn } = await w.lambda.getFunction('ga');
    await w.lambda.tagResource(functionArn, {
      [recordTagKey('prod')]: encodeRecord({ ...w.store.peek('fa', ALIAS)!, id: 'd-ga' }),
    });
    const writes = w.lambda.callsOf('updateAlias').length;
    await check(w, ['{function}-latency'], 'none');
    expectNothingClosed(w, writes);
    await check(w, ['{function}-latency']);
    expectNothingClosed(w, writes);
  });

  // Found by a hostile pass (session 59): quietness was judged on the records read before the
  // check's stale-limit watch, so a resume that took fc during the watch did not stop the close of
  // fa and fb. Their records are read again (owner and heartbeat only) right before the close.
  it('a resume takes fc during the watch: fa and fb are not closed', async () => {
    const w = await leftBehind();
    latencyOk(w);
    await tagRecords(w);
    const writes = w.lambda.callsOf('updateAlias').length;
    const report = await checkWhileResumeTakes(w, 'fc', ['{function}-latency']);
    expect(phases(w).slice(0, 2)).toEqual(['shifting', 'shifting']);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(writes);
    expect(report.results.find((r) => r.functionName === 'fc')!.action).toBe('skipped');
  });

  it("fc's gate failed, but a resume takes fb during the watch: the release is not rolled back", async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    await tagRecords(w);
    const report = await checkWhileResumeTakes(w, 'fb', ['{function}-errors']);
    for (const r of report.results) expect(r.action, r.functionName).not.toBe('rolled_back');
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject(SPLIT);
  });

  it('a check without names, every record read, closes them all', async () => {
    const w = await leftBehind();
    latencyOk(w);
    await tagRecords(w);
    const result = await check(w, ['{function}-latency'], 'none');
    for (const fn of FNS) expect(result(fn).action, fn).toBe('skipped');
    expect(phases(w)).toEqual(['rolled-back', 'rolled-back', 'rolled-back']);
  });
});

describe('lshift status of a release left back on its stable versions, no record of it landed', () => {
  // It read `STALLED …: finish it with \`lshift deploy fa fb fc --alias live --resume\` …` (refused:
  // every alias was moved back), and each function's line a resume of `<its other functions>`.
  it('offers what closes it, never a resume', async () => {
    const w = await leftBehind();
    const statuses = await Promise.all(
      FNS.map((functionName) => getStatus(w.deps, { functionName, alias: ALIAS, alarms: [] })),
    );
    const text = renderReleaseStatus(statuses);
    expect(text).not.toContain('--resume');
    expect(text.split('\n')[0]).toBe(
      `release ${RELEASE}: STALLED (fa shifting, fb shifting, fc shifting): nobody drives it (its runner seems to have died: its heartbeats stopped; whether its process still runs, status cannot see from this machine), and every function of it is all on its stable version: the next \`lshift check\` closes each record as rolled back, or \`lshift rollback --release ${RELEASE} fa fb fc\` does now`,
    );
    expect(text).toContain(
      `fb is a function of release ${RELEASE}: undo the whole release with \`lshift rollback --release ${RELEASE} fa fb fc\``,
    );
  });
});

describe('lshift status and lshift check agree on a release whose function back on stable failed its gate', () => {
  // Found by a hostile pass (session 59): fa and fb split, fc put back on version 1 by hand, fc's
  // alarm went to ALARM (and cleared) while the runner ran. `status` advised keeping fc on version
  // 1 and resuming fa fb, saying nothing of fc's alarm; the next `check` rolled all three back.
  // Each function given the others, as `lshift status fa fb fc` gives them (commands/status.ts).
  const statusText = async (w: World, alarms: (fn: string) => string[]) =>
    renderReleaseStatus(
      await Promise.all(
        FNS.map((functionName) =>
          getStatus(w.deps, {
            functionName,
            alias: ALIAS,
            alarms: alarms(functionName),
            releaseMates: FNS.filter((f) => f !== functionName).map((f) => ({
              functionName: f,
              alias: ALIAS,
            })),
          }),
        ),
      ),
    );
  const splitTwo = async (flapAt?: number) => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    w.lambda.moveAlias('fb', ALIAS, SPLIT);
    if (flapAt !== undefined) w.metrics.setAlarm('fc-errors', 'OK', { at: w.start + flapAt });
    return w;
  };

  it.each([
    ['in ALARM now', undefined],
    ['went to ALARM and cleared (a flap)', 95_000],
  ])(
    'its alarm %s: status says the gate failed and offers no resume; the check rolls all back',
    async (_, flapAt) => {
      const w = await splitTwo(flapAt);
      const text = await statusText(w, (fn) => [`${fn}-errors`]);
      expect(text).not.toContain('--resume');
      expect(text.split('\n')[0]).toContain(
        "fc's gate failed while its runner could still move traffic (alarm fc-errors",
      );
      expect(text.split('\n')[0]).toContain(
        'the next `lshift check` with these alarms rolls the whole release back',
      );
      expect(text).toContain("GATE FAILED: fc's gate failed while its runner could still move traffic");
      expect(text).toContain(`undo the whole release with \`lshift rollback --release ${RELEASE} fa fb fc\``);
      const result = await check(w);
      for (const fn of FNS) expect(result(fn).action, fn).toBe('rolled_back');
    },
  );

  it('its alarm went to ALARM minutes after the runner died: status offers the resume; the check rolls nothing back', async () => {
    const w = await splitTwo();
    w.metrics.setAlarm('fc-errors', 'OK', { at: w.start + 86_000 });
    w.metrics.setAlarm('fc-errors', 'ALARM', { at: w.clock.now() - 60_000 });
    const text = await statusText(w, (fn) => [`${fn}-errors`]);
    expect(text).not.toContain('GATE FAILED');
    expect(text).not.toContain('gate failed');
    expect(text).toContain('keep fc on version 1 and close its deployment with `lshift alias fc live 1`');
    const result = await check(w);
    for (const fn of FNS) expect(result(fn).stalled, fn).toBe(true);
    expect(result('fa').action).not.toBe('rolled_back');
  });

  it.each([
    ['describeAlarms', 'its alarms could not be read (ThrottlingException: Rate exceeded)'],
    [
      'describeAlarmHistory',
      'could not tell whether alarm fc-errors went to ALARM since the deployment began',
    ],
  ] as const)(
    'its alarms unreadable (%s): the resume offered says the check may roll the release back',
    async (op, why) => {
      const w = await splitTwo(95_000);
      w.metrics.fail({ op, times: Infinity, error: new Error('ThrottlingException: Rate exceeded') });
      const text = await statusText(w, (fn) => [`${fn}-errors`]);
      expect(text).not.toContain('GATE FAILED');
      expect(text).toContain(`but ${why}`);
      expect(text).toContain(
        "if fc's gate failed while its runner could still move traffic, the next `lshift check`",
      );
    },
  );

  // The check rolls the release back for fc's gate only when no other record of it says the
  // release is owned or decided (check-release-close.ts isQuietMate); status said GATE FAILED
  // whatever they said. One rule now, asked by both.
  it('a resume owns fb (a live heartbeat): status says no GATE FAILED; the check rolls nothing back', async () => {
    const w = await splitTwo();
    const fb = w.store.peek('fb', ALIAS)!;
    await w.store.write('fb', ALIAS, { ...fb, owner: 'bob@laptop:9', heartbeatAt: w.clock.now() });
    const text = await statusText(w, (fn) => [`${fn}-errors`]);
    expect(text).not.toContain('GATE FAILED');
    expect(text).not.toContain('gate failed');
    // Found in session 60: the release line said "nobody drives it (its runner seems to have
    // died)" beside fb's live owner, and offered the resume that ran.
    expect(text.split('\n')[0]).not.toContain('nobody drives it');
    expect(text.split('\n')[0]).toMatch(
      /^release r-hang03: PARTLY DRIVEN \(fa shifting, fb shifting, fc shifting\): fb is driven by bob@laptop:9 \(heartbeat 0s ago\) while fa's record has had no heartbeat for 10m 41s: most likely a `deploy --resume` of the release taking it over, so see again in a minute; if fa stays silent: finish it with `lshift deploy fa fb --alias live --resume`/,
    );
    const result = await check(w);
    for (const fn of FNS) expect(result(fn).action, fn).not.toBe('rolled_back');
    // Its fa line offered the resume bob runs, as if nobody drove the release.
    expect(result('fa').reason).toContain(
      'part of release r-hang03: fb is driven by bob@laptop:9 (a live heartbeat), most likely a `deploy --resume` of the release taking it over: see again in a minute; if fa stays silent, finish it with `lshift deploy fa fb --alias live --resume`',
    );
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject(SPLIT);
  });

  it('fb already rolled back by a check that died: status says the next check finishes that rollback; it does', async () => {
    const w = await leftBehind();
    w.lambda.moveAlias('fa', ALIAS, SPLIT);
    const fb = w.store.peek('fb', ALIAS)!;
    const endedAt = w.clock.now() - 60_000;
    await w.store.write('fb', ALIAS, { ...fb, phase: 'rolled-back', owner: 'check:cron@ops:7', endedAt });
    const text = await statusText(w, (fn) => [`${fn}-errors`]);
    expect(text).not.toContain('GATE FAILED');
    expect(text).not.toContain('--resume');
    // fc's own line said "… and nobody will finish it" under this head (found in session 60).
    expect(text).not.toContain('nobody will finish it');
    expect(text.split('\n')[0]).toBe(
      `release ${RELEASE}: ROLLBACK STOPPED (fa shifting, fb rolled-back, fc shifting): check:cron@ops:7 rolled fb back and did not finish the release; \`lshift rollback --release ${RELEASE} fa fb fc\` finishes its rollback and closes every record now (no alarm needed), as the next \`lshift check\` run with its alarms does`,
    );
    const result = await check(w);
    expect(result('fa').action).toBe('rolled_back');
    expect(result('fa').reason).toContain('finishing the rollback that check:cron@ops:7 began');
    expect(phases(w)).toEqual(['rolled-back', 'rolled-back', 'rolled-back']);
  });

  it('status given no alarms: its resume says a check with the alarms rolls the release back if fc failed', async () => {
    const w = await splitTwo();
    const text = await statusText(w, () => []);
    expect(text).toContain('keep fc on version 1');
    // The release line's resume leaves fc out, as the check's does: it would refuse fc (ALIAS_MISMATCH).
    const head = text.split('\n')[0]!;
    expect(head).toContain(
      "finish it with `lshift deploy fa fb --alias live --resume` plus the first run's --alarm flag (it watched 1 alarm) once fc's deployment is closed (its line says how)",
    );
    expect(head).not.toContain('deploy fa fb fc');
    expect(text).toContain(
      "but status was given no alarms to read: if fc's gate failed while its runner could still move traffic, the next `lshift check` with the release's alarms rolls the whole release back, resumed or not",
    );
  });
});
