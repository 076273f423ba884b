import { CreateEventSourceMappingCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLiveFunction, errorOf, startTestSandbox, type TestSandbox } from './helpers.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ seed: 7 });
});
afterAll(() => t.stop());

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:esm-fn';

describe('event source mappings in the sandbox (real SDK client)', () => {
  it('keeps the function ARN a mapping was created with and lists by exactly that name', async () => {
    await createLiveFunction(t, 'esm-fn');
    await t.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'esm-fn:live',
        EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:a',
      }),
    );
    await t.lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'esm-fn',
        EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:b',
      }),
    );
    const onAlias = await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'esm-fn:live' }));
    expect(onAlias.EventSourceMappings?.map((m) => [m.FunctionArn, m.State])).toEqual([
      [`${ARN}:live`, 'Enabled'],
    ]);
    const unqualified = await t.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'esm-fn' }));
    expect(unqualified.EventSourceMappings?.map((m) => m.FunctionArn)).toEqual([ARN]);
  });

  it('refuses a mapping to an alias that does not exist', async () => {
    await createLiveFunction(t, 'esm-missing');
    const error = await errorOf(() =>
      t.lambda.send(
        new CreateEventSourceMappingCommand({
          FunctionName: 'esm-missing:nope',
          EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:c',
        }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});
