import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A function ARN names its region; Lambda reaches a function only in the region it is called in.
 * lshift refuses one of another region before any call (exit 2), in every command that takes a
 * function, and a `lambda:` hook of another region the same way.
 */
describe('a function or hook ARN of another region than lshift’s (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ preset: 'healthy' });
  });
  afterAll(async () => {
    await env.stop();
  });

  const foreign = 'arn:aws:lambda:eu-west-1:123456789012:function:demo';
  // A release names each function once: `demo` and the ARN above would be one name twice.
  const foreignOther = 'arn:aws:lambda:eu-west-1:123456789012:function:other';
  const region = ['--region', 'us-east-1'];
  /**
   * Every run here is refused before any call, or only reads: it runs in this worker's process
   * (run-cli-in-process.ts; the file is in IN_PROCESS_E2E, vitest.config.ts), not in a started CLI
   * each (~0.4 CPU-s a start, 19 of them). The refusals named in `TWINNED` are checked against the
   * built CLI started for the same argv on the same sandbox (refused before any call): their own
   * runs, once here.
   */
  const sandboxEnv = () => ({ LSHIFT_SANDBOX: env.handle.url });
  const cli = (args: string[]) => runCliInProcess(args, { env: sandboxEnv() });

  const TWINNED = new Set(['deploy', 'check, repeating a name']);

  async function expectRefusal(args: string[], named: string, twin = false): Promise<void> {
    env.handle.state.operationCounts.clear();
    const argv = [...args, ...region, '--json'];
    const run = await cli(argv);
    expect(run.code, run.stdout).toBe(2);
    const error = JSON.parse(run.stdout);
    expect(error).toMatchObject({ code: 'FUNCTION_REGION_MISMATCH', exitCode: 2 });
    expect(error.message).toContain(named);
    expect(error.message).toContain('eu-west-1');
    expect(error.message).toContain('us-east-1 (--region');
    expect(error.hint).toContain('--region eu-west-1');
    // Refused before any call: the sandbox answered none.
    expect([...env.handle.state.operationCounts.keys()]).toEqual([]);
    if (twin) await expectBuiltCliRunsAlike(run, argv, { env: sandboxEnv() });
  }

  it.each([
    ['deploy', ['deploy', foreign, '--strategy', 'all-at-once']],
    ['deploy --dry-run', ['deploy', foreign, '--strategy', 'all-at-once', '--dry-run']],
    ['a release', ['deploy', 'demo', foreignOther, '--strategy', 'all-at-once']],
    ['a release --dry-run', ['deploy', 'demo', foreignOther, '--strategy', 'all-at-once', '--dry-run']],
    ['publish', ['publish', foreign]],
    ['alias', ['alias', foreign, 'live', '1']],
    ['status', ['status', foreign]],
    ['history', ['history', foreign]],
    ['rollback', ['rollback', foreign]],
    ['check', ['check', foreign, '--alarm', 'demo-errors']],
    // The same name first in this region: the ARN was dropped as a repeat before the region check.
    ['status, repeating a name', ['status', 'demo', foreign]],
    ['check, repeating a name', ['check', 'demo', foreign, '--alarm', 'demo-errors']],
    ['pause', ['pause', foreign]],
    ['promote', ['promote', foreign]],
    ['abort', ['abort', foreign]],
    ['resume', ['resume', foreign]],
    ['codedeploy init', ['codedeploy', 'init', foreign]],
  ])('%s', async (name, args) => {
    const named = `Function ${args.includes(foreignOther) ? foreignOther : foreign}`;
    await expectRefusal(args, named, TWINNED.has(name));
  });

  it('a lambda: hook of another region, named with its phase', async () => {
    const hook = 'lambda:arn:aws:lambda:eu-west-1:123456789012:function:smoke:live';
    await expectRefusal(
      ['deploy', 'demo', '--strategy', 'all-at-once', '--post-hook', hook],
      `Hook ${hook} (--post-hook)`,
    );
  });

  it('a function and hooks of lshift’s own region pass the check', async () => {
    const own = 'arn:aws:lambda:us-east-1:123456789012:function:demo';
    const run = await cli(['status', own, ...region, '--json']);
    expect(run.code, run.stdout).toBe(0);
  });
});
