/**
 * Issue 14's Lambda reads through the real SDK client: the exact request, the fields read back,
 * and AccessDenied naming the IAM action.
 */
import { describe, expect, it } from 'vitest';
import {
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  fnPath,
  functionConfiguration,
  lambdaError,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/app';
const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('LambdaAdapter: Lambda features (nock against the real SDK client)', () => {
  useNock();

  describe('getCodeLocation (GetFunction)', () => {
    it('asks GetFunction for the version and returns the image URI and its resolved digest', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .get(fnPath('my-fn'))
        .query({ Qualifier: '7' })
        .reply(
          capture(
            log,
            lambdaJson({
              Configuration: functionConfiguration({ PackageType: 'Image', Version: '7' }),
              Code: { RepositoryType: 'ECR', ImageUri: `${REPO}:v2`, ResolvedImageUri: `${REPO}@${DIGEST}` },
            }),
          ),
        );
      const lambda = await createTestLambdaAdapter();
      const code = await lambda.getCodeLocation('my-fn', '7');
      expect(log).toHaveLength(1);
      expect(log[0]!.method).toBe('GET');
      expect(log[0]!.query.get('Qualifier')).toBe('7');
      expect(code).toEqual({
        repositoryType: 'ECR',
        imageUri: `${REPO}:v2`,
        resolvedImageUri: `${REPO}@${DIGEST}`,
      });
    });

    it('drops the presigned Location of a zip function', async () => {
      lambdaNock()
        .get(fnPath('my-fn'))
        .reply(200, {
          Configuration: functionConfiguration(),
          Code: { RepositoryType: 'S3', Location: 'https://example.invalid/presigned?X-Amz-Signature=x' },
        });
      const lambda = await createTestLambdaAdapter();
      expect(await lambda.getCodeLocation('my-fn')).toEqual({ repositoryType: 'S3' });
    });

    it('maps AccessDenied to ACCESS_DENIED naming lambda:GetFunction', async () => {
      lambdaNock()
        .get(fnPath('my-fn'))
        .query({ Qualifier: '3' })
        .reply(...lambdaError(403, 'AccessDeniedException', 'not authorized to perform: lambda:GetFunction'));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.getCodeLocation('my-fn', '3')).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        exitCode: 1,
        context: { action: 'lambda:GetFunction' },
        message: expect.stringContaining('lambda:GetFunction'),
      });
    });
  });

  describe('getFunction reads architecture and image config', () => {
    it('maps Architectures and ImageConfigResponse.ImageConfig', async () => {
      lambdaNock()
        .get(fnPath('my-fn', '/configuration'))
        .query({ Qualifier: '4' })
        .reply(
          200,
          functionConfiguration({
            Version: '4',
            PackageType: 'Image',
            Architectures: ['arm64'],
            ImageConfigResponse: {
              ImageConfig: { EntryPoint: ['/entry.sh'], Command: ['app.handler'], WorkingDirectory: '/srv' },
            },
          }),
        );
      const lambda = await createTestLambdaAdapter();
      const info = await lambda.getFunction('my-fn', '4');
      expect(info.architectures).toEqual(['arm64']);
      expect(info.imageConfig).toEqual({
        entryPoint: ['/entry.sh'],
        command: ['app.handler'],
        workingDirectory: '/srv',
      });
    });
  });

  describe('listEventInvokeConfigs (ListFunctionEventInvokeConfigs)', () => {
    it('reads every page and takes the qualifier from each FunctionArn', async () => {
      const log: CapturedRequest[] = [];
      const arn = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn';
      const path = '/2019-09-25/functions/my-fn/event-invoke-config/list';
      lambdaNock()
        .get(path)
        .query({ MaxItems: '50' })
        .reply(
          capture(
            log,
            lambdaJson({
              FunctionEventInvokeConfigs: [
                {
                  FunctionArn: `${arn}:live`,
                  DestinationConfig: { OnFailure: { Destination: 'arn:aws:sqs:us-east-1:123456789012:q' } },
                },
                { FunctionArn: arn, MaximumRetryAttempts: 0, DestinationConfig: {} },
              ],
              NextMarker: 'm2',
            }),
          ),
        );
      lambdaNock()
        .get(path)
        .query({ MaxItems: '50', Marker: 'm2' })
        .reply(
          capture(
            log,
            lambdaJson({
              FunctionEventInvokeConfigs: [{ FunctionArn: `${arn}:7`, MaximumEventAgeInSeconds: 60 }],
            }),
          ),
        );
      const lambda = await createTestLambdaAdapter();
      expect(await lambda.listEventInvokeConfigs('my-fn')).toEqual([
        { qualifier: 'live', onFailure: 'arn:aws:sqs:us-east-1:123456789012:q' },
        { qualifier: '$LATEST', maximumRetryAttempts: 0 },
        { qualifier: '7', maximumEventAgeInSeconds: 60 },
      ]);
      expect(log.map((r) => r.query.get('Marker'))).toEqual([null, 'm2']);
    });

    it('maps AccessDenied to ACCESS_DENIED naming lambda:ListFunctionEventInvokeConfigs', async () => {
      lambdaNock()
        .get('/2019-09-25/functions/my-fn/event-invoke-config/list')
        .query(true)
        .reply(...lambdaError(403, 'AccessDeniedException', 'not authorized'));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.listEventInvokeConfigs('my-fn')).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        context: { action: 'lambda:ListFunctionEventInvokeConfigs' },
        message: expect.stringContaining('lambda:ListFunctionEventInvokeConfigs'),
      });
    });
  });

  describe('listEventSourceMappings (ListEventSourceMappings)', () => {
    it('sends the qualified FunctionName, reads every page', async () => {
      const log: CapturedRequest[] = [];
      const arn = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn:live';
      lambdaNock()
        .get('/2015-03-31/event-source-mappings')
        .query({ FunctionName: 'my-fn:live', MaxItems: '100' })
        .reply(
          capture(
            log,
            lambdaJson({
              EventSourceMappings: [
                {
                  UUID: 'u1',
                  FunctionArn: arn,
                  EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q',
                  State: 'Enabled',
                },
              ],
              NextMarker: 'n2',
            }),
          ),
        );
      lambdaNock()
        .get('/2015-03-31/event-source-mappings')
        .query({ FunctionName: 'my-fn:live', MaxItems: '100', Marker: 'n2' })
        .reply(capture(log, lambdaJson({ EventSourceMappings: [{ UUID: 'u2', FunctionArn: arn }] })));
      const lambda = await createTestLambdaAdapter();
      expect(await lambda.listEventSourceMappings('my-fn:live')).toEqual([
        {
          uuid: 'u1',
          functionArn: arn,
          eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q',
          state: 'Enabled',
        },
        { uuid: 'u2', functionArn: arn },
      ]);
      expect(log).toHaveLength(2);
    });

    it('maps AccessDenied to ACCESS_DENIED naming lambda:ListEventSourceMappings', async () => {
      lambdaNock()
        .get('/2015-03-31/event-source-mappings')
        .query(true)
        .reply(...lambdaError(403, 'AccessDeniedException', 'not authorized'));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.listEventSourceMappings('my-fn')).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        context: { action: 'lambda:ListEventSourceMappings' },
      });
    });
  });

  describe('getProvisionedConcurrency (GetProvisionedConcurrencyConfig)', () => {
    const path = '/2019-09-30/functions/my-fn/provisioned-concurrency';

    it('asks for the qualifier and reads the allocation and status', async () => {
      const log: CapturedRequest[] = [];
      lambdaNock()
        .get(path)
        .query({ Qualifier: 'live' })
        .reply(
          capture(
            log,
            lambdaJson({
              RequestedProvisionedConcurrentExecutions: 10,
              AllocatedProvisionedConcurrentExecutions: 4,
              AvailableProvisionedConcurrentExecutions: 4,
              Status: 'IN_PROGRESS',
            }),
          ),
        );
      const lambda = await createTestLambdaAdapter();
      expect(await lambda.getProvisionedConcurrency('my-fn', 'live')).toEqual({
        requested: 10,
        allocated: 4,
        available: 4,
        status: 'IN_PROGRESS',
      });
      expect(log[0]!.query.get('Qualifier')).toBe('live');
    });

    it('answers undefined for ProvisionedConcurrencyConfigNotFoundException', async () => {
      lambdaNock()
        .get(path)
        .query({ Qualifier: '3' })
        .reply(
          ...lambdaError(
            404,
            'ProvisionedConcurrencyConfigNotFoundException',
            'No Provisioned Concurrency Config found',
          ),
        );
      const lambda = await createTestLambdaAdapter();
      expect(await lambda.getProvisionedConcurrency('my-fn', '3')).toBeUndefined();
    });

    it('maps AccessDenied to ACCESS_DENIED naming lambda:GetProvisionedConcurrencyConfig', async () => {
      lambdaNock()
        .get(path)
        .query(true)
        .reply(...lambdaError(403, 'AccessDeniedException', 'not authorized'));
      const lambda = await createTestLambdaAdapter();
      await expect(lambda.getProvisionedConcurrency('my-fn', 'live')).rejects.toMatchObject({
        code: 'ACCESS_DENIED',
        context: { action: 'lambda:GetProvisionedConcurrencyConfig' },
      });
    });
  });
});
