import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * How long a verb waits for the release to answer runs on the sandbox's clock: the default 2m was
 * 2 s real at 60×, and a loaded machine's runner answered later (the verb exited 1,
 * COMMAND_NOT_ANSWERED). An hour, the longest `--wait` takes (src/domain/limits.ts), leaves the
 * runner three real minutes at 20× to answer at its next poll (every 10 simulated seconds).
 */
const WAIT = ['--wait', '1h'];

/** Resolves with the release's id once every function's record says it is shifting. */
async function untilShifting(handle: SandboxHandle): Promise<string> {
  const shifting = () => truth(handle).every((t) => t.record?.phase === 'shifting');
  await until(shifting, 'the release at its first hold');
  return truth(handle)[0]!.record!.releaseId!;
}

describe('lshift abort --release (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  let runner: ReturnType<typeof spawn> | undefined;
  /** The file the pause test's pre-traffic hook waits for. */
  let go: string | undefined;
  afterEach(async () => {
    // A failed assertion must not leave the release, or its hook's loop, running in the background.
    if (runner && runner.exitCode === null) runner.kill('SIGKILL');
    if (go) writeFileSync(go, '');
    runner = undefined;
    go = undefined;
    await handle?.stop();
    handle = undefined;
  });

  it('aborts a running release: every function back on its stable version, the runner exits 3 naming the abort', async () => {
    // Speed 20, as below: a runner starved for 1.5 real seconds looks dead to the abort at 60.
    handle = await startSandbox({ speed: 20, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: handle.url };
    // An hour per step, ten hours in all (thirty real minutes): the release still runs when the
    // abort arrives, however long a loaded machine takes to start the abort's CLI.
    runner = spawn(process.execPath, [...DEPLOY, '--strategy', 'linear:10%:1h'], {
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
    expect(result.reason).toMatch(
      /^the release was aborted at step \d+ \(\d+%\) by .*: bad release; all 3 functions/,
    );
    // The abort is no function's failure.
    expect(result).not.toHaveProperty('failed');
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

  // Session 68: with no function named (and no config file) the abort was refused (USAGE, "Name
  // the functions of release r-…") while `rollback --release r-…` found them by their records.
  it('abort --release r-… with no function named finds them by their records, as rollback --release does', async () => {
    handle = await startSandbox({ speed: 20, seed: 9 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: handle.url };
    runner = spawn(process.execPath, [...DEPLOY, '--strategy', 'linear:10%:1h'], {
      env,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const child = runner;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const releaseId = await untilShifting(handle);

    const abort = await runCli(
      ['abort', '--release', releaseId, '--reason', 'bad release', ...WAIT, '--json'],
      {
        env: { LSHIFT_SANDBOX: handle.url },
      },
    );
    expect(abort.code, abort.stdout + abort.stderr).toBe(0);
    expect(abort.stderr).toContain('abort: no function named: listing every function in reach');
    const answer = JSON.parse(abort.stdout);
    expectValidResultOf('releaseAbort', answer);
    expect(answer).toMatchObject({ releaseId, verb: 'abort', allEnded: true, found: true, exitCode: 0 });
    expect(answer.functions.map((f: { functionName: string }) => f.functionName).sort()).toEqual(
      [...FNS].sort(),
    );
    expect(await exited).toBe(3);
    for (const t of truth(handle)) {
      expect([t.fn, t.version, t.weights, t.record?.phase]).toEqual([t.fn, '1', {}, 'rolled-back']);
    }
    // No record names it: refused as rollback's finder refuses, in the abort's words.
    const none = await runCli(['abort', '--release', 'r-nonexi'], { env: { LSHIFT_SANDBOX: handle.url } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'Name the functions of release r-nonexi: no record in reach names release r-nonexi at any alias.',
    );
    expect(none.stderr).toContain('lshift abort --release r-nonexi <function…>');
  });

  it('pause --release holds every function at its weight (still watched), resume --release lets it go on, promote --release --full ends it', async () => {
    // Speed 20, not 60: the pause waits while the runner ends its hook and reaches its first health
    // poll, and an operator verb answers early when the runner's heartbeat has not moved for 90
    // simulated seconds (operator-send.ts) — 1.5 real seconds at speed 60, which a runner starved
    // on a loaded machine (load 14 on 2 cores) once took: COMMAND_NOT_ANSWERED. 4.5 s at speed 20.
    handle = await startSandbox({ speed: 20, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const env = { ...process.env, CI: 'true', LSHIFT_SANDBOX: handle.url };
    // One simulated minute per step: without the pause, the release would move on within 3 seconds.
    // The last level below 100% holds a day (72 real minutes): after `resume --release` the
    // release moves on, and `promote --release --full` finds it running however long a loaded
    // machine takes to start the promote's CLI (with 1-minute steps to the end it would finish
    // ~27 real seconds after the resume).
    const strategy = 'steps:10%@1m,20%@1m,30%@1m,40%@1m,50%@1d,100%';
    // The pause is sent while the release's pre-traffic hook waits for a file the test writes: a
    // command sent during the hooks is kept on the record (the heartbeats carry it) and obeyed at
    // the first health poll after them, so the pause lands at 10% however slow the machine is to
    // start the pause's CLI (sent at the first hold instead, a loaded machine's pause found the
    // release several short levels on, at its day-long last one).
    go = join(mkdtempSync(join(tmpdir(), 'lshift-relpause-')), 'go');
    const hook = `cmd:while [ ! -e ${go} ]; do sleep 0.05; done`;
    runner = spawn(
      process.execPath,
      [...DEPLOY, '--strategy', strategy, '--pre-hook', hook, '--hook-timeout', '1h'],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const child = runner;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(
      () => truth(handle!)[0]!.record?.phase === 'pre-hook',
      'the release running its pre-traffic hook',
    );
    const releaseId = truth(handle)[0]!.record!.releaseId!;
    const sandbox = { env: { LSHIFT_SANDBOX: handle.url } };

    let pauseEnded = false;
    const pausing = runCli(['pause', '--release', releaseId, ...FNS, ...WAIT, '--json'], sandbox).finally(
      () => (pauseEnded = true),
    );
    // Or the pause's CLI ended without sending it: its exit code and output say why, below.
    const pauseSent = () => pauseEnded || truth(handle!).some((t) => t.record?.command?.verb === 'pause');
    await until(pauseSent, 'the pause written to the release');
    writeFileSync(go, '');
    const pause = await pausing;
    expect(pause.code, pause.stdout + pause.stderr).toBe(0);
    const paused = JSON.parse(pause.stdout);
    expectValidResultOf('releaseAbort', paused);
    expect(paused).toMatchObject({ releaseId, verb: 'pause', exitCode: 0, sent: { answer: 'done' } });
    const weightsAt = () => truth(handle!).map((t) => t.weights['2'] ?? (t.version === '2' ? 1 : 0));
    const before = weightsAt();
    expect(before, 'the pause obeyed at the first level, after the hook').toEqual([0.1, 0.1, 0.1]);
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
