import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

describe('lshift history (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
  });
  afterAll(async () => env.stop());

  it('before and after a deploy: nothing recorded, then the promoted deployment', async () => {
    const before = await env.cli(['history', 'demo', '--json']);
    expect(before.code, before.stderr).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ aliasVersion: '1', earlierStableVersions: [] });
    expect(JSON.parse(before.stdout).latest).toBeUndefined();
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--json']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const after = await env.cli(['history', 'demo', '--json']);
    expect(after.code, after.stderr).toBe(0);
    const h = JSON.parse(after.stdout);
    expect(h.latest).toMatchObject({ outcome: 'promoted', fromVersion: '1', toVersion: '2' });
    expect(h.latest.deploymentId).toBe(JSON.parse(deploy.stdout).deploymentId);
    expect(h.latest.endedAt).toBeGreaterThanOrEqual(h.latest.startedAt);
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(after, ['history', 'demo', '--json'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });
  });

  it('an alias that does not exist: exit 2 with the alias named', async () => {
    const run = await env.cli(['history', 'demo', '--alias', 'nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ALIAS_NOT_FOUND');
  });
});
