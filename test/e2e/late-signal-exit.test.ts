import { afterEach, describe, expect, it } from 'vitest';
import { AT_THE_END, exitGate } from '../helpers/exit-gate.js';
import { startDetachedCanary } from './codedeploy-detached.js';
import { publishDemo, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A signal after `lshift rollback`, `alias`, `check` or `wait` had finished — its result written,
 * the process about to exit — must not change the exit code a CI step or a cron reads. Their own
 * signal handling ended with the command, and Node's teardown then puts SIGINT back on its default
 * action: a late Ctrl-C ended a completed rollback with 130, which says "interrupted". As deploy
 * and release since c63c4c38 (src/cli/late-interrupt.ts), the stop signals are held until the
 * process ends, and it ends by `process.exit` at `beforeExit`. The CLI is held at its very end by
 * a preloaded probe (test/helpers/exit-gate.ts), so the signal lands there on any machine.
 */
describe('a signal once the command has finished does not change its exit code (built CLI, sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function published(): Promise<SandboxEnv> {
    env = await startSandboxEnv({ speed: 60 });
    expect(await publishDemo(env.handle)).toBe('2');
    return env;
  }

  async function atTheEnd(sandbox: SandboxEnv, args: string[], timeoutMs?: number) {
    const gate = exitGate();
    const run = await sandbox.cli(args, {
      env: gate.env,
      onSpawn: (child) => gate.signalAtTheEnd(child, 'SIGINT'),
      ...(timeoutMs ? { timeoutMs } : {}),
    });
    // Held at its end, where the signal was sent: not a run that ended some other way.
    expect(run.stderr).toContain(AT_THE_END);
    return run;
  }

  it('lshift alias: exit 0, the alias moved', async () => {
    const sandbox = await published();
    const run = await atTheEnd(sandbox, ['alias', 'demo', 'live', '2']);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Alias demo:live → version 2');
    expect((await sandbox.status()).functionVersion).toBe('2');
  });

  it('lshift rollback: exit 0, all traffic back, the result on stdout', async () => {
    const sandbox = await published();
    const moved = await sandbox.cli(['alias', 'demo', 'live', '2']);
    expect(moved.code, moved.stderr).toBe(0);
    const run = await atTheEnd(sandbox, ['rollback', 'demo', '--to', '1', '--json']);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'rolled_back', exitCode: 0 });
    expect((await sandbox.status()).functionVersion).toBe('1');
  });

  it('lshift check: exit 0, not the 130 of a check a signal stopped', async () => {
    const sandbox = await published();
    const run = await atTheEnd(sandbox, ['check', 'demo', '--alarm', 'demo-errors', '--json']);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).not.toHaveProperty('interrupted');
  });

  it('lshift wait: exit 0 after CodeDeploy Succeeded', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 600 });
    const sandbox = env;
    // 10 simulated minutes at --speed 600: CodeDeploy finishes within seconds of the detach.
    const id = await startDetachedCanary(sandbox, 'canary:10%:10m');
    const run = await atTheEnd(sandbox, ['wait', id, '--interval', '1s'], 240_000);
    expect(run.signal, run.stderr).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`CodeDeploy deployment ${id} Succeeded`);
  });
});
