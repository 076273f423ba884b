/**
 * Every command in sandbox mode first reads the sandbox's clock (`GET /__lshift/clock`). It is read
 * with node:http, not fetch (fetch loads undici: ~30 ms of CPU on every start), so its answers
 * and failures are tested here: a clock, an error status, a malformed body, no answer at all, and
 * an answer whose body never ends.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readSandboxFromEnv, whyNotAnswered } from '../../src/cli/sandbox-env.js';

const CLOCK = { simOriginMs: 1_700_000_000_000, realOriginMs: 1_700_000_000_500, speed: 60 };

describe('reading the sandbox clock (LSHIFT_SANDBOX)', () => {
  const before = process.env.LSHIFT_SANDBOX;
  let server: Server | undefined;
  const paths: string[] = [];
  afterEach(async () => {
    if (before === undefined) delete process.env.LSHIFT_SANDBOX;
    else process.env.LSHIFT_SANDBOX = before;
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
    paths.length = 0;
  });

  async function serve(answer: (response: ServerResponse) => void): Promise<void> {
    server = createServer((request, response) => {
      paths.push(`${request.method} ${request.url}`);
      answer(response);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    process.env.LSHIFT_SANDBOX = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const failureOf = (read: Promise<unknown>) =>
    read.then(
      () => undefined,
      (e: unknown) => e as { code: string; exitCode: number; message: string },
    );

  it('returns the clock the sandbox answers, asked at its root path', async () => {
    await serve((response) => response.end(JSON.stringify(CLOCK)));
    await expect(readSandboxFromEnv()).resolves.toEqual({ url: process.env.LSHIFT_SANDBOX, clock: CLOCK });
    expect(paths).toEqual(['GET /__lshift/clock']);
  });

  it.each([
    ['an error status', (r: ServerResponse) => r.writeHead(503).end('busy'), 'HTTP 503'],
    ['a body that is not JSON', (r: ServerResponse) => r.end('<html>'), 'is not valid JSON'],
    [
      'a clock without a speed',
      (r: ServerResponse) => r.end('{"simOriginMs":1,"realOriginMs":2}'),
      'malformed',
    ],
  ])('%s is SANDBOX_UNREACHABLE (exit 1), naming the URL and why', async (_, answer, why) => {
    await serve(answer);
    const error = await failureOf(readSandboxFromEnv());
    expect(error).toMatchObject({ code: 'SANDBOX_UNREACHABLE', exitCode: 1 });
    expect(error?.message).toContain(`LSHIFT_SANDBOX is set to ${process.env.LSHIFT_SANDBOX}`);
    expect(error?.message).toContain(why);
  });

  it('a refused connection says so (not a bare "fetch failed")', async () => {
    await serve((response) => response.end('{}'));
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    const error = await failureOf(readSandboxFromEnv());
    expect(error).toMatchObject({ code: 'SANDBOX_UNREACHABLE' });
    expect(error?.message).toContain('ECONNREFUSED');
  });

  it.each([
    ['no answer at all', (_: ServerResponse) => undefined],
    ['headers but a body that never ends', (r: ServerResponse) => r.writeHead(200).write('{"simOriginMs":')],
  ])('%s ends at the deadline as SANDBOX_UNREACHABLE, not a hang', async (_, answer) => {
    await serve(answer);
    const error = await failureOf(readSandboxFromEnv(50));
    expect(error).toMatchObject({ code: 'SANDBOX_UNREACHABLE' });
    expect(error?.message).toContain('no answer within 0.05 s');
  });
});

describe('why the sandbox did not answer', () => {
  it('names the parts of an AggregateError (IPv6 and IPv4 both refused), whose own message is empty', () => {
    const both = new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:4566'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' }),
    ]);
    expect(both.message).toBe('');
    expect(whyNotAnswered(both)).toBe('connect ECONNREFUSED ::1:4566; connect ECONNREFUSED 127.0.0.1:4566');
    expect(whyNotAnswered(Object.assign(new Error(''), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(whyNotAnswered(new Error('HTTP 503'))).toBe('HTTP 503');
  });
});
