import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** Issue 14: an alias with provisioned concurrency shows the READY waits in the progress (built CLI). */
describe('deploy an alias with provisioned concurrency (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('waits for READY after each weight write and reports it', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const put = await fetch(
      `${env.handle.url}/2019-09-30/functions/demo/provisioned-concurrency?Qualifier=live`,
      {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ProvisionedConcurrentExecutions: 10 }),
      },
    );
    expect(put.status).toBe(202);
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'alias live has provisioned concurrency (10), but version 2 has none ready of its own',
    );
    // One READY report per weight write (50%, 100%). Whether a "waiting" line comes first depends
    // on the sandbox still allocating when lshift reads (the first read right after a write does
    // unless the machine stalls for 2 simulated minutes), so it is not asserted here; the engine
    // test (test/engine/provisioned-concurrency.test.ts) pins the waiting itself.
    const ready = run.stderr.match(
      /provisioned concurrency of demo:live READY \(10 of 10 allocated\) after \d+ s/g,
    );
    expect(ready).toHaveLength(2);
  });
});
