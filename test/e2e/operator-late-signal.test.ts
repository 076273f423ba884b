import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { AT_THE_END, exitGate } from '../helpers/exit-gate.js';
import { type CliRun, RUN_JS, runCli } from '../helpers/run-cli.js';
import { FNS, truth, until } from './release-fleet.js';
import { ANALYSIS_WITHOUT_CHANCE, aliasTruth, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A signal once `lshift pause | resume | promote | abort` (and their `--release` forms) has the
 * running deployment's answer — its result written, the process about to exit — must not change
 * the exit code a script reads. Their Ctrl-C handling (withdraw the unanswered command) ended with
 * the command, and Node's teardown then put SIGINT back on its default action: a late Ctrl-C
 * ended a verb the deployment had obeyed with 130. As rollback/alias/check/wait
 * (src/cli/late-interrupt.ts endInterrupts), the stop signals are now held until the process ends.
 * The verb is held at its very end by a preloaded probe (test/helpers/exit-gate.ts), so the signal
 * lands there on any machine; the deploy's holds are hours long, so only the verbs move it.
 */
describe('a signal once an operator verb has its answer does not change its exit code (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  let handle: SandboxHandle | undefined;
  let runner: ChildProcess | undefined;
  afterEach(async () => {
    // A failed assertion must not leave the deploy running in the background.
    if (runner && runner.exitCode === null && runner.signalCode === null) runner.kill('SIGKILL');
    runner = undefined;
    await env?.stop();
    await handle?.stop();
    env = undefined;
    handle = undefined;
  });

  /**
   * The longest --wait (1 h): a verb never gives up on a deployment merely slow to answer on a
   * loaded machine.
   */
  const WAIT = ['--wait', '1h', '--json'];

  async function atTheEnd(args: string[], sandboxUrl: string): Promise<CliRun> {
    const gate = exitGate();
    const run = await runCli([...args, ...WAIT], {
      env: { LSHIFT_SANDBOX: sandboxUrl, ...gate.env },
      onSpawn: (child) => gate.signalAtTheEnd(child, 'SIGINT'),
    });
    // Held at its end, where the signal was sent: not a run that ended some other way.
    expect(run.stderr).toContain(AT_THE_END);
    expect(run.signal, `${args.join(' ')}: ${run.stderr}`).toBeNull();
    expect(run.code, `${args.join(' ')}: ${run.stdout} ${run.stderr}`).toBe(0);
    return run;
  }

  it('pause, resume, promote, abort of one function: each exits 0, its answer on stdout', async () => {
    // One-minute polls, 6 real seconds apart at 10×; each step holds half a simulated day (72 real
    // minutes): promote moves it from 10% to 20%, abort ends it. 10×, not 20×, for the reason the
    // release's test below gives: at 20× a runner starved 6 real s read as stopped.
    env = await startSandboxEnv({ preset: 'healthy', speed: 10 });
    const sandbox = env;
    const deploy = sandbox.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        'steps:10%@12h,20%@12h,100%',
        '--interval',
        '1m',
        ...ANALYSIS_WITHOUT_CHANCE,
      ],
      { onSpawn: (child) => (runner = child) },
    );
    let ended = false;
    void deploy.finally(() => (ended = true));
    await until(
      () => ended || aliasTruth(sandbox.handle).record?.phase === 'shifting',
      'the deploy at its first hold',
    );
    if (ended) throw new Error(`the deploy ended first: ${(await deploy).stderr}`);
    const url = sandbox.handle.url;
    for (const verb of ['pause', 'resume', 'promote'] as const) {
      const run = await atTheEnd([verb, 'demo'], url);
      expect(JSON.parse(run.stdout)).toMatchObject({ verb, answer: 'done', exitCode: 0 });
    }
    const abort = await atTheEnd(['abort', 'demo'], url);
    expect(JSON.parse(abort.stdout)).toMatchObject({ verb: 'abort', answer: 'done', exitCode: 0 });
    const deployed = await deploy;
    expect(deployed.code, deployed.stderr).toBe(3);
    expect((await sandbox.status()).functionVersion).toBe('1');
  });

  it('pause, resume, promote, abort --release: each exits 0, its answer on stdout', async () => {
    // 10×, not 60×: a verb ends its wait as soon as the release's heartbeat is 120 simulated
    // seconds old and unmoved (operator-busy.ts hasRunnerStopped). At 60× that was 2 real seconds,
    // and a runner starved that long on a loaded machine read as stopped (COMMAND_NOT_ANSWERED,
    // heartbeat 171 s old, in ci217 at load ~30). The runner stopped (SIGSTOP) 6 real s as the
    // first verb is sent: COMMAND_NOT_ANSWERED at 60×, each verb answered at 10×.
    handle = await startSandbox({ speed: 10, seed: 7 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    // An hour per step (6 real minutes at 10×): only the verbs move the release on.
    runner = spawn(
      process.execPath,
      [RUN_JS, 'deploy', ...FNS, ...ANALYSIS_WITHOUT_CHANCE, '--strategy', 'linear:10%:1h', '--json'],
      { env: { ...process.env, CI: 'true', LSHIFT_SANDBOX: sandbox.url }, stdio: 'ignore' },
    );
    const child = runner;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(
      () => child.exitCode !== null || truth(sandbox).every((t) => t.record?.phase === 'shifting'),
      'the release at its first hold',
    );
    const releaseId = truth(sandbox)[0]!.record!.releaseId!;
    for (const verb of ['pause', 'resume', 'promote'] as const) {
      const run = await atTheEnd([verb, '--release', releaseId, ...FNS], sandbox.url);
      expect(JSON.parse(run.stdout)).toMatchObject({
        releaseId,
        verb,
        exitCode: 0,
        sent: { answer: 'done' },
      });
    }
    const abort = await atTheEnd(['abort', '--release', releaseId, ...FNS], sandbox.url);
    expect(JSON.parse(abort.stdout)).toMatchObject({ releaseId, verb: 'abort', allEnded: true, exitCode: 0 });
    expect(await exited).toBe(3);
  });
});
