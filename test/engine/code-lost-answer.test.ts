/**
 * An UpdateFunctionCode applied whose answer was lost: the SDK's retry carries the RevisionId
 * lshift's own first attempt has just replaced, and meets a 412 (or, while Lambda still applies
 * the first, a 409 "update in progress"), or no attempt is answered at all. It was reported as
 * someone else's change (FUNCTION_CHANGED_ON_RETRY / FUNCTION_BUSY, exit 5). lshift now reads
 * `$LATEST`: its own code and nothing else changed → the deploy goes on; anything else →
 * CODE_UPDATE_UNANSWERED (exit 1), "may have updated the code", no version, no alias touched.
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, type LshiftError, OperationError } from '../../src/domain/errors.js';
import { publishFunction } from '../../src/engine/publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import type { FakeLambda } from '../helpers/fake-lambda.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { ALIAS, createWorld, FN } from './world.js';

const OURS = 'b3Vycy16aXAtc2hhMjU2'; // the package's own CodeSha256, as the CLI computes it
const zip = (codeSha256 = OURS): CodeSource => ({
  kind: 'zip',
  zipFile: tinyZip(),
  fileName: 'code.zip',
  codeSha256,
});

const retried412 = () =>
  new ConflictError('FUNCTION_CHANGED_ON_RETRY', 'lambda:UpdateFunctionCode was retried; 412', {
    context: { functionName: FN, action: 'lambda:UpdateFunctionCode' },
  });
const retried409 = () =>
  new ConflictError('FUNCTION_BUSY', 'Lambda refused lambda:UpdateFunctionCode: update in progress', {
    context: { functionName: FN, action: 'lambda:UpdateFunctionCode', retried: true },
  });
const timedOut = () =>
  new OperationError('NETWORK_ERROR', 'lambda:UpdateFunctionCode got no answer within 300 s.', {
    context: { functionName: FN, action: 'lambda:UpdateFunctionCode' },
  });

/**
 * The next updateCode is lost: applied (unless `applied: false`), then `meanwhile` (someone
 * else), then `error` instead of its answer. Later calls are answered as usual.
 */
function loseNextUpdate(
  lambda: FakeLambda,
  error: Error,
  opts: { applied?: boolean; meanwhile?: () => unknown } = {},
): void {
  const real = lambda.updateCode.bind(lambda);
  let lost = false;
  lambda.updateCode = async (...args) => {
    if (lost) return real(...args);
    lost = true;
    if (opts.applied !== false) await real(...args);
    await opts.meanwhile?.();
    throw error;
  };
}

function infoLines(w: ReturnType<typeof createWorld>): string[] {
  return w.sink
    .ofType('log')
    .filter((e) => e.level === 'info')
    .map((e) => e.message);
}

async function failure(promise: Promise<unknown>): Promise<LshiftError> {
  return (await promise.then(
    () => expect.unreachable('it published'),
    (e: unknown) => e,
  )) as LshiftError;
}

describe('publishFunction whose UpdateFunctionCode answer was lost', () => {
  it.each([
    ['a 412 to the retry', retried412],
    ['a 409 to the retry (the first still being applied)', retried409],
    ['no answer to any attempt', timedOut],
  ])('goes on with its own upload after %s, saying so', async (_, error) => {
    const w = createWorld();
    loseNextUpdate(w.lambda, error());
    const published = await publishFunction(w.deps, { functionName: FN, source: zip() });
    expect(published).toMatchObject({ version: '3', codeSha256: OURS, created: true });
    expect(w.lambda.callsOf('updateCode')).toHaveLength(1);
    expect(w.sink.ofType('publish.code-updated')).toMatchObject([{ codeSha256: OURS }]);
    expect(infoLines(w).join('\n')).toContain(`UpdateFunctionCode on ${FN} got no answer`);
    expect(infoLines(w).join('\n')).toContain('$LATEST holds exactly the code lshift uploaded');
  });

  it('goes on with its own image (the ImageUri it sent, its digest)', async () => {
    const repo = '123456789012.dkr.ecr.us-east-1.amazonaws.com/demo';
    const w = createWorld();
    w.lambda.addFunction('img', { imageUri: `${repo}:v1` });
    const image: CodeSource = { kind: 'image', imageUri: `${repo}@sha256:${'2'.repeat(64)}` };
    loseNextUpdate(w.lambda, retried412());
    const published = await publishFunction(w.deps, { functionName: 'img', source: image });
    expect(published).toMatchObject({ version: '1', codeSha256: `sha256:${'2'.repeat(64)}` });
  });

  type World = ReturnType<typeof createWorld>;
  it.each([
    ['holds other code', (w: World) => w.lambda.updateCode(FN, zip('c29tZW9uZQ=='))],
    ['differs in role', (w: World) => w.lambda.configureLatest(FN, { role: 'r2' })],
    ['has another description', (w: World) => w.lambda.configureLatest(FN, { description: 'theirs' })],
  ])('is CODE_UPDATE_UNANSWERED (exit 1) when $LATEST then %s', async (why, meanwhile) => {
    const w = createWorld();
    loseNextUpdate(w.lambda, retried412(), { meanwhile: () => meanwhile(w) });
    const error = await failure(publishFunction(w.deps, { functionName: FN, source: zip() }));
    expect(error).toMatchObject({ code: 'CODE_UPDATE_UNANSWERED', exitCode: 1 });
    expect(error.message).toContain(why);
    expect(error.message).toContain('may have updated the code');
    expect(error.message).toContain('No version was published and no alias was touched');
    expect(error.message).not.toMatch(/someone else/i);
    expect(w.lambda.callsOf('publishVersion')).toHaveLength(0);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(0);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1' });
  });

  it('is CODE_UPDATE_UNANSWERED when no attempt was answered and $LATEST is as it was: it may still land', async () => {
    const w = createWorld();
    loseNextUpdate(w.lambda, timedOut(), { applied: false });
    const error = await failure(publishFunction(w.deps, { functionName: FN, source: zip() }));
    expect(error).toMatchObject({ code: 'CODE_UPDATE_UNANSWERED', exitCode: 1 });
    expect(error.message).toContain('still has the RevisionId it had before the update');
    expect(error.hint).toContain('Run the same command again');
  });

  it('is CODE_UPDATE_UNANSWERED for S3 code, whose CodeSha256 lshift cannot know', async () => {
    const w = createWorld();
    loseNextUpdate(w.lambda, retried412());
    const s3: CodeSource = { kind: 's3', bucket: 'b', key: 'k.zip' };
    const error = await failure(publishFunction(w.deps, { functionName: FN, source: s3 }));
    expect(error).toMatchObject({ code: 'CODE_UPDATE_UNANSWERED', exitCode: 1 });
    expect(error.message).toContain('s3://b/k.zip');
  });

  it('is CODE_UPDATE_UNANSWERED when $LATEST cannot be read after it', async () => {
    const w = createWorld();
    loseNextUpdate(w.lambda, retried412());
    w.lambda.fail({ op: 'getFunction', nth: 2, error: timedOut() });
    const error = await failure(publishFunction(w.deps, { functionName: FN, source: zip() }));
    expect(error).toMatchObject({ code: 'CODE_UPDATE_UNANSWERED', exitCode: 1 });
    expect(error.message).toContain('$LATEST could not be read');
  });

  it('keeps a 412 to the only attempt as someone else’s change (FUNCTION_CHANGED, exit 5)', async () => {
    const w = createWorld();
    const conflict = new ConflictError('FUNCTION_CHANGED', 'Someone else changed function demo', {
      context: { functionName: FN, action: 'lambda:UpdateFunctionCode' },
    });
    loseNextUpdate(w.lambda, conflict, { applied: false });
    await expect(publishFunction(w.deps, { functionName: FN, source: zip() })).rejects.toBe(conflict);
  });

  it('keeps a 409 to the only attempt, a refusal before acting (notApplied) and a Ctrl-C as they are', async () => {
    const busy = new ConflictError('FUNCTION_BUSY', 'update in progress', {
      context: { action: 'lambda:UpdateFunctionCode' },
    });
    const refused = new OperationError('NETWORK_ERROR', 'connection refused', {
      context: { action: 'lambda:UpdateFunctionCode', notApplied: true },
    });
    const interrupted = new OperationError('INTERRUPTED', 'abandoned', {
      context: { action: 'lambda:UpdateFunctionCode' },
    });
    for (const error of [busy, refused]) {
      const w = createWorld();
      loseNextUpdate(w.lambda, error, { applied: false });
      await expect(publishFunction(w.deps, { functionName: FN, source: zip() })).rejects.toBe(error);
    }
    // A Ctrl-C is not taken for a lost answer either; only its hint now says the code may have
    // been replaced, where the call's own pointed at the alias (publish.ts sayWhatChanged).
    const w = createWorld();
    loseNextUpdate(w.lambda, interrupted, { applied: false });
    await expect(publishFunction(w.deps, { functionName: FN, source: zip() })).rejects.toMatchObject({
      code: 'INTERRUPTED',
      message: 'abandoned',
      context: { action: 'lambda:UpdateFunctionCode' },
      hint: expect.stringContaining(`The code of function ${FN} ($LATEST) may have been replaced`),
    });
  });
});
