import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Seen in a hostile pass: `lshift alias` moved an alias past a finished deployment's record in
 * silence; only a later `lshift status` said MOVED SINCE. The move says it (built CLI, sandbox).
 */
describe('lshift alias past a finished deployment record', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('says the record is kept and that status shows it as MOVED SINCE; --json names it', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const deploy = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'all-at-once',
      '--no-analysis',
      '--settle',
      '0',
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    const moved = await env.cli(['alias', 'demo', 'live', '1']);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toContain('Alias demo:live → version 1 (was 2), routing cleared.');
    expect(moved.stdout).toMatch(
      /The record of deployment d-\w+ \(version 1 → 2, promoted\) still says it left all traffic on version 2; it is kept as it was, and `lshift status demo --alias live` now shows it as MOVED SINCE/,
    );
    const status = await env.cli(['status', 'demo']);
    expect(status.stdout).toContain('MOVED SINCE');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(status, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
    const json = JSON.parse((await env.cli(['alias', 'demo', 'live', '2', '--json'])).stdout);
    expect(json.movedPastDeployment).toBeUndefined();
    const again = JSON.parse((await env.cli(['alias', 'demo', 'live', '1', '--json'])).stdout);
    expect(again.movedPastDeployment).toMatchObject({ phase: 'promoted', leftOnVersion: '2' });
    expectValidResultOf('alias', again);
  });
});
