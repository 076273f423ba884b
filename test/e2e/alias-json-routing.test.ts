import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { moveAliasByHand } from './sandbox-control.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Found by a hostile pass: `lshift alias demo live 2 --json` over a split alias said only
 * `"previousVersion":"1"`, while the text said `(was version 1 (90%) + version 2 (10%))`: the
 * routing the move cleared was missing from the JSON.
 */
describe('lshift alias --json: the routing the move cleared (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('over a split alias: previousRouting has the primary version and the weight it cleared', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const publish = await env.cli(['publish', 'demo']);
    expect(publish.code, publish.stderr).toBe(0);
    await moveAliasByHand(env, '1', { '2': 0.1 });
    const run = await env.cli(['alias', 'demo', 'live', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      previousVersion: '1',
      previousRouting: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
      changed: true,
    });
    expectValidResultOf('alias', result);
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, over a split made alike, says the same.
    const fresh = freshSandbox({ inProcess: runCliInProcess }, async (sandbox) => {
      expect((await sandbox.cli(['publish', 'demo'])).code).toBe(0);
      await moveAliasByHand(sandbox, '1', { '2': 0.1 });
      return undefined;
    });
    await expectBuiltCliRunsAlike(run, ['alias', 'demo', 'live', '2', '--json'], { fresh });
    const again = JSON.parse((await env.cli(['alias', 'demo', 'live', '2', '--json'])).stdout);
    expect(again).toMatchObject({
      changed: false,
      previousRouting: { functionVersion: '2', additionalWeights: {} },
    });
    expectValidResultOf('alias', again);
  });
});
