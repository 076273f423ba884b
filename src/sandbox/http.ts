/**
 * HTTP plumbing: bodies with a size cap, and replies/errors in each protocol's shape.
 * - Lambda (restJson1): status + `x-amzn-ErrorType` + `{"Type":"User","message":…}`
 *   (`Message` for the shapes that model it that way: ResourceNotFoundException, ServiceException).
 * - CloudWatch (awsJson1_0, query compatible): `{"__type":…,"message":…}` +
 *   `x-amzn-query-error: <Code>;<Sender|Receiver>`.
 * - CodeDeploy (awsJson1_1): `{"__type":…,"message":…}`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from './api-error.js';
import type { LambdaReply } from './lambda-call.js';

const CAPITAL_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException']);

export class BodyTooLargeError extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () =>
      tooLarge ? reject(new BodyTooLargeError(String(size))) : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
    // A client that hangs up mid-body: settle (a no-op after 'end') so nothing waits forever.
    req.on('close', () => reject(new Error('the client closed the connection before the body ended')));
  });
}

function baseHeaders(): Record<string, string> {
  return { 'x-amzn-RequestId': randomUUID() };
}

export function sendLambdaReply(res: ServerResponse, reply: LambdaReply): void {
  const headers: Record<string, string> = { ...baseHeaders(), ...reply.headers };
  let body: Buffer | undefined;
  if (reply.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = Buffer.from(JSON.stringify(reply.json));
  } else if (reply.raw !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = reply.raw;
  }
  res.writeHead(reply.status, { ...headers, 'Content-Length': String(body?.length ?? 0) });
  res.end(body);
}

export function sendLambdaError(res: ServerResponse, error: ApiError): void {
  const messageKey = CAPITAL_MESSAGE.has(error.code) ? 'Message' : 'message';
  const body = Buffer.from(JSON.stringify({ ...error.fields, [messageKey]: error.message }));
  res.writeHead(error.status, {
    ...baseHeaders(),
    'x-amzn-ErrorType': error.code,
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

export function sendCloudWatchReply(res: ServerResponse, output: Record<string, unknown>): void {
  const body = Buffer.from(JSON.stringify(output));
  res.writeHead(200, {
    ...baseHeaders(),
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

export function sendCloudWatchError(res: ServerResponse, error: ApiError): void {
  const body = Buffer.from(JSON.stringify({ __type: error.code, message: error.message }));
  const fault = error.status >= 500 ? 'Receiver' : 'Sender';
  res.writeHead(error.status, {
    ...baseHeaders(),
    'x-amzn-query-error': `${error.queryCode ?? error.code};${fault}`,
    'Content-Type': 'application/x-amz-json-1.0',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/** CodeDeploy (awsJson1_1): `{"__type": "<Shape>", "message": …}`, no query-compatible header. */
export function sendCodeDeployReply(res: ServerResponse, output: Record<string, unknown>): void {
  sendAwsJson11(res, 200, {}, output);
}

export function sendCodeDeployError(res: ServerResponse, error: ApiError): void {
  sendAwsJson11(
    res,
    error.status,
    { 'x-amzn-ErrorType': error.code },
    { __type: error.code, message: error.message },
  );
}

function sendAwsJson11(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  value: unknown,
): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, {
    ...baseHeaders(),
    ...headers,
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': String(body.length),
  });
  res.end(body);
}

/**
 * The answer to a request Node's HTTP parser refused (garbage Content-Length, oversized headers):
 * a restJson1-shaped 400/431 written straight to the socket, then close. Never a crash.
 */
export function replyToMalformedRequest(socket: Duplex, error: NodeJS.ErrnoException): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify({
    Type: 'User',
    message: tooLarge
      ? 'The request headers are larger than the sandbox accepts.'
      : `The sandbox could not parse this HTTP request (${error.code ?? 'bad request'}).`,
  });
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  socket.end(
    `HTTP/1.1 ${status}\r\nx-amzn-ErrorType: InvalidRequestContentException\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

export function sendPlainJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(body.length) });
  res.end(body);
}
