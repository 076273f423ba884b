/**
 * Session 63's garbage-input pass (#9): an endpoint that answers with something that is not HTTP
 * (a TCP server writing anything) was AWS_ERROR, "failed: Error: Parse Error: Expected HTTP/ …",
 * hint "Read the AWS message above". It is NETWORK_ERROR (no AWS answer came back), naming the
 * URL, that its reply is not HTTP, and its first bytes, printable and short. A real SDK client
 * against a real local TCP server.
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LshiftError } from '../../src/domain/errors.js';
import { createTestLambdaAdapter } from '../helpers/aws-nock.js';

let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  // Node's client leaves the socket half-open after the parse error: close() would wait on it.
  for (const socket of sockets.splice(0)) socket.destroy();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function garbageEndpoint(reply: Buffer): Promise<string> {
  server = createServer((socket) => {
    sockets.push(socket);
    socket.end(reply);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('an endpoint whose reply is not HTTP', () => {
  const reply = Buffer.from(`\u0000\u0001SSH-2.0-OpenSSH \u001b[2J${'z'.repeat(500)}`, 'latin1');

  it('a read: NETWORK_ERROR naming the URL and the first bytes, escaped, never raw', async () => {
    const endpointUrl = await garbageEndpoint(reply);
    const lambda = await createTestLambdaAdapter({ endpointUrl });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(
      `${endpointUrl} did not answer lambda:GetAlias on function demo alias live like AWS: its reply is not HTTP (HPE_`,
    );
    expect(error.message).toContain('it began `\\x00\\x01SSH-2.0-OpenSSH \\x1b[2Jzzzzz');
    expect(error.message).toMatch(/z…`\)\.$/);
    expect(error.message.length).toBeLessThan(300);
    for (const raw of ['\u0000', '\u0001', '\u001b', 'Parse Error', 'AWS message'])
      expect(error.message).not.toContain(raw);
    expect(error.hint).toContain('Something other than an HTTP server listens there');
    expect(error.hint).not.toContain('may have been carried out');
  });

  it('a write: the same, and says a proxy may have passed it on', async () => {
    const endpointUrl = await garbageEndpoint(reply);
    const lambda = await createTestLambdaAdapter({ endpointUrl });
    const error = (await lambda
      .updateAlias('demo', 'live', { functionVersion: '2', additionalWeights: {}, revisionId: 'r' })
      .catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain(
      'lambda:UpdateAlias on function demo alias live like AWS: its reply is not HTTP',
    );
    expect(error.hint).toContain('it may have been carried out: `lshift status` shows where the alias is.');
  });
});
