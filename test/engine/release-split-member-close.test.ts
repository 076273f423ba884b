/**
 * A release that met a person's split of one function (fb) in a hold rolls its other functions
 * back and leaves fb split, exit 4 (split-mid-shift.test.ts). fb's record was closed `paused
 * (weights changed by hand)`, as a single deploy's is: `status` and `check` then said "its runner
 * left it paused and exited" and offered `lshift deploy fb --alias live --resume` first, which took
 * the split over and shifted fb alone to 100% on version 2 against the release's verdict (h4's
 * hostile pass, session 68, F1). The release decided to roll back: fb closes `rolled-back (weights
 * changed by hand)`, its resume is refused (nothing written), and status and check offer only the
 * rollback, leaving the split where it is. A single deploy's split stays `paused` (resumable).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { resumeRelease } from '../../src/engine/release-resume.js';
import { resumeDeploy } from '../../src/engine/resume.js';
import { rollbackDeployment } from '../../src/engine/rollback.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createFleetWorld, createWorld, FN, linear, request, resumeRequest } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };
const FNS = ['fa', 'fb', 'fc'];

async function releaseMeetingSplit() {
  const w = createFleetWorld(FNS, { auto: false });
  w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, SPLIT);
  const rel: ReleaseRequest = {
    releaseId: 'r-split2',
    members: FNS.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
  };
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return { w, result: await running };
}

describe("a release's function split by someone else, the release rolled back", () => {
  it('closes it rolled back, its resume refused, status and check offering only the rollback', async () => {
    const { w, result } = await releaseMeetingSplit();
    expect(result.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'unsafe'],
      ['fc', 'rolled_back'],
    ]);
    expect(w.store.peek('fb', ALIAS)).toMatchObject({
      phase: 'rolled-back',
      endReason: 'weights changed by hand',
    });
    await w.clock.advance(600_000);

    const before = w.lambda.aliasWrites().length;
    const resume = await resumeDeploy(
      w.deps,
      resumeRequest({ functionName: 'fb', alarms: ['fb-errors'] }),
    ).then(
      (r) => ({ result: r }),
      (error: { code?: string; message: string; hint?: string; exitCode?: number }) => ({ error }),
    );
    expect('error' in resume && resume.error.code).toBe('NOTHING_TO_RESUME');
    if ('error' in resume) {
      // Exit 4: refused over a split nobody drives (session 70; it was 2).
      expect(resume.error.exitCode).toBe(4);
      expect(resume.error.message).toContain('release r-split2');
      expect(resume.error.message).toContain("release r-split2's verdict was a rollback");
      expect(resume.error.hint).toContain(`\`lshift rollback fb --alias ${ALIAS}\``);
    }
    expect(w.lambda.aliasWrites().length).toBe(before);
    // The release's resume too: fb's refusal, exit 4, not "every function named has ended" (exit 2,
    // "start a new deployment", which preflight refuses over fb's split) (session 70).
    const whole = await resumeRelease(w.deps, {
      members: FNS.map((fn) => resumeRequest({ functionName: fn, alarms: [`${fn}-errors`] })),
    }).then(
      () => undefined,
      (error: { code?: string; message: string; exitCode?: number }) => error,
    );
    expect(whole).toMatchObject({ code: 'NOTHING_TO_RESUME', exitCode: 4 });
    expect(whole?.message).toContain("release r-split2's verdict was a rollback");
    expect(w.lambda.aliasWrites().length).toBe(before);

    const statuses = await Promise.all(
      FNS.map((fn) => getStatus(w.deps, { functionName: fn, alias: ALIAS, alarms: [] })),
    );
    const text = renderReleaseStatus(statuses);
    expect(text).toContain(`\`lshift rollback fb --alias ${ALIAS}\``);
    expect(text).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(text).not.toContain('its runner left it paused');
    // The release met the split first and rolled back for it: no "after" / "then split" (h4, s68).
    expect(text).toContain('fb was split by someone else, before or after lshift decided to roll it back');
    expect(text).not.toContain('split by someone else after lshift decided');
    const fbText = renderStatus(statuses[1]!);
    expect(fbText).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(fbText).toContain(`STALLED: lshift decided to roll it back`);

    const report = await runCheckWithReleases(
      { ...w.deps, store: w.store, owner: 'check:cron@host:1' },
      { functionNames: FNS, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] },
    );
    const fb = report.results.find((r) => r.functionName === 'fb');
    expect(fb).toMatchObject({ action: 'stalled', stalled: true });
    expect(fb?.reason).toContain(`\`lshift rollback fb --alias ${ALIAS}\``);
    expect(fb?.reason).not.toMatch(/lshift deploy [^`]*--resume/);
    expect(fb?.reason).toContain(
      "release r-split2's verdict was a rollback), and its alias was split by someone else (a hook, or a person), before or after that verdict",
    );
    expect(fb?.reason).not.toContain('then split');
    expect(exitCodeForCheck(report)).toBe(4);
    expect(w.lambda.aliasWrites().length).toBe(before);
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(SPLIT);

    // The way out offered does it: all of fb back on version 1.
    const back = await rollbackDeployment(w.deps, { functionName: 'fb', alias: ALIAS, reason: 'r' });
    expect(back.status).toBe('rolled_back');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });

  it('a single deploy split by someone else stays `paused (weights changed by hand)`: resumable', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, SPLIT);
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(result.status).toBe('unsafe');
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'paused', endReason: 'weights changed by hand' });
  });
});
