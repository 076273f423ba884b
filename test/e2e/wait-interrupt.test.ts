import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { initCodeDeployGroup, startDetachedCanary, untilDeploymentEnded } from './codedeploy-detached.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift wait <id>` and Ctrl-C: the first signal's notice must say what lshift is about to do.
 * Under `--on-interrupt leave` it said "stopping the deployment safely" and then left CodeDeploy
 * running it: at 3 a.m. an operator reads that the deployment is being stopped when it is not.
 */
/** The first signal's notice before the wait has read the deployment (wait-interrupt-notice.ts). */
const unreadNotice = (id: string) =>
  `lshift has not read deployment ${id} yet: if AWS CodeDeploy still runs it, lshift stops it with auto-rollback (StopDeployment) and follows it until CodeDeploy has put the alias back; if it has already ended, there is nothing to stop`;

describe('lshift wait and a signal (built CLI against the sandbox’s CodeDeploy)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    if (env) await control(env, 'release', { drop: true });
    await env?.stop();
    env = undefined;
  });

  async function detachedDeployment(sandbox: SandboxEnv): Promise<string> {
    await initCodeDeployGroup(sandbox, { role: 'arn:aws:iam::123456789012:role/codedeploy' });
    const run = await sandbox.cli(
      ['deploy', 'demo', '--engine', 'codedeploy', '--strategy', 'canary:10%:30m', '--detach', '--json'],
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout).codeDeploy.deploymentId as string;
  }

  it.each([
    {
      mode: 'leave',
      says: 'no longer following the deployment; AWS CodeDeploy keeps running it',
      stops: 0,
      exit: 0,
    },
    {
      mode: 'rollback',
      says: 'stopping the deployment with auto-rollback (StopDeployment)',
      stops: 1,
      exit: 3,
    },
  ])(
    'SIGINT under --on-interrupt $mode: the notice says “$says”, exit $exit',
    async ({ mode, says, stops, exit }) => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
      const id = await detachedDeployment(env);
      const run = await env.cli(['wait', id, '--interval', '1s', '--on-interrupt', mode], {
        onSpawn: (child) => void stderrShows(child, `codedeploy: ${id}`).then(() => child.kill('SIGINT')),
        timeoutMs: 240_000,
      });
      expect(run.code, run.stderr).toBe(exit);
      expect(run.stderr).toContain(`SIGINT received: ${says}`);
      const ops = (await (await fetch(`${env.handle.url}/__lshift/operations`)).json()) as Record<
        string,
        number
      >;
      expect(ops.StopDeployment ?? 0).toBe(stops);
      // Its own stop is recorded as an interrupt (`y=INTERRUPTED`), not a stop from outside.
      const record = (await env.status()).record as { phase: string; cause?: unknown } | undefined;
      if (mode === 'rollback')
        expect(record).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
      else expect(record?.cause).toBeUndefined();
    },
  );

  // Found by a hostile pass: a Ctrl-C in the wait's first ~0.35 s (while Node loaded lshift)
  // exited 130 by Node's default action, and the deployment ran on, unstopped.
  it('SIGINT while the command starts (as it reads its bundle): the deployment is stopped all the same, exit 3', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const id = await detachedDeployment(env);
    const preload = fileURLToPath(new URL('./signal-at-bundle-read.mjs', import.meta.url));
    const run = await env.cli(['wait', id, '--interval', '1s'], {
      env: { NODE_OPTIONS: `--import ${preload}` },
      timeoutMs: 240_000,
    });
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(3);
    // Taken before the first read: the notice cannot know yet whether there is anything to stop.
    expect(run.stderr).toContain(`SIGINT received: ${unreadNotice(id)}`);
    // The stop is asked once the read said it runs.
    expect(run.stderr).toMatch(
      new RegExp(`codedeploy: ${id} InProgress\\n.*codedeploy: stopping ${id} with auto-rollback`),
    );
    const ops = (await (await fetch(`${env.handle.url}/__lshift/operations`)).json()) as Record<
      string,
      number
    >;
    expect(ops.StopDeployment).toBe(1);
  });

  // Found by a hostile pass: on a deployment that had already ended, that signal's notice said
  // "stopping …", nothing was stopped, and the result did not say so. Then the result said so, but
  // the notice still began "stopping the deployment with auto-rollback (StopDeployment)".
  it('SIGINT while the command starts, on a deployment that had already ended: nothing stopped, and said so', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    const id = await startDetachedCanary(env, 'canary:10%:1m');
    const first = await env.cli(['wait', id, '--interval', '1s'], { timeoutMs: 240_000 });
    expect(first.code, first.stderr).toBe(0);
    const preload = fileURLToPath(new URL('./signal-at-bundle-read.mjs', import.meta.url));
    const run = await env.cli(['wait', id, '--interval', '1s'], {
      env: { NODE_OPTIONS: `--import ${preload}` },
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`SIGINT received: ${unreadNotice(id)}`);
    expect(run.stderr).not.toContain('stopping the deployment');
    expect(run.stderr).not.toContain(`codedeploy: stopping ${id}`);
    expect(run.stdout + run.stderr).toContain('nothing was stopped');
    const ops = (await (await fetch(`${env.handle.url}/__lshift/operations`)).json()) as Record<
      string,
      number
    >;
    expect(ops.StopDeployment ?? 0).toBe(0);
  });

  // --on-interrupt leave, a signal abandoning the first read: the wait leaves without any read,
  // and its result said "CodeDeploy keeps running it" (status InProgress, unread) of a
  // deployment that had ended.
  it('SIGINT while the first read is in flight under --on-interrupt leave, on a deployment that had ended: the result says its status was not read, exit 0', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    const sandbox = env;
    const id = await startDetachedCanary(sandbox, 'canary:10%:1m');
    const first = await sandbox.cli(['wait', id, '--interval', '1s'], { timeoutMs: 240_000 });
    expect(first.code, first.stderr).toBe(0);
    const interruptFirstRead = (child: ChildProcess) =>
      void untilHeld(sandbox).then(async () => {
        const taken = stderrShows(child, 'SIGINT received');
        child.kill('SIGINT');
        await taken;
        await control(sandbox, 'release', {});
      });
    await control(sandbox, 'hold', { only: ['GetDeployment'] });
    const run = await sandbox.cli(['wait', id, '--interval', '1s', '--on-interrupt', 'leave'], {
      onSpawn: interruptFirstRead,
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const said = run.stdout + run.stderr;
    expect(said).toContain(`Stopped following ${id} before lshift had read it (--on-interrupt leave)`);
    expect(said).toContain(`aws deploy get-deployment --deployment-id ${id}`);
    expect(said).not.toContain('CodeDeploy keeps running it (--on-interrupt leave).');
    await control(sandbox, 'hold', { only: ['GetDeployment'] });
    const json = await sandbox.cli(['wait', id, '--interval', '1s', '--on-interrupt', 'leave', '--json'], {
      onSpawn: interruptFirstRead,
      timeoutMs: 240_000,
    });
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ outcome: 'left', statusUnread: true });
    expect(result.status).toBeUndefined();
    const ops = (await (await fetch(`${sandbox.handle.url}/__lshift/operations`)).json()) as Record<
      string,
      number
    >;
    expect(ops.StopDeployment ?? 0).toBe(0);
  });

  // A signal that abandons the first read in flight sends StopDeployment without knowing the
  // status (a stalled read must not delay the stop of a running deployment): on one that had ended
  // CodeDeploy refuses it. The notice must not have claimed a stop either.
  it('SIGINT while the first read is in flight, on a deployment that had already ended: the notice claims no stop, nothing stopped, exit 0', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    const sandbox = env;
    const id = await startDetachedCanary(sandbox, 'canary:10%:1m');
    const first = await sandbox.cli(['wait', id, '--interval', '1s'], { timeoutMs: 240_000 });
    expect(first.code, first.stderr).toBe(0);
    await control(sandbox, 'hold', { only: ['GetDeployment'] });
    const run = await sandbox.cli(['wait', id, '--interval', '1s', '--json'], {
      onSpawn: (child) =>
        void untilHeld(sandbox).then(async () => {
          const taken = stderrShows(child, 'SIGINT received');
          child.kill('SIGINT');
          await taken;
          await control(sandbox, 'release', {});
        }),
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`SIGINT received: ${unreadNotice(id)}`);
    expect(run.stderr).not.toContain('stopping the deployment');
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'succeeded', interruptedAfterEnd: true });
    expect(JSON.parse(run.stdout).stoppedByInterrupt).toBeUndefined();
    // Asked at once, without the read (the safety behaviour), and refused: it had ended.
    const ops = (await (await fetch(`${sandbox.handle.url}/__lshift/operations`)).json()) as Record<
      string,
      number
    >;
    expect(ops.StopDeployment).toBe(1);
  });

  // Found by a hostile pass: a Ctrl-C once the wait had read CodeDeploy's end, while it read the
  // alias, said "stopping the deployment with auto-rollback" and abandoned that read: the wait of
  // a deployment that had Succeeded ended INTERRUPTED (exit 1), its record left open.
  it('SIGINT once CodeDeploy’s end is read (the alias read held): nothing to stop, exit 0, the record closed', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    const sandbox = env;
    // 10 simulated minutes at --speed 600: CodeDeploy finishes within seconds of the detach.
    const id = await startDetachedCanary(sandbox, 'canary:10%:10m');
    // Ended before the wait starts (a wait reads the alias at each poll while CodeDeploy runs, to
    // see a move by hand): the held alias read is then the one after CodeDeploy's end.
    await untilDeploymentEnded(sandbox, id);
    await control(sandbox, 'hold', { only: ['GetAlias'] });
    const run = await sandbox.cli(['wait', id, '--interval', '1s', '--json'], {
      onSpawn: (child) =>
        void untilHeld(sandbox).then(async () => {
          const taken = stderrShows(child, 'SIGINT received');
          child.kill('SIGINT');
          await taken;
          await control(sandbox, 'release', {});
        }),
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      `SIGINT received: AWS CodeDeploy had already ended deployment ${id} (Succeeded): nothing is left to stop`,
    );
    expect(run.stderr).not.toContain('stopping the deployment');
    expect(JSON.parse(run.stdout)).toMatchObject({
      outcome: 'succeeded',
      interruptedAfterEnd: true,
      recordPhase: 'promoted',
    });
    const ops = (await (await fetch(`${sandbox.handle.url}/__lshift/operations`)).json()) as Record<
      string,
      number
    >;
    expect(ops.StopDeployment ?? 0).toBe(0);
    expect((await sandbox.status()).record?.phase).toBe('promoted');
  });

  // Found by a hostile pass: a second signal said CodeDeploy "may still be running" and gave a
  // stop-deployment fix for a deployment that had Succeeded.
  it('SIGINT twice once CodeDeploy’s end is read: exit 4, says it had ended and names the wait that closes the record', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
    const sandbox = env;
    const id = await startDetachedCanary(sandbox, 'canary:10%:10m');
    await untilDeploymentEnded(sandbox, id);
    await control(sandbox, 'hold', { only: ['GetAlias'] });
    const run = await sandbox.cli(['wait', id, '--interval', '1s'], {
      onSpawn: (child) =>
        void untilHeld(sandbox).then(async () => {
          const taken = stderrShows(child, 'SIGINT received');
          child.kill('SIGINT');
          await taken;
          // Past the window in which a repeat counts as the same signal (interrupts.ts).
          await new Promise((resolve) => setTimeout(resolve, 1200));
          child.kill('SIGINT');
        }),
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain(`AWS CodeDeploy had ended deployment ${id} (Succeeded): nothing moves`);
    expect(run.stderr).toContain(`Fix: lshift wait ${id}`);
    expect(run.stderr).not.toContain('may still be running');
    expect(run.stderr).not.toContain('stop-deployment');
  });
});

// The runs here without a signal (the detached deploy, a first wait) go through this worker's
// process (IN_PROCESS_E2E); their built-CLI twins: codedeploy-hand-move.test.ts (deploy --detach)
// and wait-after-hand-move.test.ts (wait). The signalled and preloaded waits are started CLIs.
