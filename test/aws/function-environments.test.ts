/**
 * The Lambda client hands every function environment value it reads to KnownSecrets, whatever the
 * call (found by a hostile pass: a hook printing `get-function-configuration --output text`
 * showed them bare). Through the real SDK client and nock.
 */
import { describe, expect, it } from 'vitest';
import { environmentValuesIn, identifiersIn } from '../../src/aws/function-environments.js';
import { KnownSecrets } from '../../src/domain/output-secrets.js';
import {
  createTestLambdaAdapter,
  fnPath,
  functionConfiguration,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';

describe('function environments read by the Lambda client', () => {
  useNock();

  it('keeps the values of a configuration read, never the names, and not the short ones', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/configuration'))
      .query(true)
      .reply(
        ...lambdaJson(
          functionConfiguration({
            Environment: { Variables: { DB_PASSWORD: 'hunter2hunter2', STAGE: 'production', DEBUG: '1' } },
          }),
        ),
      );
    const known = new KnownSecrets();
    const lambda = await createTestLambdaAdapter({ known });
    await lambda.getFunction('my-fn');
    expect(known.values()).toEqual(['hunter2hunter2', 'production']);
  });

  it('keeps those of every version a listing carries', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/versions'))
      .query(true)
      .reply(
        ...lambdaJson({
          Versions: [
            functionConfiguration({
              Version: '1',
              Environment: { Variables: { API_KEY: 'old-key-value-1' } },
            }),
            functionConfiguration({
              Version: '2',
              Environment: { Variables: { API_KEY: 'new-key-value-22' } },
            }),
          ],
        }),
      );
    const known = new KnownSecrets();
    const lambda = await createTestLambdaAdapter({ known });
    await lambda.listVersions('my-fn');
    expect(known.values()).toEqual(['new-key-value-22', 'old-key-value-1']);
  });

  it('finds them in GetFunction’s Configuration too, and nothing else', () => {
    expect(
      environmentValuesIn({
        Configuration: { Environment: { Variables: { A: 'aaaaaaaaaa' }, Error: { Message: 'm' } } },
        Tags: { Environment: 'production-tag' },
      }),
    ).toEqual(['aaaaaaaaaa']);
  });

  it('spares the names the calls carry (the function, its ARN, an alias, a version, the region): never masked', async () => {
    lambdaNock()
      .get(fnPath('orders-service', '/configuration'))
      .query(true)
      .reply(
        ...lambdaJson(
          functionConfiguration({
            FunctionName: 'orders-service',
            FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-service',
            Environment: {
              Variables: {
                SERVICE_NAME: 'orders-service',
                STAGE: 'production',
                HOME_REGION: 'us-east-1',
                DB_PASSWORD: 'hunter2hunter2',
              },
            },
          }),
        ),
      );
    lambdaNock()
      .get(fnPath('orders-service', '/aliases/production'))
      .reply(
        ...lambdaJson({
          Name: 'production',
          FunctionVersion: '1',
          AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders-service:production',
        }),
      );
    const known = new KnownSecrets();
    const lambda = await createTestLambdaAdapter({ known });
    await lambda.getFunction('orders-service');
    expect(known.values()).toEqual(['hunter2hunter2', 'production']);
    await lambda.getAlias('orders-service', 'production');
    expect(known.values()).toEqual(['hunter2hunter2']);
  });

  it('takes names from requests and answers, never from an environment', () => {
    expect(
      identifiersIn({
        Aliases: [{ Name: 'production', AliasArn: 'arn:a', FunctionVersion: '3' }],
        Environment: { Variables: { FunctionName: 'not-a-name' } },
        Qualifier: 'blue',
      }),
    ).toEqual(['production', 'arn:a', '3', 'blue']);
  });
});
