/**
 * A function whose `$LATEST` runs under another execution role than its stable version: a code
 * upload does not change the role, so the deploy is refused before it (ROLE_MISMATCH, exit 2,
 * nothing uploaded or published), the dry run refuses the same way, and a release with that
 * function uploads or publishes nothing for any function and says no shift of the others.
 * Before: the dry run passed, and the deploy replaced `$LATEST`'s code and published a version
 * before refusing with exit 2 ("nothing changed"). A release of published versions refused for
 * one function printed `demo: shift: d-… demo:live 1 → 2` for the other, which it never touched.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCENARIOS, seedDemo } from '../../src/sandbox/index.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const WRITES = ['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias', 'TagResource', 'UntagResource'];

async function operations(env: SandboxEnv): Promise<Record<string, number>> {
  const response = await fetch(`${env.handle.url}/__lshift/operations`);
  return (await response.json()) as Record<string, number>;
}

async function writesSince(env: SandboxEnv, before: Record<string, number>): Promise<string[]> {
  const now = await operations(env);
  return WRITES.filter((op) => now[op] !== before[op]);
}

async function setLatestRole(env: SandboxEnv, functionName: string, role: string): Promise<void> {
  const client = new LambdaClient({
    endpoint: env.handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  try {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: functionName, Role: role }));
  } finally {
    client.destroy();
  }
}

describe("$LATEST's role differs from the stable version's (built CLI, sandbox)", () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('deploy --zip, its dry run and a release are refused before any upload or publish', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await seedDemo(env.handle, { functionName: 'other', ...DEMO_SCENARIOS.healthy });
    await setLatestRole(env, 'other', 'arn:aws:iam::123456789012:role/other-role');
    const zip = join(mkdtempSync(join(tmpdir(), 'lshift-role-')), 'ok.zip');
    writeFileSync(zip, tinyZip());
    const deploy = ['deploy', 'other', '--zip', zip, '--strategy', 'all-at-once'];
    const before = await operations(env);

    const dry = await env.cli([...deploy, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(2);
    expect(dry.stderr).toContain('Error [ROLE_MISMATCH]: Function other: stable version 1 and $LATEST');

    const real = await env.cli(deploy);
    expect(real.code, real.stderr).toBe(2);
    expect(real.stderr).toContain('Error [ROLE_MISMATCH]');
    expect(real.stderr).toContain('nothing was uploaded or published');
    expect(real.stderr).not.toContain('publish:');

    const release = await env.cli(['deploy', 'demo', 'other', '--strategy', 'all-at-once']);
    expect(release.code, release.stderr).toBe(2);
    expect(release.stderr).toContain('other: preflight: FAILED same-role');
    expect(release.stderr).not.toMatch(/shift: d-/);
    expect(release.stderr).not.toContain('publish:');
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, against the same sandbox, refuses the
    // release alike, and writes nothing either (writesSince below counts its calls too).
    await expectBuiltCliRunsAlike(release, ['deploy', 'demo', 'other', '--strategy', 'all-at-once'], {
      env: { LSHIFT_SANDBOX: env.handle.url },
    });

    expect(await writesSince(env, before)).toEqual([]);
    expect(await env.status()).toEqual({ functionVersion: '1', additionalWeights: {} });
  });

  it('a release of published versions, one refused: no line says the other started a shift', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await seedDemo(env.handle, { functionName: 'other', ...DEMO_SCENARIOS.healthy });
    await setLatestRole(env, 'other', 'arn:aws:iam::123456789012:role/other-role');
    for (const fn of ['demo', 'other']) {
      const published = await env.cli(['publish', fn, '--json']);
      expect(published.code, published.stderr).toBe(0);
      expect(JSON.parse(published.stdout).version).toBe('2');
    }
    const before = await operations(env);
    const release = await env.cli(['deploy', 'demo', 'other', '--version', '2', '--strategy', 'all-at-once']);
    expect(release.code, release.stderr).toBe(2);
    expect(release.stderr).toContain('other: preflight: FAILED same-role');
    expect(release.stderr).toContain('demo: preflight: passed');
    expect(release.stderr).not.toMatch(/shift: d-/);
    expect(await writesSince(env, before)).toEqual([]);
  });
});
