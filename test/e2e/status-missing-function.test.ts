import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift status demo gone` where `gone` does not exist (deleted): it exited 1 with only
 * FUNCTION_NOT_FOUND and showed nothing of `demo`. It shows `demo`, reports `gone` as missing
 * beside it, and exits 1: part of what was asked could not be read (docs/exit-codes.md).
 */
describe('lshift status of several functions, one of them missing (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('shows the function that exists and reports the missing one, exit 1', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const run = await env.cli(['status', 'demo', 'gone']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('demo:live');
    expect(run.stdout).toMatch(/✖ gone:live MISSING \[FUNCTION_NOT_FOUND\]: Function gone does not exist/);
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, against the same sandbox (a read), says the same.
    await expectBuiltCliRunsAlike(run, ['status', 'demo', 'gone'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
  });

  it('--json: the readable functions under `functions`, the missing one under `unreadable`', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const run = await env.cli(['status', 'demo', 'gone', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const out = JSON.parse(run.stdout) as {
      functions: { functionName: string }[];
      unreadable: { functionName: string; alias: string; missing: boolean; code: string }[];
    };
    expect(out.functions.map((f) => f.functionName)).toEqual(['demo']);
    expect(out.unreadable).toEqual([
      expect.objectContaining({
        functionName: 'gone',
        alias: 'live',
        missing: true,
        code: 'FUNCTION_NOT_FOUND',
      }),
    ]);
  });

  it('still fails with the error itself when no function can be read', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const run = await env.cli(['status', 'gone', 'gone2', '--json']);
    expect(run.code, run.stderr).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'error', code: 'FUNCTION_NOT_FOUND' });
  });
});
