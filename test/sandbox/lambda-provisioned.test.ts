import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PC_ALLOCATION_MS } from '../../src/sandbox/lambda-provisioned.js';
import { createLiveFunction, errorOf, startTestSandbox, type TestSandbox } from './helpers.js';

let t: TestSandbox;
beforeAll(async () => {
  t = await startTestSandbox({ seed: 7 });
});
afterAll(() => t.stop());

const get = (fn: string, q: string) =>
  t.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: fn, Qualifier: q }));

describe('provisioned concurrency in the sandbox (real SDK client)', () => {
  it('is IN_PROGRESS on the first read after a Put or an alias write, READY after', async () => {
    await createLiveFunction(t, 'pc-fn');
    await t.lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: 'pc-fn',
        Qualifier: 'live',
        ProvisionedConcurrentExecutions: 10,
      }),
    );
    expect(await get('pc-fn', 'live')).toMatchObject({
      Status: 'IN_PROGRESS',
      AllocatedProvisionedConcurrentExecutions: 5,
    });
    expect(await get('pc-fn', 'live')).toMatchObject({
      Status: 'READY',
      AllocatedProvisionedConcurrentExecutions: 10,
    });
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pc-fn', Description: 'v2' }));
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'pc-fn' }));
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'pc-fn' }));
    await t.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'pc-fn',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );
    expect((await get('pc-fn', 'live')).Status).toBe('IN_PROGRESS');
    expect((await get('pc-fn', 'live')).Status).toBe('READY');
  });

  it('is READY without a read once the simulated allocation time has passed', async () => {
    await createLiveFunction(t, 'pc-time');
    await t.lambda.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: 'pc-time',
        Qualifier: 'live',
        ProvisionedConcurrentExecutions: 2,
      }),
    );
    t.advance(PC_ALLOCATION_MS);
    expect((await get('pc-time', 'live')).Status).toBe('READY');
  });

  it('answers ProvisionedConcurrencyConfigNotFoundException when there is none', async () => {
    await createLiveFunction(t, 'pc-none');
    const error = await errorOf(() => get('pc-none', 'live'));
    expect(error.name).toBe('ProvisionedConcurrencyConfigNotFoundException');
  });

  it('keeps one config per version (its own or its alias’s) and deletes a config', async () => {
    await createLiveFunction(t, 'pc-one');
    const put = (q: string) =>
      t.lambda.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: 'pc-one',
          Qualifier: q,
          ProvisionedConcurrentExecutions: 2,
        }),
      );
    const del = (q: string) =>
      t.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'pc-one', Qualifier: q }));
    await put('1');
    expect(await errorOf(() => put('live'))).toMatchObject({ name: 'ResourceConflictException' });
    await del('1');
    expect(await errorOf(() => get('pc-one', '1'))).toMatchObject({
      name: 'ProvisionedConcurrencyConfigNotFoundException',
    });
    await put('live');
    expect(await errorOf(() => put('1'))).toMatchObject({ name: 'ResourceConflictException' });
    expect(await errorOf(() => del('1'))).toMatchObject({
      name: 'ProvisionedConcurrencyConfigNotFoundException',
    });
  });
});
