import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoImageRepo } from '../../src/sandbox/demo.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const REPO = demoImageRepo('demo');
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

/** Issue 14: container-image functions through the built CLI against a sandbox. */
describe('lshift deploy --image-uri against a sandbox (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function push(uri: string, digest: string, to = env!): Promise<void> {
    const res = await fetch(`${to.handle.url}/__lshift/images`, {
      method: 'POST',
      body: JSON.stringify({ uri, digest }),
    });
    expect(res.status).toBe(200);
  }

  it('deploys an image tag (exit 0) with the resolved digest in the result', async () => {
    env = await startSandboxEnv({
      inProcess: runCliInProcess,
      preset: 'healthy',
      demo: { packageType: 'Image' },
    });
    await push(`${REPO}:v2`, D2);
    const args = [
      'deploy',
      'demo',
      '--image-uri',
      `${REPO}:v2`,
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      // Equal versions: the judge could roll back ≤ 1% of these by chance (docs/analysis.md).
      '--no-analysis',
      '--json',
    ];
    const run = await env.cli(args);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ status: 'promoted', fromVersion: '1', toVersion: '2' });
    expect(result.image).toMatchObject({ imageUri: `${REPO}:v2`, resolvedImageUri: `${REPO}@${D2}` });
    expect(result.image.stableResolvedImageUri).toMatch(new RegExp(`^${REPO}@sha256:[0-9a-f]{64}$`));
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on an Image sandbox of its own with the
    // tag pushed, deploys it and says the same.
    const image = { preset: 'healthy' as const, demo: { packageType: 'Image' as const } };
    const fresh = freshSandbox(image, async (sandbox) => {
      await push(`${REPO}:v2`, D2, sandbox);
      return undefined;
    });
    await expectBuiltCliRunsAlike(run, args, { fresh });
  });

  it('rolls a bad image back (exit 3) with its digest in the result', async () => {
    env = await startSandboxEnv({
      inProcess: runCliInProcess,
      preset: 'bad',
      demo: { packageType: 'Image' },
    });
    await push(`${REPO}:v3`, D3);
    const run = await env.cli([
      'deploy',
      'demo',
      '--image-uri',
      `${REPO}:v3`,
      '--strategy',
      'canary:10%:5m',
      '--alarm',
      'demo-errors',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.image.resolvedImageUri).toBe(`${REPO}@${D3}`);
    expect((await env.status()).functionVersion).toBe('1');
  });

  it('refuses an image tag that resolves to the digest the alias runs (exit 2, nothing published)', async () => {
    env = await startSandboxEnv({
      inProcess: runCliInProcess,
      preset: 'healthy',
      demo: { packageType: 'Image' },
    });
    const stable = await fetch(`${env.handle.url}/2015-03-31/functions/demo?Qualifier=1`, {
      headers: {
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20300101/us-east-1/lambda/aws4_request',
      },
    });
    const digest = String((await stable.json()).Code.ResolvedImageUri).split('@')[1]!;
    await push(`${REPO}:retagged`, digest);
    const run = await env.cli([
      'deploy',
      'demo',
      '--image-uri',
      `${REPO}:retagged`,
      '--alarm',
      'demo-errors',
    ]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `resolves to ${digest}, which alias live of function demo already runs (version 1)`,
    );
    expect(run.stderr).toContain('Push the new image');
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
  });

  it('refuses zip code for an Image function (exit 2) before any write', async () => {
    env = await startSandboxEnv({
      inProcess: runCliInProcess,
      preset: 'healthy',
      demo: { packageType: 'Image' },
    });
    const zip = join(mkdtempSync(join(tmpdir(), 'lshift-image-')), 'code.zip');
    writeFileSync(zip, tinyZip());
    const run = await env.cli(['deploy', 'demo', '--zip', zip, '--alarm', 'demo-errors']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('is an Image function');
  });
});
