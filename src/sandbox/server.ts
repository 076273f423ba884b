/**
 * The sandbox endpoint: one port for Lambda (restJson1, by path), CloudWatch (awsJson1_0) and
 * CodeDeploy (awsJson1_1; both by the `x-amz-target` prefix), plus the control endpoints under `/__lshift/` (control.ts). It accepts any
 * credentials (signatures are not checked) and never crashes on bad input: every failure is an
 * AWS-shaped error.
 */

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OperationError } from '../domain/errors.js';
import { printable } from '../domain/printable.js';
import { ApiError, cloudWatchErrors, lambdaErrors } from './api-error.js';
import { drawApiFault, type Service } from './api-faults.js';
import { cloudWatchOperation, handleCloudWatch } from './cloudwatch-router.js';
import { codeDeployErrors } from './codedeploy/errors.js';
import { advanceDeployments } from './codedeploy/progress.js';
import { codeDeployOperation, handleCodeDeploy, isCodeDeployTarget } from './codedeploy/router.js';
import { serveControl } from './control.js';
import {
  BodyTooLargeError,
  readBody,
  replyToMalformedRequest,
  sendCloudWatchError,
  sendCloudWatchReply,
  sendCodeDeployError,
  sendCodeDeployReply,
  sendLambdaError,
  sendLambdaReply,
  sendPlainJson,
} from './http.js';
import { matchLambdaRoute, unsupportedLambdaOperation } from './lambda-router.js';
import { sdkAppId } from './request-gate.js';
import { Sandbox } from './sandbox.js';
import type { MetricDelaySetting, SandboxScenario } from './scenario.js';
import { checkStateFilePath, loadStateFile, saveStateFile } from './state-file.js';
import { acquireStateLock, type StateLock } from './state-lock.js';
import type { ClockInfo } from './types.js';

/** Largest request Lambda accepts (CreateFunction with a 50 MB zip, base64 in JSON). */
const MAX_BODY_BYTES = 69_905_067;

export interface SandboxOptions {
  /** 127.0.0.1 unless given. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Simulated ms per real ms (60: a simulated minute per real second). Default 1. */
  speed?: number;
  seed?: number;
  stateFile?: string;
  scenario?: SandboxScenario;
  /** Minutes after a minute ends before its Lambda datapoints are visible: fixed, or a range. Default [1, 3]. */
  metricDelayMinutes?: MetricDelaySetting;
  /** Real time source, epoch ms (tests inject one). */
  now?: () => number;
  /** Lambda control-plane requests per real second (default 15, Lambda's quota), or `off`. */
  lambdaRate?: number | 'off';
}

export interface SandboxHandle {
  url: string;
  host: string;
  port: number;
  clock: ClockInfo;
  /** The live sandbox world, for tests and in-process callers. */
  state: Sandbox;
  stop(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  // A FIFO or a directory is refused before a lock is created beside it.
  if (opts.stateFile) checkStateFilePath(opts.stateFile);
  // Locked before it is read: two sandboxes on one file would overwrite each other's world.
  const lock = opts.stateFile ? acquireStateLock(opts.stateFile) : undefined;
  try {
    return await startLocked(opts, lock);
  } catch (error) {
    lock?.release();
    throw error;
  }
}

async function startLocked(opts: SandboxOptions, lock: StateLock | undefined): Promise<SandboxHandle> {
  const restored = opts.stateFile ? await loadStateFile(opts.stateFile) : undefined;
  const sb = new Sandbox({
    seed: opts.seed,
    speed: opts.speed,
    metricDelayMinutes: opts.metricDelayMinutes,
    now: opts.now,
    scenario: opts.scenario,
    restored,
    lambdaRate: opts.lambdaRate,
  });
  const save = () => {
    if (opts.stateFile && sb.takeDirty()) saveStateFile(opts.stateFile, sb.data);
  };
  // Refused before listening: a sandbox that cannot keep its state would lose it silently.
  if (opts.stateFile) saveStateFile(opts.stateFile, sb.data);
  let lastSaveError = '';
  const server = createServer((req, res) => {
    handleRequest(sb, req, res)
      .catch((error) => replyUnexpected(res, error))
      .finally(() => {
        try {
          save();
          lastSaveError = '';
        } catch (error) {
          // Still unsaved: the next change (or the stop) tries again. Said once, not per request.
          sb.markDirty();
          const message = (error as Error).message;
          if (message !== lastSaveError) process.stderr.write(`warning: ${printable(message)}\n`);
          lastSaveError = message;
        }
      });
  });
  server.on('clientError', (error, socket) => replyToMalformedRequest(socket, error));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(describeListenError(error, host, opts.port ?? 0)),
    );
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${port}`,
    host,
    port,
    clock: sb.clock,
    state: sb,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        try {
          save();
        } finally {
          lock?.release();
        }
      }),
  };
}

/** The largest control request body (`/__lshift/*`): a fault list or a hold is a few hundred bytes. */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/**
 * A control request's body, or undefined when it was answered or dropped without being applied:
 * over MAX_CONTROL_BODY_BYTES is a 413; one that cannot be read in full (the client hung up, or
 * sent less than its Content-Length and left) has its connection closed. Found by a hostile pass:
 * such a body was applied as if empty, so an unreadable `hold` held every operation and a cut
 * `release {"drop":true}` became a plain release, and a 2.4 MB body was accepted.
 */
async function readControlBody(req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> {
  const tooLarge = () => {
    res.setHeader('Connection', 'close');
    sendPlainJson(res, 413, {
      message: `${req.method ?? 'GET'} ${req.url ?? ''}: the body is larger than the ${MAX_CONTROL_BODY_BYTES} bytes a control request may have; nothing was applied.`,
    });
  };
  // A declared length over the limit is refused before reading a byte of it.
  if (Number(req.headers['content-length'] ?? 0) > MAX_CONTROL_BODY_BYTES) {
    tooLarge();
    return undefined;
  }
  try {
    return await readBody(req, MAX_CONTROL_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) tooLarge();
    else req.socket.destroy();
    return undefined;
  }
}

async function handleRequest(sb: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox');
  const method = req.method ?? 'GET';
  if (url.pathname.startsWith('/__lshift/')) {
    const body = await readControlBody(req, res);
    if (body === undefined) return;
    return serveControl(sb, method, url.pathname, body, res);
  }
  const target = req.headers['x-amz-target'];
  const isCodeDeploy = isCodeDeployTarget(target);
  const isCloudWatch =
    !isCodeDeploy &&
    (typeof target === 'string' || String(req.headers['content-type'] ?? '').includes('x-amz-json'));
  const service: Service = isCodeDeploy ? 'codedeploy' : isCloudWatch ? 'cloudwatch' : 'lambda';
  const send = (error: ApiError) => {
    if (isCodeDeploy) return sendCodeDeployError(res, error);
    return isCloudWatch ? sendCloudWatchError(res, error) : sendLambdaError(res, error);
  };
  const route = isCloudWatch || isCodeDeploy ? undefined : matchLambdaRoute(method, url.pathname);
  const operation = isCodeDeploy
    ? codeDeployOperation(String(target))
    : isCloudWatch
      ? cloudWatchOperation(String(target ?? ''))
      : (route?.operation ?? `${method} ${url.pathname}`);
  let body: Buffer;
  try {
    // A declared length over the limit is refused before reading a byte of it.
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) {
      res.setHeader('Connection', 'close');
      throw new BodyTooLargeError(String(req.headers['content-length']));
    }
    body = await readBody(req, MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    const tooLarge = `The request for ${operation} is larger than the sandbox accepts.`;
    if (isCodeDeploy) return send(codeDeployErrors.invalidInput(tooLarge));
    return send(
      isCloudWatch
        ? cloudWatchErrors.invalidParameter(tooLarge)
        : lambdaErrors.tooLarge(MAX_BODY_BYTES, operation),
    );
  }
  // Over Lambda's control-plane rate: refused as Lambda does, before anything is counted or applied.
  if (!isCloudWatch && route && !sb.lambdaRate.admit(operation)) return send(lambdaErrors.throttled());
  sb.operationCounts.set(operation, (sb.operationCounts.get(operation) ?? 0) + 1);
  // Held by a test's event trigger: wait; a dropped request (or one whose client left, unless
  // released `late`: a lost response) is never applied.
  const client = sdkAppId(req.headers['user-agent']);
  const verdict = await sb.gate.pass(operation, () => req.socket.destroyed, client);
  if (verdict === 'drop' || (verdict === 'go' && req.socket.destroyed)) {
    req.socket.destroy();
    return;
  }
  const fault = drawApiFault(sb, service, operation, req.headers['amz-sdk-request']);
  if (fault?.kind === 'reset') {
    req.socket.destroy();
    return;
  }
  try {
    // One instant for the whole request: the replay of what is due and the change it makes.
    sb.atOneInstant(() => {
      if (fault?.kind === 'error') throw fault.error;
      // CodeDeploy deployments move on with the clock: replay what is due before any request reads or writes.
      advanceDeployments(sb);
      if (isCodeDeploy) {
        sendCodeDeployReply(res, handleCodeDeploy(sb, operation, body));
        sb.gate.afterApplied(operation, sb, client);
        return;
      }
      if (isCloudWatch) {
        sendCloudWatchReply(res, handleCloudWatch(sb, operation, body));
        sb.gate.afterApplied(operation, sb, client);
        return;
      }
      if (!route) {
        throw lambdaErrors.unknownOperation(
          `Unknown operation: ${method} ${url.pathname} is neither a Lambda route nor a CloudWatch or CodeDeploy call (x-amz-target).`,
        );
      }
      if (!route.handler) throw unsupportedLambdaOperation(route.operation, method, url.pathname);
      sendLambdaReply(
        res,
        route.handler({ sb, labels: route.labels, query: url.searchParams, headers: req.headers, body }),
      );
      sb.gate.afterApplied(operation, sb, client);
    });
  } catch (error) {
    if (error instanceof ApiError) return send(error);
    const message = `Internal sandbox error in ${operation}: ${(error as Error).message}`;
    if (isCodeDeploy) return send(codeDeployErrors.internal(message));
    send(isCloudWatch ? cloudWatchErrors.internal(message) : lambdaErrors.service(message));
  }
}

function replyUnexpected(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendPlainJson(res, 500, {
    message: `Internal sandbox error: ${(error as Error)?.message ?? String(error)}`,
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function describeListenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') {
    return new OperationError(
      'SANDBOX_PORT_IN_USE',
      `Cannot start the sandbox: ${where} is already in use.`,
      {
        hint: 'Stop whatever listens there, or pass another --port (0 picks a free one).',
      },
    );
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'EACCES') {
    return new OperationError(
      'SANDBOX_LISTEN_FAILED',
      `Cannot start the sandbox on ${where}: ${error.message}.`,
      {
        hint: 'Use --host 127.0.0.1 and a port above 1024.',
      },
    );
  }
  return error;
}
