/**
 * A sandbox in the test process, and the built CLI pointed at it through LSHIFT_SANDBOX, as a
 * user would run `lshift sandbox` in one shell and lshift commands in another.
 */

import {
  CreateFunctionCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-lambda';
import { afterEach } from 'vitest';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import { advanceDeployments } from '../../src/sandbox/codedeploy/progress.js';
import {
  DEMO_SCENARIOS,
  type SandboxHandle,
  type SandboxScenario,
  type SeedDemoOptions,
  seedDemo,
  startSandbox,
} from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { type FaultProxy, startFaultProxy } from '../helpers/fault-proxy.js';
import { type CliOptions, type CliRun, runCli } from '../helpers/run-cli.js';
import { tinyZip } from '../helpers/tiny-zip.js';

/**
 * The canary analysis on, but without chance: its relative gates off and one absolute gate that
 * a healthy sandbox version cannot fail (the sandbox never throttles it). The relative gates may
 * roll back two equal versions in up to 1% of deployments, by design (docs/analysis.md); a test of
 * what the analysis says or waits for (its warnings, verdict events, the settle wait), not of its
 * verdict, would fail that often by chance. Tests of the verdict: analysis.test.ts.
 */
export const ANALYSIS_WITHOUT_CHANCE = ['--no-analysis', '--max-throttles', '0'];

/**
 * Operations a dry run may call (the sandbox's count of what it served, `GET
 * /__lshift/operations`): any other one, a write, fails the test.
 */
export const DRY_RUN_READS = [
  'GetFunction',
  'GetFunctionConfiguration',
  'GetAlias',
  'ListTags',
  // What a publish would give: the newest version, to compare with $LATEST.
  'ListVersionsByFunction',
  'DescribeAlarms',
  // The preflight's check that the alarm gate may read an alarm's history (alarm-flap-check.ts).
  'DescribeAlarmHistory',
  // Issue 14's preflight reads (async configs, event sources, provisioned concurrency).
  'ListFunctionEventInvokeConfigs',
  'ListEventSourceMappings',
  'GetProvisionedConcurrencyConfig',
  // The recent request rate, for the warnings the real run gives before its first write.
  'GetMetricData',
];

export interface SandboxEnv {
  handle: SandboxHandle;
  cli(args: string[], opts?: CliOptions): Promise<CliRun>;
  /**
   * Where alias `demo:live` routes and its record, as the sandbox holds them: the truth a test
   * checks lshift against, not lshift's own reading of it (`lshift status` has tests of its own).
   * Read in the test process, after the sandbox replays what is due as it would before a request:
   * a CLI start for each read was ~0.7 s of CPU, and ~100 reads a run.
   */
  status(): Promise<{
    functionVersion: string;
    additionalWeights: Record<string, number>;
    record?: { phase: string };
  }>;
  stop(): Promise<void>;
}

export async function startSandboxEnv(opts: {
  speed?: number;
  preset?: keyof typeof DEMO_SCENARIOS;
  scenario?: SandboxScenario;
  seed?: number;
  /** Overrides of the demo preset: requests per minute and the new version's behaviour. */
  demo?: Omit<SeedDemoOptions, 'functionName' | 'alias'>;
  /**
   * `runCliInProcess`, from a file in IN_PROCESS_E2E (vitest.config.ts; the shared files may not
   * import it): `cli` runs the built CLI's commands in this worker's process, ~0.5 CPU-s less a
   * run. A run given `onSpawn`, `stdoutFd` or a NODE_OPTIONS still starts the CLI: a signal, a
   * closed pipe and a preload need a process. One given `timeoutMs` does not: the test's own budget is its hang's backstop here.
   */
  inProcess?: (args: string[], opts: Pick<CliOptions, 'env' | 'cwd'>) => Promise<CliRun>;
}): Promise<SandboxEnv> {
  const handle = await startSandbox({
    speed: opts.speed ?? 600,
    seed: opts.seed ?? 7,
    scenario: opts.scenario,
  });
  await seedDemo(handle, { ...DEMO_SCENARIOS[opts.preset ?? 'healthy'], ...opts.demo });
  const cli = (args: string[], cliOpts: CliOptions = {}) => {
    const run = { ...cliOpts, env: { LSHIFT_SANDBOX: handle.url, ...cliOpts.env } };
    // A preload (NODE_OPTIONS: a signal as the bundle is read) needs a Node of its own too.
    const needsProcess = cliOpts.onSpawn || cliOpts.stdoutFd !== undefined || cliOpts.env?.NODE_OPTIONS;
    return opts.inProcess && !needsProcess ? opts.inProcess(args, run) : runCli(args, run);
  };
  return {
    handle,
    cli,
    async status() {
      // The sandbox replays what is due on its clock before each request (CodeDeploy's steps and
      // hooks): a read here must too, or a detached CodeDeploy deployment would never move on.
      advanceDeployments(handle.state);
      const { functionVersion, weights, record } = aliasTruth(handle);
      return { functionVersion, additionalWeights: weights, ...(record ? { record } : {}) };
    },
    stop: () => handle.stop(),
  };
}

export interface AliasTruth {
  functionVersion: string;
  weights: Record<string, number>;
  record?: ReturnType<typeof decodeRecord>;
}

/** Alias `demo:live` and its record as the sandbox holds them (not as lshift reports them). */
export function aliasTruth(handle: SandboxHandle): AliasTruth {
  const fn = own(handle.state.data.functions, 'demo');
  if (!fn) throw new Error('demo function missing from the sandbox');
  const alias = own(fn.aliases, 'live');
  if (!alias) throw new Error('alias live missing from the sandbox');
  const tag = fn.tags['lshift:live'];
  return {
    functionVersion: alias.functionVersion,
    weights: { ...alias.weights },
    record: tag ? decodeRecord(tag) : undefined,
  };
}

/**
 * A sandbox and the fault proxy in front of it, both stopped after each test (the proxy first,
 * anything it still holds let go): the starter of the e2e tests that break the network.
 */
export function useProxiedSandbox() {
  let env: SandboxEnv | undefined;
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    proxy?.releaseHeld();
    await proxy?.stop();
    await env?.stop();
    env = undefined;
    proxy = undefined;
  });
  return {
    async sandbox(opts: Parameters<typeof startSandboxEnv>[0]): Promise<SandboxEnv> {
      env = await startSandboxEnv(opts);
      return env;
    },
    /** The proxy in front of the sandbox this test started. */
    async proxy(): Promise<FaultProxy> {
      if (!env) throw new Error('start the sandbox first');
      proxy = await startFaultProxy(env.handle.url);
      return proxy;
    },
  };
}

/**
 * Creates function `name` in the sandbox, as someone with the AWS CLI would: a hook for a test
 * (`variables` set what the sandbox's invoke answers: LSHIFT_SANDBOX_HOOK_STATUS, LSHIFT_SANDBOX_RESPONSE).
 */
export async function createSandboxFunction(
  handle: SandboxHandle,
  name: string,
  variables: Record<string, string>,
): Promise<void> {
  const client = new LambdaClient({
    endpoint: handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  try {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: `arn:aws:iam::123456789012:role/${name}`,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Code: { ZipFile: tinyZip() },
        Environment: { Variables: variables },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** A Lambda client on the sandbox, as someone with the AWS CLI has (any credentials). Destroy it after. */
function sandboxLambda(handle: SandboxHandle): LambdaClient {
  return new LambdaClient({
    endpoint: handle.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
}

/**
 * Publishes demo's $LATEST and, with `alias`, points alias `live` at the new version, as
 * `aws lambda publish-version` and `update-alias` would: set-up for a test that is not about
 * `lshift publish` or `lshift alias` (those have tests of their own), without a CLI start for
 * each (~0.5 CPU-s). The version published.
 */
export async function publishDemo(handle: SandboxHandle, opts: { alias?: boolean } = {}): Promise<string> {
  const client = sandboxLambda(handle);
  try {
    const { Version } = await client.send(new PublishVersionCommand({ FunctionName: 'demo' }));
    if (!Version) throw new Error('the sandbox published no version');
    if (opts.alias) {
      await client.send(
        new UpdateAliasCommand({
          FunctionName: 'demo',
          Name: 'live',
          FunctionVersion: Version,
          RoutingConfig: { AdditionalVersionWeights: {} },
        }),
      );
    }
    return Version;
  } finally {
    client.destroy();
  }
}

/**
 * A sandbox for one run of a sample check (expectSameRunAsBuiltCli, expectBuiltCliRunsAlike:
 * run-cli-in-process.ts): the environment that points lshift at it, and its stop. `prepare` sets
 * it up as the file's test set up its own (a CodeDeploy group, a deployment, a held request); the
 * argv it gives, if any, is the one to run there (a deployment id it made).
 */
export function freshSandbox(
  opts: Parameters<typeof startSandboxEnv>[0] = {},
  prepare?: (sandbox: SandboxEnv) => Promise<string[] | undefined>,
) {
  return async () => {
    const sandbox = await startSandboxEnv(opts);
    try {
      const args = await prepare?.(sandbox);
      return {
        env: { LSHIFT_SANDBOX: sandbox.handle.url },
        stop: () => sandbox.stop(),
        ...(args ? { args } : {}),
      };
    } catch (error) {
      await sandbox.stop();
      throw error;
    }
  };
}

/**
 * As freshSandbox, for a twin whose test runs behind the fault proxy (useProxiedSandbox): a
 * sandbox and a proxy in front of it; `prepare` sets the sandbox up and arms the proxy as the
 * test did, and gives any environment of the run's own beside `LSHIFT_SANDBOX` (the proxy's URL).
 */
export function freshProxiedSandbox(
  opts: Parameters<typeof startSandboxEnv>[0],
  prepare: (sandbox: SandboxEnv, proxy: FaultProxy) => Promise<NodeJS.ProcessEnv | undefined>,
) {
  return async () => {
    const sandbox = await startSandboxEnv(opts);
    let proxy: FaultProxy | undefined;
    const stop = async () => {
      proxy?.releaseHeld();
      await proxy?.stop();
      await sandbox.stop();
    };
    try {
      proxy = await startFaultProxy(sandbox.handle.url);
      const env = await prepare(sandbox, proxy);
      return { env: { ...env, LSHIFT_SANDBOX: proxy.url }, stop };
    } catch (error) {
      await stop();
      throw error;
    }
  };
}
