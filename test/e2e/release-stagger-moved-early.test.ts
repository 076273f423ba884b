import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS } from '../helpers/run-cli.js';
import { FNS, truth } from './release-fleet.js';

/**
 * gamma's alias moved by hand (as `aws lambda update-alias` would) while alpha, the first function
 * of a `--stagger` release, walks (built CLI against a sandbox): the release reads every function
 * still waiting before beta's turn and stops there for gamma — alpha goes back from 100%, beta is
 * never written — instead of walking alpha and beta to 100% and meeting gamma's 412 at its own
 * first write. The move is made while the sandbox holds the release's alias requests (an event,
 * not a time): right after alpha's first write.
 */
describe('a --stagger release whose waiting function is moved by hand (built CLI, sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it("stops before beta's turn: gamma taken over, beta unchanged, alpha rolled back, exit 5", async () => {
    handle = await startSandbox({ speed: 10, seed: 7 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const alphaWalks = () => truth(sandbox)[0]!.weights['2'] === 0.5;
    sandbox.state.gate.holdAfter((op) => op === 'UpdateAlias' && alphaWalks(), {
      only: ['GetAlias', 'UpdateAlias'],
    });
    const args = [
      'deploy',
      ...FNS,
      '--stagger',
      '--strategy',
      'linear:50%:1m',
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
      // As `aws lambda update-alias --function-name gamma --name live --function-version 2
      // --routing-config '{}'` writes it: all traffic on 2, a new RevisionId.
      const alias = own(own(sandbox.state.data.functions, 'gamma')!.aliases, 'live')!;
      alias.functionVersion = '2';
      alias.weights = {};
      alias.revisionId = sandbox.state.nextId();
      sandbox.state.gate.release({});

      expect(await exited, stderr).toBe(5);
    } finally {
      if (runner.exitCode === null) runner.kill('SIGKILL');
    }
    const result = JSON.parse(stdout);
    expect(result.status).toBe('conflict');
    expect(result.reason).toMatch(/^function gamma was taken over before the release's verdict: /);
    expect(result.reason).toContain(
      "(a read before beta's turn (its first weight write, step 1 (50%)) found it routing all traffic to version 2, not all traffic to version 1 as lshift last read it)",
    );
    expect(result.reason).toContain('To go on: `lshift status gamma` shows where its alias is now');
    expect(result.failed).toEqual({ functionName: 'gamma', alias: 'live' });
    expect(result.takenOver).toEqual([{ functionName: 'gamma', alias: 'live' }]);
    const byName = (name: string) =>
      result.functions.find((f: { functionName: string }) => f.functionName === name);
    expect(byName('gamma')).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
    expect(byName('alpha')).toMatchObject({ status: 'rolled_back', trafficMoved: true });
    // beta's turn never came: nothing written to it.
    expect(byName('beta')).toMatchObject({ status: 'rolled_back', trafficMoved: false, steps: [] });
    const [alpha, beta, gamma] = truth(sandbox);
    expect([alpha!.version, alpha!.weights]).toEqual(['1', {}]);
    expect([beta!.version, beta!.weights]).toEqual(['1', {}]);
    expect([gamma!.version, gamma!.weights]).toEqual(['2', {}]);
  });
});
