import { describe, expect, it } from 'vitest';
import { ConflictError, OperationError, UsageError } from '../../src/domain/errors.js';
import type { EngineEvent } from '../../src/domain/events.js';
import {
  checkMemorySize,
  checkTimeout,
  checkZipSize,
  formatBytes,
  LAMBDA_LIMITS,
} from '../../src/domain/limits.js';
import { describePublishChanges, publishFunction, startPublishChanges } from '../../src/engine/publish.js';
import type { Clock } from '../../src/ports/clock.js';
import type { CodeSource, FunctionInfo, PublishedVersion } from '../../src/ports/lambda.js';
import {
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  fnPath,
  functionConfiguration,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';
import { lambdaStub } from '../helpers/lambda-stub.js';

function fakeClock(start = 1_000): Clock {
  let now = start;
  return {
    now: () => now++,
    elapsedMs: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

function info(overrides: Partial<FunctionInfo> = {}): FunctionInfo {
  return {
    functionName: 'my-fn',
    functionArn: 'arn:aws:lambda:us-east-1:1:function:my-fn',
    version: '$LATEST',
    codeSha256: 'sha-old',
    role: 'arn:aws:iam::1:role/r',
    revisionId: 'rev-1',
    packageType: 'Zip',
    state: 'Active',
    lastUpdateStatus: 'Successful',
    ...overrides,
  };
}

/** Records calls; $LATEST changes when code is uploaded. Unused methods throw. */
function fakeLambda(
  opts: { latest?: FunctionInfo; published?: PublishedVersion; publishError?: Error } = {},
) {
  const calls: string[] = [];
  let latest = opts.latest ?? info();
  const lambda = lambdaStub({
    getFunction: async (fn, q) => {
      calls.push(`getFunction ${fn} ${q ?? '$LATEST'}`);
      return latest;
    },
    updateCode: async (fn, source, revisionId) => {
      calls.push(`updateCode ${fn} ${source.kind} ${revisionId}`);
      latest = info({ codeSha256: 'sha-new', revisionId: 'rev-2', lastUpdateStatus: 'InProgress' });
      return latest;
    },
    waitUntilUpdated: async (fn) => {
      calls.push(`waitUntilUpdated ${fn}`);
      latest = { ...latest, lastUpdateStatus: 'Successful', revisionId: `${latest.revisionId}-done` };
      return latest;
    },
    publishVersion: async (fn, o) => {
      calls.push(`publishVersion ${fn} ${o.codeSha256} ${o.revisionId} ${o.description ?? '-'}`);
      if (opts.publishError) throw opts.publishError;
      return opts.published ?? { functionName: fn, version: '8', codeSha256: o.codeSha256, created: true };
    },
    waitUntilActive: async (fn, v) => {
      calls.push(`waitUntilActive ${fn} ${v}`);
      return info({ version: v });
    },
  });
  return { lambda, calls };
}

function setup(opts: Parameters<typeof fakeLambda>[0] = {}) {
  const { lambda, calls } = fakeLambda(opts);
  const events: EngineEvent[] = [];
  const deps = { lambda, clock: fakeClock(), events: { emit: (e: EngineEvent) => events.push(e) } };
  return { deps, calls, events };
}

const zip = (bytes: number): CodeSource => ({
  kind: 'zip',
  zipFile: new Uint8Array(bytes),
  fileName: 'app.zip',
});

describe('publishFunction', () => {
  it('uploads code with the RevisionId, waits, publishes pinned to the new $LATEST, waits for Active', async () => {
    const { deps, calls, events } = setup();
    const result = await publishFunction(deps, {
      functionName: 'my-fn',
      source: zip(10),
      description: 'build 42',
    });
    expect(calls).toEqual([
      'getFunction my-fn $LATEST',
      'updateCode my-fn zip rev-1',
      'waitUntilUpdated my-fn',
      'getFunction my-fn $LATEST',
      'publishVersion my-fn sha-new rev-2-done build 42',
      'waitUntilActive my-fn 8',
    ]);
    expect(result).toEqual({ functionName: 'my-fn', version: '8', codeSha256: 'sha-new', created: true });
    expect(events).toEqual([
      { type: 'publish.started', at: 1000, functionName: 'my-fn' },
      { type: 'publish.code-updated', at: 1001, functionName: 'my-fn', codeSha256: 'sha-new' },
      { type: 'publish.completed', at: 1002, functionName: 'my-fn', version: '8', created: true },
    ]);
  });

  it('publishes the current $LATEST without uploading when no source is given', async () => {
    const { deps, calls, events } = setup({
      published: { functionName: 'my-fn', version: '7', codeSha256: 'sha-old', created: false },
    });
    const result = await publishFunction(deps, { functionName: 'my-fn' });
    expect(calls).toEqual([
      'waitUntilUpdated my-fn',
      'getFunction my-fn $LATEST',
      'publishVersion my-fn sha-old rev-1-done -',
      'waitUntilActive my-fn 7',
    ]);
    expect(result.created).toBe(false);
    expect(events.at(-1)).toMatchObject({ type: 'publish.completed', version: '7', created: false });
  });

  it('waits for an update already in progress before uploading (Lambda would answer 409)', async () => {
    const { deps, calls } = setup({ latest: info({ lastUpdateStatus: 'InProgress' }) });
    await publishFunction(deps, { functionName: 'my-fn', source: { kind: 's3', bucket: 'b', key: 'k' } });
    expect(calls.slice(0, 3)).toEqual([
      'getFunction my-fn $LATEST',
      'waitUntilUpdated my-fn',
      'updateCode my-fn s3 rev-1-done',
    ]);
  });

  it('refuses a zip over 50 MB before any AWS call, stating size and limit', async () => {
    const { deps, calls, events } = setup();
    const error = await publishFunction(deps, {
      functionName: 'my-fn',
      source: zip(LAMBDA_LIMITS.zipUploadBytes + 1),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'ZIP_TOO_LARGE', exitCode: 2 });
    expect((error as UsageError).message).toContain('52428801 bytes');
    expect((error as UsageError).message).toContain('50.0 MB');
    expect((error as UsageError).hint).toContain('--s3-bucket');
    expect(calls).toEqual([]);
    expect(events).toEqual([]);
  });

  it('refuses a description over Lambda’s 256 characters before any AWS call (256 in emoji pass: characters, not bytes)', async () => {
    const { deps, calls, events } = setup();
    const error = await publishFunction(deps, {
      functionName: 'my-fn',
      source: zip(10),
      description: 'd'.repeat(257),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DESCRIPTION_TOO_LONG', exitCode: 2 });
    expect(calls).toEqual([]);
    expect(events).toEqual([]);
    await publishFunction(deps, { functionName: 'my-fn', description: '🚀'.repeat(256) });
    expect(calls.length).toBeGreaterThan(0);
  });

  it('refuses an image for a Zip function before uploading', async () => {
    const { deps, calls } = setup();
    await expect(
      publishFunction(deps, { functionName: 'my-fn', source: { kind: 'image', imageUri: 'repo/app:1' } }),
    ).rejects.toMatchObject({ code: 'PACKAGE_TYPE_MISMATCH', exitCode: 2 });
    expect(calls).toEqual(['getFunction my-fn $LATEST']);
  });

  // Found by a hostile pass: SIGHUP after "publish: code updated" said "It only read: nothing was
  // changed" while $LATEST ran the new code.
  const abandoned = (operation: string) =>
    new OperationError(
      'INTERRUPTED',
      `${operation} on function my-fn was abandoned: interrupted by SIGHUP.`,
      {
        hint: 'It only read: nothing was changed.',
      },
    );

  it('interrupted after the code upload: the hint says $LATEST has the new code, no version, no alias moved', async () => {
    const { deps } = setup();
    deps.lambda.waitUntilUpdated = async () => {
      throw abandoned('lambda:GetFunctionConfiguration');
    };
    const error = await publishFunction(deps, { functionName: 'my-fn', source: zip(10) }).catch((e) => e);
    expect(error).toBeInstanceOf(OperationError);
    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(error.message).toContain('lambda:GetFunctionConfiguration on function my-fn was abandoned');
    expect(error.hint).toBe(
      'lshift had already replaced the code of function my-fn ($LATEST, CodeSha256 sha-new): unqualified invokes run it. No version was published; no alias moved. Run the same deploy again: it reuses the code and any version already published.',
    );
  });

  it('interrupted during PublishVersion: a version may have been published, no alias moved', async () => {
    const { deps } = setup({ publishError: abandoned('lambda:PublishVersion') });
    const error = await publishFunction(deps, { functionName: 'my-fn' }).catch((e) => e);
    expect(error.hint).toBe(
      'A version of my-fn may have been published (`aws lambda list-versions-by-function --function-name my-fn` lists them); no alias moved. Run the same deploy again: it reuses the code and any version already published.',
    );
  });

  it('interrupted during the upload: the code may have been replaced (not "see the alias")', async () => {
    const { deps } = setup();
    deps.lambda.updateCode = async () => {
      throw abandoned('lambda:UpdateFunctionCode');
    };
    const error = await publishFunction(deps, { functionName: 'my-fn', source: zip(10) }).catch((e) => e);
    expect(error.hint).toBe(
      'The code of function my-fn ($LATEST) may have been replaced: unqualified invokes would run it. No version was published; no alias moved. Run the same deploy again: it reuses the code and any version already published.',
    );
  });

  it('interrupted while waiting for the version to be Active: names the version published', async () => {
    const { deps } = setup();
    deps.lambda.waitUntilActive = async () => {
      throw abandoned('lambda:GetFunction');
    };
    const error = await publishFunction(deps, { functionName: 'my-fn', source: zip(10) }).catch((e) => e);
    expect(error.hint).toBe(
      'lshift had already replaced the code of function my-fn ($LATEST, CodeSha256 sha-new): unqualified invokes run it. Version 8 of my-fn was published, and no alias routes to it; no alias moved. Run the same deploy again: it reuses the code and any version already published.',
    );
  });

  it('interrupted before anything changed (no upload, before PublishVersion): the call’s own hint', async () => {
    const { deps } = setup();
    const interrupted = abandoned('lambda:GetFunctionConfiguration');
    deps.lambda.waitUntilUpdated = async () => {
      throw interrupted;
    };
    await expect(publishFunction(deps, { functionName: 'my-fn' })).rejects.toBe(interrupted);
  });

  it('`lshift publish` interrupted between calls (the upload answered): stops before the next call, saying $LATEST has the new code', async () => {
    const { deps, calls } = setup();
    const controller = new AbortController();
    const changes = startPublishChanges('my-fn', 'publish');
    const upload = deps.lambda.updateCode;
    deps.lambda.updateCode = async (...a) => {
      const answer = await upload(...a);
      controller.abort(new Error('interrupted by SIGTERM'));
      return answer;
    };
    const error = await publishFunction(deps, {
      functionName: 'my-fn',
      source: zip(10),
      signal: controller.signal,
      changes,
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(error.message).toBe(
      'interrupted by SIGTERM: lshift stopped publishing function my-fn before its next call.',
    );
    expect(error.hint).toBe(
      'lshift had already replaced the code of function my-fn ($LATEST, CodeSha256 sha-new): unqualified invokes run it. No version was published; no alias moved. Run the same publish again: it uploads the same code, and Lambda returns the version already published when nothing changed since.',
    );
    expect(describePublishChanges(changes)).toBe(error.hint);
    expect(calls).toEqual(['getFunction my-fn $LATEST', 'updateCode my-fn zip rev-1']);
  });

  it('`lshift publish` of $LATEST interrupted during PublishVersion: the rerun hint says nothing of an upload', async () => {
    const { deps } = setup({ publishError: abandoned('lambda:PublishVersion') });
    const changes = startPublishChanges('my-fn', 'publish');
    const error = await publishFunction(deps, { functionName: 'my-fn', changes }).catch((e) => e);
    expect(error.hint).toBe(
      'A version of my-fn may have been published (`aws lambda list-versions-by-function --function-name my-fn` lists them); no alias moved. Run the same publish again: Lambda returns the version already published when nothing changed since.',
    );
  });

  it('`lshift publish` interrupted before its first call: nothing called, "it only read"', async () => {
    const { deps, calls } = setup();
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGINT'));
    const error = await publishFunction(deps, {
      functionName: 'my-fn',
      source: zip(10),
      signal: controller.signal,
    }).catch((e) => e);
    expect(error).toMatchObject({ code: 'INTERRUPTED', hint: 'It only read: nothing was changed.' });
    expect(calls).toEqual([]);
  });

  it('propagates a 412 from PublishVersion and emits no completed event', async () => {
    const conflict = new ConflictError('FUNCTION_CHANGED', 'changed');
    const { deps, calls, events } = setup({ publishError: conflict });
    await expect(publishFunction(deps, { functionName: 'my-fn' })).rejects.toBe(conflict);
    expect(calls.at(-1)).toMatch(/^publishVersion/);
    expect(events.map((e) => e.type)).toEqual(['publish.started']);
  });
});

describe('publishFunction through the real SDK client (nock)', () => {
  useNock();

  it('sends UpdateFunctionCode, polls, then PublishVersion with the CodeSha256 + RevisionId it read', async () => {
    const log: CapturedRequest[] = [];
    const configPath = fnPath('my-fn', '/configuration');
    lambdaNock()
      .get(configPath)
      .reply(200, functionConfiguration({ RevisionId: 'rev-1' }));
    lambdaNock()
      .put(fnPath('my-fn', '/code'))
      .reply(
        capture(
          log,
          lambdaJson(
            functionConfiguration({
              CodeSha256: 'sha-new',
              RevisionId: 'rev-2',
              LastUpdateStatus: 'InProgress',
            }),
          ),
        ),
      );
    lambdaNock()
      .get(fnPath('my-fn'))
      .reply(200, {
        Configuration: functionConfiguration({
          CodeSha256: 'sha-new',
          RevisionId: 'rev-2',
          LastUpdateStatus: 'InProgress',
        }),
      });
    lambdaNock()
      .get(fnPath('my-fn'))
      .reply(200, { Configuration: functionConfiguration({ CodeSha256: 'sha-new', RevisionId: 'rev-3' }) });
    lambdaNock()
      .get(configPath)
      .reply(200, functionConfiguration({ CodeSha256: 'sha-new', RevisionId: 'rev-3' }));
    lambdaNock()
      .get(fnPath('my-fn', '/versions'))
      .query(true)
      .reply(200, { Versions: [functionConfiguration(), functionConfiguration({ Version: '1' })] });
    lambdaNock()
      .post(fnPath('my-fn', '/versions'))
      .reply(capture(log, lambdaJson(functionConfiguration({ Version: '2', CodeSha256: 'sha-new' }), 201)));
    lambdaNock()
      .get(fnPath('my-fn'))
      .query({ Qualifier: '2' })
      .reply(200, { Configuration: functionConfiguration({ Version: '2', State: 'Active' }) });

    const lambda = await createTestLambdaAdapter();
    const events: EngineEvent[] = [];
    const result = await publishFunction(
      { lambda, clock: fakeClock(), events: { emit: (e) => events.push(e) } },
      { functionName: 'my-fn', source: zip(3) },
    );
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /2015-03-31/functions/my-fn/code',
      'POST /2015-03-31/functions/my-fn/versions',
    ]);
    expect(log[0]!.body).toEqual({ ZipFile: 'AAAA', Publish: false, RevisionId: 'rev-1' });
    expect(log[1]!.body).toEqual({ CodeSha256: 'sha-new', RevisionId: 'rev-3' });
    expect(result).toEqual({ functionName: 'my-fn', version: '2', codeSha256: 'sha-new', created: true });
  });
});

describe('Lambda limits (table)', () => {
  it.each([
    [0, true],
    [LAMBDA_LIMITS.zipUploadBytes, true],
    [LAMBDA_LIMITS.zipUploadBytes + 1, false],
    [200 * 1024 * 1024, false],
  ])('checkZipSize(%i) passes: %s', (bytes, ok) => {
    if (ok) expect(() => checkZipSize(bytes)).not.toThrow();
    else expect(() => checkZipSize(bytes)).toThrow(expect.objectContaining({ code: 'ZIP_TOO_LARGE' }));
  });

  it.each([
    [512, '512 B'],
    [2048, '2.0 KB'],
    [LAMBDA_LIMITS.zipUploadBytes, '50.0 MB'],
    [LAMBDA_LIMITS.imageBytes, '10.0 GB'],
  ])('formatBytes(%i) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it.each([
    [128, undefined],
    [10_240, undefined],
    [127, 'memory 127 MB is outside 128–10240 MB'],
    [10_241, 'memory 10241 MB is outside 128–10240 MB'],
  ])('checkMemorySize(%i)', (mb, problem) => {
    expect(checkMemorySize(mb)).toBe(problem);
  });

  it.each([
    [1, undefined],
    [900, undefined],
    [0, 'timeout 0 s is outside 1–900 s'],
    [901, 'timeout 901 s is outside 1–900 s'],
  ])('checkTimeout(%i)', (seconds, problem) => {
    expect(checkTimeout(seconds)).toBe(problem);
  });
});
