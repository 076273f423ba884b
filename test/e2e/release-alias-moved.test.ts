import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS } from '../helpers/run-cli.js';
import { FNS, truth } from './release-fleet.js';

/**
 * beta's alias moved by hand (as `aws lambda update-alias` would) while a lockstep release holds
 * its first level (built CLI against a sandbox): the release reads every alias before its next
 * level's writes and stops for beta there — alpha and gamma are rolled back from 25%, never
 * written to 50% — and calls beta taken over, not failed (exit 5). The move is made while the
 * sandbox holds the release's alias requests (an event, not a time): right after the first
 * level's last write, before anything of the second level.
 */
describe('a release whose function is moved by hand mid-hold (built CLI, sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('stops before the next level moves alpha or gamma: beta taken over, exit 5', async () => {
    handle = await startSandbox({ speed: 10, seed: 7 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const atFirstLevel = () => truth(sandbox).every((t) => t.weights['2'] === 0.25);
    // Once the third 25% write is applied, the release's alias requests wait at the gate.
    sandbox.state.gate.holdAfter((op) => op === 'UpdateAlias' && atFirstLevel(), {
      only: ['GetAlias', 'UpdateAlias'],
    });
    const args = [
      'deploy',
      ...FNS,
      '--strategy',
      'linear:25%:1m',
      '--alarm',
      '{function}-errors',
      '--no-analysis',
    ];
    const runner = spawn(process.execPath, [RUN_JS, ...args, '--json'], {
      env: { ...process.env, CI: 'true', LSHIFT_SANDBOX: sandbox.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    runner.stdout?.on('data', (d) => (stdout += d));
    runner.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => runner.on('close', resolve));
    try {
      await sandbox.state.gate.whenHolding();
      // As `aws lambda update-alias --function-name beta --name live --function-version 1
      // --routing-config '{}'` writes it: all traffic back on 1, a new RevisionId.
      const alias = own(own(sandbox.state.data.functions, 'beta')!.aliases, 'live')!;
      alias.functionVersion = '1';
      alias.weights = {};
      alias.revisionId = sandbox.state.nextId();
      sandbox.state.gate.release({});

      expect(await exited, stderr).toBe(5);
    } finally {
      if (runner.exitCode === null) runner.kill('SIGKILL');
    }
    const result = JSON.parse(stdout);
    expect(result.status).toBe('conflict');
    expect(result.reason).toMatch(/^function beta was taken over before the release's verdict: /);
    expect(result.reason).toContain('it is now version 1 (100%)');
    expect(result.reason).not.toContain('function beta failed');
    // `failed` names the function the release stopped for; `takenOver` says it was taken over,
    // by no lshift run (its alias moved outside lshift: no heldBy).
    expect(result.failed).toEqual({ functionName: 'beta', alias: 'live' });
    expect(result.takenOver).toEqual([{ functionName: 'beta', alias: 'live' }]);
    const byName = (name: string) =>
      result.functions.find((f: { functionName: string }) => f.functionName === name);
    expect(byName('beta')).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
    for (const other of ['alpha', 'gamma']) {
      expect(byName(other).reason).toBe(
        "rolled back at step 1 (25%): the alias of function beta was moved by someone else before the release's verdict",
      );
      // Never written to 50%: its only step is the first.
      expect(byName(other).steps.map((s: { percent: number }) => s.percent)).toEqual([25]);
    }
    for (const t of truth(sandbox)) expect([t.fn, t.version, t.weights]).toEqual([t.fn, '1', {}]);
  });
});
