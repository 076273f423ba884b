/**
 * Issue 14, container images: a deploy by --image-uri shows and records the digest Lambda
 * resolved, refuses an image the alias already runs ("nothing changed") before anything that
 * matters is written, and preflight shows what the new version runs differently.
 */
import { describe, expect, it } from 'vitest';
import { runDeploy } from '../../src/engine/deploy.js';
import { type PendingDeploy, publishAfterChecks } from '../../src/engine/preflight-publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeHooks } from '../helpers/fake-hooks.js';
import { type FakeConfig, FakeLambda } from '../helpers/fake-lambda.js';
import { FakeMetrics } from '../helpers/fake-metrics.js';
import { FakeStore } from '../helpers/fake-store.js';
import { RecordingSink } from '../helpers/recording-sink.js';
import { ALARM, ALIAS, FN, request } from './world.js';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo';
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

function imageWorld(stable: FakeConfig = {}, target?: FakeConfig) {
  const clock = new FakeClock({ auto: true });
  const lambda = new FakeLambda(clock).pushImage(`${REPO}:v1`, D1).pushImage(`${REPO}:v2`, D2);
  lambda.addFunction(FN, { imageUri: `${REPO}:v1` });
  lambda.addVersion(FN, stable);
  if (target) lambda.addVersion(FN, target);
  lambda.addAlias(FN, ALIAS, '1');
  const metrics = new FakeMetrics(clock).setAlarm(ALARM, 'OK');
  const sink = new RecordingSink();
  const store = new FakeStore({ roundTrip: true });
  const deps = { lambda, metrics, clock, events: sink, hooks: new FakeHooks(), store };
  return { lambda, sink, deps };
}

function pending(): PendingDeploy {
  const { targetVersion: _, ...rest } = request();
  return rest;
}

const image = (uri: string): CodeSource => ({ kind: 'image', imageUri: uri });

describe('deploy --image-uri', () => {
  it('publishes the tag, shows the digest it resolved to and puts both digests in the result', async () => {
    const w = imageWorld();
    const version = await publishAfterChecks(w.deps, pending(), image(`${REPO}:v2`));
    expect(version).toBe('2');
    const result = await runDeploy(w.deps, { ...request(), targetVersion: version });
    expect(result.status).toBe('promoted');
    expect(result.image).toEqual({
      imageUri: `${REPO}:v2`,
      resolvedImageUri: `${REPO}@${D2}`,
      stableResolvedImageUri: `${REPO}@${D1}`,
    });
    const checks = w.sink.ofType('preflight.check').map((c) => `${c.check}: ${c.message}`);
    expect(checks).toContain(`image-resolved: ${REPO}:v2 resolved to ${REPO}@${D2}`);
    expect(checks).toContain(`image-digest: version 2 runs ${REPO}@${D2}; version 1 runs ${REPO}@${D1}`);
  });

  it('refuses a digest the alias already runs before any write (IMAGE_UNCHANGED, exit 2)', async () => {
    const w = imageWorld();
    await expect(publishAfterChecks(w.deps, pending(), image(`${REPO}@${D1}`))).rejects.toMatchObject({
      code: 'IMAGE_UNCHANGED',
      exitCode: 2,
      message: expect.stringContaining(
        `resolves to ${D1}, which alias live of function demo already runs (version 1)`,
      ),
    });
    expect(w.lambda.callsOf('updateCode')).toHaveLength(0);
    expect(w.lambda.callsOf('publishVersion')).toHaveLength(0);
    expect(w.deps.store.writes).toHaveLength(0);
  });

  it('refuses a tag that resolves to the digest the alias runs: uploaded, never published', async () => {
    const w = imageWorld();
    w.lambda.pushImage(`${REPO}:latest`, D1);
    await expect(publishAfterChecks(w.deps, pending(), image(`${REPO}:latest`))).rejects.toMatchObject({
      code: 'IMAGE_UNCHANGED',
      exitCode: 2,
      message: expect.stringContaining('nothing was published'),
    });
    expect(w.lambda.callsOf('updateCode')).toHaveLength(1);
    expect(w.lambda.callsOf('publishVersion')).toHaveLength(0);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
  });

  it('keeps refusing zip code for an Image function', async () => {
    const w = imageWorld();
    const zip: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'a.zip' };
    await expect(publishAfterChecks(w.deps, pending(), zip)).rejects.toMatchObject({
      code: 'PACKAGE_TYPE_MISMATCH',
      exitCode: 2,
    });
    expect(w.lambda.callsOf('updateCode')).toHaveLength(0);
  });
});

describe('preflight: what the new version runs differently', () => {
  it('warns when the architecture differs, naming both', async () => {
    const w = imageWorld({ architectures: ['x86_64'] }, { architectures: ['arm64'], imageUri: `${REPO}:v2` });
    const result = await runDeploy(w.deps, request());
    expect(result.status).toBe('promoted');
    const warnings = w.sink
      .ofType('log')
      .filter((e) => e.level === 'warn')
      .map((e) => e.message);
    expect(warnings).toContain(
      'architecture differs: stable version 1 runs x86_64, version 2 runs arm64; both take traffic during the shift',
    );
  });

  it('shows an image-config change (entry point, command, working dir)', async () => {
    const w = imageWorld(
      { imageConfig: { command: ['app.handler'] } },
      { imageConfig: { command: ['app.v2'], workingDirectory: '/srv' }, imageUri: `${REPO}:v2` },
    );
    await runDeploy(w.deps, request());
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'run-settings');
    expect(check?.message).toBe(
      'version 2 differs from version 1: command: ["app.handler"] → ["app.v2"]; working directory: (image default) → "/srv"',
    );
  });

  it('says nothing differs when nothing does', async () => {
    const w = imageWorld({}, { imageUri: `${REPO}:v2` });
    await runDeploy(w.deps, request());
    const check = w.sink.ofType('preflight.check').find((c) => c.check === 'run-settings');
    expect(check?.message).toBe('version 2 runs with the same architecture and image config as version 1');
    expect(w.sink.ofType('log').filter((e) => e.level === 'warn')).toEqual([]);
  });
});
