import {
  GetFunctionEventInvokeConfigCommand,
  ListFunctionEventInvokeConfigsCommand,
  PutFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveFunction, errorOf, startTestSandbox, type TestSandbox } from './helpers.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ seed: 7 });
});
afterAll(() => t.stop());

const Q = 'arn:aws:sqs:us-east-1:123456789012:failures';

describe('event invoke configs in the sandbox (real SDK client)', () => {
  it('puts one per qualifier, gets it back and lists them all with qualified ARNs', async () => {
    await createLiveFunction(t, 'async-fn');
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'async-fn',
        Qualifier: '1',
        MaximumRetryAttempts: 0,
        DestinationConfig: { OnFailure: { Destination: Q } },
      }),
    );
    await t.lambda.send(
      new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', MaximumEventAgeInSeconds: 60 }),
    );
    const one = await t.lambda.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: 'async-fn', Qualifier: '1' }),
    );
    expect(one).toMatchObject({
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnFailure: { Destination: Q } },
    });
    const list = await t.lambda.send(new ListFunctionEventInvokeConfigsCommand({ FunctionName: 'async-fn' }));
    expect(list.FunctionEventInvokeConfigs?.map((c) => c.FunctionArn)).toEqual([
      'arn:aws:lambda:us-east-1:123456789012:function:async-fn:$LATEST',
      'arn:aws:lambda:us-east-1:123456789012:function:async-fn:1',
    ]);
  });

  it('refuses a qualifier that does not exist, and retries out of range', async () => {
    await createLiveFunction(t, 'async-bad');
    const missing = await errorOf(() =>
      t.lambda.send(new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-bad', Qualifier: '9' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    const retries = await errorOf(() =>
      t.lambda.send(
        new PutFunctionEventInvokeConfigCommand({ FunctionName: 'async-bad', MaximumRetryAttempts: 3 }),
      ),
    );
    expect(retries.name).toBe('ValidationException');
  });
});
