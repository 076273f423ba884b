import {
  CreateAliasCommand,
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListAliasesCommand,
  ListTagsCommand,
  PublishVersionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, ROLE, startTestSandbox, type TestSandbox, zip } from './helpers.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
let t: TestSandbox;

/** fn with versions 1 (role A), 2 (role A), 3 (other role), 4 (with a DLQ). */
beforeAll(async () => {
  t = await startTestSandbox({ seed: 3 });
  await t.lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'fn',
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'i.h',
      Code: { ZipFile: zip(1) },
      Publish: true,
    }),
  );
  const changes = [
    { Environment: { Variables: { STEP: '2', LSHIFT_SANDBOX_RESPONSE: '{"status":"Failed"}' } } },
    { Role: 'arn:aws:iam::123456789012:role/other' },
    { Role: ROLE, DeadLetterConfig: { TargetArn: 'arn:aws:sqs:us-east-1:123456789012:dlq' } },
  ];
  for (const change of changes) {
    await t.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', ...change }));
    await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    await t.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
  }
});
afterAll(() => t.stop());

describe('CreateAlias / GetAlias / ListAliases', () => {
  it('creates, reads and lists aliases; a second CreateAlias is a ResourceConflictException', async () => {
    const created = await t.lambda.send(
      new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }),
    );
    expect(created.$metadata.httpStatusCode).toBe(201);
    expect(created).toMatchObject({ AliasArn: `${ARN}:live`, Name: 'live', FunctionVersion: '1' });
    const read = await t.lambda.send(new GetAliasCommand({ FunctionName: ARN, Name: 'live' }));
    expect(read.RevisionId).toBe(created.RevisionId);
    await t.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'beta', FunctionVersion: '2' }));
    const listed = await t.lambda.send(new ListAliasesCommand({ FunctionName: 'fn' }));
    expect(listed.Aliases?.map((a) => a.Name)).toEqual(['beta', 'live']);
    const byVersion = await t.lambda.send(
      new ListAliasesCommand({ FunctionName: 'fn', FunctionVersion: '2' }),
    );
    expect(byVersion.Aliases?.map((a) => a.Name)).toEqual(['beta']);
    const again = await errorOf(() =>
      t.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' })),
    );
    expect(again.name).toBe('ResourceConflictException');
    expect(again.message).toBe(`Alias already exists: ${ARN}:live`);
    const missing = await errorOf(() =>
      t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'nope' })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe(`Cannot find alias arn: ${ARN}:nope`);
  });
});

describe('UpdateAlias', () => {
  it('shifts weight with the RevisionId, keeps routing when RoutingConfig is left out, and clears it with {}', async () => {
    const live = await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    const shifted = await t.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'fn',
        Name: 'live',
        RevisionId: live.RevisionId,
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      }),
    );
    expect(shifted.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    expect(shifted.RevisionId).not.toBe(live.RevisionId);
    const described = await t.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'fn',
        Name: 'live',
        Description: 'canary',
        RevisionId: shifted.RevisionId,
      }),
    );
    expect(described.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    const stale = await errorOf(() =>
      t.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'fn',
          Name: 'live',
          FunctionVersion: '2',
          RevisionId: live.RevisionId,
        }),
      ),
    );
    expect(stale.name).toBe('PreconditionFailedException');
    expect(stale.$metadata?.httpStatusCode).toBe(412);
    const done = await t.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'fn',
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: described.RevisionId,
      }),
    );
    expect(done.FunctionVersion).toBe('2');
    expect(done.RoutingConfig).toBeUndefined();
  });

  it.each([
    [
      'two additional versions',
      { '1': 0.1, '4': 0.1 },
      '2',
      'InvalidParameterValueException',
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    ],
    [
      'the primary as additional',
      { '2': 0.1 },
      '2',
      'InvalidParameterValueException',
      'Invalid function version 2. Function version 2 is already included in routing configuration.',
    ],
    [
      '$LATEST as primary',
      { '1': 0.1 },
      '$LATEST',
      'InvalidParameterValueException',
      '$LATEST is not supported for an alias pointing to more than 1 version',
    ],
    [
      '$LATEST as additional',
      { $LATEST: 0.1 },
      '2',
      'ValidationException',
      "at 'routingConfig.additionalVersionWeights'",
    ],
    [
      'a weight above 1',
      { '1': 1.5 },
      '2',
      'ValidationException',
      'Member must have value less than or equal to 1.0',
    ],
    [
      'a negative weight',
      { '1': -0.1 },
      '2',
      'ValidationException',
      'Member must have value greater than or equal to 0.0',
    ],
    [
      'another execution role',
      { '3': 0.1 },
      '2',
      'InvalidParameterValueException',
      'Specified versions must be associated with the same execution role',
    ],
    [
      'another dead-letter queue',
      { '4': 0.1 },
      '1',
      'InvalidParameterValueException',
      'Specified versions must be associated with the same dead letter queue configuration',
    ],
    [
      'a version that does not exist',
      { '9': 0.1 },
      '2',
      'ResourceNotFoundException',
      `Function not found: ${ARN}:9`,
    ],
  ])('refuses %s', async (_case, weights, primary, name, message) => {
    const before = await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'beta' }));
    const error = await errorOf(() =>
      t.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'fn',
          Name: 'beta',
          FunctionVersion: primary,
          RoutingConfig: { AdditionalVersionWeights: weights },
        }),
      ),
    );
    expect(error.name).toBe(name);
    expect(error.message).toContain(message);
    const after = await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'beta' }));
    expect(after.RevisionId).toBe(before.RevisionId);
  });
});

describe('Invoke', () => {
  it('routes an alias by its weights, reports the executed version and returns LSHIFT_SANDBOX_RESPONSE', async () => {
    const live = await t.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    await t.lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'fn',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
        RevisionId: live.RevisionId,
      }),
    );
    const executed: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const result = await t.lambda.send(
        new InvokeCommand({ FunctionName: 'fn', Qualifier: 'live', Payload: Buffer.from('{"ping":1}') }),
      );
      executed[result.ExecutedVersion!] = (executed[result.ExecutedVersion!] ?? 0) + 1;
      const payload = JSON.parse(Buffer.from(result.Payload!).toString());
      expect(payload).toEqual(
        result.ExecutedVersion === '2' ? { status: 'Failed' } : { status: 'Succeeded' },
      );
    }
    expect(executed['1']).toBeGreaterThan(8);
    expect(executed['2']).toBeGreaterThan(8);
  });

  it('invokes a version directly, supports Event and DryRun, and rejects a non-JSON payload', async () => {
    const direct = await t.lambda.send(new InvokeCommand({ FunctionName: `${ARN}:2`, LogType: 'Tail' }));
    expect(direct).toMatchObject({ StatusCode: 200, ExecutedVersion: '2' });
    expect(Buffer.from(direct.LogResult!, 'base64').toString()).toContain('Version: 2');
    const event = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'fn', Qualifier: '1', InvocationType: 'Event' }),
    );
    expect(event.StatusCode).toBe(202);
    // A DryRun (lshift's check that a hook function exists) runs nothing: it draws no random
    // number, so it cannot change which version or outcome the next invocations get.
    const drawn = t.handle.state.data.counters.invoke;
    const dry = await t.lambda.send(
      new InvokeCommand({ FunctionName: 'fn', Qualifier: '1', InvocationType: 'DryRun' }),
    );
    expect(dry.StatusCode).toBe(204);
    expect(t.handle.state.data.counters.invoke).toBe(drawn);
    const bad = await errorOf(() =>
      t.lambda.send(new InvokeCommand({ FunctionName: 'fn', Payload: Buffer.from('not json') })),
    );
    expect(bad.name).toBe('InvalidRequestContentException');
  });

  it('fails with X-Amz-Function-Error at the version error rate', async () => {
    await t.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'broken',
        Role: ROLE,
        Runtime: 'nodejs20.x',
        Handler: 'i.h',
        Code: { ZipFile: zip(1) },
        Environment: { Variables: { LSHIFT_SANDBOX_ERROR_RATE: '1' } },
        Publish: true,
      }),
    );
    const result = await t.lambda.send(new InvokeCommand({ FunctionName: 'broken', Qualifier: '1' }));
    expect(result.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(result.Payload!).toString()).errorMessage).toContain('Simulated failure');
  });
});

describe('TagResource / UntagResource / ListTags', () => {
  it('tags a function ARN, lists and removes tags', async () => {
    await t.lambda.send(
      new TagResourceCommand({
        Resource: ARN,
        Tags: { team: 'payments', 'lshift:live': 'd-1 stable=1 target=2' },
      }),
    );
    expect((await t.lambda.send(new ListTagsCommand({ Resource: ARN }))).Tags).toEqual({
      team: 'payments',
      'lshift:live': 'd-1 stable=1 target=2',
    });
    await t.lambda.send(new UntagResourceCommand({ Resource: ARN, TagKeys: ['team'] }));
    expect((await t.lambda.send(new ListTagsCommand({ Resource: ARN }))).Tags).toEqual({
      'lshift:live': 'd-1 stable=1 target=2',
    });
  });

  it.each([
    ['JSON in a value', { record: '{"a":1}' }, 'Map value must satisfy constraint'],
    [
      'a value over 256 characters',
      { record: 'a'.repeat(257) },
      'Member must have length less than or equal to 256',
    ],
    ['an aws: key', { 'aws:owner': 'me' }, 'Map keys must satisfy constraint'],
  ])('refuses %s like Lambda does', async (_case, tags, message) => {
    const error = await errorOf(() => t.lambda.send(new TagResourceCommand({ Resource: ARN, Tags: tags })));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(message);
  });

  it.each([
    [
      'an empty alias name',
      'fn',
      '',
      "at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
    [
      'an all-digit alias name',
      'fn',
      '123',
      'Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)',
    ],
    ['a space in the alias name', 'fn', 'a b', 'Member must satisfy regular expression pattern'],
    [
      'a 129-character alias name',
      'fn',
      'a'.repeat(129),
      'Member must have length less than or equal to 128',
    ],
    [
      'an empty function name',
      '',
      'live',
      "at 'functionName' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ],
  ])(
    'GetAlias and UpdateAlias refuse %s like Lambda (400 ValidationException)',
    async (_case, fn, name, message) => {
      for (const command of [
        new GetAliasCommand({ FunctionName: fn, Name: name }),
        new UpdateAliasCommand({ FunctionName: fn, Name: name, FunctionVersion: '1' }),
      ]) {
        const error = await errorOf(() => t.lambda.send(command as GetAliasCommand));
        expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ValidationException', 400]);
        expect(error.message).toContain(message);
      }
    },
  );

  it('a qualifier that is no version or alias name is a validation error, not a missing alias', async () => {
    const error = await errorOf(() =>
      t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn', Qualifier: 'a b' })),
    );
    expect([error.name, error.$metadata?.httpStatusCode]).toEqual(['ValidationException', 400]);
    expect(error.message).toContain("Value 'a b' at 'qualifier'");
  });

  it('a trailing slash still lists functions (the AWS CLI sends `GET /2015-03-31/functions/`)', async () => {
    const response = await fetch(`${t.handle.url}/2015-03-31/functions/`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { Functions: unknown[] }).Functions.length).toBeGreaterThan(0);
  });

  it('refuses qualified ARNs and bare names', async () => {
    const qualified = await errorOf(() => t.lambda.send(new ListTagsCommand({ Resource: `${ARN}:live` })));
    expect(qualified.name).toBe('InvalidParameterValueException');
    const bare = await errorOf(() => t.lambda.send(new ListTagsCommand({ Resource: 'fn' })));
    expect(bare.name).toBe('ValidationException');
    const missing = await errorOf(() => t.lambda.send(new ListTagsCommand({ Resource: `${ARN}-gone` })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});
