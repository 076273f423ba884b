import {
  CreateAliasCommand,
  CreateFunctionCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { errorOf, ROLE, startTestSandbox, type TestSandbox, zip } from './helpers.js';

/**
 * DeleteFunction and DeleteAlias, so a function deleted under a deployment can be played
 * against the sandbox (docs/sandbox.md). Lambda answers ResourceNotFoundException afterwards.
 */
let t: TestSandbox | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

async function withFunction(): Promise<TestSandbox> {
  t = await startTestSandbox({});
  const fn = { FunctionName: 'fn', Role: ROLE, Runtime: 'nodejs20.x', Handler: 'i.h' } as const;
  await t.lambda.send(new CreateFunctionCommand({ ...fn, Code: { ZipFile: zip(1) }, Publish: true }));
  await t.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  return t;
}

describe('sandbox DeleteFunction and DeleteAlias', () => {
  it('DeleteFunction removes the function: GetAlias then answers "Function not found"', async () => {
    const sb = await withFunction();
    await sb.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn' }));
    const error = await errorOf(() =>
      sb.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.message).toMatch(/^Function not found: arn:aws:lambda:.*:function:fn/);
    const again = await errorOf(() => sb.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn' })));
    expect(again.name).toBe('ResourceNotFoundException');
  });

  it('DeleteAlias removes the alias and keeps the function', async () => {
    const sb = await withFunction();
    await sb.lambda.send(new DeleteAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    const error = await errorOf(() =>
      sb.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    const config = await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    expect(config.FunctionName).toBe('fn');
  });

  it('refuses DeleteFunction of one version (Qualifier), which it does not simulate', async () => {
    const sb = await withFunction();
    const error = await errorOf(() =>
      sb.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn', Qualifier: '1' })),
    );
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.message).toContain('not simulated');
    await sb.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
  });
});
