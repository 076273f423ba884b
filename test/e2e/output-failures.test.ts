import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The reader of lshift's output goes away mid-shift (`2> >(head -20)`, a dead log collector):
 * every later write fails with EPIPE. That must never stop the safety logic: the deploy still
 * promotes or rolls back, and the exit code says which.
 */
describe('output failures mid-shift (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  /**
   * Closes our end of `stream` once `text` shows on `watched`: the child's next writes to it fail
   * with EPIPE, as when `head` has read its lines and exited.
   */
  function closeOn(
    child: ChildProcess,
    watched: 'stdout' | 'stderr',
    text: string,
    stream: 'stdout' | 'stderr',
    then?: () => void,
  ): void {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!seen.includes(text)) return;
      child[watched]?.off('data', onData);
      child[stream]?.destroy();
      then?.();
    };
    child[watched]?.on('data', onData);
  }

  // --no-analysis: equal versions, which the judge could roll back by chance (≤ 1% of
  // deployments, docs/analysis.md); the outcome under test is the output's.
  const deploy = ['deploy', 'demo', '--strategy', 'linear:50%:1m', '--alarm', 'demo-errors', '--no-analysis'];

  it('stderr closed mid-shift: the deploy still promotes and exits 0', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const run = await env.cli(deploy, { onSpawn: (child) => closeOn(child, 'stderr', 'step 1/2', 'stderr') });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('Promoted demo:live to version 2');
    const status = await env.status();
    expect(status.functionVersion).toBe('2');
    expect(status.record?.phase).toBe('promoted');
  });

  it('stderr closed mid-shift, then SIGTERM: still rolls back and exits 3', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const slow = [
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:30m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
    ];
    const run = await env.cli(slow, {
      onSpawn: (child) => closeOn(child, 'stderr', 'step 1/2', 'stderr', () => child.kill('SIGTERM')),
    });
    expect(run.code, run.stdout).toBe(3);
    expect(run.stdout).toContain('Rolled back demo:live');
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  });

  it('stdout closed mid-shift under --progress ndjson: the deploy still promotes and exits 0', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const run = await env.cli([...deploy, '--progress', 'ndjson'], {
      onSpawn: (child) => closeOn(child, 'stdout', '"type":"step.started"', 'stdout'),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/EPIPE|Internal error/);
    const status = await env.status();
    expect(status.functionVersion).toBe('2');
  });

  it('stdout closed before the --json result is printed: the exit code still tells the truth', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const run = await env.cli([...deploy, '--json'], {
      // Under --json the progress lines are on stderr: they tell when the shift is under way.
      onSpawn: (child) => closeOn(child, 'stderr', 'step 1/2', 'stdout'),
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/EPIPE|Internal error/);
    expect((await env.status()).functionVersion).toBe('2');
  });

  /**
   * Runs the built CLI with stdout (and, with `closeStderr`, stderr) closed before it starts, as
   * `lshift … >&-` does. Node opens /dev/null in place of a closed stdio descriptor before any
   * JavaScript runs, so writes there succeed and go nowhere, as with `> /dev/null`.
   */
  function runClosed(
    url: string,
    args: string[],
    closeStderr = false,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    const redirect = closeStderr ? '>&- 2>&-' : '>&-';
    return new Promise((resolve, reject) => {
      const child = spawn(
        '/bin/sh',
        ['-c', `exec "$0" "$@" ${redirect}`, process.execPath, RUN_JS, ...args],
        {
          env: { ...process.env, CI: 'true', NO_COLOR: '1', LSHIFT_SANDBOX: url },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stderr });
      });
    });
  }

  // `deploy --json >&-`: the result goes nowhere, as with `> /dev/null`, which lshift cannot tell
  // apart from it (nor from a caller's stdio 'ignore' or DEVNULL): it says nothing about it
  // (docs/exit-codes.md). The deploy itself, and its rollback, are untouched.
  it.each([
    ['stdout closed', false],
    ['stdout and stderr closed', true],
  ])(
    'deploy --json with %s from the start: still rolls back a bad version, exit 3',
    async (_name, closeStderr) => {
      env = await startSandboxEnv({ preset: 'bad', speed: 600 });
      const run = await runClosed(
        env.handle.url,
        ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors', '--json'],
        closeStderr,
      );
      expect([run.code, run.signal], run.stderr).toEqual([3, null]);
      expect(run.stderr).not.toMatch(/EBADF|EPIPE|Internal error|\n\s+at /);
      if (!closeStderr) expect(run.stderr).toMatch(/^\S+Z ROLLBACK/m);
      const status = await env.status();
      expect(status.functionVersion).toBe('1');
      expect(status.additionalWeights).toEqual({});
    },
  );

  it('status --watch | head: the watch ends once its stdout is closed, though the deployment goes on', async () => {
    // The deploy's alias writes wait at the sandbox once its record exists, until the test ends:
    // the deployment is in progress all along. At speed 1 its record looks dead only after 2 real
    // minutes, which is when a watch that ignored its closed stdout would end by itself.
    env = await startSandboxEnv({ preset: 'healthy', speed: 1 });
    const gate = env.handle.state.gate;
    gate.holdAfter(
      (operation, sb) => operation === 'TagResource' && !!own(sb.data.functions, 'demo')?.tags['lshift:live'],
      { only: ['UpdateAlias'] },
    );
    let deployer: ChildProcess | undefined;
    const deploying = env.cli(['deploy', 'demo', '--strategy', 'linear:25%:1m', '--alarm', 'demo-errors'], {
      onSpawn: (child) => {
        deployer = child;
      },
    });
    try {
      await gate.whenHolding();
      const watch = await env.cli(['status', 'demo', '--watch', '--interval', '1s'], {
        onSpawn: (child) => closeOn(child, 'stdout', 'deployment d-', 'stdout'),
        timeoutMs: 60_000,
      });
      expect([watch.code, watch.signal], watch.stderr).toEqual([0, null]);
      expect(watch.stderr).not.toMatch(/EPIPE|Internal error/);
      expect(gate.held).toBeGreaterThan(0);
    } finally {
      // Done watching: the deploy is stopped (it rolls back) rather than run 4 real minutes.
      deployer?.kill('SIGTERM');
      gate.release();
    }
    expect((await deploying).code).toBe(3);
  });

  it('under --json the progress lines go to stderr and stdout holds exactly one JSON object', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const run = await env.cli([...deploy, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^\S+Z preflight: passed/m);
    expect(run.stderr).toMatch(/^\S+Z step 2\/2: shifting to 100%/m);
    expect(JSON.parse(run.stdout).status).toBe('promoted');
  });
});
