/**
 * Issue 9 case 4: every AWS call through the real SDK client ends in a bounded time against an
 * endpoint that accepts and never answers; an interrupt abandons the call in flight but not the
 * calls after it; a hook's Invoke is bounded by the hook's timeout, not the control-plane one.
 * The endpoint is a real local HTTP server that holds requests until the test releases them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach, describe, expect, it } from 'vitest';
import { createLambdaPort } from '../../src/aws/clients.js';
import { MAX_ATTEMPT_MS, timeBounds, timeBoundsFromEnv } from '../../src/aws/time-bounds.js';
import type { LshiftError } from '../../src/domain/errors.js';
import { DEFAULT_STALE_AFTER_SECONDS, MAX_POLL_INTERVAL_SECONDS } from '../../src/domain/poll-interval.js';
import {
  aliasConfiguration,
  createTestCloudWatchAdapter,
  createTestLambdaAdapter,
} from '../helpers/aws-nock.js';

interface HeldRequest {
  req: IncomingMessage;
  res: ServerResponse;
}

/** Holds every request; `answer` decides per request whether to reply now (true) or hold it. */
class HoldingServer {
  readonly held: HeldRequest[] = [];
  private server?: Server;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(private readonly answer: (req: IncomingMessage, index: number) => unknown | undefined) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      req.resume();
      const index = this.held.length;
      this.held.push({ req, res });
      const body = this.answer(req, index);
      if (body !== undefined)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      for (const w of this.waiters.filter((x) => this.held.length >= x.count)) w.resolve();
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Resolves once `count` requests have arrived. */
  received(count: number): Promise<void> {
    if (this.held.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

const never = () => undefined;
let server: HoldingServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe('AWS call time bounds', () => {
  it('ends a Lambda call against an endpoint that never answers with NETWORK_ERROR naming it, after the SDK attempts', async () => {
    server = new HoldingServer(never);
    const url = await server.start();
    // What is under test is the attempts' bound: the call's deadline (3 × 150 ms + 1 s) is a
    // backstop that, on a loaded machine, fired before the SDK's third attempt (the SDK's own
    // work and its retry backoff run on the same clock), and the error named the deadline. Out
    // of the way here, the SDK makes its 3 attempts whatever the machine's speed; the next test
    // covers the deadline.
    const bounds = { ...timeBounds(150), callMs: 600_000 };
    const lambda = await createTestLambdaAdapter({ endpointUrl: url, bounds });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(
      `${url} did not answer lambda:GetAlias on function demo alias live in time`,
    );
    expect(error.message).toContain('in time (3 attempts of 150 ms each timed out)');
    expect(error.hint).toContain('LSHIFT_AWS_TIMEOUT');
    // The SDK's 3 attempts, each cut at 150 ms (the message counts them). How many reached the
    // server depends on the machine: on a loaded one an attempt's 150 ms connect timeout can fire
    // before the connection is accepted (seen with three copies of this file running at once).
    expect(server.held.length).toBeGreaterThanOrEqual(1);
    expect(server.held.length).toBeLessThanOrEqual(3);
  }, 20_000);

  it('says a connection reset is a reset, not a timeout (the SDK names a reset TimeoutError to retry it)', async () => {
    // An endpoint that closes every connection without an answer: the sandbox's `reset` fault.
    const resets = createServer((req) => req.socket.destroy());
    await new Promise<void>((resolve) => resets.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(resets.address() as AddressInfo).port}`;
    try {
      const lambda = await createTestLambdaAdapter({ endpointUrl: url, bounds: timeBounds(5_000) });
      const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.message).toBe(
        `The connection to ${url} was cut during lambda:GetAlias on function demo alias live: the endpoint reset it before answering (ECONNRESET: socket hang up; 3 attempts made).`,
      );
      // A read: it changed nothing, so no "may have been carried out".
      expect(error.message).not.toMatch(/timed out|in time|carried out/);
      expect(error.hint).not.toContain('LSHIFT_AWS_TIMEOUT');
    } finally {
      resets.closeAllConnections();
      await new Promise<void>((resolve) => resets.close(() => resolve()));
    }
  }, 20_000);

  it('says a refused connection was refused, after how many attempts', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const lambda = await createTestLambdaAdapter({ endpointUrl: url, bounds: timeBounds(5_000) });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe(
      `Could not reach ${url} for lambda:GetAlias on function demo alias live: the endpoint refused the connection (ECONNREFUSED: connect ECONNREFUSED ${url.slice('http://'.length)}; 3 attempts made).`,
    );
  }, 20_000);

  it('cuts a call at its deadline even when retries are configured higher (AWS_MAX_ATTEMPTS)', async () => {
    server = new HoldingServer(never);
    const url = await server.start();
    const bounds = timeBounds(100); // deadline 3 × 100 ms + 1 s
    const lambda = await createTestLambdaAdapter({
      endpointUrl: url,
      bounds,
      maxAttempts: 50,
      retryStrategy: new ConfiguredRetryStrategy(50, () => 0),
    });
    const error = (await lambda.getAlias('demo', 'live').catch((e: unknown) => e)) as LshiftError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toContain('in time (no answer to lambda:GetAlias within its 1.3 s deadline)');
    expect(server.held.length).toBeLessThan(50);
  }, 20_000);

  it('ends a CloudWatch call against an endpoint that never answers', async () => {
    server = new HoldingServer(never);
    const url = await server.start();
    const metrics = await createTestCloudWatchAdapter({ endpointUrl: url, bounds: timeBounds(150) });
    await expect(metrics.describeAlarms(['demo-errors'])).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      message: expect.stringContaining('did not answer cloudwatch:DescribeAlarms'),
    });
  }, 20_000);

  it('abandons the call in flight when the interrupt fires, and still runs the calls made after it', async () => {
    server = new HoldingServer((_req, index) => (index === 0 ? undefined : aliasConfiguration()));
    const url = await server.start();
    const interrupt = new AbortController();
    // A long bound: only the interrupt can end the first call early.
    const lambda = await createTestLambdaAdapter({
      endpointUrl: url,
      bounds: timeBounds(600_000),
      interrupt: interrupt.signal,
    });
    const first = lambda.getAlias('demo', 'live').catch((e: unknown) => e);
    await server.received(1);
    interrupt.abort(new Error('interrupted by SIGINT'));
    const error = (await first) as LshiftError;
    expect(error.code).toBe('INTERRUPTED');
    expect(error.message).toContain(
      'lambda:GetAlias on function demo alias live was abandoned: interrupted by SIGINT',
    );
    // The rollback write comes after the interrupt: it must still go out and succeed.
    await expect(lambda.getAlias('demo', 'live')).resolves.toMatchObject({ functionVersion: '1' });
  }, 20_000);

  // An interrupted check's release look reads after the signal (not abandoned by the interrupt)
  // and gives up after 1 s: against a stalled endpoint that read, and the SDK's retries of it,
  // held the process 2 s after the check had written its report (one-command.ts's exit grace).
  it('abandons every call in flight once the command is closed, one started after the interrupt too', async () => {
    server = new HoldingServer(never);
    const url = await server.start();
    const interrupt = new AbortController();
    interrupt.abort(new Error('interrupted by SIGTERM'));
    const closed = new AbortController();
    const { lambda } = await createLambdaPort({
      endpointUrl: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      lambdaRate: 'off',
      bounds: timeBounds(600_000),
      interrupt: interrupt.signal,
      closed: closed.signal,
    });
    const late = lambda.getAlias('demo', 'live').catch((e: unknown) => e);
    await server.received(1);
    const socketClosed = new Promise((resolve) => server?.held[0]?.req.socket.once('close', resolve));
    closed.abort(new Error('the command has ended'));
    expect(((await late) as LshiftError).code).toBe('INTERRUPTED');
    await socketClosed;
    // Not sent again (the SDK retries a reset socket), and a call made after it is not sent.
    await expect(lambda.getAlias('demo', 'live')).rejects.toMatchObject({ code: 'INTERRUPTED' });
    expect(server.held).toHaveLength(1);
  }, 20_000);

  it("bounds a hook's Invoke by the hook's timeout, not by the control-plane bound", async () => {
    server = new HoldingServer(never);
    const url = await server.start();
    const bounds = timeBounds(100); // a control-plane call would end after 1.3 s
    const lambda = await createTestLambdaAdapter({ endpointUrl: url, bounds });
    let settled = false;
    const invoke = lambda.invoke('hook-fn', '$LATEST', '{}', { timeoutMs: 60_000 }).finally(() => {
      settled = true;
    });
    await server.received(1);
    await new Promise((resolve) => setTimeout(resolve, 2 * bounds.callMs));
    expect(settled).toBe(false);
    expect(server.held).toHaveLength(1);
    const { res } = server.held[0] as HeldRequest;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    await expect(invoke).resolves.toMatchObject({ statusCode: 200, payload: '{"ok":true}' });
  }, 20_000);

  it('reads LSHIFT_AWS_TIMEOUT, and refuses a malformed one with a usage error', () => {
    expect(timeBoundsFromEnv({}).attemptMs).toBe(10_000);
    expect(timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: '2500ms' })).toMatchObject({
      attemptMs: 2500,
      callMs: 8500,
    });
    expect(timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: '3s' }).attemptMs).toBe(3000);
    expect(() => timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: 'forever' })).toThrow(
      expect.objectContaining({ code: 'INVALID_DURATION', exitCode: 2 }),
    );
  });

  it.each([
    ['1', 'LSHIFT_AWS_TIMEOUT=1 has no unit: write 1s.'],
    ['500', 'LSHIFT_AWS_TIMEOUT=500 has no unit: write 500ms.'],
    ['0', 'LSHIFT_AWS_TIMEOUT=0 has no unit, and is outside 100 ms to 15 s in ms or s.'],
    [
      '16s',
      'LSHIFT_AWS_TIMEOUT=16s is longer than 15 s: one AWS call may take 3 × its request timeout + 1 s with its retries (49 s), and a running deployment waiting that long for one call can go 2 minutes without a heartbeat, which lshift check takes for an abandoned deployment and rolls back.',
    ],
    [
      '60s',
      'LSHIFT_AWS_TIMEOUT=60s is longer than 15 s: one AWS call may take 3 × its request timeout + 1 s with its retries (181 s), and a running deployment waiting that long for one call can go 2 minutes without a heartbeat, which lshift check takes for an abandoned deployment and rolls back.',
    ],
    ['3600s', 'LSHIFT_AWS_TIMEOUT=3600s is longer than 15 s'],
    ['0ms', 'LSHIFT_AWS_TIMEOUT=0ms is outside 100 ms to 15 s.'],
    ['1h', 'LSHIFT_AWS_TIMEOUT=1h is longer than 15 s'],
    ['2m', 'LSHIFT_AWS_TIMEOUT=2m is longer than 15 s'],
    ['1d', 'LSHIFT_AWS_TIMEOUT=1d is longer than 15 s'],
    [
      '10 fortnights',
      'LSHIFT_AWS_TIMEOUT=10 fortnights is not a duration: a number with a unit (ms, s, m, h or d) such as 10s, 2500ms or 1m.',
    ],
    ['1m30s', 'LSHIFT_AWS_TIMEOUT=1m30s is longer than 15 s'],
    [
      '10s later',
      'LSHIFT_AWS_TIMEOUT=10s later is not a duration: a number with a unit (ms, s, m, h or d) such as 10s, 2500ms or 1m.',
    ],
  ])(
    'refuses LSHIFT_AWS_TIMEOUT=%s (a bare number may mean s or ms; the bound must mean something)',
    (value, message) => {
      expect(() => timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: value })).toThrow(message);
      expect(() => timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: value })).toThrow(
        expect.objectContaining({ code: 'INVALID_DURATION', exitCode: 2 }),
      );
    },
  );

  it('takes the ends of the range', () => {
    expect(timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: '100ms' }).attemptMs).toBe(100);
    expect(timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: '15s' }).attemptMs).toBe(15_000);
  });

  it('keeps one call hung until its bound within the stale limit (docs/exit-codes.md#time-bounds)', () => {
    // The longest gap between poll-driven heartbeats with every call answering, one call hung
    // until its bound, and 10 s for the calls of that poll that answer: under 120 s.
    const callMs = timeBounds(MAX_ATTEMPT_MS).callMs;
    expect(callMs).toBe(46_000);
    expect(MAX_POLL_INTERVAL_SECONDS * 1000 + callMs + 10_000).toBeLessThan(
      DEFAULT_STALE_AFTER_SECONDS * 1000,
    );
  });

  it.each([
    ['0.1m', 6_000],
    ['0.2min', 12_000],
    ['0.25m', 15_000],
    ['15 seconds', 15_000],
    ['1.5S', 1500],
    ['250 ms', 250],
    ['0m 12s', 12_000],
    ['1s500ms', 1500],
  ])('takes LSHIFT_AWS_TIMEOUT=%s in any unit lshift durations take (%i ms)', (value, ms) => {
    expect(timeBoundsFromEnv({ LSHIFT_AWS_TIMEOUT: value }).attemptMs).toBe(ms);
  });
});
