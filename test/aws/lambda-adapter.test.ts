import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConflictError, OperationError } from '../../src/domain/errors.js';
import {
  aliasConfiguration,
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  FUNCTION_ARN,
  fnPath,
  functionConfiguration,
  lambdaError,
  lambdaJson,
  lambdaNock,
  tagsPath,
  useNock,
} from '../helpers/aws-nock.js';

describe('LambdaAdapter (nock against the real SDK client)', () => {
  useNock();

  describe('updateAlias', () => {
    it("shows AWS's message on one printable line, cut to a readable length", async () => {
      const message = `bad alias\u001b[2J\r\u2028\u202e\n::error::forged ${'x'.repeat(5000)}`;
      lambdaNock()
        .put(fnPath('my-fn', '/aliases/live'))
        .reply(...lambdaError(400, 'InvalidParameterValueException', message));
      const lambda = await createTestLambdaAdapter();
      const error = (await lambda
        .updateAlias('my-fn', 'live', { functionVersion: '1', additionalWeights: {}, revisionId: 'r' })
        .catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(OperationError);
      expect(error.message).toContain('(AWS: bad alias\uFFFD[2J\uFFFD\uFFFD\\u{202E}\uFFFD::error::forged x');
      expect(error.message).toMatch(/… \(5040 characters\)\)$/);
      expect(error.message.length).toBeLessThan(650);
    });

    it('sends FunctionVersion, RoutingConfig weights and the RevisionId', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .put(fnPath('my-fn', '/aliases/live'))
        .reply(
          capture(
            log,
            lambdaJson(
              aliasConfiguration({
                FunctionVersion: '1',
                RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
                RevisionId: 'alias-rev-2',
              }),
            ),
          ),
        );
      const lambda = await createTestLambdaAdapter();
      const alias = await lambda.updateAlias('my-fn', 'live', {
        functionVersion: '1',
        additionalWeights: { '2': 0.1 },
        revisionId: 'alias-rev-1',
      });
      expect(log).toHaveLength(1);
      expect(log[0]!.body).toEqual({
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
        RevisionId: 'alias-rev-1',
      });
      expect(alias).toEqual({
        name: 'live',
        aliasArn: `${FUNCTION_ARN}:live`,
        functionVersion: '1',
        additionalWeights: { '2': 0.1 },
        revisionId: 'alias-rev-2',
      });
    });

    it('sends an empty AdditionalVersionWeights map to clear routing', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .put(fnPath('my-fn', '/aliases/live'))
        .reply(capture(log, lambdaJson(aliasConfiguration({ FunctionVersion: '2' }))));
      const lambda = await createTestLambdaAdapter();
      const alias = await lambda.updateAlias('my-fn', 'live', {
        functionVersion: '2',
        additionalWeights: {},
        revisionId: 'alias-rev-1',
      });
      expect(log[0]!.body).toEqual({
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: 'alias-rev-1',
      });
      expect(alias.additionalWeights).toEqual({});
    });

    it('maps 412 to ConflictError ALIAS_CHANGED and does not retry', async () => {
      lambdaNock()
        .put(fnPath('my-fn', '/aliases/live'))
        .reply(...lambdaError(412, 'PreconditionFailedException', 'The Revision Id provided does not match'));
      const lambda = await createTestLambdaAdapter();
      const error = await lambda
        .updateAlias('my-fn', 'live', { functionVersion: '2', additionalWeights: {}, revisionId: 'stale' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ code: 'ALIAS_CHANGED', exitCode: 5 });
    });
  });

  describe('publishVersion', () => {
    it('sends CodeSha256 + RevisionId and reports created=true for a new version', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .get(fnPath('my-fn', '/versions'))
        .query(true)
        .reply(200, { Versions: [functionConfiguration(), functionConfiguration({ Version: '1' })] });
      lambdaNock()
        .post(fnPath('my-fn', '/versions'))
        .reply(
          capture(
            log,
            lambdaJson(functionConfiguration({ Version: '2', CodeSha256: 'sha-new', State: 'Pending' }), 201),
          ),
        );
      const lambda = await createTestLambdaAdapter();
      const published = await lambda.publishVersion('my-fn', {
        codeSha256: 'sha-new',
        revisionId: 'rev-latest',
        description: 'build 42',
      });
      expect(log[0]!.body).toEqual({
        CodeSha256: 'sha-new',
        RevisionId: 'rev-latest',
        Description: 'build 42',
      });
      expect(published).toEqual({
        functionName: 'my-fn',
        version: '2',
        codeSha256: 'sha-new',
        created: true,
      });
    });

    it('reports created=false when Lambda returns a version that already existed', async () => {
      lambdaNock()
        .get(fnPath('my-fn', '/versions'))
        .query(true)
        .reply(200, { Versions: [functionConfiguration(), functionConfiguration({ Version: '7' })] });
      lambdaNock()
        .post(fnPath('my-fn', '/versions'))
        .reply(...lambdaJson(functionConfiguration({ Version: '7' }), 201));
      const lambda = await createTestLambdaAdapter();
      const published = await lambda.publishVersion('my-fn', {
        codeSha256: 'sha-latest',
        revisionId: 'rev-latest',
      });
      expect(published).toMatchObject({ version: '7', created: false });
    });

    it('maps a 412 on PublishVersion to FUNCTION_CHANGED', async () => {
      lambdaNock().get(fnPath('my-fn', '/versions')).query(true).reply(200, { Versions: [] });
      lambdaNock()
        .post(fnPath('my-fn', '/versions'))
        .reply(...lambdaError(412, 'PreconditionFailedException', 'CodeSha256 does not match'));
      const lambda = await createTestLambdaAdapter();
      await expect(
        lambda.publishVersion('my-fn', { codeSha256: 'x', revisionId: 'y' }),
      ).rejects.toMatchObject({
        code: 'FUNCTION_CHANGED',
        exitCode: 5,
      });
    });
  });

  describe('listVersions', () => {
    it('follows NextMarker across pages, drops $LATEST and sorts numerically', async () => {
      const markers: (string | null)[] = [];
      lambdaNock()
        .get(fnPath('my-fn', '/versions'))
        .query(true)
        .times(2)
        .reply((req: Request) => {
          const marker = new URL(req.url).searchParams.get('Marker');
          markers.push(marker);
          return marker === null
            ? [
                200,
                {
                  Versions: [functionConfiguration(), functionConfiguration({ Version: '10' })],
                  NextMarker: 'm2',
                },
              ]
            : [
                200,
                {
                  Versions: [
                    functionConfiguration({ Version: '9' }),
                    functionConfiguration({ Version: '2' }),
                  ],
                },
              ];
        });
      const lambda = await createTestLambdaAdapter();
      const versions = await lambda.listVersions('my-fn');
      expect(markers).toEqual([null, 'm2']);
      expect(versions.map((v) => v.version)).toEqual(['2', '9', '10']);
    });
  });

  describe('waiters', () => {
    it('waitUntilUpdated polls until LastUpdateStatus is Successful', async () => {
      lambdaNock()
        .get(fnPath('my-fn'))
        .reply(200, { Configuration: functionConfiguration({ LastUpdateStatus: 'InProgress' }) });
      const statuses = ['InProgress', 'InProgress', 'Successful'];
      let polls = 0;
      lambdaNock()
        .get(fnPath('my-fn'))
        .times(3)
        .reply(() => {
          const status = statuses[polls++];
          return [
            200,
            { Configuration: functionConfiguration({ LastUpdateStatus: status, CodeSha256: 'sha-new' }) },
          ];
        });
      const lambda = await createTestLambdaAdapter();
      const info = await lambda.waitUntilUpdated('my-fn', 5);
      expect(polls).toBe(3);
      expect(info).toMatchObject({ lastUpdateStatus: 'Successful', codeSha256: 'sha-new' });
    });

    it('returns at once when the update already succeeded', async () => {
      lambdaNock().get(fnPath('my-fn')).reply(200, { Configuration: functionConfiguration() });
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.waitUntilUpdated('my-fn')).resolves.toMatchObject({
        lastUpdateStatus: 'Successful',
      });
    });

    it('throws UPDATE_FAILED with LastUpdateStatusReason and without env variables', async () => {
      const failed = functionConfiguration({
        LastUpdateStatus: 'Failed',
        LastUpdateStatusReason: 'The image manifest is invalid.',
        Environment: { Variables: { DB_PASSWORD: 'hunter2' } },
      });
      lambdaNock()
        .get(fnPath('my-fn'))
        .reply(200, { Configuration: functionConfiguration({ LastUpdateStatus: 'InProgress' }) });
      lambdaNock().get(fnPath('my-fn')).reply(200, { Configuration: failed });
      lambdaNock().get(fnPath('my-fn', '/configuration')).reply(200, failed);
      const lambda = await createTestLambdaAdapter();
      const error = (await lambda.waitUntilUpdated('my-fn', 5).catch((e: unknown) => e)) as OperationError;
      expect(error).toBeInstanceOf(OperationError);
      expect(error.code).toBe('UPDATE_FAILED');
      expect(error.message).toContain('The image manifest is invalid.');
      expect(JSON.stringify({ m: error.message, h: error.hint })).not.toContain('hunter2');
    });

    it('fails fast with ACCESS_DENIED when lambda:GetFunction (polled by the waiter) is not allowed', async () => {
      lambdaNock()
        .get(fnPath('my-fn'))
        .reply(...lambdaError(403, 'AccessDeniedException', 'not authorized to perform: lambda:GetFunction'));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.waitUntilUpdated('my-fn', 60)).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        context: { action: 'lambda:GetFunction' },
      });
    });

    it('reports UPDATE_TIMEOUT when the update is still InProgress at the deadline', async () => {
      const inProgress = { Configuration: functionConfiguration({ LastUpdateStatus: 'InProgress' }) };
      lambdaNock().get(fnPath('my-fn')).times(2).reply(200, inProgress);
      lambdaNock().get(fnPath('my-fn')).optionally().times(500).reply(200, inProgress);
      lambdaNock().get(fnPath('my-fn', '/configuration')).reply(200, inProgress.Configuration);
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.waitUntilUpdated('my-fn', 0.3)).rejects.toMatchObject({
        code: 'UPDATE_TIMEOUT',
        message: expect.stringContaining('still InProgress'),
      });
    });

    it('waitUntilActive polls the version (Qualifier) until State is Active', async () => {
      const qualifiers: (string | null)[] = [];
      lambdaNock()
        .get(fnPath('my-fn'))
        .query({ Qualifier: '3' })
        .reply(200, { Configuration: functionConfiguration({ Version: '3', State: 'Pending' }) });
      let polls = 0;
      lambdaNock()
        .get(fnPath('my-fn'))
        .query({ Qualifier: '3' })
        .times(2)
        .reply((req: Request) => {
          qualifiers.push(new URL(req.url).searchParams.get('Qualifier'));
          const state = polls++ === 0 ? 'Pending' : 'Active';
          return [200, { Configuration: functionConfiguration({ Version: '3', State: state }) }];
        });
      const lambda = await createTestLambdaAdapter();
      const info = await lambda.waitUntilActive('my-fn', '3', 5);
      expect(qualifiers).toEqual(['3', '3']);
      expect(polls).toBe(2);
      expect(info).toMatchObject({ version: '3', state: 'Active' });
    });
  });

  describe('reads', () => {
    it('getFunction maps FunctionConfiguration without the environment', async () => {
      lambdaNock()
        .get(fnPath('my-fn', '/configuration'))
        .query({ Qualifier: '4' })
        .reply(
          200,
          functionConfiguration({
            Version: '4',
            DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' },
            Environment: { Variables: { SECRET: 'x' } },
          }),
        );
      const lambda = await createTestLambdaAdapter();
      const info = await lambda.getFunction('my-fn', '4');
      expect(info).toEqual({
        functionName: 'my-fn',
        functionArn: FUNCTION_ARN,
        version: '4',
        state: 'Active',
        lastUpdateStatus: 'Successful',
        codeSha256: 'sha-latest',
        role: 'arn:aws:iam::123456789012:role/my-fn-role',
        deadLetterTargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq',
        revisionId: 'rev-latest',
        packageType: 'Zip',
        settings: expect.objectContaining({ runtime: '"nodejs20.x"', environment: expect.any(String) }),
      });
      // The settings compare the environment by a digest: its values never leave the adapter.
      expect(JSON.stringify(info)).not.toContain('SECRET');
      // Nor can the digest be matched against guessed values: it is salted per process.
      const plain = createHash('sha256')
        .update(JSON.stringify([['SECRET', 'x']]))
        .digest('base64');
      expect(info.settings?.['environment']).not.toContain(plain);
    });

    it('getAlias resolves undefined for a missing alias', async () => {
      lambdaNock()
        .get(fnPath('my-fn', '/aliases/live'))
        .reply(...lambdaError(404, 'ResourceNotFoundException', `Alias not found: ${FUNCTION_ARN}:live`));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.getAlias('my-fn', 'live')).resolves.toBeUndefined();
    });

    it('getAlias still throws FUNCTION_NOT_FOUND when the function is missing', async () => {
      lambdaNock()
        .get(fnPath('nope', '/aliases/live'))
        .reply(...lambdaError(404, 'ResourceNotFoundException', 'Function not found: arn:aws:lambda:…:nope'));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.getAlias('nope', 'live')).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    });

    it('listFunctions follows NextMarker', async () => {
      lambdaNock()
        .get('/2015-03-31/functions')
        .query((q) => q['Marker'] === undefined)
        .reply(200, { Functions: [{ FunctionName: 'a', FunctionArn: 'arn:a' }], NextMarker: 'p2' });
      lambdaNock()
        .get('/2015-03-31/functions')
        .query((q) => q['Marker'] === 'p2')
        .reply(200, { Functions: [{ FunctionName: 'b', FunctionArn: 'arn:b' }] });
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.listFunctions()).resolves.toEqual([
        { functionName: 'a', functionArn: 'arn:a' },
        { functionName: 'b', functionArn: 'arn:b' },
      ]);
    });
  });

  describe('writes', () => {
    it('updateCode sends ZipFile as base64 with RevisionId and Publish=false', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .put(fnPath('my-fn', '/code'))
        .reply(
          capture(
            log,
            lambdaJson(functionConfiguration({ LastUpdateStatus: 'InProgress', CodeSha256: 'sha-new' })),
          ),
        );
      const lambda = await createTestLambdaAdapter();
      const zip = new TextEncoder().encode('PK-fake-zip');
      const info = await lambda.updateCode(
        'my-fn',
        { kind: 'zip', zipFile: zip, fileName: 'f.zip' },
        'rev-latest',
      );
      expect(log[0]!.body).toEqual({
        ZipFile: Buffer.from(zip).toString('base64'),
        Publish: false,
        RevisionId: 'rev-latest',
      });
      expect(info).toMatchObject({ codeSha256: 'sha-new', lastUpdateStatus: 'InProgress' });
    });

    it('updateCode sends S3 coordinates', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .put(fnPath('my-fn', '/code'))
        .reply(capture(log, lambdaJson(functionConfiguration())));
      const lambda = await createTestLambdaAdapter();
      await lambda.updateCode('my-fn', { kind: 's3', bucket: 'b', key: 'k.zip', objectVersion: 'v1' });
      expect(log[0]!.body).toEqual({ S3Bucket: 'b', S3Key: 'k.zip', S3ObjectVersion: 'v1', Publish: false });
    });

    it('createAlias posts Name and FunctionVersion', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .post(fnPath('my-fn', '/aliases'))
        .reply(capture(log, lambdaJson(aliasConfiguration({ FunctionVersion: '3' }), 201)));
      const lambda = await createTestLambdaAdapter();
      const alias = await lambda.createAlias('my-fn', 'live', '3');
      expect(log[0]!.body).toEqual({ Name: 'live', FunctionVersion: '3' });
      expect(alias).toMatchObject({ name: 'live', functionVersion: '3', additionalWeights: {} });
    });

    it('invoke sends the payload to the qualifier and decodes the answer', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .post(fnPath('hook-fn', '/invocations'))
        .query({ Qualifier: 'live' })
        .reply(
          capture(log, [
            200,
            '{"ok":false}',
            {
              'Content-Type': 'application/json',
              'X-Amz-Function-Error': 'Unhandled',
              'X-Amz-Executed-Version': '5',
            },
          ]),
        );
      const lambda = await createTestLambdaAdapter();
      const result = await lambda.invoke('hook-fn', 'live', '{"deploymentId":"d1"}');
      expect(log[0]!.body).toEqual({ deploymentId: 'd1' });
      expect(log[0]!.headers['x-amz-invocation-type']).toBe('RequestResponse');
      expect(result).toEqual({
        statusCode: 200,
        functionError: 'Unhandled',
        payload: '{"ok":false}',
        executedVersion: '5',
      });
    });

    it('checkInvoke is a DryRun Invoke of the qualifier; a missing hook function is FUNCTION_NOT_FOUND', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .post(fnPath('hook-fn', '/invocations'))
        .query({ Qualifier: 'live' })
        .reply(capture(log, [204, '', {}]));
      lambdaNock()
        .post(fnPath('nosuch', '/invocations'))
        .reply(
          ...lambdaError(
            404,
            'ResourceNotFoundException',
            'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nosuch',
          ),
        );
      const lambda = await createTestLambdaAdapter();
      await lambda.checkInvoke('hook-fn', 'live');
      expect(log[0]!.headers['x-amz-invocation-type']).toBe('DryRun');
      await expect(lambda.checkInvoke('nosuch')).rejects.toMatchObject({ code: 'FUNCTION_NOT_FOUND' });
    });

    it('tags: ListTags, TagResource and UntagResource address the function ARN', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .get(tagsPath(FUNCTION_ARN))
        .reply(capture(log, lambdaJson({ Tags: { 'lshift:live': '{"id":"d1"}' } })));
      lambdaNock()
        .post(tagsPath(FUNCTION_ARN))
        .reply(capture(log, [204, '', {}]));
      lambdaNock()
        .delete(tagsPath(FUNCTION_ARN))
        .query(true)
        .reply(capture(log, [204, '', {}]));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.listTags(FUNCTION_ARN)).resolves.toEqual({ 'lshift:live': '{"id":"d1"}' });
      await lambda.tagResource(FUNCTION_ARN, { 'lshift:live': 'v' });
      await lambda.untagResource(FUNCTION_ARN, ['lshift:live', 'other']);
      expect(log.map((r) => r.method)).toEqual(['GET', 'POST', 'DELETE']);
      expect(log[1]!.body).toEqual({ Tags: { 'lshift:live': 'v' } });
      expect(log[2]!.query.getAll('tagKeys')).toEqual(['lshift:live', 'other']);
    });

    it('does not call AWS for empty tag writes', async () => {
      const lambda = await createTestLambdaAdapter();
      await lambda.tagResource(FUNCTION_ARN, {});
      await lambda.untagResource(FUNCTION_ARN, []);
    });
  });
});
