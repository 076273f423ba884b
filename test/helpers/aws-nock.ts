/**
 * nock helpers for tests that drive the REAL AWS SDK clients (built by src/aws/clients.ts).
 *
 * Clients and adapters
 *   TEST_REGION, TEST_CREDENTIALS          us-east-1 and static fake keys (never real ones)
 *   testClientOptions(overrides?)          AwsClientOptions: region, credentials, 3 attempts with no
 *                                          back-off (ConfiguredRetryStrategy(3, () => 0)), no
 *                                          control-plane pacing (lambdaRate 'off')
 *   createTestLambdaClient(o?) / createTestCloudWatchClient(o?)     real SDK clients
 *   createTestLambdaAdapter(o?) / createTestCloudWatchAdapter(o?)   adapters on those clients;
 *                                          Lambda waiters poll every 10 ms
 * nock scopes
 *   useNock()                              call at the top of a describe: disables real network,
 *                                          and after each test fails if an interceptor went unused
 *   LAMBDA_ENDPOINT, CLOUDWATCH_ENDPOINT   default hosts for us-east-1
 *   lambdaNock(), cloudWatchNock()         nock scopes on those hosts
 *   cloudWatchCall(op, times?)             `POST /` interceptor selected by
 *                                          `x-amz-target: GraniteServiceVersion20100801.<op>`
 *   fnPath(name, suffix?)                  `/2015-03-31/functions/<name><suffix>` (name URL-encoded)
 *   tagsPath(arn)                          `/2017-03-31/tags/<arn>` (URL-encoded)
 * Replies (tuples for `.reply(...)`)
 *   lambdaJson(body, status?)              restJson1 success
 *   lambdaError(status, type, message)     restJson1 modelled error (x-amzn-errortype + body)
 *   cloudWatchJson(body)                   awsJson1_0 success (`Content-Type: application/x-amz-json-1.0`)
 *   cloudWatchError(status, code, message) awsJson1_0 modelled error (`__type` + x-amzn-query-error)
 *   capture(log, reply)                    reply callback that records each request (method, path,
 *                                          query, headers, parsed JSON body) before replying
 * Fixtures
 *   functionConfiguration(overrides?)      a Lambda FunctionConfiguration JSON object
 *   aliasConfiguration(overrides?)         a Lambda AliasConfiguration JSON object
 *   FUNCTION_ARN                           arn of the fixture function `my-fn`
 */
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { type AwsClientOptions, createCloudWatchClient, createLambdaClient } from '../../src/aws/clients.js';
import { CloudWatchAdapter } from '../../src/aws/cloudwatch-adapter.js';
import { LambdaAdapter } from '../../src/aws/lambda-adapter.js';

export const TEST_REGION = 'us-east-1';
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
export const LAMBDA_ENDPOINT = 'https://lambda.us-east-1.amazonaws.com';
export const CLOUDWATCH_ENDPOINT = 'https://monitoring.us-east-1.amazonaws.com';
export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:my-fn';

type HeaderMap = Record<string, string>;
export type ReplyTuple = [number, string, HeaderMap];

export function testClientOptions(overrides: AwsClientOptions = {}): AwsClientOptions {
  return {
    region: TEST_REGION,
    credentials: TEST_CREDENTIALS,
    retryStrategy: new ConfiguredRetryStrategy(3, () => 0),
    // Unpaced unless a test asks for the limiter (src/aws/rate-limit.ts): the bucket is
    // process-wide, so one test's calls would slow the next.
    lambdaRate: 'off',
    ...overrides,
  };
}

export function createTestLambdaClient(o: AwsClientOptions = {}) {
  return createLambdaClient(testClientOptions(o));
}

export function createTestCloudWatchClient(o: AwsClientOptions = {}) {
  return createCloudWatchClient(testClientOptions(o));
}

export async function createTestLambdaAdapter(o: AwsClientOptions = {}): Promise<LambdaAdapter> {
  return new LambdaAdapter(await createTestLambdaClient(o), {
    waiter: { minDelaySeconds: 0.01, maxDelaySeconds: 0.01 },
    bounds: o.bounds,
    interrupt: o.interrupt,
  });
}

export async function createTestCloudWatchAdapter(o: AwsClientOptions = {}): Promise<CloudWatchAdapter> {
  return new CloudWatchAdapter(await createTestCloudWatchClient(o), {
    bounds: o.bounds,
    interrupt: o.interrupt,
  });
}

/**
 * Real network off for the file; every interceptor a test declares must have been used. At the
 * file's end nock takes its hooks out of node:http and fetch again: the shared test project
 * (vitest.config.ts) runs the next file in the same process, and an e2e file's fetch to its
 * sandbox failed (`TypeError: unusable`) through the interceptor a nock file left behind.
 */
export function useNock(): void {
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending, 'unused nock interceptors').toEqual([]);
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}

export function lambdaNock(): nock.Scope {
  return nock(LAMBDA_ENDPOINT);
}

export function cloudWatchNock(): nock.Scope {
  return nock(CLOUDWATCH_ENDPOINT);
}

export function cloudWatchCall(operation: string, times = 1): nock.Interceptor {
  return cloudWatchNock()
    .post('/')
    .matchHeader('x-amz-target', `GraniteServiceVersion20100801.${operation}`)
    .times(times);
}

export function fnPath(functionName: string, suffix = ''): string {
  return `/2015-03-31/functions/${encodeURIComponent(functionName)}${suffix}`;
}

export function tagsPath(arn: string): string {
  return `/2017-03-31/tags/${encodeURIComponent(arn)}`;
}

export function lambdaJson(body: unknown, status = 200): ReplyTuple {
  return [status, JSON.stringify(body), { 'Content-Type': 'application/json' }];
}

export function lambdaError(status: number, type: string, message: string): ReplyTuple {
  return [
    status,
    JSON.stringify({ Type: 'User', message }),
    { 'Content-Type': 'application/json', 'x-amzn-errortype': type },
  ];
}

export function cloudWatchJson(body: unknown): ReplyTuple {
  return [200, JSON.stringify(body), { 'Content-Type': 'application/x-amz-json-1.0' }];
}

export function cloudWatchError(status: number, code: string, message: string): ReplyTuple {
  return [
    status,
    JSON.stringify({ __type: `com.amazonaws.monitoring#${code}`, message }),
    { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${code};Sender` },
  ];
}

export interface CapturedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: HeaderMap;
  /** Parsed JSON body, `undefined` when the request had none. */
  body: unknown;
}

/** A `.reply(...)` callback that records the request, then answers with `reply`. */
export function capture(
  log: CapturedRequest[],
  reply: ReplyTuple | ((req: CapturedRequest) => ReplyTuple),
): (request: Request) => Promise<ReplyTuple> {
  return async (request: Request) => {
    const url = new URL(request.url);
    const text = await request.text();
    const captured: CapturedRequest = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      headers: Object.fromEntries(request.headers.entries()),
      body: text ? JSON.parse(text) : undefined,
    };
    log.push(captured);
    return typeof reply === 'function' ? reply(captured) : reply;
  };
}

export function functionConfiguration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FunctionName: 'my-fn',
    FunctionArn: FUNCTION_ARN,
    Version: '$LATEST',
    Runtime: 'nodejs20.x',
    Role: 'arn:aws:iam::123456789012:role/my-fn-role',
    CodeSha256: 'sha-latest',
    RevisionId: 'rev-latest',
    PackageType: 'Zip',
    State: 'Active',
    LastUpdateStatus: 'Successful',
    ...overrides,
  };
}

export function aliasConfiguration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    AliasArn: `${FUNCTION_ARN}:live`,
    Name: 'live',
    FunctionVersion: '1',
    RevisionId: 'alias-rev-1',
    ...overrides,
  };
}
