import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { type SandboxEnv, useProxiedSandbox } from './sandbox-env.js';

/**
 * Signals at every moment of a deploy (built CLI against a sandbox): SIGTERM (CI cancel), SIGINT
 * (Ctrl-C) and SIGHUP (terminal closed) mid-shift roll back before exiting; a signal while a
 * version is being published stops with nothing moved; a second signal during the rollback exits 4
 * with the alias state and the fix. The phase a signal lands in is chosen by waiting for an event
 * (a progress line, or a request held by a proxy), never by timing. Signal → exit times are
 * printed so the note on the issue can quote them.
 */
/**
 * A day at 10% (24 real minutes at 60×), and a day's bake: the signal lands in the phase it is
 * meant for however slow the machine is to deliver it (with 30 minutes, a loaded machine had 30
 * real seconds). Every deploy here ends on its signal, not on its schedule.
 */
const MID_SHIFT = 'canary:10%:1d';

describe('signals during a deploy (built CLI against a sandbox)', () => {
  const faulty = useProxiedSandbox();

  /** Sends `signal` once `text` shows on stderr; returns when it was sent (0 if never). */
  function signalOn(child: ChildProcess, text: string, signal: NodeJS.Signals): { sentAt(): number } {
    let sentAt = 0;
    void stderrShows(child, text).then(() => {
      sentAt = Date.now();
      child.kill(signal);
    });
    return { sentAt: () => sentAt };
  }

  async function expectOnStable(env: SandboxEnv): Promise<void> {
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  }

  // SIGALRM (`timeout -s ALRM`) stands for the signals whose default action ends the process
  // (cli/interrupts.ts STOP_SIGNALS): before lshift listened for it, the run died mid-shift.
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGALRM'] as const) {
    it(`${signal} mid-shift puts all traffic back on the stable version and exits 3`, async () => {
      const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
      let sent: { sentAt(): number } | undefined;
      const run = await env.cli(['deploy', 'demo', '--strategy', MID_SHIFT, '--alarm', 'demo-errors'], {
        onSpawn: (child) => (sent = signalOn(child, 'step 1/2', signal)),
      });
      const sentAt = sent?.sentAt() ?? 0;
      console.log(`${signal} mid-shift → exit took ${Date.now() - sentAt} ms`);
      expect(sentAt, run.stderr).toBeGreaterThan(0);
      expect(run.code, run.stderr).toBe(3);
      expect(run.stdout).toContain('Rolled back demo:live');
      expect(run.stderr).toMatch(new RegExp(`${signal} received`));
      expect(run.stderr).toMatch(/interrupted/);
      await expectOnStable(env);
      expect((await env.status()).record?.phase).toBe('rolled-back');
    });
  }

  // A CI cancel's SIGTERM lands while the rollback hooks run (they run after an interrupt too, each
  // for at most 4 s): the rollback had finished, so exit 3 saying so, not a false exit 4.
  it('a second signal during the rollback hooks, after the rollback finished: exit 3, all traffic on version 1', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        MID_SHIFT,
        '--alarm',
        'demo-errors',
        '--rollback-hook',
        'cmd:sleep 30',
      ],
      {
        onSpawn: (child) => {
          void stderrShows(child, 'step 1/2').then(async () => {
            child.kill('SIGTERM');
            await stderrShows(child, 'hook rollback: running');
            // Past the window in which a repeat counts as the same signal.
            await new Promise((resolve) => setTimeout(resolve, 1200));
            child.kill('SIGTERM');
          });
        },
      },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain('SIGTERM again: exiting now (exit 3) after the rollback finished.');
    expect(run.stderr).toContain(
      'All traffic is on version 1: the rollback had finished; its rollback hooks were stopped.',
    );
    await expectOnStable(env);
  });

  // Found by a hostile pass: a terminal closed (SIGHUP) while the rollback hooks of a rollback its
  // alarm caused were running killed the running hook at once, and the hooks after it never ran.
  // Now each gets at most 4 s from the signal, the ones not started side by side.
  it('a signal during the rollback hooks of a rollback an alarm caused: every hook still runs (4 s each)', async () => {
    const env = await faulty.sandbox({ preset: 'bad', speed: 60 });
    const dir = mkdtempSync(join(tmpdir(), 'lshift-rollback-hooks-'));
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        MID_SHIFT,
        '--alarm',
        'demo-errors',
        '--rollback-hook',
        `cmd:sleep 1 && echo paged > ${join(dir, 'page')}`,
        '--rollback-hook',
        `cmd:echo told > ${join(dir, 'chat')}`,
      ],
      {
        onSpawn: (child) =>
          void stderrShows(child, 'hook rollback: running').then(() => child.kill('SIGHUP')),
      },
    );
    expect(run.code, run.stderr).toBe(3);
    const wrote = (name: string) =>
      existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8').trim() : '';
    expect(wrote('page'), run.stderr).toBe('paged');
    expect(wrote('chat'), run.stderr).toBe('told');
    expect(run.stderr).toContain('interrupted during the rollback hooks');
    await expectOnStable(env);
  });

  // Found by a hostile pass: two signals while the deploy read its promotion back (promotion-
  // settle.ts) gave exit 4 and `lshift rollback` as the fix for a healthy promoted deployment.
  it('a second signal after the promotion was recorded (reading it back): exit 0, no rollback to run', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 1 });
    const run = await env.cli(['deploy', 'demo', '--strategy', 'AllAtOnce', '--settle', '0s', '--json'], {
      onSpawn: (child) => {
        void stderrShows(child, '100% reached').then(async () => {
          // The first signal cuts the read-back's wait; its alias read, sent after that signal
          // (so not abandoned by it), stalls, and the second signal lands within it.
          env.handle.state.gate.holdNow({ only: ['GetAlias'] });
          child.kill('SIGTERM');
          await env.handle.state.gate.whenHolding();
          await new Promise((resolve) => setTimeout(resolve, 1200));
          child.kill('SIGTERM');
        });
      },
    });
    env.handle.state.gate.release({ drop: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('SIGTERM again: exiting now (exit 0) after the promotion was recorded.');
    expect(run.stderr).not.toContain('lshift rollback');
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 0 });
    expect(JSON.parse(run.stdout).rollbackCommand).toBeUndefined();
    expect((await env.status()).record?.phase).toBe('promoted');
  });

  // Ctrl-Z at a terminal: a stopped lshift would leave 10% on the new version with nobody watching.
  // Without the refusal the notice never comes (the child stops, or the kernel drops the signal
  // for an orphaned process group) and this test times out; with it the shift runs on, and the
  // Ctrl-C after the notice still rolls back.
  it('SIGTSTP (Ctrl-Z) mid-shift is refused with a notice; the shift runs on and Ctrl-C still rolls back', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await env.cli(['deploy', 'demo', '--strategy', MID_SHIFT, '--alarm', 'demo-errors'], {
      onSpawn: (child) => {
        void stderrShows(child, 'step 1/2').then(async () => {
          child.kill('SIGTSTP');
          await stderrShows(child, 'Ctrl-Z (SIGTSTP) ignored');
          child.kill('SIGINT');
        });
      },
    });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(
      'Ctrl-Z (SIGTSTP) ignored: a suspended lshift would leave the traffic with nobody watching it. Press Ctrl-C to stop it safely, or run `lshift pause demo --alias live` from another shell',
    );
    expect(run.stdout).toContain('Rolled back demo:live');
    await expectOnStable(env);
  });

  // It announced "stopping the deployment safely", then left the alias split, as asked (exit 4).
  it('--on-interrupt leave: SIGINT says the alias is left where it is, and leaves it (exit 4)', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', MID_SHIFT, '--alarm', 'demo-errors', '--on-interrupt', 'leave'],
      { onSpawn: (child) => signalOn(child, 'step 1/2', 'SIGINT') },
    );
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain(
      'SIGINT received: stopping without rolling back: the alias is left where it is',
    );
    expect(run.stderr).not.toContain('stopping the deployment safely');
    expect((await env.status()).record?.phase, run.stderr).toBe('paused');
  });

  // Found by a hostile pass (session 64): `status` of the paused, split alias nobody drives said
  // "paused", exit 0 (`lshift check` said STALLED, exit 4), and `status --watch` refreshed for ever.
  it('--on-interrupt leave, split: status says STALLED, nobody drives it, exit 4; --watch stops on it', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', MID_SHIFT, '--alarm', 'demo-errors', '--on-interrupt', 'leave'],
      { onSpawn: (child) => signalOn(child, 'health at 10%', 'SIGTERM') },
    );
    expect(run.code, run.stderr).toBe(4);
    expect((await env.status()).additionalWeights).toEqual({ '2': 0.1 });
    const status = await env.cli(['status', 'demo']);
    expect(status.code, status.stdout + status.stderr).toBe(4);
    expect(status.stdout).toContain('STALLED: its runner left it paused and exited; nobody drives it');
    expect(status.stdout).toContain('finish it with `lshift deploy demo --alias live --resume`');
    const watch = await env.cli(['status', 'demo', '--watch', '--interval', '1s']);
    expect(watch.code, watch.stdout + watch.stderr).toBe(4);
  });

  for (const phase of ['publish', 'preflight'] as const) {
    it(`a signal during ${phase}: exit 1, the alias and its record untouched`, async () => {
      const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
      const hold = await faulty.proxy();
      // PublishVersion, or the preflight's alarm check.
      const where =
        phase === 'publish'
          ? (req: { method: string; path: string }) => req.method === 'POST' && req.path.endsWith('/versions')
          : (req: { target: string }) => req.target.endsWith('.DescribeAlarms');
      hold.arm({ fault: 'hold', times: Number.POSITIVE_INFINITY, match: { where } });
      const run = await env.cli(['deploy', 'demo', '--strategy', MID_SHIFT, '--alarm', 'demo-errors'], {
        env: { LSHIFT_SANDBOX: hold.url },
        onSpawn: (child) => {
          void hold.waitForHeld().then(async () => {
            child.kill('SIGTERM');
            await stderrShows(child, 'SIGTERM received');
            hold.releaseHeld();
          });
        },
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('Error [INTERRUPTED]');
      expect(run.stderr).toContain('interrupted by SIGTERM');
      expect(run.stderr).not.toContain('ALARMS_UNREADABLE');
      expect(run.stderr).not.toContain('shift:');
      await expectOnStable(env);
      expect((await env.status()).record).toBeUndefined();
    });
  }

  it('a signal during the bake at 100% rolls back and exits 3', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    let sent: { sentAt(): number } | undefined;
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', 'all-at-once', '--bake', '1d', '--alarm', 'demo-errors'],
      { onSpawn: (child) => (sent = signalOn(child, 'bake: watching', 'SIGTERM')) },
    );
    console.log(`SIGTERM in the bake → exit took ${Date.now() - (sent?.sentAt() ?? 0)} ms`);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toContain('Rolled back demo:live');
    await expectOnStable(env);
  });

  it('a signal during a post-traffic hook stops the hook, rolls back and exits 3', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    let sent: { sentAt(): number } | undefined;
    const run = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        'all-at-once',
        '--post-hook',
        'cmd:sleep 120',
        '--alarm',
        'demo-errors',
      ],
      { onSpawn: (child) => (sent = signalOn(child, 'hook post: running', 'SIGINT')) },
    );
    console.log(`SIGINT in a post hook → exit took ${Date.now() - (sent?.sentAt() ?? 0)} ms`);
    expect(run.code, run.stderr).toBe(3);
    await expectOnStable(env);
  });

  it('a second signal while the rollback is stuck exits 4 with the alias state and the fix command', async () => {
    const env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const hold = await faulty.proxy();
    let secondAt = 0;
    // In GitHub Actions: the run's page says it too (ci-failure-report.ts), not only the log.
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-second-signal-')), 'summary.md');
    const run = await env.cli(['deploy', 'demo', '--strategy', MID_SHIFT, '--alarm', 'demo-errors'], {
      env: { LSHIFT_SANDBOX: hold.url, GITHUB_STEP_SUMMARY: summary },
      onSpawn: (child) => {
        // `step 1/2` is printed before the weight write; a health poll at 10% comes after it
        // landed (on a loaded machine the hold could otherwise catch the weight write itself).
        void stderrShows(child, 'health at 10%').then(async () => {
          // Every AWS call from now on hangs: the rollback cannot finish.
          hold.arm({
            fault: 'hold',
            times: Number.POSITIVE_INFINITY,
            match: { where: (req) => !req.path.startsWith('/__lshift/') },
          });
          const noticed = stderrShows(child, 'SIGTERM received');
          child.kill('SIGTERM');
          await Promise.all([hold.waitForHeld(), noticed]);
          // Past the window in which a repeat counts as the same Ctrl-C (npx forwards it twice),
          // counted from when lshift said it took the first one, not from when it was sent.
          await new Promise((resolve) => setTimeout(resolve, 1200));
          secondAt = Date.now();
          child.kill('SIGTERM');
        });
      },
    });
    console.log(`second SIGTERM → exit took ${Date.now() - secondAt} ms`);
    expect(run.code, run.stderr).toBe(4);
    expect(run.stderr).toContain('SIGTERM again: exiting now (exit 4)');
    // Said as the rollback found it once its rollback began, else as the shift last set it.
    expect(run.stderr).toMatch(
      /Alias demo:live as lshift last (set it|saw it, rolling it back to version 1)/,
    );
    expect(run.stderr).toContain('version 2 (10%)');
    expect(run.stderr).toContain('Fix: lshift rollback demo --alias live');
    expect(run.stderr).toContain(
      'aws lambda update-alias --function-name demo --name live --function-version 1',
    );
    // stdout (a separate pipe here) says the state and the fix too, as a normal exit 4 does.
    expect(run.stdout).toContain('✖ UNSAFE: SIGTERM again: lshift exited without finishing the rollback');
    expect(run.stdout).toContain('  Fix: lshift rollback demo --alias live');
    expect(run.stdout).toMatch(
      /^::error title=lshift unsafe::INTERRUPTED: SIGTERM again: lshift exited without finishing the rollback\..*version 2 \(10%25\)/m,
    );
    const page = readFileSync(summary, 'utf8');
    expect(page).toContain('## 🚨 lshift: needs a human, the alias may be split');
    expect(page).toContain('```sh\nlshift rollback demo --alias live\n```');
    expect(page).toContain('Exit code 4.');
  });
});
