/**
 * The proxy agents lshift gives the SDK (src/aws/proxy-agent.ts). A proxy that accepts a
 * connection and never answers its CONNECT kept the process alive after lshift had printed its
 * result (a hostile pass): the CONNECT now has the connect bound, and ends in an error.
 */

import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { proxyAgents } from '../../src/aws/proxy-agent.js';

const sockets = new Set<Socket>();
let server: Server | undefined;
const saved = process.env.HTTP_PROXY;

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.clear();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  if (saved === undefined) delete process.env.HTTP_PROXY;
  else process.env.HTTP_PROXY = saved;
});

/** A proxy that accepts every connection and never says a word. */
async function silentProxy(): Promise<number> {
  server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('proxyAgents', () => {
  it('a CONNECT the proxy never answers ends in an error within the connect bound, not never', async () => {
    process.env.HTTP_PROXY = `http://127.0.0.1:${await silentProxy()}`;
    const agents = proxyAgents('http://sandbox.invalid:4566', 50);
    expect(agents).toBeDefined();
    const error = await new Promise<Error>((resolve) => {
      const req = request({ host: 'sandbox.invalid', port: 4566, path: '/', agent: agents!.httpAgent }, () =>
        resolve(new Error('answered')),
      );
      req.on('error', resolve);
      req.end();
    });
    expect(error.message).toBe('Proxy timeout');
  });

  it('none for a loopback endpoint', () => {
    process.env.HTTP_PROXY = 'http://127.0.0.1:9';
    expect(proxyAgents('http://127.0.0.1:4566', 50)).toBeUndefined();
  });
});
