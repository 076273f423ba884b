import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { expectSameRunAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

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
    expect((await env.cli(['status', 'demo'])).stdout).toContain('MOVED SINCE');
    const json = JSON.parse((await env.cli(['alias', 'demo', 'live', '2', '--json'])).stdout);
    expect(json.movedPastDeployment).toBeUndefined();
    const again = JSON.parse((await env.cli(['alias', 'demo', 'live', '1', '--json'])).stdout);
    expect(again.movedPastDeployment).toMatchObject({ phase: 'promoted', leftOnVersion: '2' });
    expectValidResultOf('alias', again);
  });
});

/**
 * The runs above go through this worker's process (run-cli-in-process.ts; the file is in
 * IN_PROCESS_E2E, vitest.config.ts), each run's owner a process of its own. A sample, each twin
 * on a fresh sandbox, prints and exits as the built CLI started for it.
 */
describe('the runs in this process, against the built CLI', () => {
  it('a sample prints and exits as the built CLI started for it', async () => {
    const fresh = freshSandbox({ preset: 'healthy' });
    await expectSameRunAsBuiltCli([
      { args: ['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], fresh },
    ]);
  });
});
