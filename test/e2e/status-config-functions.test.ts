import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { runCli } from '../helpers/run-cli.js';
import { FNS } from './release-fleet.js';

/**
 * `lshift status` with no function named reads the config file's `functions:`, as `check` and
 * `rollback --release` do. It failed with oclif's "Missing 1 required arg" instead.
 */
describe('lshift status with no function named (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  async function inDirWith(config: string | undefined): Promise<string> {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const dir = mkdtempSync(join(tmpdir(), 'h-status3-config-'));
    if (config !== undefined) writeFileSync(join(dir, 'lshift.config.yaml'), config);
    return dir;
  }
  const cli = (args: string[], cwd: string) => runCli(args, { cwd, env: { LSHIFT_SANDBOX: handle!.url } });

  it('the config file’s functions: the release view of each, exit 0', async () => {
    const dir = await inDirWith(`functions: [${FNS.join(', ')}]\n`);
    const run = await cli(['status', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    const statuses = JSON.parse(run.stdout).functions as { functionName: string }[];
    expect(statuses.map((s) => s.functionName)).toEqual(FNS);
    const text = await cli(['status'], dir);
    expect(text.code, text.stderr).toBe(0);
    for (const fn of FNS) expect(text.stdout).toContain(`${fn}:live`);
  });

  it('one function listed: that function’s view; names on the command line still win', async () => {
    const dir = await inDirWith('functions:\n  - name: beta\n');
    const run = await cli(['status', '--json'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ functionName: 'beta', alias: 'live' });
    const named = await cli(['status', 'gamma', '--json'], dir);
    expect(JSON.parse(named.stdout)).toMatchObject({ functionName: 'gamma' });
  });

  it('no function named and none listed: a usage error that says how to name one, exit 2', async () => {
    const dir = await inDirWith(undefined);
    const run = await cli(['status'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Missing the function to show');
    expect(run.stderr).toContain('`functions:`');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
