/**
 * The fault proxy itself, against a tiny upstream that counts what it applied. No timing:
 * every wait is on an event (a request handled, a response or a socket error).
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FaultProxy, matches, startFaultProxy } from './fault-proxy.js';

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

function send(
  url: string,
  method: string,
  path: string,
  body = '',
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(`${url}${path}`, { method, headers: { ...headers, connection: 'close' } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end(body);
  });
}

let upstream: Server;
let applied: string[];
let proxy: FaultProxy;

beforeEach(async () => {
  applied = [];
  upstream = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      applied.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ n: applied.length }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  proxy = await startFaultProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
});

afterEach(async () => {
  await proxy.stop();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

describe('fault proxy', () => {
  it('forwards requests unchanged when no rule matches, the sandbox clock path included', async () => {
    await expect(send(proxy.url, 'GET', '/__lshift/clock')).resolves.toEqual({
      status: 200,
      body: '{"n":1}',
    });
    await expect(send(proxy.url, 'POST', '/x?q=1', 'hello')).resolves.toEqual({
      status: 200,
      body: '{"n":2}',
    });
    expect(applied).toEqual(['GET /__lshift/clock ', 'POST /x?q=1 hello']);
    expect(proxy.events.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/__lshift/clock', 200],
      ['POST', '/x', 200],
    ]);
  });

  it('drop: the upstream applies the request, the client gets no response', async () => {
    proxy.arm({ match: { method: 'PUT', path: /\/aliases\/live$/ }, nth: 2, fault: 'drop' });
    await expect(send(proxy.url, 'PUT', '/f/aliases/live', 'w1')).resolves.toMatchObject({ status: 200 });
    const lost = await send(proxy.url, 'PUT', '/f/aliases/live', 'w2');
    expect(lost.error).toBe('ECONNRESET');
    expect(applied).toEqual(['PUT /f/aliases/live w1', 'PUT /f/aliases/live w2']);
    await expect(send(proxy.url, 'PUT', '/f/aliases/live', 'w3')).resolves.toMatchObject({ status: 200 });
    expect(proxy.events.map((e) => e.fault)).toEqual([undefined, 'drop', undefined]);
  });

  it('reset: the request never reaches the upstream', async () => {
    proxy.arm({ match: { target: 'DescribeAlarms' }, fault: 'reset' });
    const target = { 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' };
    await expect(send(proxy.url, 'POST', '/', '{}', target)).resolves.toEqual({ error: 'ECONNRESET' });
    expect(applied).toEqual([]);
    await expect(send(proxy.url, 'POST', '/', '{}', target)).resolves.toMatchObject({ status: 200 });
  });

  it('stall: accepts and never answers until released; waitFor resolves on the event', async () => {
    proxy.arm({ match: { body: /stall-me/ }, times: Number.POSITIVE_INFINITY, fault: 'stall' });
    let settled = false;
    const stalled = send(proxy.url, 'POST', '/op', 'please stall-me').then((a) => {
      settled = true;
      return a;
    });
    const event = await proxy.waitFor({ body: /stall-me/ });
    expect(event.fault).toBe('stall');
    // A request sent after the stalled one is answered, while the stalled one is still open.
    await expect(send(proxy.url, 'POST', '/op', 'fine')).resolves.toMatchObject({ status: 200 });
    expect(settled).toBe(false);
    expect(applied).toEqual(['POST /op fine']);
    proxy.releaseStalled();
    await expect(stalled).resolves.toEqual({ error: 'ECONNRESET' });
  });

  it('hold: keeps matching requests from the upstream until released, then forwards them', async () => {
    proxy.arm({
      fault: 'hold',
      times: Number.POSITIVE_INFINITY,
      match: { where: (r) => r.method === 'POST' && r.path === '/held' },
    });
    const held = send(proxy.url, 'POST', '/held', 'x');
    const passed = await send(proxy.url, 'GET', '/free');
    expect(passed.status).toBe(200);
    expect((await proxy.waitForHeld()).path).toBe('/held');
    expect(applied).toEqual(['GET /free ']);
    proxy.releaseHeld();
    expect((await held).status).toBe(200);
    expect(applied).toEqual(['GET /free ', 'POST /held x']);
    // Released means disarmed: the next one goes straight through.
    expect((await send(proxy.url, 'POST', '/held', 'y')).status).toBe(200);
  });

  it('delay: still forwards and answers', async () => {
    proxy.arm({ match: { path: '/slow' }, fault: { delayMs: 5 } });
    await expect(send(proxy.url, 'GET', '/slow')).resolves.toMatchObject({ status: 200 });
    expect(proxy.events[0]?.fault).toBe('delay');
  });

  it('waitFor counts matching events already seen and to come', async () => {
    const second = proxy.waitFor({ method: 'GET' }, 2);
    await send(proxy.url, 'GET', '/a');
    await send(proxy.url, 'POST', '/b');
    await send(proxy.url, 'GET', '/c');
    await expect(second).resolves.toMatchObject({ path: '/c', status: 200 });
    await expect(proxy.waitFor({ method: 'GET' }, 1)).resolves.toMatchObject({ path: '/a' });
  });

  it('matches on method, exact path, target suffix and body', () => {
    const e = { method: 'PUT', path: '/f/aliases/live', target: 'X.UpdateAlias', body: '{"a":1}' };
    expect(matches({ method: 'put', path: '/f/aliases/live' }, e)).toBe(true);
    expect(matches({ path: '/f/aliases' }, e)).toBe(false);
    expect(matches({ target: 'UpdateAlias' }, e)).toBe(true);
    expect(matches({ target: 'GetAlias' }, e)).toBe(false);
    expect(matches({ body: (b) => JSON.parse(b).a === 1 }, e)).toBe(true);
    expect(matches({ method: 'GET' }, e)).toBe(false);
  });
});
