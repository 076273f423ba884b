/**
 * The sandbox serves Image functions end to end through the real SDK client: create, update by
 * image URI (tag or digest), resolved digest in GetFunction's Code, ImageConfig, and a published
 * image version that is Pending while optimised and Active after simulated time or a read.
 */
import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_OPTIMIZE_MS } from '../../src/sandbox/lambda-images.js';
import { errorOf, ROLE, startTestSandbox, type TestSandbox } from './helpers.js';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app';
const D7 = `sha256:${'7'.repeat(64)}`;

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ seed: 7 });
});
afterAll(() => t.stop());

async function control(path: string, body: unknown): Promise<Response> {
  return fetch(`${t.handle.url}/__lshift/${path}`, { method: 'POST', body: JSON.stringify(body) });
}

async function createImageFunction(name: string) {
  await t.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      PackageType: 'Image',
      Code: { ImageUri: `${REPO}:v1` },
      Architectures: ['arm64'],
      ImageConfig: { Command: ['app.handler'], WorkingDirectory: '/srv' },
    }),
  );
  await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
}

describe('Image functions in the sandbox', () => {
  it('resolves a pushed tag to its digest, and CodeSha256 is that digest', async () => {
    expect((await control('images', { uri: `${REPO}:v7`, digest: D7 })).status).toBe(200);
    await createImageFunction('img-resolve');
    const updated = await t.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'img-resolve', ImageUri: `${REPO}:v7` }),
    );
    expect(updated.CodeSha256).toBe('7'.repeat(64));
    const got = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'img-resolve' }));
    expect(got.Code).toEqual({
      RepositoryType: 'ECR',
      ImageUri: `${REPO}:v7`,
      ResolvedImageUri: `${REPO}@${D7}`,
    });
    expect(got.Configuration?.Architectures).toEqual(['arm64']);
    expect(got.Configuration?.ImageConfigResponse).toEqual({
      ImageConfig: { Command: ['app.handler'], WorkingDirectory: '/srv' },
    });
  });

  it('keeps a digest URI as it is', async () => {
    await createImageFunction('img-digest');
    await t.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'img-digest', ImageUri: `${REPO}@${D7}` }),
    );
    const got = await t.lambda.send(new GetFunctionCommand({ FunctionName: 'img-digest' }));
    expect(got.Code?.ResolvedImageUri).toBe(`${REPO}@${D7}`);
  });

  it('publishes an image version Pending while optimised, Active after simulated time', async () => {
    await createImageFunction('img-pending');
    const published = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'img-pending' }));
    expect(published).toMatchObject({ Version: '1', State: 'Pending', StateReasonCode: 'Creating' });
    const listed = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'img-pending' }));
    expect(listed.Versions?.find((v) => v.Version === '1')?.State).toBe('Pending');
    t.advance(IMAGE_OPTIMIZE_MS);
    const after = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'img-pending' }));
    expect(after.Versions?.find((v) => v.Version === '1')?.State).toBe('Active');
  });

  it('makes a Pending image version Active on a read (one waiter poll)', async () => {
    await createImageFunction('img-read');
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'img-read' }));
    const read = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'img-read', Qualifier: '1' }),
    );
    expect(read.State).toBe('Active');
  });

  it.each([
    ['not an ECR URI', 'docker.io/library/app:v1'],
    ['no tag or digest', REPO],
  ])('refuses an image URI that is %s', async (_why, uri) => {
    await createImageFunction(`img-bad-${uri.length}`);
    const error = await errorOf(() =>
      t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: `img-bad-${uri.length}`, ImageUri: uri })),
    );
    expect(error).toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('refuses a bad push on the control endpoint', async () => {
    const res = await control('images', { uri: `${REPO}:v8`, digest: 'sha256:nothex' });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toContain('sha256:<64 hex digits>');
  });
});
