/**
 * Composition root for commands that talk to AWS (or to a sandbox speaking its protocols).
 * SDK clients are imported lazily here, so `--help`, `--version` and `plan` never pay for them.
 */
import { profileUsesEnvironmentKeys } from '../aws/profile-check.js';
import { echoInput } from '../domain/echo.js';
import { OperationError, UsageError } from '../domain/errors.js';
import { isFetchBlockedPort } from '../domain/fetch-blocked-ports.js';
import { maskUserinfo } from '../domain/hook-spec.js';
import { createNativeTrafficDriver } from '../engine/native-traffic-driver.js';
import { TagStateStore } from '../engine/tag-state-store.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import { type ClockOrigin, createFollowingClock, createSystemClock } from './clocks.js';
import { describeRegionSource, type RegionTargets, refuseForeignRegions } from './function-region.js';
import { awsHookEnv, SANDBOX_CREDENTIALS, sandboxHookEnv } from './hook-env.js';
import { stderr } from './output.js';

export interface AwsTargetFlags {
  region?: string;
  profile?: string;
  'endpoint-url'?: string;
  /** The keys whose value came from the config file (mergeAwsTarget), for errors naming them. */
  fromConfig?: readonly ('region' | 'profile' | 'endpoint-url')[];
}

/** `--profile`, or ``the config file’s `profile` `` when the value came from there. */
function sourceName(flags: AwsTargetFlags, key: 'region' | 'profile' | 'endpoint-url'): string {
  return flags.fromConfig?.includes(key) ? `the config file’s \`${key}\`` : `--${key}`;
}

export interface Runtime {
  lambda: LambdaPort;
  metrics: MetricsPort;
  /** CodeDeploy (`--engine codedeploy`, `lshift codedeploy init`); its client loads on first use. */
  codedeploy: CodeDeployPort;
  /** Deployment records, kept as a tag on the function (lshift:<alias>). */
  store: StateStore;
  clock: Clock;
  /**
   * Moves traffic: the native driver (alias weights with RevisionId). `deploy --engine
   * codedeploy` swaps in the CodeDeploy driver (src/cli/codedeploy-engine.ts), which needs the
   * deploy's options to build.
   */
  traffic: TrafficDriver;
  /** Where requests go, for messages: `AWS us-east-1` or `sandbox http://127.0.0.1:4566`. */
  target: string;
  sandboxUrl?: string;
  /** The region every call goes to: a function ARN of another region is refused (function-region.ts). */
  region: string;
  /** The base environment of `cmd:` hooks: lshift's own, told where lshift's AWS is (./hook-env.ts). */
  hookEnv: NodeJS.ProcessEnv;
}

/**
 * `targets`: the functions and hooks the command will call; one given as an ARN of another region
 * is refused here, before any call (./function-region.ts).
 * `interrupt`: Ctrl-C abandons the AWS calls in flight (the rollback's calls still run).
 */
export async function createRuntime(
  flags: AwsTargetFlags,
  targets: RegionTargets,
  sandbox?: { url: string; clock: ClockOrigin },
  interrupt?: AbortSignal,
): Promise<Runtime> {
  checkEndpointUrl(flags['endpoint-url'], sandbox !== undefined, sourceName(flags, 'endpoint-url'));
  checkProfileName(flags.profile, sourceName(flags, 'profile'));
  checkProfileBesideSandbox(flags, sandbox !== undefined);
  checkEndpointEnv(sandbox !== undefined);
  const sandboxTarget = sandbox ?? (await readSandboxFromEnv());
  const { createCodeDeployPort, createLambdaPort, createMetricsPort } = await import('../aws/clients.js');
  const sandboxRegion = flags.region ?? 'us-east-1';
  const options = sandboxTarget
    ? {
        region: sandboxRegion,
        endpointUrl: sandboxTarget.url,
        credentials: SANDBOX_CREDENTIALS,
        interrupt,
        // The sandbox's quota is per simulated second, like a deployment's schedule.
        lambdaTimeScale: sandboxTarget.clock.speed,
      }
    : {
        region: flags.region,
        regionSource: sourceName(flags, 'region'),
        profile: flags.profile,
        profileSource: sourceName(flags, 'profile'),
        endpointUrl: flags['endpoint-url'],
        interrupt,
        // The SDK's warnings reach the terminal through lshift's choke point, made printable.
        onSdkWarning: (text: string) => stderr.write(`${text}\n`),
      };
  // Under a compressed sandbox clock, poll the SDK waiters quickly too.
  const waiter = sandboxTarget ? { minDelaySeconds: 1, maxDelaySeconds: 2 } : {};
  const { lambda, region } = await createLambdaPort(options, waiter);
  refuseForeignRegions({ region, source: describeRegionSource(flags, sandboxTarget !== undefined) }, targets);
  return {
    lambda,
    store: new TagStateStore(lambda),
    traffic: createNativeTrafficDriver(lambda),
    metrics: createLazyMetrics(() => createMetricsPort(options)),
    codedeploy: createLazyCodeDeploy(() => createCodeDeployPort(options)),
    clock: sandboxTarget ? createFollowingClock(sandboxTarget.clock) : createSystemClock(),
    target: sandboxTarget ? `sandbox ${sandboxTarget.url}` : `AWS ${region}`,
    sandboxUrl: sandboxTarget?.url,
    region,
    hookEnv: sandboxTarget ? sandboxHookEnv(sandboxTarget.url, region) : awsHookEnvFor(flags, region),
  };
}

function awsHookEnvFor(flags: AwsTargetFlags, region: string): NodeJS.ProcessEnv {
  const profile = flags.profile?.trim() || process.env.AWS_PROFILE?.trim() || undefined;
  return awsHookEnv({
    region,
    profile,
    endpointUrl: flags['endpoint-url'],
    profileUsesEnvironmentKeys: profile !== undefined && profileUsesEnvironmentKeys(profile),
  });
}

/**
 * `--profile "$PROD_PROFILE"` with the variable unset: the SDK ignores an empty profile and goes
 * on with whatever else it finds (keys in the environment, an instance role), maybe another
 * account's. Refused, as `--config ""` and `--region ""` are.
 */
function checkProfileName(profile: string | undefined, source: string): void {
  if (profile === undefined || profile.trim() !== '') return;
  throw new UsageError('INVALID_FLAG', `${source} is empty.`, {
    hint: 'Name an AWS profile (`--profile prod`; `aws configure list-profiles` lists them), or drop it to use AWS_PROFILE or the keys and role the SDK finds.',
  });
}

/**
 * A typed --profile names the AWS account the operator means; beside a sandbox it would be
 * ignored without a word (the sandbox takes any credentials), and a `lshift rollback orders
 * --profile prod` in a shell that still exports LSHIFT_SANDBOX would answer from the sandbox as if
 * from prod. Refused as --endpoint-url is. The config file's `profile` and AWS_PROFILE are a
 * project's or a shell's standing default, not a choice made for this command: they stay ignored,
 * so the sandbox can be tried in a project whose config names its real profile.
 */
function checkProfileBesideSandbox(flags: AwsTargetFlags, inProcessSandbox: boolean): void {
  if (flags.profile === undefined || flags.fromConfig?.includes('profile')) return;
  const sandbox = inProcessSandbox
    ? '--sandbox'
    : process.env.LSHIFT_SANDBOX?.trim()
      ? 'LSHIFT_SANDBOX'
      : undefined;
  if (!sandbox) return;
  throw new UsageError(
    'CONFLICTING_FLAGS',
    `--profile ${echoInput(flags.profile)} names AWS credentials, but ${sandbox} sends every AWS request to a sandbox.`,
    {
      hint:
        sandbox === '--sandbox'
          ? 'Drop --profile to deploy into the in-process sandbox, or drop --sandbox to deploy with that profile.'
          : 'Unset LSHIFT_SANDBOX (`unset LSHIFT_SANDBOX`) to talk to AWS with that profile, or drop --profile to use the sandbox.',
    },
  );
}

/**
 * An --endpoint-url (or the config file's) must be an http(s) URL, and must not compete with a
 * sandbox: LSHIFT_SANDBOX or --sandbox would otherwise win silently over an explicit endpoint.
 */
function checkEndpointUrl(endpointUrl: string | undefined, inProcessSandbox: boolean, source: string): void {
  if (endpointUrl === undefined) return;
  const shown = maskUserinfo(endpointUrl);
  let protocol: string | undefined;
  try {
    protocol = new URL(endpointUrl).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new UsageError('INVALID_FLAG', `${source} \`${shown}\` is not an http(s) URL.`, {
      hint: 'Write the full URL, e.g. --endpoint-url http://localhost:4566 (LocalStack), or drop it to talk to AWS.',
    });
  }
  const sandbox = inProcessSandbox
    ? '--sandbox'
    : process.env.LSHIFT_SANDBOX?.trim()
      ? 'LSHIFT_SANDBOX'
      : undefined;
  if (sandbox) {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      `${source} ${shown} and ${sandbox} both say where AWS requests go.`,
      {
        hint:
          sandbox === '--sandbox'
            ? 'Drop --endpoint-url (or endpoint-url in the config file) to use the in-process sandbox, or drop --sandbox.'
            : 'Unset LSHIFT_SANDBOX to use --endpoint-url, or drop --endpoint-url (or endpoint-url in the config file) to use the sandbox.',
      },
    );
  }
}

/** The SDK's endpoint variables for the services lshift calls (../aws/client-config.ts). */
const ENDPOINT_ENV = [
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_CLOUDWATCH',
  'AWS_ENDPOINT_URL_CODEDEPLOY',
];

/**
 * An AWS_ENDPOINT_URL* beside a sandbox is refused, as --endpoint-url is, not merely warned
 * about: the sandbox would win, and a deploy reported as promoted in a sandbox by someone who
 * meant LocalStack or AWS is the surprise lshift refuses to guess about. A warning scrolls by in
 * CI logs; unsetting the variable for one command (`env -u`) is cheap. One that names the
 * LSHIFT_SANDBOX sandbox itself agrees with it (docs/sandbox.md exports both for other tools).
 * Empty counts as unset.
 */
function checkEndpointEnv(inProcessSandbox: boolean): void {
  const sandboxUrl = process.env.LSHIFT_SANDBOX?.trim();
  const sandbox = inProcessSandbox ? '--sandbox' : sandboxUrl ? 'LSHIFT_SANDBOX' : undefined;
  if (!sandbox) return;
  const variable = ENDPOINT_ENV.find((name) => {
    const value = process.env[name]?.trim();
    return value && (inProcessSandbox || !sameOrigin(value, sandboxUrl!));
  });
  if (!variable) return;
  const shown = maskUserinfo(process.env[variable]!.trim());
  throw new UsageError(
    'CONFLICTING_FLAGS',
    `${variable}=${shown} and ${sandbox} both say where AWS requests go.`,
    {
      hint:
        sandbox === '--sandbox'
          ? `Unset ${variable} for this command (\`env -u ${variable} lshift …\`) to use the in-process sandbox, or drop --sandbox to use ${variable}.`
          : `Unset LSHIFT_SANDBOX to use ${variable}, or unset ${variable} (or point it at ${maskUserinfo(sandboxUrl!)}) to use the sandbox.`,
    },
  );
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * `LSHIFT_SANDBOX=<url>` points every command at a running `lshift sandbox` and makes it
 * follow the sandbox's (possibly compressed) clock, read once at start.
 */
export async function readSandboxFromEnv(): Promise<{ url: string; clock: ClockOrigin } | undefined> {
  const url = process.env.LSHIFT_SANDBOX?.trim();
  if (!url) return undefined;
  assertSandboxUrl(url);
  try {
    const response = await fetch(new URL('/__lshift/clock', url), { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const clock = (await response.json()) as ClockOrigin;
    if (![clock.simOriginMs, clock.realOriginMs, clock.speed].every(Number.isFinite) || clock.speed <= 0) {
      throw new Error('the clock answer is malformed');
    }
    return { url, clock };
  } catch (error) {
    throw new OperationError(
      'SANDBOX_UNREACHABLE',
      // The URL has no userinfo (assertSandboxUrl); the mask guards the error text all the same.
      maskUserinfo(
        `LSHIFT_SANDBOX is set to ${url} but no sandbox answers there (${(error as Error).message}).`,
      ),
      {
        hint: 'Start one with `lshift sandbox` and use the export line it prints, or unset LSHIFT_SANDBOX to talk to AWS.',
      },
    );
  }
}

/**
 * `lshift sandbox` prints `http://127.0.0.1:<port>` and checks no credentials, so a user name or
 * password in LSHIFT_SANDBOX is a mistake (or a secret pasted in the wrong place): refused, masked.
 */
function assertSandboxUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const shown = echoInput(maskUserinfo(url));
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
    throw new UsageError('SANDBOX_URL_INVALID', `LSHIFT_SANDBOX (${shown}) is not an http(s) URL.`, {
      hint: 'Use the export line `lshift sandbox` prints, e.g. LSHIFT_SANDBOX=http://127.0.0.1:4566, or unset it to talk to AWS.',
    });
  }
  if (parsed.username || parsed.password) {
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) carries a user name or password; the sandbox takes none.`,
      { hint: `Drop the part before @: LSHIFT_SANDBOX=${parsed.protocol}//${parsed.host}` },
    );
  }
  if (parsed.port !== '' && isFetchBlockedPort(Number(parsed.port))) {
    throw new UsageError(
      'SANDBOX_URL_INVALID',
      `LSHIFT_SANDBOX (${shown}) is on port ${parsed.port}, which Node's fetch refuses (the Fetch standard blocks it): no sandbox can be reached there.`,
      {
        hint: 'Start the sandbox on another port (`lshift sandbox --port 4566`) and use the export line it prints.',
      },
    );
  }
}

/**
 * The CloudWatch client (~170 ms to import) is created on first use, so `publish` and `alias`
 * never pay for it.
 */
function createLazyMetrics(create: () => Promise<MetricsPort>): MetricsPort {
  let port: Promise<MetricsPort> | undefined;
  const get = () => {
    port ??= create().catch((error) => {
      port = undefined;
      throw error;
    });
    return port;
  };
  return {
    describeAlarms: async (names) => (await get()).describeAlarms(names),
    getMetricData: async (queries, startMs, endMs) => (await get()).getMetricData(queries, startMs, endMs),
  };
}

/** The CodeDeploy client (~170 ms to import) is created on first use: only its engine pays for it. */
function createLazyCodeDeploy(create: () => Promise<CodeDeployPort>): CodeDeployPort {
  let port: Promise<CodeDeployPort> | undefined;
  const get = () => {
    port ??= create().catch((error) => {
      port = undefined;
      throw error;
    });
    return port;
  };
  return {
    getApplication: async (name) => (await get()).getApplication(name),
    createApplication: async (name) => (await get()).createApplication(name),
    getDeploymentGroup: async (app, group) => (await get()).getDeploymentGroup(app, group),
    createDeploymentGroup: async (spec) => (await get()).createDeploymentGroup(spec),
    updateDeploymentGroup: async (spec) => (await get()).updateDeploymentGroup(spec),
    getDeploymentConfig: async (name) => (await get()).getDeploymentConfig(name),
    createDeploymentConfig: async (name, routing) => (await get()).createDeploymentConfig(name, routing),
    createDeployment: async (input) => (await get()).createDeployment(input),
    getDeployment: async (id) => (await get()).getDeployment(id),
    listActiveDeployments: async (app, group) => (await get()).listActiveDeployments(app, group),
    stopDeployment: async (id, rollback) => (await get()).stopDeployment(id, rollback),
    getLifecycleEvents: async (id) => (await get()).getLifecycleEvents(id),
  };
}

/** AWS target flags, falling back to the config file's `region`, `profile`, `endpoint-url`. */
export function mergeAwsTarget(flags: AwsTargetFlags, config: AwsTargetFlags): AwsTargetFlags {
  const keys = ['region', 'profile', 'endpoint-url'] as const;
  return {
    region: flags.region ?? config.region,
    profile: flags.profile ?? config.profile,
    'endpoint-url': flags['endpoint-url'] ?? config['endpoint-url'],
    fromConfig: keys.filter((key) => flags[key] === undefined && config[key] !== undefined),
  };
}
