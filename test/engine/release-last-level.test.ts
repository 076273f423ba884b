/**
 * A crash during a release's LAST level (the promotes: each function to 100%, routing cleared):
 * some aliases are on the new version, the others still split at the level before. A resume
 * must write the promote of every function that has not got there, and never record a function
 * as promoted while its alias is split. A record that says `promoted` over a split alias (a
 * runner that did record it so) is a stalled deployment a human must look at: `deploy --resume`,
 * `status` and `check` say so (exit 4), with the alias state and the fix.
 */
import { describe, expect, it } from 'vitest';
import { describeCheckAction, exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { ExitCode, LshiftError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { getStatus } from '../../src/engine/status.js';
import { aliasWritten, crashingDeps, recordWritten } from './crash.js';
import { ALIAS, createFleetWorld, linear, request, resumeRequest, type World } from './world.js';

const NAMES = ['fa', 'fb', 'fc'];

function fleetWorld(): World {
  return createFleetWorld(NAMES);
}

function release(): ReleaseRequest {
  return {
    releaseId: 'r-last01',
    members: NAMES.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
    concurrency: 1,
  };
}

const isPromote = (a: { functionVersion: string; additionalWeights: object }) =>
  a.functionVersion === '2' && Object.keys(a.additionalWeights).length === 0;

const aliasOf = (w: World, fn: string) => w.lambda.peekAlias(fn, ALIAS)!;
const splitOf = (w: World, fn: string) =>
  Object.values(aliasOf(w, fn).additionalWeights).some((weight) => weight > 0);

/** No function may be recorded promoted while its alias still splits traffic. */
function expectNoPromotedSplit(w: World): void {
  for (const fn of NAMES) {
    if (w.store.peek(fn, ALIAS)?.phase === 'promoted') expect(splitOf(w, fn), fn).toBe(false);
  }
}

async function crashedInLastLevel(promoted: number): Promise<World> {
  const w = fleetWorld();
  const { deps, crash } = crashingDeps(w, aliasWritten(promoted, isPromote));
  await runRelease(deps, release());
  expect(crash.crashed).toBe(true);
  // The runner is gone: every heartbeat goes stale.
  await w.clock.sleep(600_000);
  return w;
}

const resumeMembers = () => NAMES.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] }));

describe('a crash during the last level of a release', () => {
  // Found by a hostile pass: a function already on the new version was promoted with its own
  // alarm firing since the crash (no bake ahead: nothing polled), "Release … promoted", exit 0.
  it('after all 3 promotes, before their records: one alarm firing makes deploy --resume roll the release back', async () => {
    const w = await crashedInLastLevel(3);
    expect(NAMES.filter((fn) => splitOf(w, fn))).toEqual([]);
    w.metrics.setAlarm('fb-errors', 'ALARM', { at: w.clock.now(), reason: 'errors' });
    const result = await resumeRelease(w.deps, { members: resumeMembers() });

    expect(result.status).toBe('rolled_back');
    for (const fn of NAMES)
      expect(aliasOf(w, fn), fn).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it.each([1, 2])('after %i of 3 promotes: the crash leaves the others split', async (promoted) => {
    const w = await crashedInLastLevel(promoted);
    expect(NAMES.filter((fn) => splitOf(w, fn))).toHaveLength(3 - promoted);
    expectNoPromotedSplit(w);
  });

  it.each([1, 2])(
    'after %i of 3 promotes: deploy --resume promotes every function, none recorded promoted while split',
    async (promoted) => {
      const w = await crashedInLastLevel(promoted);
      const result = await resumeRelease(w.deps, { members: resumeMembers() });

      expectNoPromotedSplit(w);
      expect(result.status).toBe('promoted');
      for (const fn of NAMES) {
        expect(aliasOf(w, fn), fn).toMatchObject({ functionVersion: '2', additionalWeights: {} });
        expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('promoted');
      }
    },
  );
});

describe('a record that says promoted over a split alias', () => {
  function promotedButSplit(w: World, fn: string): DeploymentRecord {
    const record: DeploymentRecord = {
      id: 'd-split1',
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:25%:60s',
      stepIndex: 3,
      percent: 100,
      phase: 'promoted',
      startedAt: w.start - 900_000,
      endedAt: w.start - 300_000,
      owner: 'ci@runner:7',
      heartbeatAt: w.start - 300_000,
      releaseId: 'r-last01',
      history: [],
    };
    w.store.seed(fn, ALIAS, record);
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.75 } });
    return record;
  }

  it('deploy --resume of the release refuses with exit 4, the alias state and the fix', async () => {
    const w = fleetWorld();
    promotedButSplit(w, 'fb');
    for (const fn of ['fa', 'fc']) {
      w.store.seed(fn, ALIAS, { ...w.store.peek('fb', ALIAS)!, percent: 100 });
      w.lambda.moveAlias(fn, ALIAS, { functionVersion: '2', additionalWeights: {} });
    }
    const writesBefore = w.lambda.aliasWrites().length;
    const error = await resumeRelease(w.deps, { members: resumeMembers() }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(LshiftError);
    const e = error as LshiftError;
    expect(e.code).toBe('PROMOTED_BUT_SPLIT');
    expect(e.exitCode).toBe(4);
    expect(e.message).toContain('fb');
    expect(e.message).toContain('75%');
    // lshift cannot tell a crash in the last level from a split made by hand after the promotion.
    expect(e.message).toContain(
      'either its runner stopped before the last weight landed (a crash in the last level) or the alias was split outside lshift since',
    );
    expect(e.hint).toContain('lshift alias fb live 2');
    expect(e.hint).toContain('lshift rollback fb --alias live');
    // Nothing written.
    expect(w.lambda.aliasWrites()).toHaveLength(writesBefore);
  });

  it('status says the deployment is stalled and needs an operator', async () => {
    const w = fleetWorld();
    promotedButSplit(w, 'fb');
    const status = await getStatus(
      { ...w.deps, store: w.store },
      { functionName: 'fb', alias: ALIAS, alarms: [] },
    );
    expect(status.split).toBe(true);
    expect(status.record?.promotedButSplit).toBe(true);
    const text = renderStatus(status);
    expect(text).toContain('STALLED');
    expect(text).toContain('lshift alias fb live 2');
    expect(text).toContain('lshift rollback fb --alias live');
    expect(text).not.toContain('--resume');
  });

  it('check reports it STALLED (exit 4), never healthy, and moves nothing', async () => {
    const w = fleetWorld();
    promotedButSplit(w, 'fb');
    const deps = { ...w.deps, store: w.store };
    const req = { functionNames: ['fb'], alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
    const writesBefore = w.lambda.aliasWrites().length;
    const report = await checkReleases(deps, await runCheck(deps, req));

    expect(report.results).toHaveLength(1);
    const r = report.results[0]!;
    expect(r.stalled).toBe(true);
    expect(r.action).toBe('stalled');
    expect(r.reason).toContain('promoted');
    expect(r.reason).toContain('75%');
    expect(r.reason).toContain('lshift alias fb live 2');
    expect(r.reason).not.toContain('--resume');
    expect(describeCheckAction(r)).toBe('STALLED');
    expect(exitCodeForCheck(report)).toBe(ExitCode.Unsafe);
    expect(w.lambda.aliasWrites()).toHaveLength(writesBefore);
  });

  it('check outside its window still reports it stalled', async () => {
    const w = fleetWorld();
    promotedButSplit(w, 'fb');
    await w.clock.sleep(7200_000);
    const deps = { ...w.deps, store: w.store };
    const req = { functionNames: ['fb'], alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
    const report = await checkReleases(deps, await runCheck(deps, req));
    expect(report.results[0]?.stalled).toBe(true);
  });
});

describe('a crash while the release records its functions promoted', () => {
  it('deploy --resume of the release finishes the others; the one already promoted is left as it is', async () => {
    const w = fleetWorld();
    const { deps, crash } = crashingDeps(w, recordWritten('promoted'));
    await runRelease(deps, release());
    expect(crash.crashed).toBe(true);
    await w.clock.sleep(600_000);
    const phases = NAMES.map((fn) => w.store.peek(fn, ALIAS)?.phase);
    expect(phases.filter((p) => p === 'promoted')).toHaveLength(1);
    for (const fn of NAMES)
      expect(aliasOf(w, fn), fn).toMatchObject({ functionVersion: '2', additionalWeights: {} });

    const result = await resumeRelease(w.deps, { members: resumeMembers() });

    expect(result.status).toBe('promoted');
    for (const fn of NAMES) expect(w.store.peek(fn, ALIAS)?.phase, fn).toBe('promoted');
    expectNoPromotedSplit(w);
  });
});

describe('a promoted function of another release named in a resume', () => {
  it('is not taken as done: its NOTHING_TO_RESUME refuses the resume, nothing written', async () => {
    const w = await crashedInLastLevel(1);
    const first = NAMES.find((fn) => !splitOf(w, fn))!;
    w.store.seed(first, ALIAS, { ...w.store.peek(first, ALIAS)!, phase: 'promoted', releaseId: 'r-other1' });
    const writes = w.lambda.aliasWrites().length;
    const error = await resumeRelease(w.deps, { members: resumeMembers() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'NOTHING_TO_RESUME' });
    expect(w.lambda.aliasWrites()).toHaveLength(writes);
  });
});

/**
 * `deploy fa fb fc --resume` of a release that ended — fb and fc promoted, fa rolled back alone
 * since (`lshift rollback fa`): only fa's refusal was listed (fb and fc, done, were left out of
 * it), and its hint offered to resume or roll back "its other functions". Every function named is
 * said with how it ended, and the hint fits: nothing is left to resume.
 */
describe('a resume of a release where no function is left to resume', () => {
  it('lists every function named and how it ended; the hint says nothing is left, not to roll the others back', async () => {
    const w = fleetWorld();
    const ended = await runRelease(w.deps, release());
    expect(ended.status).toBe('promoted');
    w.lambda.moveAlias('fa', ALIAS, { functionVersion: '1', additionalWeights: {} });
    w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, phase: 'rolled-back' });
    const writes = w.lambda.aliasWrites().length;

    const error = await resumeRelease(w.deps, { members: resumeMembers() }).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(LshiftError);
    const refusal = error as LshiftError;
    expect(refusal.code).toBe('NOTHING_TO_RESUME');
    expect(refusal.exitCode).toBe(ExitCode.Usage);
    expect(refusal.message).toMatch(
      /^Nothing of release r-last01 is left to resume: every function named has ended/,
    );
    expect(refusal.message).toContain('fa:live: deployment d-0 is rolled-back');
    expect(refusal.message).toContain('fb:live: deployment d-1 is promoted');
    expect(refusal.message).toContain('fc:live: deployment d-2 is promoted');
    expect(refusal.hint).not.toContain('rollback --release');
    expect(refusal.hint).not.toContain('its other functions');
    expect(refusal.hint).toContain('`lshift status fa fb fc`');
    expect(w.lambda.aliasWrites()).toHaveLength(writes);
  });
});
