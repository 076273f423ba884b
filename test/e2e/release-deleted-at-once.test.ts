import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { runCli } from '../helpers/run-cli.js';
import { FNS, truth, until } from './release-fleet.js';

/**
 * A function of a release deleted during the first step's hold (30 simulated minutes), by the
 * test as soon as the sandbox shows every alias split: its record's read or heartbeat (once a
 * simulated minute) finds it gone, and the release decides there — the others roll back at step 1,
 * not at step 2's weight write 30 minutes later, and the release fails (exit 1) saying "deleted
 * during the release".
 */
describe('a function of a release deleted mid-hold (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('exit 1 at step 1: the others back on their stable versions, beta deleted during the release', async () => {
    handle = await startSandbox({ speed: 120, seed: 7 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const split = () => truth(sandbox).every((t) => Object.keys(t.weights).length > 0);
    const deleted = until(split, 'every alias split').then(async () => {
      const res = await fetch(`${sandbox.url}/2015-03-31/functions/beta`, { method: 'DELETE' });
      expect(res.status).toBe(204);
    });
    const run = await runCli(
      [
        'deploy',
        ...FNS,
        '--strategy',
        'linear:50%:30m',
        '--alarm',
        '{function}-errors',
        '--no-analysis',
        '--json',
      ],
      { env: { LSHIFT_SANDBOX: sandbox.url, CI: '1' } },
    );
    await deleted;

    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    const words = 'function beta was deleted during the release';
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(
      new RegExp(
        `^function beta failed: ${words}: at step 1 \\(50%\\) a (read|write) of its deployment record found no function`,
      ),
    );
    expect(result.reason).toContain('; alpha and gamma are back on their stable versions');
    const beta = result.functions.find((f: { functionName: string }) => f.functionName === 'beta');
    expect(beta.cause).toMatchObject({
      code: 'ROLLBACK_TARGET_DELETED',
      data: { what: 'function', missingBefore: true, after: { code: 'FUNCTION_DELETED' } },
    });
    expect(own(sandbox.state.data.functions, 'beta')).toBeUndefined();
    for (const fn of ['alpha', 'gamma']) {
      const alias = own(own(sandbox.state.data.functions, fn)!.aliases, 'live')!;
      expect({ fn, version: alias.functionVersion, weights: alias.weights }).toEqual({
        fn,
        version: '1',
        weights: {},
      });
    }
    // No second step was started: the release did not wait for its weight write to meet it.
    expect(run.stderr).not.toMatch(/step 2\/2/);
    expect(run.stderr + run.stdout).not.toMatch(/during the deployment|during the rollback/);
  });
});
