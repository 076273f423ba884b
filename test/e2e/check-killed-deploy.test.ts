import { afterEach, describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { readTruth, waitUntilStale } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A deploy killed -9 mid-shift on this machine, then `lshift status` and `lshift check` run here
 * (the same user@host, the deploy's pid gone). Once its heartbeat is stale both say its process
 * no longer runs here, and the check rolls it back without first watching the record for a writer
 * (docs/ci.md, "Stale").
 */
describe('kill -9 a deploy mid-shift, then status and check on the same machine (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  // Not a CI job: its owner is user@host:pid, as on a laptop or a cron host.
  const here = { GITHUB_ACTIONS: '', GITLAB_CI: '' };

  it('both name the dead pid; the check rolls back (exit 3)', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const sandbox = env;
    const { gate } = sandbox.handle.state;
    // Killed right after its first weight write was recorded: 25% on version 2.
    gate.holdAfter((op) => op === 'TagResource' && readTruth(sandbox).record?.phase === 'shifting');
    let pid: number | undefined;
    const deploy = await sandbox.cli(
      ['deploy', 'demo', '--strategy', 'linear:25%:1m', '--alarm', 'demo-errors', '--no-analysis'],
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
    expect(readTruth(sandbox).record).toMatchObject({
      phase: 'shifting',
      owner: expect.stringMatching(`:${pid}(/[0-9a-f]{8})?$`),
    });

    // Version 2 goes bad; the alarm fires while nobody drives the shift.
    sandbox.handle.state.addFaults([{ type: 'version', function: 'demo', version: '2', errorRate: 0.5 }]);
    await waitUntilStale(sandbox);
    const at = sandbox.handle.state.simNow() + 4 * 60_000;
    while (sandbox.handle.state.simNow() < at) await new Promise((r) => setTimeout(r, 20));

    const status = await sandbox.cli(['status', 'demo'], { env: here });
    // `is gone` when its owner carries this machine's token (status-stalled.ts isRunnerKnownGone).
    expect(status.stdout).toMatch(
      new RegExp(
        `STALLED: its runner (is gone|seems to have died) \\(its process ${pid} no longer runs on this machine\\)`,
      ),
    );
    // --json says STALLED too, not only stale (which a record the next check closes also is).
    const json = await sandbox.cli(['status', 'demo', '--json'], { env: here });
    expect(JSON.parse(json.stdout).record).toMatchObject({ stale: true, stalled: true, deadPid: pid });
    const check = await sandbox.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h'], {
      env: here,
    });
    expect(check.code, check.stdout + check.stderr).toBe(3);
    expect(check.stdout).toMatch(
      new RegExp(
        `ROLLED_BACK\\s+demo:live .*no live owner: its process ${pid} no longer runs on this machine\\)`,
      ),
    );
    expect(readTruth(sandbox)).toMatchObject({ functionVersion: '1', weights: {} });
  });

  // Its own rollback's alias write landed at 75%, then kill -9 before its record's: the check
  // said "the new version carried no traffic" (found by a hostile pass).
  it('a runner killed right after its own rollback write: the check says traffic was already back, and what the record held', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const sandbox = env;
    const { gate } = sandbox.handle.state;
    // Held right after 75% (step 3) is recorded: the runner is told to stop there, and only then
    // let go, to be killed right after its rollback's alias write.
    gate.holdAfter((op) => {
      const record = readTruth(sandbox).record;
      return op === 'TagResource' && record?.phase === 'shifting' && record.stepIndex === 2;
    });
    const deploy = await sandbox.cli(
      ['deploy', 'demo', '--strategy', 'linear:25%:1m', '--alarm', 'demo-errors', '--no-analysis'],
      {
        env: here,
        onSpawn: (child) => {
          const stopping = stderrShows(child, 'SIGTERM received');
          void gate.whenHolding().then(async () => {
            child.kill('SIGTERM');
            await stopping;
            gate.release();
            gate.holdAfter(
              (op) => op === 'UpdateAlias' && readTruth(sandbox).record?.phase === 'rolling-back',
            );
            await gate.whenHolding();
            child.kill('SIGKILL');
          });
        },
      },
    );
    gate.release({ drop: true });
    expect(deploy.signal, deploy.stderr).toBe('SIGKILL');
    expect(readTruth(sandbox)).toMatchObject({
      functionVersion: '1',
      weights: {},
      record: { phase: 'rolling-back', percent: 75 },
    });

    const check = await sandbox.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h'], {
      env: here,
    });
    expect(check.code, check.stdout + check.stderr).toBe(3);
    expect(check.stderr).toContain(
      'ROLLBACK to version 1 (all traffic was already on it; version 2 had 75% when its record was last written): finishing the rollback',
    );
    expect(check.stdout + check.stderr).not.toContain('carried no traffic');
    expect(readTruth(sandbox).record).toMatchObject({ phase: 'rolled-back' });
  });
});
