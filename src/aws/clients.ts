/**
 * Client factory. Every SDK load here is lazy (`loadLambdaSdk()` in a factory, type-only imports are
 * erased): each client costs ~170 ms of start-up and `--help`/`plan` must never pay it. Import this
 * module statically from the composition root; it pulls in the SDK only when a factory runs.
 *
 * We keep the SDK's defaults on purpose: the default credential chain (env, profile, SSO, web
 * identity, container/instance roles), `AWS_ENDPOINT_URL*`, `AWS_MAX_ATTEMPTS`, `AWS_RETRY_MODE`
 * (standard retries, 3 attempts unless configured). What we add: every request and every call
 * is time-bounded (./time-bounds.ts), and `AWS_DEFAULT_REGION` counts like the AWS CLI's.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { KnownSecrets } from '../domain/output-secrets.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { MetricsPort } from '../ports/metrics.js';
import { assertAwsFilesRegular } from './aws-files.js';
import { unsetBlankAwsVariables } from './blank-env.js';
import type { ResolvedConfig, WaiterOptions } from './client-config.js';
import { assertGivenRegion, assertRegion, defaultRegionFromEnv } from './client-region.js';
import { assertCredentialVariables } from './credential-env.js';
import { type CredentialProcessWatch, watchCredentialProcess } from './credential-process-failure.js';
import { type CredentialSource, describeCredentialSource } from './credential-source.js';
import { watchCredentials } from './credential-wait.js';
import { rememberFunctionEnvironments } from './function-environments.js';
import { noteNamedProfile } from './named-profile.js';
import { assertProfileExists, quietProfileWarningLogger } from './profile-check.js';
import { endpointOf, proxyAgents } from './proxy-agent.js';
import { lambdaRateFromEnv, paceClient, sharedLambdaRateLimiter } from './rate-limit.js';
import { loadCloudWatchSdk, loadCodeDeploySdk, loadLambdaSdk } from './sdk-modules.js';
import { type TimeBounds, timeBoundsFromEnv } from './time-bounds.js';

export { describeEndpoint, type WaiterOptions } from './client-config.js';

export interface AwsClientOptions {
  region?: string;
  /** Where `region` came from, for REGION_INVALID (`--region`, the config file's `region`). */
  regionSource?: string;
  profile?: string;
  /** Where `profile` came from, for PROFILE_NOT_FOUND (`--profile`, the config file's `profile`). */
  profileSource?: string;
  endpointUrl?: string;
  maxAttempts?: number;
  /** A Smithy RetryStrategy (tests pass `new ConfiguredRetryStrategy(3, () => 0)`). */
  retryStrategy?: unknown;
  /** Static credentials or a provider; omit to use the SDK's default chain. */
  credentials?: unknown;
  /** Request and call time bounds; default from LSHIFT_AWS_TIMEOUT (./time-bounds.ts). */
  bounds?: TimeBounds;
  /** Aborts the calls in flight when it fires (Ctrl-C); calls started afterwards still run. */
  interrupt?: AbortSignal;
  /** Fires once its command has said its result: every call still in flight is abandoned. */
  closed?: AbortSignal;
  /** Lambda control-plane requests per second, or `off`; default from LSHIFT_LAMBDA_RATE (./rate-limit.ts). */
  lambdaRate?: number | 'off';
  /** Simulated seconds per real second (a sandbox's `--speed`): the rate counts simulated time. */
  lambdaTimeScale?: number;
  /**
   * Where the SDK's warnings go (the CLI passes its stderr, which makes them printable); src/aws
   * never imports src/cli. Default: console.warn, made printable (./profile-check.ts).
   */
  onSdkWarning?: (text: string) => void;
  /** Where the Lambda client puts the function environment values it reads (./function-environments.ts). */
  known?: KnownSecrets;
  /** Each message AWS answered a failed call with (./bounded-caller.ts). */
  onAwsMessage?: (message: string) => void;
}

function buildConfig(o: AwsClientOptions): Record<string, unknown> {
  // The SDK reads these itself: an empty one must be no value, not an empty region or profile.
  unsetBlankAwsVariables();
  // Before anything reads them (the profile check below, the SDK): a named pipe there hung lshift.
  assertAwsFilesRegular(o.credentials === undefined, process.env, o.profile);
  // Static credentials (tests, the sandbox) make any profile irrelevant.
  if (o.credentials === undefined) {
    assertProfileExists(o.profile, o.profileSource);
    // A carriage return in AWS_SESSION_TOKEN failed the first call as an "AWS_ERROR" TypeError.
    assertCredentialVariables(o.profile);
  }
  const logger = o.credentials === undefined ? defaultChainLogger(o) : undefined;
  const bounds = o.bounds ?? timeBoundsFromEnv();
  const config: Record<string, unknown> = {
    requestHandler: {
      connectionTimeout: bounds.connectMs,
      // Without throwOnRequestTimeout this SDK only logs a warning when requestTimeout passes.
      requestTimeout: bounds.attemptMs,
      throwOnRequestTimeout: true,
      // No socketTimeout: it is client-wide, and a hook's Invoke is silent while the hook runs.
      // A body that stalls after the headers is cut by the per-call deadline (boundedCall).
    },
  };
  assertGivenRegion(o.region, o.regionSource);
  const region = o.region ?? defaultRegionFromEnv();
  if (region) config['region'] = region;
  // The SDK threads `profile` through region, retry and credential resolution itself.
  if (o.profile) config['profile'] = o.profile;
  noteNamedProfile(o.profile);
  if (o.endpointUrl) config['endpoint'] = o.endpointUrl;
  if (o.maxAttempts !== undefined) config['maxAttempts'] = o.maxAttempts;
  if (o.retryStrategy !== undefined) config['retryStrategy'] = o.retryStrategy;
  // Adaptive retries slow the client down when AWS throttles it (a fleet release can hit the
  // control-plane quota); AWS_RETRY_MODE still wins, like in every SDK
  // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html).
  else if (!process.env['AWS_RETRY_MODE']?.trim()) config['retryMode'] = 'adaptive';
  if (o.credentials !== undefined) config['credentials'] = o.credentials;
  if (logger) config['logger'] = logger;
  return config;
}

interface Service {
  label: string;
  envSuffix: string;
  host: string;
}
const LAMBDA: Service = { label: 'Lambda', envSuffix: 'LAMBDA', host: 'lambda' };
const CLOUDWATCH: Service = { label: 'CloudWatch', envSuffix: 'CLOUDWATCH', host: 'monitoring' };
const CODEDEPLOY: Service = { label: 'CodeDeploy', envSuffix: 'CODEDEPLOY', host: 'codedeploy' };

/**
 * A client whose region is resolved (failing early when there is none) and whose calls go through
 * the proxy the environment names for its endpoint. The endpoint of AWS itself depends on the
 * region, which may come from the profile only once resolved: with a proxy, the client is made
 * again with its agents and that region (see proxyAgents for why not swapped in).
 */
async function makeClient<C extends { config: unknown; destroy(): void }>(
  make: (config: Record<string, unknown>) => C,
  o: AwsClientOptions,
  service: Service,
): Promise<{ client: C; region: string }> {
  const first = make(buildConfig(o));
  const region = await assertRegion(first.config as ResolvedConfig, service.label, o.profile);
  const agents = proxyAgents(
    endpointOf(o.endpointUrl, service, region),
    (o.bounds ?? timeBoundsFromEnv()).connectMs,
  );
  const client = agents ? remake(first, make, o, region, agents) : first;
  // A call whose time goes to resolving credentials says so (./credential-wait.ts).
  const config = client.config as { credentials?: unknown; logger?: unknown };
  const watch = isCredentialProcessWatch(config.logger) ? config.logger : undefined;
  watchCredentials(config, credentialSourceOf(o), watch && { watch, namedProfile: namedProfileOf(o) });
  return { client, region };
}

function remake<C extends { config: unknown; destroy(): void }>(
  first: C,
  make: (config: Record<string, unknown>) => C,
  o: AwsClientOptions,
  region: string,
  agents: object,
): C {
  first.destroy();
  const config = buildConfig(o);
  const handler = config['requestHandler'] as Record<string, unknown>;
  return make({ ...config, region, requestHandler: { ...handler, ...agents } });
}

/**
 * The default chain's logger: the profile-warning filter (./profile-check.ts) or silence, as the
 * SDK's NoOpLogger, and debug lines read for a credential_process failure.
 */
function defaultChainLogger(o: AwsClientOptions): object {
  const quiet = quietProfileWarningLogger(o.profile, o.onSdkWarning) as Record<string, unknown> | undefined;
  const silent = () => {};
  return {
    trace: silent,
    info: silent,
    warn: silent,
    error: silent,
    ...quiet,
    ...watchCredentialProcess(),
  };
}

function isCredentialProcessWatch(logger: unknown): logger is CredentialProcessWatch {
  return (
    typeof (logger as Partial<CredentialProcessWatch> | undefined)?.lastCredentialProcessFailure ===
    'function'
  );
}

function namedProfileOf(o: AwsClientOptions): string | undefined {
  return o.profile?.trim() || process.env['AWS_PROFILE']?.trim() || undefined;
}

/** What resolves the credentials, read once and only when a call's deadline passes waiting for them. */
function credentialSourceOf(o: AwsClientOptions): () => CredentialSource {
  let source: CredentialSource | undefined;
  return () => {
    source ??=
      o.credentials === undefined
        ? describeCredentialSource(o.profile)
        : { what: 'the credential provider given to the AWS client', fix: 'See why it does not answer.' };
    return source;
  };
}

export async function createLambdaClient(o: AwsClientOptions = {}): Promise<LambdaClient> {
  return (await createRegionalLambdaClient(o)).client;
}

/** The client and the region it resolved (--region, AWS_REGION, AWS_DEFAULT_REGION or the profile's). */
async function createRegionalLambdaClient(
  o: AwsClientOptions,
): Promise<{ client: LambdaClient; region: string }> {
  const sdk = loadLambdaSdk();
  const { client, region } = await makeClient((config) => new sdk.LambdaClient(config), o, LAMBDA);
  const rate = o.lambdaRate ?? lambdaRateFromEnv();
  // One bucket per region and endpoint, shared by every Lambda client of this process.
  if (rate !== 'off')
    paceClient(
      client,
      sharedLambdaRateLimiter(`${region} ${o.endpointUrl ?? ''}`, rate, o.lambdaTimeScale ?? 1),
    );
  if (o.known) rememberFunctionEnvironments(client, o.known, region);
  return { client, region };
}

export async function createCloudWatchClient(o: AwsClientOptions = {}): Promise<CloudWatchClient> {
  const sdk = loadCloudWatchSdk();
  return (await makeClient((config) => new sdk.CloudWatchClient(config), o, CLOUDWATCH)).client;
}

/**
 * A LambdaPort backed by the real SDK, and the region its calls go to (what a function ARN's
 * region must match, and what a `cmd:` hook is given). Loads the SDK and the adapter lazily.
 */
export async function createLambdaPort(
  o: AwsClientOptions = {},
  waiter: WaiterOptions = {},
): Promise<{ lambda: LambdaPort; region: string }> {
  const [{ LambdaAdapter }, { client, region }] = await Promise.all([
    import('./lambda-adapter.js'),
    createRegionalLambdaClient(o),
  ]);
  const lambda = new LambdaAdapter(client, {
    waiter,
    bounds: o.bounds ?? timeBoundsFromEnv(),
    interrupt: o.interrupt,
    closed: o.closed,
    onAwsMessage: o.onAwsMessage,
  });
  return { lambda, region };
}

/** A MetricsPort backed by the real SDK; loads the SDK and the adapter lazily. */
export async function createMetricsPort(o: AwsClientOptions = {}): Promise<MetricsPort> {
  const [{ CloudWatchAdapter }, client] = await Promise.all([
    import('./cloudwatch-adapter.js'),
    createCloudWatchClient(o),
  ]);
  return new CloudWatchAdapter(client, {
    bounds: o.bounds ?? timeBoundsFromEnv(),
    interrupt: o.interrupt,
    closed: o.closed,
    onAwsMessage: o.onAwsMessage,
  });
}

export async function createCodeDeployClient(o: AwsClientOptions = {}): Promise<CodeDeployClient> {
  const sdk = loadCodeDeploySdk();
  return (await makeClient((config) => new sdk.CodeDeployClient(config), o, CODEDEPLOY)).client;
}

/** A CodeDeployPort backed by the real SDK; loads the SDK and the adapter lazily. */
export async function createCodeDeployPort(o: AwsClientOptions = {}): Promise<CodeDeployPort> {
  const [{ CodeDeployAdapter }, client, createClient] = await Promise.all([
    import('./codedeploy-adapter.js'),
    createCodeDeployClient(o),
    // CreateDeployment is never retried by the SDK (codedeploy-adapter.ts says why).
    createCodeDeployClient({ ...o, maxAttempts: 1, retryStrategy: undefined }),
  ]);
  const options = {
    bounds: o.bounds ?? timeBoundsFromEnv(),
    interrupt: o.interrupt,
    closed: o.closed,
    onAwsMessage: o.onAwsMessage,
  };
  return new CodeDeployAdapter(client, options, createClient);
}
