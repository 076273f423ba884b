import {
  CreateFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, ROLE, startTestSandbox, type TestSandbox, zip } from './helpers.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ seed: 7 });
});
afterAll(() => t.stop());

async function create(name: string, extra: Record<string, unknown> = {}) {
  return t.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip(1) },
      ...extra,
    }),
  );
}

describe('CreateFunction / GetFunction / GetFunctionConfiguration', () => {
  it('creates a Pending function that is Active after one read', async () => {
    const created = await create('fn-create', { Environment: { Variables: { AB: '1' } }, MemorySize: 256 });
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({
      FunctionName: 'fn-create',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn-create',
      Version: '$LATEST',
      State: 'Pending',
      StateReasonCode: 'Creating',
      MemorySize: 256,
      Timeout: 3,
      PackageType: 'Zip',
      Environment: { Variables: { AB: '1' } },
    });
    expect(created.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(created.RevisionId).toMatch(/^[0-9a-f-]{36}$/);
    const config = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-create' }));
    expect(config).toMatchObject({ State: 'Active', LastUpdateStatus: 'Successful' });
  });

  it('accepts a full ARN, a partial ARN and a qualifier in the name', async () => {
    await create('fn-arn', { Publish: true });
    const full = await t.lambda.send(
      new GetFunctionCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn-arn' }),
    );
    expect(full.Configuration?.FunctionName).toBe('fn-arn');
    expect(full.Code?.RepositoryType).toBe('S3');
    const partial = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: '123456789012:function:fn-arn', Qualifier: '1' }),
    );
    expect(partial).toMatchObject({
      Version: '1',
      FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn-arn:1',
    });
    const qualified = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-arn:1' }));
    expect(qualified.Version).toBe('1');
    const mismatch = await errorOf(() =>
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-arn:1', Qualifier: '2' })),
    );
    expect(mismatch.name).toBe('InvalidParameterValueException');
  });

  it('answers a missing function, version or alias with ResourceNotFoundException naming its ARN', async () => {
    const missing = await errorOf(() => t.lambda.send(new GetFunctionCommand({ FunctionName: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect(missing.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');
    const version = await errorOf(() =>
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-arn', Qualifier: '9' })),
    );
    expect(version.message).toBe(
      'Function not found: arn:aws:lambda:us-east-1:123456789012:function:fn-arn:9',
    );
    const alias = await errorOf(() =>
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-arn', Qualifier: 'canary' })),
    );
    expect(alias.message).toBe(
      'Cannot find alias arn: arn:aws:lambda:us-east-1:123456789012:function:fn-arn:canary',
    );
  });

  it('rejects an existing name, bad limits, a non-zip and too much environment', async () => {
    expect((await errorOf(() => create('fn-create'))).name).toBe('ResourceConflictException');
    const memory = await errorOf(() => create('fn-bad', { MemorySize: 64 }));
    expect(memory.name).toBe('ValidationException');
    expect(memory.message).toContain("at 'memorySize'");
    expect((await errorOf(() => create('fn-bad', { Timeout: 901 }))).message).toContain("at 'timeout'");
    const notZip = await errorOf(() => create('fn-bad', { Code: { ZipFile: Buffer.from('hello') } }));
    expect(notZip.message).toContain('Could not unzip uploaded file');
    const env = await errorOf(() =>
      create('fn-bad', { Environment: { Variables: { BIG: 'x'.repeat(5000) } } }),
    );
    expect(env.message).toContain('exceeded the 4KB limit');
    expect(env.message).not.toContain('xxxx');
    const role = await errorOf(() => create('fn-bad', { Role: 'not-a-role' }));
    expect(role.name).toBe('ValidationException');
    const traffic = await errorOf(() =>
      create('fn-bad', { Environment: { Variables: { LSHIFT_SANDBOX_ERROR_RATE: '5%' } } }),
    );
    expect(traffic.message).toContain('LSHIFT_SANDBOX_ERROR_RATE');
  });
});

describe('updates, RevisionId and PublishVersion', () => {
  it('goes InProgress on an update, refuses a second write meanwhile, and the SDK waiter sees Successful', async () => {
    const created = await create('fn-update');
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
    const updated = await t.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'fn-update', ZipFile: zip(2) }),
    );
    expect(updated.LastUpdateStatus).toBe('InProgress');
    expect(updated.CodeSha256).not.toBe(created.CodeSha256);
    expect(updated.RevisionId).not.toBe(created.RevisionId);
    const busy = await errorOf(() => t.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-update' })));
    expect(busy.name).toBe('ResourceConflictException');
    expect(busy.message).toContain(
      'An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:fn-update',
    );
    // The update settles after a read or two: the waiter succeeds on its first poll (counted, not timed).
    const readsBefore = t.handle.state.gate.count('GetFunction');
    const waited = await waitUntilFunctionUpdatedV2(
      { client: t.lambda, maxWaitTime: 10, minDelay: 1 },
      { FunctionName: 'fn-update' },
    );
    expect(waited.state).toBe('SUCCESS');
    expect(t.handle.state.gate.count('GetFunction') - readsBefore).toBe(1);
  });

  it('rejects a stale RevisionId with 412 PreconditionFailedException', async () => {
    const before = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
    await t.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'fn-update',
        Description: 'v2',
        RevisionId: before.RevisionId,
      }),
    );
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
    const stale = await errorOf(() =>
      t.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-update', RevisionId: before.RevisionId })),
    );
    expect(stale.name).toBe('PreconditionFailedException');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    expect(stale.message).toContain('The Revision Id provided does not match the latest Revision Id');
    const staleUpdate = await errorOf(() =>
      t.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: 'fn-update',
          Timeout: 9,
          RevisionId: before.RevisionId,
        }),
      ),
    );
    expect(staleUpdate.name).toBe('PreconditionFailedException');
  });

  it('checks CodeSha256, numbers versions 1, 2, … and returns the newest version when nothing changed', async () => {
    const latest = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
    const wrong = await errorOf(() =>
      t.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-update', CodeSha256: 'AAAA' })),
    );
    expect(wrong.name).toBe('InvalidParameterValueException');
    expect(wrong.message).toBe(
      `CodeSHA256 (AAAA) is different from current CodeSHA256 in $LATEST (${latest.CodeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
    const v1 = await t.lambda.send(
      new PublishVersionCommand({
        FunctionName: 'fn-update',
        CodeSha256: latest.CodeSha256,
        RevisionId: latest.RevisionId,
      }),
    );
    expect(v1).toMatchObject({ Version: '1', State: 'Active', Description: 'v2' });
    const again = await t.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-update' }));
    expect(again.Version).toBe('1');
    expect(again.RevisionId).toBe(v1.RevisionId);
    const after = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
    expect(after.RevisionId).not.toBe(latest.RevisionId); // publishing bumps $LATEST's RevisionId
    await t.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'fn-update',
        Environment: { Variables: { XY: '1' } },
      }),
    );
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-update' }));
    const v2 = await t.lambda.send(
      new PublishVersionCommand({ FunctionName: 'fn-update', Description: 'second' }),
    );
    expect(v2).toMatchObject({
      Version: '2',
      Description: 'second',
      Environment: { Variables: { XY: '1' } },
    });
    const v1Again = await t.lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'fn-update', Qualifier: '1' }),
    );
    expect(v1Again.Environment).toBeUndefined(); // versions are immutable
  });

  it('lists versions ($LATEST first, qualified ARNs) and pages with MaxItems', async () => {
    const all = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-update' }));
    expect(all.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
    expect(all.Versions?.[0]?.FunctionArn).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:fn-update:$LATEST',
    );
    const first = await t.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'fn-update', MaxItems: 2 }),
    );
    expect(first.Versions).toHaveLength(2);
    const rest = await t.lambda.send(
      new ListVersionsByFunctionCommand({ FunctionName: 'fn-update', Marker: first.NextMarker }),
    );
    expect(rest.Versions?.map((v) => v.Version)).toEqual(['2']);
    expect(rest.NextMarker).toBeUndefined();
  });

  it('lists functions, and every version with FunctionVersion=ALL', async () => {
    const listed = await t.lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toEqual(['fn-arn', 'fn-create', 'fn-update']);
    expect(listed.Functions?.[0]?.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn-arn');
    const all = await t.lambda.send(new ListFunctionsCommand({ FunctionVersion: 'ALL' }));
    expect(all.Functions?.filter((f) => f.FunctionName === 'fn-update').map((f) => f.Version)).toEqual([
      '$LATEST',
      '1',
      '2',
    ]);
  });

  // Last: the listing above expects only the functions created before it.
  it('refuses a version description over 256 characters as Lambda does (ValidationException), publishing nothing', async () => {
    await create('fn-describe');
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-describe' }));
    const error = await errorOf(() =>
      t.lambda.send(new PublishVersionCommand({ FunctionName: 'fn-describe', Description: 'd'.repeat(257) })),
    );
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect(error.message).toContain(
      "at 'description' failed to satisfy constraint: Member must have length less than or equal to 256",
    );
    const versions = await t.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn-describe' }));
    expect(versions.Versions?.map((v) => v.Version)).toEqual(['$LATEST']);
    const v1 = await t.lambda.send(
      new PublishVersionCommand({ FunctionName: 'fn-describe', Description: 'd'.repeat(256) }),
    );
    expect(v1.Version).toBe('1');
  });

  it('refuses an S3 location Lambda refuses (ValidationException), changing nothing', async () => {
    await create('fn-s3');
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-s3' }));
    const before = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-s3' }));
    for (const [bucket, key, field] of [
      ['b\u001b[2J', 'k.zip', 's3Bucket'],
      ['ab', 'k.zip', 's3Bucket'],
      ['artifacts.', 'k.zip', 's3Bucket'],
      ['artifacts', 'k'.repeat(1025), 's3Key'],
    ] as const) {
      const error = await errorOf(() =>
        t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn-s3', S3Bucket: bucket, S3Key: key })),
      );
      expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
      expect(error.message).toContain(`at '${field}' failed to satisfy constraint`);
    }
    const after = await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn-s3' }));
    expect(after.CodeSha256).toBe(before.CodeSha256);
    await t.lambda.send(
      new UpdateFunctionCodeCommand({
        FunctionName: 'fn-s3',
        S3Bucket: 'my-artifacts.eu',
        S3Key: 'builds/fn 1.zip',
      }),
    );
  });
});

/**
 * Lambda unzips what it is sent: bytes that start like a zip but have no whole central directory
 * are "Could not unzip uploaded file", an archive of no file "Uploaded file must be a non-empty
 * zip" (both InvalidParameterValueException, HTTP 400). The sandbox reads the end record only.
 * Last in the file: it creates functions the listing above does not expect.
 */
describe('a zip Lambda could not unzip', () => {
  const whole = Buffer.from(zip(1));
  const endOnly = Buffer.from('PK\u0005\u0006'.padEnd(22, '\u0000'), 'latin1');
  it.each([
    [
      'a local header and nothing else (a cut-off upload)',
      Buffer.from('PK\u0003\u0004rest of nothing', 'latin1'),
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    ],
    [
      'a whole zip cut short by its last byte',
      whole.subarray(0, whole.length - 1),
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    ],
    [
      'an end record pointing past the file',
      Buffer.concat([
        whole.subarray(0, 4),
        endOnly.subarray(0, 12),
        Buffer.from([46, 0, 0, 0, 0, 1, 0, 0, 0, 0]),
      ]),
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    ],
    ['an empty archive (end record only)', endOnly, 'Uploaded file must be a non-empty zip'],
  ])('%s is refused by CreateFunction and UpdateFunctionCode', async (_, bytes, message) => {
    const created = await errorOf(() => create('fn-unzip-bad', { Code: { ZipFile: bytes } }));
    expect(created).toMatchObject({ name: 'InvalidParameterValueException', message });
    const name = `fn-unzip-${bytes.length}`;
    await create(name);
    const updated = await errorOf(() =>
      t.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: bytes })),
    );
    expect(updated).toMatchObject({ name: 'InvalidParameterValueException', message });
  });
});
