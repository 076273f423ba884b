/**
 * Issue 9 case 5 through the real SDK client: UpdateAlias is applied but its response is lost
 * (connection reset), the SDK retries with the same (now stale) RevisionId and Lambda answers
 * 412. The alias step must re-read the alias and recognise its own write. Plus: an endpoint
 * answering with an HTML error page is reported as such, not as a JSON SyntaxError.
 */
import { describe, expect, it } from 'vitest';
import type { LshiftError } from '../../src/domain/errors.js';
import { type AliasCursor, applyStep } from '../../src/engine/alias-step.js';
import {
  aliasConfiguration,
  createTestLambdaAdapter,
  fnPath,
  lambdaError,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';

function cursor(): AliasCursor {
  return {
    functionName: 'my-fn',
    alias: 'live',
    stableVersion: '1',
    targetVersion: '2',
    revisionId: 'alias-rev-1',
    aliasState: { functionVersion: '1', additionalWeights: {} },
    percent: 0,
  };
}

const ALIAS_PATH = fnPath('my-fn', '/aliases/live');

/** The first UpdateAlias "lands" and its connection resets; the SDK's retry meets 412. */
function loseFirstUpdateAliasResponse(): string[] {
  const sent: string[] = [];
  lambdaNock()
    .put(ALIAS_PATH, (body: { RevisionId?: string }) => {
      sent.push(body.RevisionId ?? '');
      return true;
    })
    .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  lambdaNock()
    .put(ALIAS_PATH, (body: { RevisionId?: string }) => {
      sent.push(body.RevisionId ?? '');
      return true;
    })
    .reply(
      ...lambdaError(
        412,
        'PreconditionFailedException',
        'The Revision Id provided does not match the latest Revision Id.',
      ),
    );
  return sent;
}

describe('a lost UpdateAlias response through the real SDK client', () => {
  useNock();

  it('takes the SDK retry’s 412 as its own write when the alias holds exactly what was written', async () => {
    const sent = loseFirstUpdateAliasResponse();
    lambdaNock()
      .get(ALIAS_PATH)
      .reply(
        ...lambdaJson(
          aliasConfiguration({
            RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
            RevisionId: 'alias-rev-2',
          }),
        ),
      );
    const lambda = await createTestLambdaAdapter();
    const c = cursor();
    await applyStep(lambda, c, { percent: 10 });
    expect(sent).toEqual(['alias-rev-1', 'alias-rev-1']); // the SDK retried with the stale RevisionId
    expect(c.revisionId).toBe('alias-rev-2');
    expect(c.percent).toBe(10);
    expect(c.aliasState).toEqual({ functionVersion: '1', additionalWeights: { '2': 0.1 } });
  });

  it('keeps the 412 as a conflict when the alias holds something else, saying what', async () => {
    loseFirstUpdateAliasResponse();
    lambdaNock()
      .get(ALIAS_PATH)
      .reply(
        ...lambdaJson(
          aliasConfiguration({
            RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } },
            RevisionId: 'alias-rev-9',
          }),
        ),
      );
    const lambda = await createTestLambdaAdapter();
    const error = (await applyStep(lambda, cursor(), { percent: 10 }).catch(
      (e: unknown) => e,
    )) as LshiftError;
    expect(error.code).toBe('ALIAS_CHANGED');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain(
      'lshift was writing version 1 + version 2 at 10% and overwrote nothing; the alias now routes version 1 + version 2 at 30%',
    );
    expect(error.hint).toContain('lshift status my-fn --alias live');
  });
});

describe('a 412 to the first attempt', () => {
  useNock();

  it('is someone else even when the alias holds the routing lshift was writing (a concurrent deploy)', async () => {
    lambdaNock()
      .put(ALIAS_PATH)
      .reply(
        ...lambdaError(
          412,
          'PreconditionFailedException',
          'The Revision Id provided does not match the latest Revision Id.',
        ),
      );
    lambdaNock()
      .get(ALIAS_PATH)
      .reply(
        ...lambdaJson(
          aliasConfiguration({
            RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
            RevisionId: 'alias-rev-7',
          }),
        ),
      );
    const lambda = await createTestLambdaAdapter();
    const error = (await applyStep(lambda, cursor(), { percent: 10 }).catch(
      (e: unknown) => e,
    )) as LshiftError;
    expect(error.code).toBe('ALIAS_CHANGED');
    expect(error.message).toContain('the alias now routes version 1 + version 2 at 10%');
  });
});

describe('an endpoint answering with a non-AWS error page', () => {
  useNock();

  it('names the HTTP status and says the answer is not from AWS, without the SDK’s parser noise', async () => {
    lambdaNock()
      .get(ALIAS_PATH)
      .times(3)
      .reply(500, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' });
    const lambda = await createTestLambdaAdapter();
    const error = (await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e)) as LshiftError;
    // No AWS answer came back: NETWORK_ERROR, not an "AWS error" (found by a garbage-input pass).
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(
      'https://lambda.us-east-1.amazonaws.com did not answer lambda:GetAlias on function my-fn alias live like AWS: it sent HTTP 500 with a text/html body that is not an AWS response starting `<html><bod…`. Something other than AWS answered',
    );
    expect(error.message).not.toMatch(/SyntaxError|Unexpected token|\$response/);
  });
});
