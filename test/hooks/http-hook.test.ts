import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { createHookRunner } from '../../src/hooks/create-hook-runner.js';
import { makePayload, makeReleasePayload } from './hook-fixtures.js';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real local server; `respond` decides the answer, every request is recorded. */
async function startServer(
  respond: (res: ServerResponse) => void,
): Promise<{ base: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      respond(res);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, received };
}

/** A port nothing listens on: bind one, note it, close it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const hooks = createHookRunner();

describe('http hooks', () => {
  it('passes on 2xx and POSTs the exact JSON payload as application/json', async () => {
    const { base, received } = await startServer((res) => {
      res.writeHead(204).end();
    });
    const payload = makePayload({ phase: 'post', weight: 100 });
    const result = await hooks.run(parseHookSpec(`${base}/hooks/lshift?token=abc`, '--post-hook'), payload, {
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true });
    expect(received).toHaveLength(1);
    expect(received[0]!.method).toBe('POST');
    expect(received[0]!.url).toBe('/hooks/lshift?token=abc');
    expect(received[0]!.headers['content-type']).toBe('application/json');
    expect(received[0]!.headers['x-lshift-phase']).toBe('post');
    expect(JSON.parse(received[0]!.body)).toEqual(payload);
  });

  it("POSTs a release hook's payload with the release's id, not a deployment's", async () => {
    const { base, received } = await startServer((res) => {
      res.writeHead(204).end();
    });
    const payload = makeReleasePayload({ phase: 'post' });
    const result = await hooks.run(parseHookSpec(`${base}/hooks/lshift`, '--post-hook'), payload, {
      timeoutMs: 5000,
    });
    expect(result).toMatchObject({ ok: true });
    expect(received[0]!.headers['x-lshift-release-id']).toBe('r-0001');
    expect(received[0]!.headers).not.toHaveProperty('x-lshift-deployment-id');
    expect(JSON.parse(received[0]!.body)).toEqual(payload);
  });

  it('sends URL userinfo as Basic authorization, and never shows it', async () => {
    const { base, received } = await startServer((res) => {
      res.writeHead(401).end('bad credentials');
    });
    const url = base.replace('http://', 'http://ci%40corp:p%3Ass@');
    const result = await hooks.run(parseHookSpec(url, '--pre-hook'), makePayload(), { timeoutMs: 5000 });
    expect(received[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('ci@corp:p:ss').toString('base64')}`,
    );
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/p%3Ass|p:ss|ci%40corp/);
  });

  it('fails on 500 with the status and the head of the body', async () => {
    const body = ['database unreachable', ...Array.from({ length: 50 }, (_, i) => `detail ${i}`)].join('\n');
    const { base } = await startServer((res) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(body);
    });
    const result = await hooks.run(parseHookSpec(`${base}/check`, '--pre-hook'), makePayload(), {
      timeoutMs: 5000,
    });
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('the endpoint answered HTTP 500 Internal Server Error: database unreachable');
    const lines = result.outputTail?.split('\n') ?? [];
    expect(lines.slice(0, 3)).toEqual(['database unreachable', 'detail 0', 'detail 1']);
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toBe('…');
  });

  it('masks what looks secret in the body it shows: the reason and the head', async () => {
    const body = [
      '{"error":"denied","token":"hunter2b-secret"}',
      'Authorization: Bearer abcdefghijklmnop',
    ].join('\n');
    const { base } = await startServer((res) => {
      res.writeHead(401, { 'content-type': 'application/json' }).end(body);
    });
    const result = await hooks.run(parseHookSpec(base, '--pre-hook'), makePayload(), { timeoutMs: 5000 });
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(
      'the endpoint answered HTTP 401 Unauthorized: {"error":"denied","token":"***"}',
    );
    expect(result.outputTail).toBe('{"error":"denied","token":"***"}\nAuthorization: Bearer ***');
  });

  it('bounds a huge error body', async () => {
    const { base } = await startServer((res) => {
      res.writeHead(503).end('x'.repeat(5_000_000));
    });
    const result = await hooks.run(parseHookSpec(base, '--pre-hook'), makePayload(), { timeoutMs: 5000 });
    expect(result.ok).toBe(false);
    expect(result.reason?.length).toBeLessThan(300);
    expect(result.outputTail?.length).toBeLessThan(2100);
  });

  it('fails on a redirect instead of following it', async () => {
    const { base, received } = await startServer((res) => {
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    const result = await hooks.run(parseHookSpec(`${base}/old`, '--pre-hook'), makePayload(), {
      timeoutMs: 5000,
    });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/^the endpoint answered HTTP 302 Found \(redirects are not followed/);
    expect(received).toHaveLength(1);
  });

  it('fails at the timeout when the server never answers, showing the URL without secrets', async () => {
    const { base, received } = await startServer(() => {
      // Never respond.
    });
    const started = Date.now();
    const result = await hooks.run(parseHookSpec(`${base}/slow?token=s3cret`, '--step-hook'), makePayload(), {
      timeoutMs: 300,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(received).toHaveLength(1);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe(`POST ${base}/slow?token=*** timed out after 300 ms`);
  });

  it('stops waiting when the signal aborts', async () => {
    const { base } = await startServer(() => {
      // Never respond.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await hooks.run(parseHookSpec(base, '--step-hook'), makePayload(), {
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    expect(result).toMatchObject({ ok: false, reason: `POST ${base}/ was aborted` });
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('fails when the connection is refused', async () => {
    const port = await freePort();
    const result = await hooks.run(
      parseHookSpec(`http://127.0.0.1:${port}/hook`, '--pre-hook'),
      makePayload(),
      {
        timeoutMs: 5000,
      },
    );
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(new RegExp(`^POST http://127.0.0.1:${port}/hook failed: .*ECONNREFUSED`));
  });
});
