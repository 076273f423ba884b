import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The function is deleted in the middle of a deployment (here by a step hook, at 50%, which then
 * fails so the deploy rolls back): the rollback's write meets a function that no longer exists.
 * It used to retry 4 times and report `unsafe` (exit 4) with an alias split and fix commands for
 * a function that was gone. Now: `failed`, exit 1, the deletion said plainly, no fix.
 */
describe('a function deleted during its deployment (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('ends failed (exit 1): deleted during the rollback, nothing to roll back, no fix command', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    const deleteDemo =
      "cmd:node -e \"fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/demo', { method: 'DELETE' }).then((r) => process.exit(r.status === 204 ? 1 : 2))\"";
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--step-hook',
      deleteDemo,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'failed',
      cause: { code: 'ROLLBACK_TARGET_DELETED', data: { what: 'function' } },
    });
    // The hook deleted it before the rollback began: "during the deployment" when a heartbeat
    // written while the hook ran found it gone first, "during the rollback" when none was due
    // (how long the hook's node start-up takes in simulated time is this machine's speed).
    expect(result.reason).toMatch(
      /function demo was deleted during the (deployment|rollback): there is no traffic left/,
    );
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(run.stdout).not.toMatch(/update-alias|lshift rollback/);
    expect(env.handle.state.data.functions.demo).toBeUndefined();
  });

  it('a forward weight write that meets the deletion: said as deleted during the deployment, exit 1', async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
    // The hook deletes the function and passes: the next weight write (68%) finds no function.
    const deleteDemo =
      "cmd:node -e \"fetch(process.env.AWS_ENDPOINT_URL + '/2015-03-31/functions/demo', { method: 'DELETE' }).then((r) => process.exit(r.status === 204 ? 0 : 2))\"";
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:34%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--step-hook',
      deleteDemo,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({
      status: 'failed',
      cause: {
        code: 'ROLLBACK_TARGET_DELETED',
        data: {
          what: 'function',
          after: { code: 'WEIGHT_WRITE_FAILED', data: { error: 'FUNCTION_NOT_FOUND' } },
        },
      },
    });
    expect(result.reason).toBe(
      'function demo was deleted during the deployment: at step 2 (68%) its weight write found no function, and a read confirmed it is gone. There is no traffic left to move and nothing to roll back',
    );
    expect(result.fixCommand).toBeUndefined();
    expect(result.rollbackCommand).toBeUndefined();
    expect(run.stdout).not.toMatch(/update-alias|lshift rollback|ResourceNotFound/);
  });
});
