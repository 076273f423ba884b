import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/run-cli.js';
import { FNS, runAndKillAfter, truth, waitUntilStale } from './release-fleet.js';

/**
 * kill -9 of an all-at-once release in alpha's wait for provisioned concurrency READY after every
 * function's write to 100%, then `deploy alpha beta gamma --resume`: no weight is written again,
 * so the wait that follows a weight write never comes; the resume must read alpha's allocation
 * itself (READY) before it declares the release promoted.
 */
describe('a release killed in a wait for READY after its writes to 100% (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('deploy --resume reads the allocation, READY, before it says promoted', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const put = await fetch(
      `${handle.url}/2019-09-30/functions/alpha/provisioned-concurrency?Qualifier=live`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ProvisionedConcurrentExecutions: 10 }),
      },
    );
    expect(put.status).toBe(202);
    const sandbox = handle;
    const allOnTarget = () =>
      truth(sandbox).every((t) => t.version === '2' && Object.keys(t.weights).length === 0);
    const killed = await runAndKillAfter(
      sandbox,
      ['deploy', ...FNS, '--strategy', 'all-at-once', '--alarm', '{function}-errors', '--no-analysis'],
      (operation) => operation === 'GetProvisionedConcurrencyConfig' && allOnTarget(),
    );
    expect(killed).toBe(true);
    expect(allOnTarget()).toBe(true);
    await waitUntilStale(sandbox);

    const run = await runCli(
      ['deploy', ...FNS, '--resume', '--alarm', '{function}-errors', '--no-analysis', '--json'],
      { env: { LSHIFT_SANDBOX: sandbox.url } },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted' });
    // Its own wait (the dead run's never ended): read, and READY, before it declared promoted.
    expect(run.stderr).toMatch(/provisioned concurrency of alpha:live READY \(10 of 10 allocated\)/);
    for (const t of truth(sandbox)) expect(t.record?.phase, t.fn).toBe('promoted');
  });
});
