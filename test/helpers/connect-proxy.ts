/**
 * A forward proxy for tests: it answers CONNECT (as an HTTP(S)_PROXY does) by opening a tunnel to
 * `upstream` whatever host was asked for, so a test can name an endpoint no resolver knows
 * (`http://lambda.invalid:80`) and reach the sandbox only through the proxy. Counts tunnels and
 * remembers the hosts asked for; `requireAuth` answers 407 without the expected Proxy-Authorization.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect, type Socket } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** `host:port` of every CONNECT, in order. */
  targets: string[];
  close(): Promise<void>;
}

export async function startConnectProxy(
  upstream: { host: string; port: number },
  options: { requireAuth?: string } = {},
): Promise<ConnectProxy> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    targets.push(req.url ?? '');
    const expected = options.requireAuth && `Basic ${Buffer.from(options.requireAuth).toString('base64')}`;
    if (expected && req.headers['proxy-authorization'] !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const remote = connect(upstream.port, upstream.host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      remote.pipe(client);
      client.pipe(remote);
    });
    sockets.add(remote);
    remote.on('close', () => sockets.delete(remote));
    remote.on('error', () => client.destroy());
    client.on('error', () => remote.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
