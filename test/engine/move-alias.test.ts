import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  type LshiftError,
  OperationError,
  PreflightError,
  UsageError,
} from '../../src/domain/errors.js';
import { moveAlias } from '../../src/engine/move-alias.js';
import { createNativeTrafficDriver } from '../../src/engine/native-traffic-driver.js';
import type { AliasInfo, AliasWrite, FunctionInfo } from '../../src/ports/lambda.js';
import type { TrafficDriver } from '../../src/ports/traffic-driver.js';
import {
  aliasConfiguration,
  type CapturedRequest,
  capture,
  createTestLambdaAdapter,
  fnPath,
  functionConfiguration,
  lambdaError,
  lambdaJson,
  lambdaNock,
  useNock,
} from '../helpers/aws-nock.js';
import { lambdaStub } from '../helpers/lambda-stub.js';

function version(v: string, overrides: Partial<FunctionInfo> = {}): FunctionInfo {
  return {
    functionName: 'my-fn',
    functionArn: `arn:aws:lambda:us-east-1:1:function:my-fn:${v}`,
    version: v,
    codeSha256: `sha-${v}`,
    role: 'arn:aws:iam::1:role/r',
    revisionId: `rev-${v}`,
    packageType: 'Zip',
    state: 'Active',
    ...overrides,
  };
}

interface FakeOptions {
  versions?: Record<string, FunctionInfo>;
  /** The function itself does not exist (an unqualified read fails too). */
  functionMissing?: boolean;
  alias?: AliasInfo;
  updateError?: Error;
}

/** In-memory LambdaPort for the calls moveAlias makes; records writes. */
function fakeLambda(opts: FakeOptions) {
  const writes: { op: string; args: unknown[] }[] = [];
  const reads: string[] = [];
  const lambda = lambdaStub({
    getFunction: async (fn, q) => {
      reads.push(`getFunction ${q}`);
      if (!q && opts.functionMissing) {
        throw new OperationError(
          'FUNCTION_NOT_FOUND',
          `Function ${fn} does not exist in this account and region.`,
        );
      }
      const found = q ? opts.versions?.[q] : version('$LATEST');
      if (!found) {
        throw new OperationError('VERSION_NOT_FOUND', `Version ${q} of function ${fn} does not exist.`, {
          hint: 'List the versions.',
        });
      }
      return found;
    },
    getAlias: async (_fn, name) => {
      reads.push(`getAlias ${name}`);
      return opts.alias;
    },
    updateAlias: async (fn, name, write: AliasWrite) => {
      writes.push({ op: 'updateAlias', args: [fn, name, write] });
      if (opts.updateError) throw opts.updateError;
      return {
        name,
        functionVersion: write.functionVersion,
        additionalWeights: write.additionalWeights,
        revisionId: 'new',
      };
    },
    createAlias: async (fn, name, v, description) => {
      writes.push({ op: 'createAlias', args: [fn, name, v, description] });
      return { name, functionVersion: v, additionalWeights: {}, revisionId: 'created' };
    },
  });
  return { lambda, writes, reads };
}

const live = (functionVersion: string, additionalWeights: Record<string, number> = {}): AliasInfo => ({
  name: 'live',
  functionVersion,
  additionalWeights,
  revisionId: 'alias-rev-9',
});

describe('moveAlias', () => {
  it('moves the alias with its RevisionId and clears routing', async () => {
    const { lambda, writes } = fakeLambda({
      versions: { '5': version('5') },
      alias: live('4', { '5': 0.1 }),
    });
    const result = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' });
    expect(writes).toEqual([
      {
        op: 'updateAlias',
        args: ['my-fn', 'live', { functionVersion: '5', additionalWeights: {}, revisionId: 'alias-rev-9' }],
      },
    ]);
    expect(result).toMatchObject({ previousVersion: '4', created: false, changed: true });
    expect(result.alias.functionVersion).toBe('5');
  });

  it('moves the traffic through the TrafficDriver it is given, one write to 0% on the cursor of the new version', async () => {
    const { lambda } = fakeLambda({ versions: { '5': version('5') }, alias: live('4', { '5': 0.1 }) });
    const native = createNativeTrafficDriver(lambda);
    const calls: { stable: string; target: string; percent: number }[] = [];
    const traffic: TrafficDriver = {
      name: 'recording',
      observe: native.observe,
      setWeight: async (cursor, percent) => {
        calls.push({ stable: cursor.stableVersion, target: cursor.targetVersion, percent });
        await native.setWeight(cursor, percent);
      },
    };
    const result = await moveAlias(
      { lambda, traffic },
      { functionName: 'my-fn', alias: 'live', version: '5' },
    );
    expect(calls).toEqual([{ stable: '5', target: '4', percent: 0 }]);
    expect(result.alias).toMatchObject({ functionVersion: '5', additionalWeights: {} });
  });

  it('a lost answer to its own write (412 on the SDK retry, alias already as written) is success', async () => {
    const { lambda, writes } = fakeLambda({
      versions: { '5': version('5') },
      alias: live('4', { '5': 0.1 }),
      updateError: new ConflictError('ALIAS_CHANGED_ON_RETRY', 'retried after no answer; 412'),
    });
    // The write landed: the re-read after the 412 shows exactly the routing lshift wrote.
    let readsAfterWrite = 0;
    const getAlias = lambda.getAlias.bind(lambda);
    lambda.getAlias = async (fn, name) => {
      if (writes.length === 0) return getAlias(fn, name);
      readsAfterWrite++;
      return { name, functionVersion: '5', additionalWeights: {}, revisionId: 'landed' };
    };
    const result = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' });
    expect(readsAfterWrite).toBe(1);
    expect(result).toMatchObject({ changed: true, previousVersion: '4' });
    expect(result.alias.revisionId).toBe('landed');
  });

  it('writes nothing when the alias already points at the version without routing', async () => {
    const { lambda, writes } = fakeLambda({ versions: { '5': version('5') }, alias: live('5') });
    const result = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' });
    expect(writes).toEqual([]);
    expect(result).toMatchObject({ previousVersion: '5', created: false, changed: false });
  });

  it('creates a missing alias with --create', async () => {
    const { lambda, writes } = fakeLambda({ versions: { '3': version('3') } });
    const result = await moveAlias(
      { lambda },
      { functionName: 'my-fn', alias: 'live', version: '3', create: true },
    );
    expect(writes).toEqual([{ op: 'createAlias', args: ['my-fn', 'live', '3', undefined] }]);
    expect(result).toMatchObject({ created: true, changed: true });
    expect(result).not.toHaveProperty('previousVersion');
  });

  // Found by a hostile pass: "Someone created it concurrently", exit 5, over lshift's own create.
  it.each([
    [
      'the retry meets ALIAS_EXISTS',
      true,
      new ConflictError('ALIAS_EXISTS', 'exists', { context: { retried: true } }),
    ],
    ['no attempt answered', true, new OperationError('NETWORK_ERROR', 'timed out', {})],
    [
      'ALIAS_EXISTS on the only attempt (someone else’s)',
      false,
      new ConflictError('ALIAS_EXISTS', 'exists', {}),
    ],
  ])('--create whose answer was lost (%s): the alias read says whether it landed', async (_, own, error) => {
    const { lambda } = fakeLambda({ versions: { '3': version('3') } });
    let created: AliasInfo | undefined;
    lambda.getAlias = async () => created;
    lambda.createAlias = async (_fn, name, v) => {
      created = { name, functionVersion: v, additionalWeights: {}, revisionId: 'created' };
      throw error;
    };
    const run = moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '3', create: true });
    if (own) await expect(run).resolves.toMatchObject({ created: true, alias: { functionVersion: '3' } });
    else await expect(run).rejects.toBe(error);
  });

  it.each([
    ['$LATEST', 'ALIAS_TARGET_LATEST'],
    ['latest', 'VERSION_INVALID'],
    ['1.5', 'VERSION_INVALID'],
    // Versions start at 1: a 0 or a leading zero was sent to Lambda before.
    ['0', 'VERSION_INVALID'],
    ['07', 'VERSION_INVALID'],
  ])('refuses version %s with UsageError %s before any call', async (v, code) => {
    const { lambda, reads, writes } = fakeLambda({ versions: {} });
    const error = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: v }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code, exitCode: 2 });
    expect(reads).toEqual([]);
    expect(writes).toEqual([]);
  });

  it('reports a missing function as FUNCTION_NOT_FOUND (exit 1), as every other command does', async () => {
    const { lambda, writes } = fakeLambda({ versions: {}, functionMissing: true });
    const error = await moveAlias({ lambda }, { functionName: 'nofn', alias: 'live', version: '1' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'FUNCTION_NOT_FOUND', exitCode: 1 });
    expect(writes).toEqual([]);
  });

  it('reports a missing version as PreflightError VERSION_NOT_FOUND (exit 2)', async () => {
    const { lambda, writes } = fakeLambda({ versions: {}, alias: live('4') });
    const error = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '9' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PreflightError);
    expect(error).toMatchObject({ code: 'VERSION_NOT_FOUND', exitCode: 2, context: { version: '9' } });
    expect(writes).toEqual([]);
  });

  it('refuses a version in State Failed', async () => {
    const { lambda, writes } = fakeLambda({
      versions: { '6': version('6', { state: 'Failed' }) },
      alias: live('4'),
    });
    await expect(
      moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '6' }),
    ).rejects.toMatchObject({ code: 'VERSION_NOT_ACTIVE', exitCode: 2 });
    expect(writes).toEqual([]);
  });

  it('reports a missing alias without --create as ALIAS_NOT_FOUND with a --create hint', async () => {
    const { lambda, writes } = fakeLambda({ versions: { '5': version('5') } });
    const error = (await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' }).catch(
      (e: unknown) => e,
    )) as PreflightError;
    expect(error).toBeInstanceOf(PreflightError);
    expect(error.code).toBe('ALIAS_NOT_FOUND');
    expect(error.exitCode).toBe(2);
    expect(error.hint).toContain('--create');
    expect(writes).toEqual([]);
  });

  it('reports a 412 from the write as a conflict (exit 5) that says what the alias holds', async () => {
    const conflict = new ConflictError('ALIAS_CHANGED', 'changed');
    const { lambda } = fakeLambda({
      versions: { '5': version('5') },
      alias: live('4'),
      updateError: conflict,
    });
    const error = (await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' }).catch(
      (e: unknown) => e,
    )) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.code).toBe('ALIAS_CHANGED');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('the alias now routes all traffic to version 4');
  });
});

/** A write whose answer never came: AWS may have applied it (write-answer.ts). */
const timedOut = () =>
  new OperationError('NETWORK_ERROR', 'lambda:UpdateAlias on my-fn:live got no answer within 10 s.', {
    context: { functionName: 'my-fn', alias: 'live', action: 'lambda:UpdateAlias' },
    hint: 'Check the network.',
  });

/** The fake's getAlias answers `before` until a write was sent, then `after`. */
function readsAfterWrite(fake: ReturnType<typeof fakeLambda>, after: AliasInfo | undefined) {
  const before = fake.lambda.getAlias.bind(fake.lambda);
  fake.lambda.getAlias = async (fn, name) => (fake.writes.length === 0 ? before(fn, name) : after);
}

describe('moveAlias whose write got no answer (found by a hostile pass: exit 1 "unchanged" while the alias had moved)', () => {
  it('is done when a read after it finds the alias at the version under a new RevisionId', async () => {
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4'), updateError: timedOut() });
    readsAfterWrite(fake, {
      name: 'live',
      functionVersion: '5',
      additionalWeights: {},
      revisionId: 'landed',
    });
    const result = await moveAlias(
      { lambda: fake.lambda },
      { functionName: 'my-fn', alias: 'live', version: '5' },
    );
    expect(result).toMatchObject({ changed: true, previousVersion: '4' });
    expect(result.alias.revisionId).toBe('landed');
  });

  it('is exit 4 ALIAS_WRITE_UNANSWERED, not exit 1, when the read still finds it where it was: the write may still land', async () => {
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4'), updateError: timedOut() });
    const error = (await moveAlias(
      { lambda: fake.lambda },
      { functionName: 'my-fn', alias: 'live', version: '5' },
    ).catch((e: unknown) => e)) as LshiftError;
    expect(error).toMatchObject({ code: 'ALIAS_WRITE_UNANSWERED', exitCode: 4 });
    expect(error.message).toContain('may have landed');
    expect(error.message).toContain('last seen at version 4 (100%)');
    expect(error.message).toContain('unchanged so far');
    expect(error.hint).toContain('lshift status my-fn --alias live');
  });

  it('is exit 4 when the alias cannot be read after it', async () => {
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4'), updateError: timedOut() });
    const before = fake.lambda.getAlias.bind(fake.lambda);
    fake.lambda.getAlias = async (fn, name) => {
      if (fake.writes.length === 0) return before(fn, name);
      throw timedOut();
    };
    const error = (await moveAlias(
      { lambda: fake.lambda },
      { functionName: 'my-fn', alias: 'live', version: '5' },
    ).catch((e: unknown) => e)) as LshiftError;
    expect(error).toMatchObject({ code: 'ALIAS_WRITE_UNANSWERED', exitCode: 4 });
    expect(error.message).toContain('could not be read after it');
  });

  it('keeps exit 1 for a write that was never sent (connection refused: notApplied)', async () => {
    const refused = new OperationError('NETWORK_ERROR', 'connection refused', {
      context: { action: 'lambda:UpdateAlias', notApplied: true },
    });
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4'), updateError: refused });
    await expect(
      moveAlias({ lambda: fake.lambda }, { functionName: 'my-fn', alias: 'live', version: '5' }),
    ).rejects.toBe(refused);
  });

  it('keeps a read’s timeout before the write (a CodeDeploy group check) as it was: no write was sent', async () => {
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4') });
    const readFailed = new OperationError('NETWORK_ERROR', 'no answer', {
      context: { action: 'codedeploy:ListDeployments' },
    });
    const traffic: TrafficDriver = {
      name: 'checking',
      observe: createNativeTrafficDriver(fake.lambda).observe,
      setWeight: async () => Promise.reject(readFailed),
    };
    await expect(
      moveAlias({ lambda: fake.lambda, traffic }, { functionName: 'my-fn', alias: 'live', version: '5' }),
    ).rejects.toBe(readFailed);
  });
});

describe('moveAlias and a signal', () => {
  it('stops before the write once the signal fired: INTERRUPTED, exit 1, nothing written', async () => {
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4') });
    const controller = new AbortController();
    controller.abort(new Error('interrupted by SIGTERM'));
    let told = false;
    const error = (await moveAlias(
      { lambda: fake.lambda, writing: () => (told = true) },
      { functionName: 'my-fn', alias: 'live', version: '5', signal: controller.signal },
    ).catch((e: unknown) => e)) as LshiftError;
    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(error.message).toBe('interrupted by SIGTERM before the alias write: my-fn:live is unchanged.');
    expect(fake.writes).toEqual([]);
    expect(told).toBe(false);
  });

  it('says the write is about to be sent right before it (the CLI then stops aborting calls)', async () => {
    const fake = fakeLambda({ versions: { '5': version('5') }, alias: live('4') });
    let writesWhenTold = -1;
    await moveAlias(
      { lambda: fake.lambda, writing: () => (writesWhenTold = fake.writes.length) },
      { functionName: 'my-fn', alias: 'live', version: '5', signal: new AbortController().signal },
    );
    expect(writesWhenTold).toBe(0);
    expect(fake.writes).toHaveLength(1);
  });
});

describe('moveAlias through the real SDK client (nock)', () => {
  useNock();

  it('reads the version and alias, then sends UpdateAlias with RevisionId and empty routing', async () => {
    const log: CapturedRequest[] = [];
    lambdaNock()
      .get(fnPath('my-fn', '/configuration'))
      .query({ Qualifier: '5' })
      .reply(200, functionConfiguration({ Version: '5' }));
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(
        ...lambdaJson(
          aliasConfiguration({
            FunctionVersion: '4',
            RoutingConfig: { AdditionalVersionWeights: { '5': 0.25 } },
          }),
        ),
      );
    lambdaNock()
      .put(fnPath('my-fn', '/aliases/live'))
      .reply(
        capture(log, lambdaJson(aliasConfiguration({ FunctionVersion: '5', RevisionId: 'alias-rev-2' }))),
      );
    const lambda = await createTestLambdaAdapter();
    const result = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' });
    expect(log[0]!.body).toEqual({
      FunctionVersion: '5',
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: 'alias-rev-1',
    });
    expect(result).toMatchObject({ previousVersion: '4', created: false, changed: true });
    expect(result.alias.revisionId).toBe('alias-rev-2');
  });

  it('takes a write whose every attempt was cut before its answer as done when the alias is read at the version', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/configuration'))
      .query({ Qualifier: '5' })
      .reply(200, functionConfiguration({ Version: '5' }));
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration({ FunctionVersion: '4' })));
    lambdaNock()
      .put(fnPath('my-fn', '/aliases/live'))
      .times(3)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaJson(aliasConfiguration({ FunctionVersion: '5', RevisionId: 'alias-rev-2' })));
    const lambda = await createTestLambdaAdapter();
    const result = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '5' });
    expect(result).toMatchObject({ previousVersion: '4', changed: true });
    expect(result.alias.revisionId).toBe('alias-rev-2');
  });

  it('turns Lambda 404 for the version into PreflightError VERSION_NOT_FOUND', async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/configuration'))
      .query({ Qualifier: '42' })
      .reply(
        ...lambdaError(
          404,
          'ResourceNotFoundException',
          'Function not found: arn:aws:lambda:us-east-1:1:function:my-fn:42',
        ),
      )
      .get(fnPath('my-fn', '/configuration'))
      .reply(200, functionConfiguration());
    const lambda = await createTestLambdaAdapter();
    const error = await moveAlias({ lambda }, { functionName: 'my-fn', alias: 'live', version: '42' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PreflightError);
    expect(error).toMatchObject({ code: 'VERSION_NOT_FOUND', exitCode: 2 });
  });
});
