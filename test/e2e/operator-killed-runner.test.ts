import { afterEach, describe, expect, it } from 'vitest';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * F8 (found by a hostile pass): `lshift pause` to a deploy killed -9 on this same machine, before
 * its heartbeat is stale (the first 120 s), said only the generic "did not answer", while `lshift
 * status` and `check` already knew its process no longer runs here. Then (session 62) it still
 * waited the whole --wait to say so: now refused at once, nothing sent (DEPLOYMENT_STALE; exit 4 since
 * session 71, the alias split and nobody driving it, as `lshift status` says STALLED, exit 4).
 * Slow sandbox (2×): the pause must read the heartbeat while it is still fresh.
 */
describe('pause a deploy killed -9 on this machine, its heartbeat still fresh (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  // Not a CI job: its owner is user@host:pid, as on a laptop or a cron host.
  const here = { GITHUB_ACTIONS: '', GITLAB_CI: '' };

  it('refused at once: its process no longer runs on this machine; names resume and rollback; exit 4 over the split', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 2 });
    const sandbox = env;
    const { gate } = sandbox.handle.state;
    gate.holdAfter((op) => op === 'TagResource' && readTruth(sandbox).record?.phase === 'shifting');
    let pid: number | undefined;
    const deploy = await sandbox.cli(
      ['deploy', 'demo', '--strategy', 'linear:25%:10m', '--alarm', 'demo-errors', '--no-analysis'],
      {
        env: here,
        onSpawn: (child) => {
          pid = child.pid;
          void gate.whenHolding().then(() => child.kill('SIGKILL'));
        },
      },
    );
    gate.release({ drop: true });
    expect(deploy.signal, deploy.stderr).toBe('SIGKILL');

    const before = readTruth(sandbox).record;
    const pause = await sandbox.cli(['pause', 'demo', '--wait', '10s'], { env: here });
    expect(pause.code, pause.stderr).toBe(4);
    expect(pause.stderr).toContain(
      `has no runner: its process ${pid} no longer runs on this machine, so nobody would read the command; nothing was sent.`,
    );
    expect(pause.stderr).toContain(
      'demo:live routes version 1 (75%) + version 2 (25%): nobody drives that split',
    );
    expect(pause.stderr).toContain('--resume');
    expect(pause.stderr).toContain('`lshift rollback demo --alias live`');
    expect(readTruth(sandbox).record).toEqual(before);
  });
});
