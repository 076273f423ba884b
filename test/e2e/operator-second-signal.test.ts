import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift pause` waiting for the deployment's answer, Ctrl-C (the command is being withdrawn),
 * and Ctrl-C again while that withdrawal's write hangs: lshift exits at once. It exited 1 without
 * a word after the first notice ("withdrawing the command"), and the command stayed in the
 * record: the deployment paused later, at its next poll, for an operator who had walked away.
 * The exit must say the command may still be pending and what undoes it.
 */
describe('operator verbs and a second signal (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  let deploy: ChildProcess | undefined;
  afterEach(async () => {
    deploy?.kill('SIGCONT');
    deploy?.kill('SIGKILL');
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
    deploy = undefined;
  });

  async function control(sandbox: SandboxEnv, path: string, body?: unknown): Promise<{ held: number }> {
    const response = await fetch(`${sandbox.handle.url}/__lshift/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as { held: number };
  }

  async function until(check: () => Promise<boolean>): Promise<void> {
    while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('a second SIGINT while pause withdraws its command: exit 1 saying it may still be pending, and the fix', async () => {
    env = await startSandboxEnv({ speed: 1 });
    const sandbox = env;
    // A deploy that reached its first hold, then frozen: it will not answer the command.
    let started: () => void = () => {};
    const holding = new Promise<void>((resolve) => {
      started = resolve;
    });
    const running = sandbox.cli(['deploy', 'demo', '--strategy', 'linear:10%:30m', ...['--no-analysis']], {
      onSpawn: (child) => {
        deploy = child;
        void stderrShows(child, 'step 1/10').then(() => {
          child.kill('SIGSTOP');
          started();
        });
      },
    });
    await holding;
    // The command's own write goes through; the next one (its withdrawal) hangs.
    const tagWrites = async () => {
      const response = await fetch(`${sandbox.handle.url}/__lshift/operations`);
      return ((await response.json()) as Record<string, number>).TagResource ?? 0;
    };
    const before = await tagWrites();
    await control(sandbox, 'hold', { after: 'TagResource', count: 1, only: ['TagResource'] });
    const run = await sandbox.cli(['pause', 'demo', '--wait', '1m'], {
      onSpawn: (child) => {
        void (async () => {
          await until(async () => (await tagWrites()) > before);
          child.kill('SIGINT');
          await until(async () => (await control(sandbox, 'health')).held > 0);
          // Past the window in which a repeat counts as the same Ctrl-C (npx forwards it twice).
          await new Promise((resolve) => setTimeout(resolve, 1200));
          child.kill('SIGINT');
        })();
      },
    });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('SIGINT again: exiting now (exit 1)');
    expect(run.stderr).toContain('`pause` of demo:live may still be pending');
    expect(run.stderr).toContain('lshift status demo --alias live');
    expect(run.stderr).toContain('lshift resume demo --alias live');
    // The frozen deploy goes on and rolls back; the held withdrawal is dropped first.
    await control(sandbox, 'release', { drop: true });
    deploy?.kill('SIGCONT');
    deploy?.kill('SIGTERM');
    await running;
  });
});
