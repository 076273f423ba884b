/**
 * Every command in sandbox mode first reads the sandbox's clock (`GET /__lshift/clock`). It is read
 * with node:http, not fetch (fetch loads undici: ~30 ms of CPU on every start), so its answers
 * and failures are tested here: a clock, an error status, a malformed body, no answer at all, and
 * an answer whose body never ends.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
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

  // Found by a garbage-input pass: "no sandbox answers there (Parse Error: Expected HTTP/, RTSP/ or ICE/)".
  it('a TCP server that does not speak HTTP: what answers is no sandbox, its first bytes shown printable', async () => {
    const sockets: Socket[] = [];
    const tcp = createTcpServer((socket) => {
      sockets.push(socket);
      socket.end(Buffer.from('\u0000\u0001SSH-2.0-x \u001b[2J junk\r\n', 'latin1'));
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    process.env.LSHIFT_SANDBOX = `http://127.0.0.1:${(tcp.address() as AddressInfo).port}`;
    try {
      const error = await failureOf(readSandboxFromEnv());
      expect(error).toMatchObject({ code: 'SANDBOX_UNREACHABLE', exitCode: 1 });
      expect(error?.message).toContain(
        `LSHIFT_SANDBOX is set to ${process.env.LSHIFT_SANDBOX} but what answers there is not an lshift sandbox (its reply is not HTTP, HPE_`,
      );
      expect(error?.message).toContain('it began `\\x00\\x01SSH-2.0-x \\x1b[2J junk\\x0d\\x0a`');
      for (const raw of ['\u0000', '\u0001', '\u001b']) expect(error?.message).not.toContain(raw);
    } finally {
      // Node's client leaves the socket half-open after the parse error: close() would wait on it.
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => tcp.close(resolve));
    }
  });

  it('returns the clock the sandbox answers, asked at its root path', async () => {
    await serve((response) => response.end(JSON.stringify(CLOCK)));
    await expect(readSandboxFromEnv()).resolves.toEqual({
      url: process.env.LSHIFT_SANDBOX,
      clock: CLOCK,
      fromEnv: true,
    });
    expect(paths).toEqual(['GET /__lshift/clock']);
  });

  it.each([
    [
      'an error status',
      (r: ServerResponse) => r.writeHead(503, { 'content-type': 'text/html; charset=utf-8' }).end('busy'),
      'what answers there is not an lshift sandbox (HTTP 503 text/html to GET /__lshift/clock)',
    ],
    [
      'a body that is not JSON',
      (r: ServerResponse) => r.end('<html>\u001b[2J'),
      'what answers there is not an lshift sandbox (its answer to GET /__lshift/clock is not JSON: it began `<html>\\x1b[2J`)',
    ],
    [
      'a clock without a speed',
      (r: ServerResponse) => r.end('{"simOriginMs":1,"realOriginMs":2}'),
      'malformed',
    ],
    // Found by a hostile pass: "Cannot read properties of null (reading 'simOriginMs')".
    ['JSON null', (r: ServerResponse) => r.end('null'), 'the clock answer is malformed'],
    ['a JSON number', (r: ServerResponse) => r.end('7'), 'the clock answer is malformed'],
    // Found by a hostile pass: an unbounded body ended in a RangeError and a stack trace.
    [
      'an endless body',
      (r: ServerResponse) => {
        r.writeHead(200);
        const chunk = 'x'.repeat(16 * 1024);
        const more = () => {
          while (!r.destroyed && r.write(chunk)) {}
          if (!r.destroyed) r.once('drain', more);
        };
        more();
      },
      'the answer is longer than 64 KiB: not a sandbox clock',
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

  // Found by a hostile pass: Ctrl-C during the read waited out its 5 s deadline, then said the
  // sandbox did not answer.
  it('a signal while the read waits abandons it at once: INTERRUPTED, nothing changed', async () => {
    const stop = new AbortController();
    await serve(() => stop.abort());
    const error = await failureOf(readSandboxFromEnv(60_000, stop.signal));
    expect(error).toMatchObject({ code: 'INTERRUPTED', exitCode: 1 });
    expect(error?.message).toContain("Reading the sandbox's clock");
  });

  it('a signal that came before the read: INTERRUPTED, and no request is sent', async () => {
    await serve((response) => response.end(JSON.stringify(CLOCK)));
    const stop = new AbortController();
    stop.abort();
    const error = await failureOf(readSandboxFromEnv(60_000, stop.signal));
    expect(error).toMatchObject({ code: 'INTERRUPTED' });
    expect(paths).toEqual([]);
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
  it('an https URL to a plain-http server says so in one line, not in OpenSSL’s words', () => {
    const tls = Object.assign(
      new Error(
        'write EPROTO 806C8C:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:354:\n',
      ),
      { code: 'EPROTO' },
    );
    expect(whyNotAnswered(tls)).toBe(
      'no TLS answer there: if it is `lshift sandbox`, use http://, not https://',
    );
  });

  it('a message of several lines is cut to its first', () => {
    expect(whyNotAnswered(new Error('first line\nsecond line'))).toBe('first line');
  });

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

describe('LSHIFT_SANDBOX an http URL with no valid host or port', () => {
  const before = process.env.LSHIFT_SANDBOX;
  afterEach(() => {
    if (before === undefined) delete process.env.LSHIFT_SANDBOX;
    else process.env.LSHIFT_SANDBOX = before;
  });

  // Found by a hostile pass: both said "is not an http(s) URL".
  it.each(['http://256.1.1.1:4932', 'http://127.0.0.1:99999'])(
    '%s: SANDBOX_URL_INVALID naming the host or port',
    async (url) => {
      process.env.LSHIFT_SANDBOX = url;
      const error = await readSandboxFromEnv().catch((e: unknown) => e as { code: string; message: string });
      expect(error).toMatchObject({ code: 'SANDBOX_URL_INVALID', exitCode: 2 });
      expect((error as { message: string }).message).toBe(
        `LSHIFT_SANDBOX (${url}) is not a valid URL: its host or port cannot be one (a port is 1–65535).`,
      );
    },
  );
});
