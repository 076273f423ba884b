/** Shared set-up for sandbox tests: a sandbox on a fake real-time clock and real SDK clients. */
import { CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterEach } from 'vitest';
import { buildZip } from '../../src/sandbox/demo-zip.js';
import { type SandboxHandle, type SandboxOptions, startSandbox } from '../../src/sandbox/index.js';
import { findStateProblem } from '../../src/sandbox/state-validation.js';

export const T0 = Date.UTC(2030, 0, 1, 10, 0, 0);
export const ROLE = 'arn:aws:iam::123456789012:role/test-role';

export interface TestSandbox {
  handle: SandboxHandle;
  lambda: LambdaClient;
  cloudWatch: CloudWatchClient;
  /** Moves the fake real clock (and so simulated time, at speed 1) forward. */
  advance(ms: number): void;
  now(): number;
  stop(): Promise<void>;
}

/**
 * What a test file pushes here (sandboxes, handles: anything with `stop()`) is stopped after each
 * test, so a failing test leaves no server listening. Call it once, at the top of the file.
 */
export function stopAfterEach<T extends { stop(): Promise<void> }>(): T[] {
  const running: T[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((t) => t.stop()));
  });
  return running;
}

/** A file's `sandbox()`: starts a test sandbox (seeded by `prepare`), stopped after each test. */
export function useTestSandboxes(prepare?: (t: TestSandbox) => Promise<unknown>) {
  const running = stopAfterEach<TestSandbox>();
  return async (opts: SandboxOptions = {}, startAt = T0): Promise<TestSandbox> => {
    const t = await startTestSandbox(opts, startAt);
    running.push(t);
    await prepare?.(t);
    return t;
  };
}

export async function startTestSandbox(opts: SandboxOptions = {}, startAt = T0): Promise<TestSandbox> {
  let real = startAt;
  // Lambda's rate limit counts (simulated) seconds, and this fake real clock stands still unless a
  // test moves it: a test of the limit turns it on (control-plane-rate.test.ts).
  const handle = await startSandbox({ now: () => real, lambdaRate: 'off', ...opts });
  const config = {
    endpoint: handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' },
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
  };
  const lambda = new LambdaClient(config);
  const cloudWatch = new CloudWatchClient(config);
  return {
    handle,
    lambda,
    cloudWatch,
    advance: (ms) => {
      real += ms;
    },
    now: () => real,
    stop: async () => {
      lambda.destroy();
      cloudWatch.destroy();
      await handle.stop();
      // Every world a test leaves is one a state file may hold: the schema must take it back.
      const problem = await findStateProblem(JSON.parse(JSON.stringify(handle.state.data)));
      if (problem !== undefined) throw new Error(`the state-file schema refuses this world: ${problem}`);
    },
  };
}

export function zip(build: number): Uint8Array {
  return buildZip('index.js', `exports.handler = async () => ({ build: ${build} });\n`);
}

/** Creates a function with the given environment and publishes version 1 behind alias `live`. */
export async function createLiveFunction(
  t: TestSandbox,
  name: string,
  env: Record<string, string> = {},
  tags: Record<string, string> = {},
): Promise<void> {
  await t.lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Code: { ZipFile: zip(1) },
      Environment: { Variables: env },
      Tags: tags,
      Publish: true,
    }),
  );
  await t.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await t.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
}

/** Runs `fn` and returns the error it threw (fails the test when it did not throw). */
export async function errorOf(
  fn: () => Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await fn();
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail');
}

/**
 * A GetMetricData query of one version's metric behind alias `live` of function `shop` (the
 * ExecutedVersion dimension set lshift reads a version by), one value a minute.
 */
export function shopVersionQuery(id: string, metric: string, stat: string, version: string): MetricDataQuery {
  const dimensions = [
    { Name: 'FunctionName', Value: 'shop' },
    { Name: 'Resource', Value: 'shop:live' },
    { Name: 'ExecutedVersion', Value: version },
  ];
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions },
      Period: 60,
      Stat: stat,
    },
  };
}
