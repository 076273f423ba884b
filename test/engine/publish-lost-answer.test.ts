/**
 * A PublishVersion applied whose answer was lost (found by a hostile pass with a proxy that lets
 * the request through and never answers): the SDK's retry meets a 412, or no attempt is answered.
 * lshift's own publish is recognised from the versions and the deploy goes on with it; when the
 * versions do not show it, PUBLISH_UNANSWERED (exit 1) says a version may have been published and
 * no alias was touched — never "someone else changed the function" (exit 5).
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, type LshiftError, OperationError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import { publishFunction } from '../../src/engine/publish.js';
import type { FunctionInfo } from '../../src/ports/lambda.js';
import {
  createTestLambdaAdapter,
  fnPath,
  functionConfiguration,
  lambdaError,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { lambdaStub } from '../helpers/lambda-stub.js';

function info(overrides: Partial<FunctionInfo> = {}): FunctionInfo {
  return {
    functionName: 'my-fn',
    functionArn: 'arn:aws:lambda:us-east-1:1:function:my-fn',
    version: '$LATEST',
    codeSha256: 'sha-new',
    role: 'arn:aws:iam::1:role/r',
    revisionId: 'rev-1',
    packageType: 'Zip',
    state: 'Active',
    lastUpdateStatus: 'Successful',
    settings: { memory: '128', runtime: '"nodejs20.x"' },
    ...overrides,
  };
}

const retried412 = () =>
  new ConflictError('FUNCTION_CHANGED_ON_RETRY', 'lambda:PublishVersion was retried; 412', {
    context: { functionName: 'my-fn', action: 'lambda:PublishVersion' },
  });
const timedOut = () =>
  new OperationError('NETWORK_ERROR', 'lambda:PublishVersion got no answer within 10 s.', {
    context: { functionName: 'my-fn', action: 'lambda:PublishVersion' },
  });

/**
 * `$LATEST` as read before the publish; `versions` as listed after it (the lost attempt's
 * version, if it landed, among them); `latestAfter`: `$LATEST` read after it.
 */
function world(opts: { publishError: Error; versions: FunctionInfo[] | Error; latestAfter?: FunctionInfo }) {
  let published = false;
  const events: EngineEvent[] = [];
  const lambda = lambdaStub({
    waitUntilUpdated: async () => info(),
    getFunction: async (_fn, q) => {
      if (!q) return published && opts.latestAfter ? opts.latestAfter : info();
      const found = Array.isArray(opts.versions) ? opts.versions.find((v) => v.version === q) : undefined;
      if (!found) throw new Error(`no version ${q}`);
      return found;
    },
    listVersions: async () => {
      if (opts.versions instanceof Error) throw opts.versions;
      return opts.versions;
    },
    publishVersion: async () => {
      published = true;
      throw opts.publishError;
    },
    waitUntilActive: async (_fn, v) => info({ version: v }),
  });
  const deps = { lambda, clock: new FakeClock(), events: { emit: (e: EngineEvent) => events.push(e) } };
  return { deps, events };
}

const v7 = info({ version: '7', codeSha256: 'sha-old', revisionId: 'v7' });
const v8 = info({ version: '8', revisionId: 'v8' });

describe('publishFunction whose PublishVersion answer was lost', () => {
  it('goes on with the newest version when it holds the code and settings it published (412 on the retry): created', async () => {
    const { deps, events } = world({ publishError: retried412(), versions: [v7, v8] });
    const result = await publishFunction(deps, { functionName: 'my-fn' });
    expect(result).toEqual({ functionName: 'my-fn', version: '8', codeSha256: 'sha-new', created: true });
    expect(events.at(-1)).toMatchObject({ type: 'publish.completed', version: '8', created: true });
    const said = events.find((e) => e.type === 'log');
    expect(said).toMatchObject({ level: 'info' });
    expect(said && 'message' in said ? said.message : '').toContain('version 8, the newest');
  });

  it('after every attempt timed out, tells created from $LATEST’s RevisionId read again', async () => {
    const moved = world({
      publishError: timedOut(),
      versions: [v7, v8],
      latestAfter: info({ revisionId: 'rev-2' }),
    });
    expect(await publishFunction(moved.deps, { functionName: 'my-fn' })).toMatchObject({
      version: '8',
      created: true,
    });
    const still = world({ publishError: timedOut(), versions: [v7, v8], latestAfter: info() });
    expect(await publishFunction(still.deps, { functionName: 'my-fn' })).toMatchObject({
      version: '8',
      created: false,
    });
  });

  it.each([
    ['holds other code', [v7]],
    ['differs in memory', [v7, info({ version: '8', settings: { memory: '256', runtime: '"nodejs20.x"' } })]],
    ['has another description', [v7, info({ version: '8', description: 'someone else' })]],
  ])('is PUBLISH_UNANSWERED (exit 1) when the newest version %s', async (why, versions) => {
    const { deps } = world({ publishError: retried412(), versions });
    const error = (await publishFunction(deps, { functionName: 'my-fn' }).catch(
      (e: unknown) => e,
    )) as LshiftError;
    expect(error).toMatchObject({ code: 'PUBLISH_UNANSWERED', exitCode: 1 });
    expect(error.message).toContain(why);
    expect(error.message).toContain('may have published a version');
    expect(error.message).toContain('No alias was touched');
    expect(error.message).not.toContain('Someone else');
  });

  it('is PUBLISH_UNANSWERED (exit 1) when the versions cannot be read', async () => {
    const { deps } = world({ publishError: timedOut(), versions: timedOut() });
    const error = (await publishFunction(deps, { functionName: 'my-fn' }).catch(
      (e: unknown) => e,
    )) as LshiftError;
    expect(error).toMatchObject({ code: 'PUBLISH_UNANSWERED', exitCode: 1 });
    expect(error.message).toContain('the versions could not be read');
    expect(error.hint).toContain('Run the same command again');
  });

  it('keeps a 412 to the first attempt as someone else’s change (FUNCTION_CHANGED, exit 5)', async () => {
    const conflict = new ConflictError('FUNCTION_CHANGED', 'changed', {
      context: { action: 'lambda:PublishVersion' },
    });
    const { deps } = world({ publishError: conflict, versions: [v7, v8] });
    await expect(publishFunction(deps, { functionName: 'my-fn' })).rejects.toBe(conflict);
  });

  it('keeps a refusal AWS made before acting (notApplied) and a Ctrl-C as they are', async () => {
    const refused = new OperationError('NETWORK_ERROR', 'connection refused', {
      context: { action: 'lambda:PublishVersion', notApplied: true },
    });
    await expect(
      publishFunction(world({ publishError: refused, versions: [v7, v8] }).deps, { functionName: 'my-fn' }),
    ).rejects.toBe(refused);
    const interrupted = new OperationError('INTERRUPTED', 'abandoned', {
      context: { action: 'lambda:PublishVersion' },
    });
    // As it is: not taken for a lost answer; only its hint now says a version may have been
    // published (publish.ts sayWhatChanged).
    await expect(
      publishFunction(world({ publishError: interrupted, versions: [v7, v8] }).deps, {
        functionName: 'my-fn',
      }),
    ).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: 'abandoned',
      context: { action: 'lambda:PublishVersion' },
      hint: expect.stringContaining('A version of my-fn may have been published'),
    });
  });
});

describe('a lost PublishVersion answer through the real SDK client (nock)', () => {
  useNock();

  it('takes the retry’s 412 as its own publish when the newest version is what it published', async () => {
    lambdaNock().get(fnPath('my-fn')).reply(200, { Configuration: functionConfiguration() });
    lambdaNock().get(fnPath('my-fn', '/configuration')).reply(200, functionConfiguration());
    const versionsPath = fnPath('my-fn', '/versions');
    lambdaNock()
      .get(versionsPath)
      .query(true)
      .reply(200, {
        Versions: [functionConfiguration(), functionConfiguration({ Version: '1', CodeSha256: 'sha-1' })],
      });
    // Applied, its answer lost; the SDK's retry carries the RevisionId the publish just changed.
    lambdaNock()
      .post(versionsPath)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    lambdaNock()
      .post(versionsPath)
      .reply(
        ...lambdaError(
          412,
          'PreconditionFailedException',
          'The Revision Id provided does not match the latest Revision Id.',
        ),
      );
    lambdaNock()
      .get(versionsPath)
      .query(true)
      .reply(200, {
        Versions: [
          functionConfiguration({ RevisionId: 'rev-after' }),
          functionConfiguration({ Version: '1', CodeSha256: 'sha-1' }),
          functionConfiguration({ Version: '2' }),
        ],
      });
    lambdaNock()
      .get(fnPath('my-fn', '/configuration'))
      .query({ Qualifier: '2' })
      .reply(200, functionConfiguration({ Version: '2', RevisionId: 'rev-v2' }));
    lambdaNock()
      .get(fnPath('my-fn'))
      .query({ Qualifier: '2' })
      .reply(200, { Configuration: functionConfiguration({ Version: '2' }) });
    const lambda = await createTestLambdaAdapter();
    const result = await publishFunction(
      { lambda, clock: new FakeClock(), events: { emit: () => {} } },
      { functionName: 'my-fn' },
    );
    expect(result).toEqual({ functionName: 'my-fn', version: '2', codeSha256: 'sha-latest', created: true });
  });
});
