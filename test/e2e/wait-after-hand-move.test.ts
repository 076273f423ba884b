import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { waitUntil } from '../helpers/wait-until.js';
import { sandboxCodeDeploy, startDetachedCanary } from './codedeploy-detached.js';
import { moveAliasByHand } from './sandbox-control.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A person puts all traffic back on version 1 while a `--detach`ed CodeDeploy deployment runs, and
 * `lshift wait` starts after that (found by a hostile pass, session 63): the wait started from
 * nothing, took the 0% for CodeDeploy's, and CodeDeploy's next step then undid the person's move
 * unsaid. It now knows CodeDeploy's schedule began (AllowTraffic's start) and what the record saw.
 * Linear 10% every 120 minutes at speed 60: 120 real seconds per step. The twin below compares the
 * words of two waits, and a wait started more than a step after AllowTraffic began says "had given
 * it at least N%" (follow-schedule.ts) where one started sooner says "had given version 2 10%":
 * with 30-minute steps a loaded run's twin crossed that line (seen in session 69).
 */
const HEALTHY = { preset: 'healthy', speed: 60 } as const;

/** The detached CodeDeploy deployment started and at 10%, then all traffic put back on version 1 by hand: its id. */
async function movedBackByHand(sandbox: SandboxEnv): Promise<string> {
  const id = await startDetachedCanary(sandbox, 'linear:10%:120m');
  await waitUntil(
    async () => ((await sandbox.status()).additionalWeights['2'] ?? 0) > 0,
    'CodeDeploy at 10%',
  );
  await moveAliasByHand(sandbox, '1');
  return id;
}

const waitFor = (id: string) => ['wait', id, '--interval', '1s'];

describe('lshift wait started after a move by hand (built CLI against the sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('all traffic put back on version 1 before the wait: exit 5, CodeDeploy stopped without rollback, the move kept', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, ...HEALTHY });
    const sandbox = env;
    const id = await movedBackByHand(sandbox);

    const run = await sandbox.cli(waitFor(id), { timeoutMs: 240_000 });
    const out = run.stdout + run.stderr;
    // Before: exit 0 once CodeDeploy's own steps had undone the move (or exit 5 blaming its next step).
    expect(run.code, out).toBe(5);
    expect(out).toContain(
      `a read found it routing all traffic to version 1, while AWS CodeDeploy deployment ${id}`,
    );
    const codeDeploy = sandboxCodeDeploy(sandbox);
    const info = await codeDeploy.send(new GetDeploymentCommand({ deploymentId: id }));
    codeDeploy.destroy();
    expect(info.deploymentInfo?.status).toBe('Stopped');
    expect(await sandbox.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });

    // The wait above went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, says the same.
    const fresh = freshSandbox({ inProcess: runCliInProcess, ...HEALTHY }, async (made) =>
      waitFor(await movedBackByHand(made)),
    );
    await expectBuiltCliRunsAlike(run, waitFor(id), { fresh });
  });

  // h3's s69 brief, item 2: a person's split kept (CodeDeploy stopped without its rollback) exits 4,
  // and its --json said only `outcome: "moved_by_hand"`, which a move left on one version (exit 5)
  // says too: a CI job could not tell the split nobody drives from the move that stands.
  it('a split by hand before the wait: exit 4, --json says moved_by_hand with stalled: true (valid against result:wait)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const sandbox = env;
    const id = await startDetachedCanary(sandbox, 'linear:10%:30m');
    await waitUntil(
      async () => ((await sandbox.status()).additionalWeights['2'] ?? 0) > 0,
      'CodeDeploy at 10%',
    );
    await moveAliasByHand(sandbox, '1', { '2': 0.37 });

    const run = await sandbox.cli(['wait', id, '--interval', '1s', '--json'], { timeoutMs: 240_000 });
    expect(run.code, run.stdout + run.stderr).toBe(4);
    const json = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ outcome: 'moved_by_hand', stalled: true, status: 'Stopped' });
    expectValidResultOf('wait', json);
    expect(await sandbox.status()).toMatchObject({ functionVersion: '1', additionalWeights: { '2': 0.37 } });
  });
});
