/**
 * LSHIFT_SANDBOX with a path (`http://127.0.0.1:4566/lambda`, a proxy-style URL) passed: the
 * clock probe asks the root, so it answered, and then every AWS call went to `<path>/2015-03-31/…`,
 * which the sandbox does not serve — each function ended `UnknownOperationException` (exit 1)
 * instead of a usage error naming the variable. The sandbox answers at its root only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readSandboxFromEnv } from '../../src/cli/sandbox-env.js';

describe('LSHIFT_SANDBOX with a path', () => {
  const before = process.env.LSHIFT_SANDBOX;
  afterEach(() => {
    if (before === undefined) delete process.env.LSHIFT_SANDBOX;
    else process.env.LSHIFT_SANDBOX = before;
  });

  it.each([
    ['http://127.0.0.1:4566/lambda', 'http://127.0.0.1:4566'],
    ['http://localhost:4566/a/b/', 'http://localhost:4566'],
  ])('%s is SANDBOX_URL_INVALID (exit 2) with the URL that works', async (url, fixed) => {
    process.env.LSHIFT_SANDBOX = url;
    const error = await readSandboxFromEnv().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'SANDBOX_URL_INVALID',
      exitCode: 2,
      message: `LSHIFT_SANDBOX (${url}) has a path; the sandbox answers at its root only.`,
    });
    expect((error as { hint?: string }).hint).toBe(`Drop the path: LSHIFT_SANDBOX=${fixed}`);
  });
});
