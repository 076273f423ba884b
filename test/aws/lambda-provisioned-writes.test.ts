/**
 * `deploy --warm`'s two writes through the real SDK client: PutProvisionedConcurrencyConfig and
 * DeleteProvisionedConcurrencyConfig on the new version (exact requests, errors mapped).
 */
import { describe, expect, it } from 'vitest';
import {
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  lambdaError,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';

const PATH = '/2019-09-30/functions/my-fn/provisioned-concurrency';

describe('LambdaAdapter: provisioned concurrency writes (nock against the real SDK client)', () => {
  useNock();

  it('puts the amount on the version qualifier', async () => {
    const log: CapturedRequest[] = [];
    lambdaNock()
      .put(PATH)
      .query({ Qualifier: '7' })
      .reply(
        capture(
          log,
          lambdaJson(
            {
              RequestedProvisionedConcurrentExecutions: 4,
              AllocatedProvisionedConcurrentExecutions: 0,
              Status: 'IN_PROGRESS',
            },
            202,
          ),
        ),
      );
    const lambda = await createTestLambdaAdapter();
    await lambda.putProvisionedConcurrency('my-fn', '7', 4);
    expect(log).toHaveLength(1);
    expect(log[0]!.method).toBe('PUT');
    expect(log[0]!.query.get('Qualifier')).toBe('7');
    expect(log[0]!.body).toEqual({ ProvisionedConcurrentExecutions: 4 });
  });

  it('maps a ResourceConflictException of the put (one config per version) to a typed error', async () => {
    lambdaNock()
      .put(PATH)
      .query(true)
      .reply(...lambdaError(409, 'ResourceConflictException', 'already provisioned through alias live'));
    const lambda = await createTestLambdaAdapter();
    await expect(lambda.putProvisionedConcurrency('my-fn', '7', 4)).rejects.toMatchObject({
      context: { action: 'lambda:PutProvisionedConcurrencyConfig' },
    });
  });

  it('deletes the version qualifier', async () => {
    const log: CapturedRequest[] = [];
    lambdaNock()
      .delete(PATH)
      .query({ Qualifier: '7' })
      .reply(capture(log, [204, '', {}]));
    const lambda = await createTestLambdaAdapter();
    await lambda.deleteProvisionedConcurrency('my-fn', '7');
    expect(log.map((r) => [r.method, r.query.get('Qualifier')])).toEqual([['DELETE', '7']]);
  });

  it('treats a config that is already gone as removed', async () => {
    lambdaNock()
      .delete(PATH)
      .query(true)
      .reply(...lambdaError(404, 'ProvisionedConcurrencyConfigNotFoundException', 'No config found'));
    const lambda = await createTestLambdaAdapter();
    await expect(lambda.deleteProvisionedConcurrency('my-fn', '7')).resolves.toBeUndefined();
  });

  it('maps AccessDenied of the delete to ACCESS_DENIED naming its IAM action', async () => {
    lambdaNock()
      .delete(PATH)
      .query(true)
      .reply(...lambdaError(403, 'AccessDeniedException', 'not authorized'));
    const lambda = await createTestLambdaAdapter();
    await expect(lambda.deleteProvisionedConcurrency('my-fn', '7')).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
      context: { action: 'lambda:DeleteProvisionedConcurrencyConfig' },
    });
  });
});
