/**
 * A deployment lshift decided to roll back (a failed pre-traffic hook, `lshift abort` during it, a
 * failed step hook, a release's function) whose alias was then split by someone else — the hook
 * itself, a rollback hook, a person — closed `paused (weights changed by hand)`: `status` and
 * `check` offered `deploy --resume`, which skipped the gate that had failed and promoted the
 * version it failed, exit 0 (found by a hostile pass, session 66, F1 a–d). It now closes
 * `rolled-back (weights changed by hand)` with why lshift decided so (`y=`): the resume refuses it
 * (nothing written), and `status` and `check` say STALLED (exit 4) offering only the rollback,
 * leaving the split where it is. The run that leaves the split exits 4 (`unsafe`; a conflict,
 * exit 5, until session 67: DESIGN.md §6 lets no exit but 4 leave an alias split).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { buildHistory } from '../../src/cli/history.js';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { runRelease } from '../../src/engine/release.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { getStatus } from '../../src/engine/status.js';
import type { HookResult } from '../../src/ports/hooks.js';
import type { RoutingState } from '../../src/ports/traffic-driver.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import {
  ALIAS,
  canary,
  createFleetWorld,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  resumeRequest,
  type World,
} from './world.js';

const failed = { ok: false, reason: 'exit code 1', durationMs: 0 };
const SPLIT: RoutingState = { functionVersion: '1', additionalWeights: { '2': 0.5 } };

/** What status, check, history and a resume (with the first run's hooks) say of `fn` ten minutes on. */
async function judgeAfter(w: World, fn: string, hooks: object) {
  await w.clock.advance(600_000);
  const status = await getStatus(w.deps, { functionName: fn, alias: ALIAS, alarms: [] });
  // As the command runs it: a release's function goes through checkReleases too.
  const report = await runCheckWithReleases(
    { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
    { functionNames: [fn], alias: ALIAS, windowSeconds: 3600, alarms: [`${fn}-errors`] },
  );
  const before = w.lambda.aliasWrites().length;
  const resume = await resumeDeploy(
    w.deps,
    resumeRequest({ functionName: fn, alarms: [`${fn}-errors`], ...hooks }),
  ).then(
    (result) => ({ result }),
    (error: { code?: string; message: string; hint?: string; exitCode?: number }) => ({ error }),
  );
  const record = w.store.peek(fn, ALIAS);
  const history = buildHistory(fn, ALIAS, w.lambda.peekAlias(fn, ALIAS)!, record, w.clock.now());
  return { status, report, resume, writesSince: w.lambda.aliasWrites().length - before, history };
}

function expectOnlyTheRollbackOffered(
  fn: string,
  judged: Awaited<ReturnType<typeof judgeAfter>>,
  split: RoutingState,
) {
  const { status, report, resume, writesSince, history } = judged;
  // The resume: refused, nothing written, the rollback offered.
  expect('error' in resume && resume.error.code).toBe('NOTHING_TO_RESUME');
  if ('error' in resume) {
    expect(resume.error.message).toContain('lshift decided to roll it back');
    expect(resume.error.message).toContain('lshift never resumes a deployment it decided to roll back');
    expect(resume.error.hint).toContain(`\`lshift rollback ${fn} --alias ${ALIAS}\``);
    // Exit 4 over a split nobody drives (session 70; it was 2), 2 once nothing is split.
    expect(resume.error.exitCode).toBe(Object.keys(split.additionalWeights).length > 0 ? 4 : 2);
  }
  expect(writesSince).toBe(0);
  // Status: STALLED (exit 4), the rollback offered, never a resume.
  const text = renderStatus(status);
  expect(text).toContain('lshift had decided to roll it back');
  expect(text).toContain('STALLED: lshift decided to roll it back and the alias was split by someone else');
  expect(text).toContain(`\`lshift rollback ${fn} --alias ${ALIAS}\``);
  expect(text).not.toMatch(/lshift deploy [^`]*--resume/);
  expect(text).not.toContain('lshift ran no rollback');
  expect(status.record?.stalled).toBe(true);
  expect(needsOperator(status)).toBe(true);
  // Check: STALLED (exit 4), the rollback offered, the split left.
  const [entry] = report.results;
  expect(entry).toMatchObject({ action: 'stalled', stalled: true, phase: 'rolled-back' });
  expect(entry?.reason).toContain(`\`lshift rollback ${fn} --alias ${ALIAS}\``);
  expect(entry?.reason).not.toMatch(/lshift deploy [^`]*--resume/);
  expect(exitCodeForCheck(report)).toBe(4);
  expect(history.latest?.reason).toMatch(/^weights changed by hand; lshift had decided to roll it back/);
  // History: STALLED too, as status and check (it said MOVED BY HAND: session 68).
  expect(history.latest?.outcome).toBe('stalled');
  // Nothing wrote over the split.
  expect(status.additionalWeights).toEqual(split.additionalWeights);
}

describe('a split by someone else after lshift decided to roll back is never resumed forward', () => {
  it('(a) `lshift abort` during a pre-traffic hook that split the alias', async () => {
    const w = createWorld({ auto: false });
    w.hooks.script(
      'cmd:pre',
      (_payload, opts) =>
        new Promise<HookResult>((resolve) => {
          w.lambda.moveAlias(FN, ALIAS, SPLIT);
          opts.signal?.addEventListener('abort', () =>
            resolve({ ok: false, reason: 'killed', durationMs: 0 }),
          );
        }),
    );
    w.clock.after(30_000, () =>
      w.store.seed(FN, ALIAS, {
        ...w.store.peek(FN, ALIAS)!,
        command: { verb: 'abort', nonce: 'a1', state: 'sent', by: 'ann@laptop:9' },
      }),
    );
    const hooks = { hooks: { pre: [cmdHook('pre')] } };
    const run = runDeploy(w.deps, request({ ...canary(10, 60), ...hooks }));
    await w.clock.advance(0);
    await w.clock.advance(120_000);
    const result = await run;
    expect(result.status).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'OPERATOR_ABORTED' },
    });
    w.hooks.script('cmd:pre', { ok: true });
    const judged = judgeAfter(w, FN, hooks);
    await w.clock.advance(0);
    for (let i = 0; i < 200; i++) await w.clock.advance(10_000);
    const seen = await judged;
    expectOnlyTheRollbackOffered(FN, seen, SPLIT);
    expect(renderStatus(seen.status)).toContain('an operator aborted it (`lshift abort`)');
  });

  it('(b) a pre-traffic hook that split the alias and failed', async () => {
    const w = createWorld();
    w.hooks.script('cmd:pre', () => {
      w.lambda.moveAlias(FN, ALIAS, SPLIT);
      return failed;
    });
    const hooks = { hooks: { pre: [cmdHook('pre')] } };
    const result = await runDeploy(w.deps, request({ ...canary(10, 60), ...hooks }));
    expect(result.status).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      percent: 50,
      endReason: 'weights changed by hand',
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });
    const judged = await judgeAfter(w, FN, hooks);
    expectOnlyTheRollbackOffered(FN, judged, SPLIT);
    expect(renderStatus(judged.status)).toContain(
      'lshift decided to roll it back: a pre-traffic hook failed',
    );
    // The way out offered works: all traffic back on version 1, the record closed rolled back.
    const undo = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: 'rollback:op@laptop:2' },
      { functionName: FN, alias: ALIAS, reason: 'undo the split' },
    );
    expect(undo.status).toBe('rolled_back');
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const after = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    expect(renderStatus(after)).not.toContain('STALLED');
    expect(needsOperator(after)).toBe(false);
  });

  it('(c) a step hook failed, lshift rolled back, and its rollback hook split the alias again', async () => {
    const w = createWorld();
    w.hooks.script('cmd:step', { ok: true }, failed);
    w.hooks.script('cmd:notify', () => {
      w.lambda.moveAlias(FN, ALIAS, SPLIT);
      return { ok: true, durationMs: 0 };
    });
    const hooks = { hooks: { step: [cmdHook('step')], rollback: [cmdHook('notify')] } };
    const result = await runDeploy(w.deps, request(hooks));
    expect(result.status).toBe('unsafe');
    // Not one run-on clause: "… (before moving to 30%) stopped: alias live was moved …" (F5).
    expect(describeReason(result)).toContain(
      "(before moving to 30%); it stopped: alias live was moved after lshift's rollback",
    );
    expect(w.store.peek(FN, ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'HOOK_FAILED', phase: 'step' },
    });
    const judged = await judgeAfter(w, FN, hooks);
    expectOnlyTheRollbackOffered(FN, judged, SPLIT);
    expect(renderStatus(judged.status)).toContain('lshift decided to roll it back: a step hook failed');
  });

  it("(d) a release's function whose pre-traffic hook split its alias and failed", async () => {
    const fns = ['fa', 'fb'];
    const w = createFleetWorld(fns);
    const fbSplit: RoutingState = { functionVersion: '1', additionalWeights: { '2': 0.3 } };
    w.hooks.script('cmd:smoke fb', () => {
      w.lambda.moveAlias('fb', ALIAS, fbSplit);
      return failed;
    });
    const members = fns.map((fn, i) => ({
      ...request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-abc12${i}`,
        ...canary(10, 60),
      }),
      hooks: { pre: [cmdHook(`smoke ${fn}`)] },
    }));
    const result = await runRelease(w.deps, { releaseId: 'r-abc123', members });
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'unsafe'],
    ]);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
      cause: { code: 'HOOK_FAILED', phase: 'pre' },
    });
    const judged = await judgeAfter(w, 'fb', { hooks: { pre: [cmdHook('smoke fb')] } });
    expectOnlyTheRollbackOffered('fb', judged, fbSplit);
    // The release checked whole: fb still STALLED, never "closed meanwhile … nothing left to do" (exit 0).
    const writes = w.lambda.aliasWrites().length;
    const both = await runCheckWithReleases(
      { ...w.deps, store: w.store, owner: 'check:cron@host:2' },
      { functionNames: fns, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
    );
    const fb = both.results.find((r) => r.functionName === 'fb');
    expect(fb, JSON.stringify(both.results, null, 1)).toMatchObject({ action: 'stalled', stalled: true });
    expect(fb?.reason).not.toContain('nothing left to do');
    expect(both.results.find((r) => r.functionName === 'fa')?.action).not.toBe('stalled');
    expect(exitCodeForCheck(both)).toBe(4);
    expect(w.lambda.aliasWrites().length).toBe(writes);
    expect(w.lambda.peekAlias('fb', ALIAS)?.additionalWeights).toEqual(fbSplit.additionalWeights);
  });

  it("(e) a release whose fb's hook failed while fa's hook split fa and passed: `check fa fb` says fa STALLED", async () => {
    const fns = ['fa', 'fb'];
    const w = createFleetWorld(fns);
    const faSplit: RoutingState = { functionVersion: '1', additionalWeights: { '2': 0.3 } };
    w.hooks.script('cmd:smoke fb', failed);
    w.hooks.script(
      'cmd:smoke fa',
      () =>
        new Promise<HookResult>((resolve) =>
          w.clock.after(4_000, () => {
            w.lambda.moveAlias('fa', ALIAS, faSplit);
            resolve({ ok: true, durationMs: 4_000 });
          }),
        ),
    );
    const members = fns.map((fn, i) => ({
      ...request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-abc13${i}`,
        ...canary(10, 60),
      }),
      hooks: { pre: [cmdHook(`smoke ${fn}`)] },
    }));
    const result = await runRelease(w.deps, { releaseId: 'r-abc124', members });
    expect(result.functions.find((f) => f.functionName === 'fa')?.status).toBe('unsafe');
    expect(w.store.peek('fa', ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });
    await w.clock.advance(150_000);
    const writes = w.lambda.aliasWrites().length;
    for (const names of [fns, ['fa']]) {
      const report = await runCheckWithReleases(
        { ...w.deps, store: w.store, owner: 'check:cron@host:3' },
        { functionNames: names, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
      );
      const fa = report.results.find((r) => r.functionName === 'fa');
      expect(fa, JSON.stringify(report.results, null, 1)).toMatchObject({ action: 'stalled', stalled: true });
      expect(fa?.reason).toContain(`\`lshift rollback fa --alias ${ALIAS}\``);
      expect(fa?.reason).not.toMatch(/lshift deploy [^`]*--resume/);
      expect(exitCodeForCheck(report)).toBe(4);
    }
    // `lshift status fa fb`: the release's line says STALLED over fa's split, not "all rolled-back".
    const statuses = await Promise.all(
      fns.map((fn) => getStatus(w.deps, { functionName: fn, alias: ALIAS, alarms: [] })),
    );
    const [releaseLine] = renderReleaseStatus(statuses).split('\n');
    expect(releaseLine).toBe(
      'release r-abc124: STALLED (fa rolled-back though its alias is split: version 1 (70%) + version 2 (30%), fb rolled-back): fa was split by someone else, before or after lshift decided to roll it back, and nothing puts it back: see its lines below for the rollback',
    );
    expect(renderReleaseStatus(statuses)).toContain(`\`lshift rollback fa --alias ${ALIAS}\``);
    expect(w.lambda.aliasWrites().length).toBe(writes);
    expect(w.lambda.peekAlias('fa', ALIAS)?.additionalWeights).toEqual(faSplit.additionalWeights);
  });

  // An older lshift closed these `paused`; the one whose rollback hook split the alias kept its
  // `y=`, which a plain pause by hand never carries: read as decided. The others cannot be told.
  it("an older lshift's `paused (weights changed by hand)` that kept its `y=`: refused and offered only the rollback", async () => {
    const w = createWorld();
    const old = deadRecord(w, {
      phase: 'paused',
      percent: 50,
      endReason: 'weights changed by hand',
      endedAt: w.start - 300_000,
      cause: { code: 'HOOK_FAILED', phase: 'step' },
    });
    leaveDeployment(w, old, 50);
    const judged = await judgeAfter(w, FN, {});
    expect('error' in judged.resume && judged.resume.error.code).toBe('NOTHING_TO_RESUME');
    expect(judged.writesSince).toBe(0);
    const text = renderStatus(judged.status);
    expect(text).toContain('STALLED: lshift decided to roll it back and the alias was split by someone else');
    expect(text).not.toMatch(/lshift deploy [^`]*--resume/);
  });

  it('a plain pause by hand (no `y=`) is still offered its resume, as documented', async () => {
    const w = createWorld();
    const paused = deadRecord(w, {
      phase: 'paused',
      percent: 50,
      endReason: 'weights changed by hand',
      endedAt: w.start - 300_000,
    });
    leaveDeployment(w, paused, 50);
    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    const text = renderStatus(status);
    expect(text).toMatch(/lshift deploy demo --alias live --resume/);
    expect(text).not.toContain('lshift decided to roll it back and the alias was split');
  });
});
