import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { RUN_JS, runCli } from '../helpers/run-cli.js';
import { FNS, truth, until } from './release-fleet.js';
import { ANALYSIS_WITHOUT_CHANCE } from './sandbox-env.js';

/**
 * `lshift abort --release <id> alpha beta gamma` against a release run by another process: the
 * release rolls every function back and its runner exits 3 with the operator's reason.
 */

/**
 * Only the operator's verb may end these releases, not a chance verdict of the judge on three
 * pairs of equal versions (≤ 1% of releases, by design: docs/analysis.md). The analysis stays on
 * through an absolute gate: its settle wait keeps the release at its last weight while the test's
 * next CLI starts (without it, a loaded machine saw the release end before `promote --release`).
 */
const DEPLOY = [RUN_JS, 'deploy', ...FNS, ...ANALYSIS_WITHOUT_CHANCE, '--json'];

/**
 * How long a verb waits for the release to answer runs on the sandbox's clock: the default 2m is
 * 2 s real at 60×, and a loaded machine's runner answered later (the verb exited 1,
 * COMMAND_NOT_ANSWERED). An hour of it (a real minute) waits out any load.
 */
const WAIT = ['--wait', '1h'];

/** Resolves once every function's record says it is shifting (or rejects after a generous minute). */
async function untilShifting(handle: SandboxHandle): Promise<string> {
  const giveUpAt = Date.now() + 60_000;
  while (Date.now() < giveUpAt) {
    const all = truth(handle);
    if (all.every((t) => t.record?.phase === 'shifting')) return all[0]!.record!.releaseId!;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the release never reached its first hold');
}

describe('lshift abort --release (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  let runner: ReturnType<typeof spawn> | undefined;
  afterEach(async () => {
    // A failed assertion must not leave the release running in the background.
    if (runner && runner.exitCode === null) runner.kill('SIGKILL');
    runner = undefined;
    await handle?.stop();
    handle = undefined;
  });

  it('aborts a running release: every function back on its stable version, the runner exits 3 naming the abort', async () => {
    handle = await startSandbox({ speed: 60, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: handle.url };
    // Ten simulated minutes per step: the release is still holding when the abort arrives.
    runner = spawn(process.execPath, [...DEPLOY, '--strategy', 'linear:10%:10m'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    runner.stdout?.on('data', (d) => (stdout += d));
    const child = runner;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const releaseId = await untilShifting(handle);

    const abort = await runCli(
      ['abort', '--release', releaseId, ...FNS, '--reason', 'bad release', ...WAIT, '--json'],
      {
        env: { LSHIFT_SANDBOX: handle.url },
      },
    );
    expect(abort.code, abort.stderr).toBe(0);
    const answer = JSON.parse(abort.stdout);
    expectValidResultOf('releaseAbort', answer);
    expect(answer).toMatchObject({ releaseId, verb: 'abort', allEnded: true, exitCode: 0 });
    expect(answer.functions.map((f: { phase: string }) => f.phase)).toEqual(FNS.map(() => 'rolled-back'));

    expect(await exited).toBe(3);
    const result = JSON.parse(stdout);
    expect(result.reason).toMatch(/^the release was aborted: .*aborted by .*: bad release; all 3 functions/);
    for (const t of truth(handle)) {
      expect([t.fn, t.version, t.weights, t.record?.phase]).toEqual([t.fn, '1', {}, 'rolled-back']);
    }

    // Again, once it ended: refused, nothing written.
    const again = await runCli(['abort', '--release', releaseId, ...FNS], {
      env: { LSHIFT_SANDBOX: handle.url },
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`NO_RUNNING_DEPLOYMENT`);
  });

  it('pause --release holds every function at its weight (still watched), resume --release lets it go on, promote --release --full ends it', async () => {
    handle = await startSandbox({ speed: 60, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: handle.url };
    // One simulated minute per step: without the pause, the release would move on within a second.
    // The last level below 100% holds an hour (a real minute): after `resume --release` the
    // release moves on, and `promote --release --full` must still find it running on a loaded
    // machine (with 1-minute steps to the end it would finish ~9 real seconds after the resume).
    const strategy = 'steps:10%@1m,20%@1m,30%@1m,40%@1m,50%@1h,100%';
    runner = spawn(process.execPath, [...DEPLOY, '--strategy', strategy], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = runner;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const releaseId = await untilShifting(handle);
    const sandbox = { env: { LSHIFT_SANDBOX: handle.url } };

    const pause = await runCli(['pause', '--release', releaseId, ...FNS, ...WAIT, '--json'], sandbox);
    expect(pause.code, pause.stderr).toBe(0);
    const paused = JSON.parse(pause.stdout);
    expectValidResultOf('releaseAbort', paused);
    expect(paused).toMatchObject({ releaseId, verb: 'pause', exitCode: 0, sent: { answer: 'done' } });
    const weightsAt = () => truth(handle!).map((t) => t.weights['2'] ?? (t.version === '2' ? 1 : 0));
    const before = weightsAt();
    // Three levels' worth paused, and nothing moved: three simulated minutes AND three of the
    // release's health polls (still watched). Not a real 3 s sleep: on a loaded machine the runner
    // may not have run at all in those 3 s, and "nothing moved" would prove nothing.
    const polls = () => handle!.state.gate.count('GetMetricData');
    const pausedAt = { simMs: handle.state.simNow(), polls: polls() };
    await until(
      () => handle!.state.simNow() - pausedAt.simMs >= 180_000 && polls() >= pausedAt.polls + 3,
      'three minutes and three health polls of the paused release',
    );
    expect(weightsAt()).toEqual(before);
    expect(runner.exitCode).toBeNull();
    const one = await runCli(['pause', 'beta'], sandbox);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain(`lshift pause --release ${releaseId}`);

    const resume = await runCli(['resume', '--release', releaseId, ...FNS, ...WAIT, '--json'], sandbox);
    expect(resume.code, resume.stderr).toBe(0);
    expect(JSON.parse(resume.stdout)).toMatchObject({ verb: 'resume', sent: { answer: 'done' } });
    const moved = () => weightsAt().some((w, i) => w > (before[i] ?? 0));
    await until(moved, 'a function of the resumed release moving to its next weight');
    // The rest at once: every function skips its remaining steps and goes to 100%.
    const promote = await runCli(['promote', '--release', releaseId, '--full', ...FNS, ...WAIT], sandbox);
    expect(promote.code, promote.stderr).toBe(0);
    expect(promote.stdout).toContain(`Release ${releaseId} goes to 100%`);
    expect(await exited).toBe(0);
    for (const t of truth(handle)) expect([t.fn, t.version, t.weights]).toEqual([t.fn, '2', {}]);
  });
});
