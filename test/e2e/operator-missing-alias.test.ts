import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliRun } from '../helpers/run-cli.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Found by a hostile pass: `pause|abort|promote|resume demo -a nope` said "No deployment is
 * running on alias nope"; `history demo -a nope` said the alias does not exist. Now all do.
 */
describe('operator verbs on an alias that does not exist (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ speed: 60 });
  });
  afterAll(async () => {
    await env?.stop();
  });
  /**
   * Every run here is refused or only reads the sandbox: it runs in this worker's process
   * (run-cli-in-process.ts; the file is in IN_PROCESS_E2E, vitest.config.ts), not in a started CLI
   * each (~0.4 CPU-s a start). One run of each form (`twinned`) is checked against the built CLI
   * started for the same argv on the same sandbox (it writes nothing): its own refusal, run once here.
   */
  const sandboxEnv = () => ({ LSHIFT_SANDBOX: env.handle.url });
  const cli = (args: string[]) => runCliInProcess(args, { env: sandboxEnv() });
  const twinned = async (run: CliRun, args: string[]) =>
    expectBuiltCliRunsAlike(run, args, { env: sandboxEnv() });

  it.each(['pause', 'abort', 'promote', 'resume'])(
    '%s demo -a nope: ALIAS_NOT_FOUND, exit 2',
    async (verb) => {
      const args = [verb, 'demo', '-a', 'nope', '--json'];
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: 'error',
        code: 'ALIAS_NOT_FOUND',
        message: 'Alias nope of function demo does not exist.',
        exitCode: 2,
      });
      if (verb === 'abort') await twinned(run, args);
    },
  );

  // The release form said RELEASE_NOT_FOUND ("demo:nope: no deployment record") for the same typo.
  it.each(['pause', 'abort', 'promote', 'resume'])(
    '%s --release r-abc123 demo -a nope: ALIAS_NOT_FOUND, exit 2',
    async (verb) => {
      const args = [verb, '--release', 'r-abc123', 'demo', '-a', 'nope', '--json'];
      const run = await cli(args);
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: 'error',
        code: 'ALIAS_NOT_FOUND',
        message: 'Alias nope of function demo does not exist; nothing was sent.',
        exitCode: 2,
      });
      if (verb === 'pause') await twinned(run, args);
    },
  );

  it('pause demo (the alias exists, nothing runs): still NO_RUNNING_DEPLOYMENT', async () => {
    const run = await cli(['pause', 'demo', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'NO_RUNNING_DEPLOYMENT' });
  });
});
