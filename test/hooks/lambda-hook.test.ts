import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperationError } from '../../src/domain/errors.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { KnownSecrets } from '../../src/domain/output-secrets.js';
import { createHookRunner, type HookLambda } from '../../src/hooks/create-hook-runner.js';
import type { InvokeResult } from '../../src/ports/lambda.js';
import { makePayload, makeReleasePayload } from './hook-fixtures.js';

interface Call {
  functionName: string;
  qualifier: string;
  payload: string;
}

/** A tiny fake LambdaPort: records every invoke and answers with `answer(callNumber)`. */
function fakeLambda(
  answer: (n: number) => InvokeResult | Promise<InvokeResult>,
): HookLambda & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    calls,
    async invoke(functionName, qualifier, payload) {
      calls.push({ functionName, qualifier, payload });
      return answer(calls.length);
    },
  };
}

const ok = (payload = 'null'): InvokeResult => ({ statusCode: 200, payload, executedVersion: '1' });
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:smoke-hook';

describe('lambda hooks', () => {
  it('passes on {"status":"Succeeded"} and sends the JSON payload to the function and qualifier', async () => {
    const lambda = fakeLambda(() => ok('{"status":"Succeeded"}'));
    const payload = makePayload();
    const result = await createHookRunner({ lambda: () => lambda }).run(
      parseHookSpec(`lambda:${ARN}:live`, '--pre-hook'),
      payload,
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ ok: true });
    expect(lambda.calls).toEqual([
      { functionName: ARN, qualifier: 'live', payload: JSON.stringify(payload) },
    ]);
  });

  it('invokes $LATEST when no qualifier is given, and passes on any answer without status Failed', async () => {
    const lambda = fakeLambda(() => ok('"fine"'));
    const result = await createHookRunner({ lambda: async () => lambda }).run(
      parseHookSpec('lambda:smoke-hook', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(true);
    expect(lambda.calls[0]).toMatchObject({ functionName: 'smoke-hook', qualifier: '$LATEST' });
  });

  it('fails on a function error, with the error type and message', async () => {
    const lambda = fakeLambda(() => ({
      statusCode: 200,
      functionError: 'Unhandled',
      payload: '{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined","trace":[]}',
    }));
    const result = await createHookRunner({ lambda: () => lambda }).run(
      parseHookSpec('lambda:smoke-hook:3', '--post-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(
      'smoke-hook:3 failed with a function error (Unhandled): TypeError: Cannot read properties of undefined',
    );
    expect(result.outputTail).toContain('errorType');
  });

  it.each([
    ['{"status":"Failed","reason":"db down"}', 'smoke-hook: the hook returned status Failed: db down'],
    [
      '{"status":"FAILED","message":"queue backlog 9000"}',
      'smoke-hook: the hook returned status Failed: queue backlog 9000',
    ],
    ['{"status":"failed"}', 'smoke-hook: the hook returned status Failed'],
  ])('fails on %s', async (answer, reason) => {
    const lambda = fakeLambda(() => ok(answer));
    const result = await createHookRunner({ lambda: () => lambda }).run(
      parseHookSpec('lambda:smoke-hook', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ ok: false, reason });
  });

  it('masks what looks secret in the response it shows: the reason and the head', async () => {
    const lambda = fakeLambda(() => ({
      statusCode: 200,
      functionError: 'Unhandled',
      payload:
        '{"errorType":"Error","errorMessage":"connect failed: postgres://app:hunter2@db/x","password":"hunter2b"}',
    }));
    const failed = await createHookRunner({ lambda: () => lambda }).run(
      parseHookSpec('lambda:smoke-hook', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(failed.reason).toBe(
      'smoke-hook failed with a function error (Unhandled): Error: connect failed: postgres://***@db/x',
    );
    expect(failed.outputTail).toContain('"password":"***"');
    const verdict = fakeLambda(() =>
      ok('{"status":"Failed","reason":"login with DB_PASSWORD=hunter2 refused"}'),
    );
    const refused = await createHookRunner({ lambda: () => verdict }).run(
      parseHookSpec('lambda:smoke-hook', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    // A secret's value is masked to the end of its field: lshift cannot tell `refused` from the
    // rest of a password with blanks (`DB_PASSWORD=correct horse battery`).
    expect(refused.reason).toBe('smoke-hook: the hook returned status Failed: login with DB_PASSWORD=***');
    expect(JSON.stringify([failed, refused])).not.toContain('hunter2');
  });

  it('fails at the timeout when the invoke is slow', async () => {
    const lambda = fakeLambda(
      () => new Promise<InvokeResult>((resolve) => setTimeout(() => resolve(ok()), 5000)),
    );
    const result = await createHookRunner({ lambda: () => lambda }).run(
      { ...parseHookSpec('lambda:smoke-hook', '--pre-hook'), timeoutSeconds: 0.2 },
      makePayload(),
      { timeoutMs: 60_000 },
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(
      'smoke-hook did not answer within 200 ms (the invocation may still be running)',
    );
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('fails with the cause when the invoke itself throws (e.g. access denied)', async () => {
    const lambda = fakeLambda(() => {
      throw Object.assign(new Error('not allowed to invoke smoke-hook'), {
        hint: 'grant lambda:InvokeFunction',
      });
    });
    const result = await createHookRunner({ lambda: () => lambda }).run(
      parseHookSpec('lambda:smoke-hook', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({
      ok: false,
      reason: 'could not invoke smoke-hook: not allowed to invoke smoke-hook (grant lambda:InvokeFunction)',
    });
  });

  it('joins a message that ends a sentence and its cause without a stray ".:"', async () => {
    const lambda = fakeLambda(() => {
      throw new OperationError(
        'FUNCTION_NOT_FOUND',
        'Function nosuch does not exist in this account and region (lambda:InvokeFunction).',
        { cause: new Error(`Function not found: ${ARN}`), hint: 'Check the function name.' },
      );
    });
    const result = await createHookRunner({ lambda: () => lambda }).run(
      parseHookSpec('lambda:nosuch', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.reason).toBe(
      `could not invoke nosuch: Function nosuch does not exist in this account and region (lambda:InvokeFunction): Function not found: ${ARN} (Check the function name.)`,
    );
  });

  it('creates the Lambda port lazily, once, and only for hooks that need it', async () => {
    let created = 0;
    const lambda = fakeLambda(() => ok());
    const hooks = createHookRunner({
      lambda: () => {
        created++;
        return lambda;
      },
    });
    await hooks.run(parseHookSpec('cmd:true', '--pre-hook'), makePayload(), { timeoutMs: 5000 });
    expect(created).toBe(0);
    await hooks.run(parseHookSpec('lambda:a', '--pre-hook'), makePayload(), { timeoutMs: 5000 });
    await hooks.run(parseHookSpec('lambda:b', '--pre-hook'), makePayload(), { timeoutMs: 5000 });
    expect(created).toBe(1);
    expect(lambda.calls.map((c) => c.functionName)).toEqual(['a', 'b']);
  });

  it('fails clearly when no Lambda client is configured', async () => {
    const result = await createHookRunner().run(parseHookSpec('lambda:a', '--pre-hook'), makePayload(), {
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'could not invoke a: no Lambda client is configured for Lambda hooks',
    });
  });
});

describe('invoke-target hooks', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lshift-invoke-target-'));
    writeFileSync(join(dir, 'smoke.json'), '{"path":"/health"}');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('invokes the target version N times with the file contents', async () => {
    const lambda = fakeLambda(() => ok('{"statusCode":200}'));
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec('invoke-target:smoke.json x4', '--pre-hook'),
      makePayload({ functionName: 'orders-api', targetVersion: '7' }),
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ ok: true });
    expect(lambda.calls).toHaveLength(4);
    for (const call of lambda.calls) {
      expect(call).toEqual({ functionName: 'orders-api', qualifier: '7', payload: '{"path":"/health"}' });
    }
  });

  it('sends a payload file saved with a byte order mark (Notepad’s UTF-8) without it: the JSON alone', async () => {
    // It was refused before any write as "not valid JSON (syntax error at line 1, column 1)".
    writeFileSync(join(dir, 'bom.json'), '\uFEFF{"path":"/health"}');
    const lambda = fakeLambda(() => ok('{"statusCode":200}'));
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec('invoke-target:bom.json', '--pre-hook'),
      makePayload({ functionName: 'orders-api', targetVersion: '7' }),
      { timeoutMs: 5000 },
    );
    expect(result).toMatchObject({ ok: true });
    expect(lambda.calls).toEqual([
      { functionName: 'orders-api', qualifier: '7', payload: '{"path":"/health"}' },
    ]);
  });

  it("as a release hook, invokes every function's new version in turn, and names the one that failed", async () => {
    const lambda = fakeLambda((n) =>
      n === 3 ? { statusCode: 200, functionError: 'Unhandled', payload: '{"errorMessage":"boom"}' } : ok(),
    );
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec('invoke-target:smoke.json x2', '--pre-hook'),
      makeReleasePayload(),
      { timeoutMs: 5000 },
    );
    expect(lambda.calls.map((c) => [c.functionName, c.qualifier])).toEqual([
      ['orders-api', '7'],
      ['orders-api', '7'],
      ['billing', '4'],
    ]);
    expect(result.reason).toBe(
      'invocation 1 of 2 of billing:4 failed with a function error (Unhandled): boom',
    );
  });

  it('stops at the first function error and names the invocation', async () => {
    const lambda = fakeLambda((n) =>
      n === 3
        ? {
            statusCode: 200,
            functionError: 'Unhandled',
            payload: '{"errorType":"Error","errorMessage":"boom"}',
          }
        : ok(),
    );
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec('invoke-target:smoke.json x5', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(
      'invocation 3 of 5 of orders-api:7 failed with a function error (Unhandled): Error: boom',
    );
    expect(lambda.calls).toHaveLength(3);
  });

  it('does not judge the response body: a {"status":"Failed"} answer from the function itself passes', async () => {
    const lambda = fakeLambda(() => ok('{"status":"Failed"}'));
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec('invoke-target:smoke.json', '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(true);
  });

  it('names the invocation that was running at the timeout', async () => {
    const lambda = fakeLambda((n) =>
      n === 2 ? new Promise<InvokeResult>((resolve) => setTimeout(() => resolve(ok()), 5000)) : ok(),
    );
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec('invoke-target:smoke.json x3', '--pre-hook'),
      makePayload(),
      { timeoutMs: 200 },
    );
    expect(result).toMatchObject({
      ok: false,
      reason: 'invoking orders-api:7 timed out after 200 ms during invocation 2 of 3',
    });
  });

  it.each([
    ['missing.json', /^payload file missing.json does not exist \(looked for .*missing.json\)$/],
    ['.', /^payload file \. is a directory/],
    ['bad.json', /^payload file bad.json is not valid JSON/],
    // Read, a FIFO blocks until a writer comes (never); /dev/zero never ends.
    ['fifo.json', /^payload file fifo.json is a named pipe \(FIFO\), not a regular file$/],
    ['/dev/zero', /^payload file \/dev\/zero is a device, not a regular file$/],
  ])('fails without invoking when the payload file is %s', { timeout: 30_000 }, async (file, reason) => {
    writeFileSync(join(dir, 'bad.json'), '{not json');
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    const lambda = fakeLambda(() => ok());
    const result = await createHookRunner({ cwd: dir, lambda: () => lambda }).run(
      parseHookSpec(`invoke-target:${file}`, '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(reason);
    expect(lambda.calls).toHaveLength(0);
  });
});

describe('the deployed function’s environment values in a hook’s answer', () => {
  it('never shows them: not in the reason, not in the response head, not in a JSON member', async () => {
    const known = new KnownSecrets();
    known.add(['hunter2hunter2', 'production']);
    const answer = JSON.stringify({ errorType: 'Leak', errorMessage: 'env: production hunter2hunter2' });
    const lambda = fakeLambda(() => ({
      ...ok(`${answer}\n{"ANY_NAME": "hunter2hunter2"}`),
      functionError: 'Unhandled',
    }));
    const result = await createHookRunner({ lambda: () => lambda, known }).run(
      parseHookSpec(`lambda:${ARN}:live`, '--pre-hook'),
      makePayload(),
      { timeoutMs: 5000 },
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('env: *** ***');
    expect(JSON.stringify(result)).not.toMatch(/hunter2hunter2|production/);
  });
});
