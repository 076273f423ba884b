/**
 * Shared set-up for the sandbox benchmarks: a virtual time source shared by a sandbox and a
 * Clock (so a 5-minute canary runs without real waiting), SDK-backed ports pointed at a sandbox,
 * a counting HTTP proxy (the sandbox keeps no request log), and small statistics helpers.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createCloudWatchClient,
  createLambdaClient,
  createLambdaPort,
  createMetricsPort,
} from '../../src/aws/clients.js';
import type { Clock } from '../../src/ports/clock.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import type { MetricsPort } from '../../src/ports/metrics.js';
import { matchLambdaRoute } from '../../src/sandbox/lambda-router.js';

// The SDK warns about Node 20 once per process; the CLI silences it the same way (bin/run.js).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Credentials the sandbox accepts (it checks no signature). */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };
export const SANDBOX_REGION = 'us-east-1';

/**
 * One timeline for the sandbox (`startSandbox({ now, speed: 1 })`) and the engine's Clock:
 * a sleep moves it forward at once, so simulated minutes cost no real time.
 */
export interface VirtualTime {
  now: () => number;
  clock: Clock;
}

export function createVirtualTime(startMs: number): VirtualTime {
  let current = startMs;
  const now = () => current;
  return {
    now,
    clock: {
      now,
      elapsedMs: now,
      sleep: async (ms, signal) => {
        if (signal?.aborted) throw signal.reason;
        current += Math.max(0, ms);
        await Promise.resolve();
      },
    },
  };
}

function sandboxClientOptions(url: string) {
  return { region: SANDBOX_REGION, endpointUrl: url, credentials: SANDBOX_CREDENTIALS };
}

/** Real SDK-backed ports against a sandbox, as the CLI builds them under LSHIFT_SANDBOX. */
export async function createSandboxPorts(url: string): Promise<{ lambda: LambdaPort; metrics: MetricsPort }> {
  const options = sandboxClientOptions(url);
  const [{ lambda }, metrics] = await Promise.all([
    // No client-side pacing: it waits in real seconds, which a virtual clock does not have (the
    // detection bench turns the sandbox's quota off too; it measures the analysis, not the quota).
    createLambdaPort({ ...options, lambdaRate: 'off' }, { minDelaySeconds: 1, maxDelaySeconds: 2 }),
    createMetricsPort(options),
  ]);
  return { lambda, metrics };
}

/** A raw CloudWatch SDK client against a sandbox (for set-up calls the ports do not offer). */
export function createSandboxCloudWatch(url: string) {
  return createCloudWatchClient(sandboxClientOptions(url));
}

/** A raw Lambda SDK client against a sandbox. */
export function createSandboxLambda(url: string) {
  return createLambdaClient(sandboxClientOptions(url));
}

/** The API operation of a request to the sandbox: `cloudwatch:DescribeAlarms`, `lambda:UpdateAlias`. */
export function classifyRequest(method: string, path: string, headers: Record<string, unknown>): string {
  const target = headers['x-amz-target'];
  if (typeof target === 'string') {
    const service = target.startsWith('CodeDeploy_') ? 'codedeploy' : 'cloudwatch';
    return `${service}:${target.split('.').at(-1) ?? target}`;
  }
  const pathname = new URL(path, 'http://sandbox').pathname;
  if (pathname.startsWith('/__lshift/')) return `control:${pathname.slice('/__lshift/'.length)}`;
  const route = matchLambdaRoute(method, pathname);
  return `lambda:${route?.operation ?? `${method} ${pathname}`}`;
}

export interface ProxiedRequest {
  operation: string;
  /** Real epoch ms the request arrived at the proxy. */
  realMs: number;
  /** The request body (JSON text for AWS calls), kept for inspection. */
  body: string;
  /** Real ms from the request's arrival to the end of the sandbox's answer. */
  latencyMs?: number;
}

export interface CountingProxy {
  url: string;
  requests: ProxiedRequest[];
  stop(): Promise<void>;
}

/**
 * Forwards every request to `targetUrl` unchanged and records its operation. Adds one local
 * hop, so time measurements are taken without it.
 */
export async function startCountingProxy(targetUrl: string): Promise<CountingProxy> {
  const target = new URL(targetUrl);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: ProxiedRequest = {
        operation: classifyRequest(req.method ?? 'GET', req.url ?? '/', req.headers),
        realMs: Date.now(),
        body: body.toString('utf8'),
      };
      requests.push(record);
      const arrived = performance.now();
      res.on('finish', () => {
        record.latencyMs = performance.now() - arrived;
      });
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/** Nearest-rank quantile (q in [0, 1]); NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function formatPercent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((part / whole) * 100).toFixed(1)}%`;
}

/** A small deterministic PRNG (mulberry32) for bench choices derived from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
