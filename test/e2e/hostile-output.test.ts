import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * The built CLI against a sandbox, with an alarm name that carries a screen clear, a carriage
 * return, a line separator, a right-to-left override and a newline: what the sandbox answers about
 * it (no such alarm) is printed by status, by deploy's preflight line and error, and under --json,
 * and none of it raw (test/cli/hostile-output.test.ts covers each renderer on its own).
 */
describe('an alarm name with control characters (built CLI against a sandbox)', () => {
  const ALARM = 'demo-errors\u001b[2J\r\u2028\u202e\n::error::forged';
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
  });
  afterAll(async () => env.stop());

  function expectNothingRaw(text: string): void {
    for (const char of ['\u001b', '\r', '\u2028', '\u202e'])
      expect(text, JSON.stringify(text)).not.toContain(char);
    expect(text).not.toMatch(/^::error::forged/m);
  }

  it('lshift status: refused as deploy refuses it (ALARM_NAME_INVALID), the error one printable line', async () => {
    const run = await env.cli(['status', 'demo', '--alarm', ALARM]);
    expect(run.code, run.stderr).toBe(2);
    expectNothingRaw(run.stdout + run.stderr);
    expect(run.stderr).toContain('Error [ALARM_NAME_INVALID]: Alarm name `demo-errors\uFFFD[2J');
  });

  it('lshift deploy: the failed preflight and the error, in CI lines and under --json', async () => {
    const plain = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', ALARM]);
    expect(plain.code, plain.stderr).not.toBe(0);
    expectNothingRaw(plain.stdout + plain.stderr);
    expect(plain.stderr).toContain('demo-errors\uFFFD[2J');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(plain, ['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', ALARM], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
    const json = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', ALARM, '--json']);
    expectNothingRaw(json.stdout + json.stderr);
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('demo-errors');
  });
});
