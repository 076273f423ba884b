/**
 * Composition root for commands that talk to AWS (or to a sandbox speaking its protocols).
 * SDK clients are imported lazily here, so `--help`, `--version` and `plan` never pay for them.
 */
import { setMaxListeners } from 'node:events';
import { profileUsesEnvironmentKeys } from '../aws/profile-check.js';
import { createNativeTrafficDriver } from '../engine/native-traffic-driver.js';
import { TagStateStore } from '../engine/tag-state-store.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { CommandStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import { type AwsTargetFlags, checkAwsTarget, sourceName } from './aws-target.js';
import { type ClockOrigin, createFollowingClock, createSystemClock } from './clocks.js';
import { describeRegionSource, type RegionTargets, refuseForeignRegions } from './function-region.js';
import { functionSecrets } from './function-secrets.js';
import { awsHookEnv, SANDBOX_CREDENTIALS, sandboxHookEnv } from './hook-env.js';
import { createLazyCodeDeploy, createLazyMetrics } from './lazy-ports.js';
import { stderr } from './output.js';
import { noteAwsMessage } from './outside-text.js';
import { noteRunTarget } from './run-target.js';
import { readSandboxFromEnv } from './sandbox-env.js';
import { commandTargetOf, SANDBOX_DEFAULT_REGION } from './targeted-result.js';

export interface Runtime {
  lambda: LambdaPort;
  metrics: MetricsPort;
  /** CodeDeploy (`--engine codedeploy`, `lshift codedeploy init`); its client loads on first use. */
  codedeploy: CodeDeployPort;
  /** Deployment records, kept as a tag on the function (lshift:<alias>). */
  store: CommandStore;
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
  /**
   * Abandons every AWS call still in flight, closing its socket: once a command has said its
   * result, a call it gave up on (an interrupted check's release look, 1 s on an endpoint that does
   * not answer) held the process until one-command.ts's 2 s exit grace. Call it only when nothing
   * of the command's runs any more.
   */
  close(): void;
}

/**
 * `targets`: the functions and hooks the command will call; one given as an ARN of another region
 * is refused here, before any call (./function-region.ts).
 * `interrupt`: Ctrl-C abandons the AWS calls in flight (the rollback's calls still run).
 */
export async function createRuntime(
  flags: AwsTargetFlags,
  targets: RegionTargets,
  /**
   * `deploy --sandbox`'s, in this process; or LSHIFT_SANDBOX's read by the caller (`fromEnv`:
   * `lshift wait` reads it before a signal can abandon the read), which is a kept sandbox: its
   * conflicts are checked and its commands name the region only (h2's pass, session 65: wait
   * offered `--endpoint-url <LSHIFT_SANDBOX>`, refused CONFLICTING_FLAGS in that same shell).
   */
  sandbox?: { url: string; clock: ClockOrigin; fromEnv?: true },
  interrupt?: AbortSignal,
): Promise<Runtime> {
  const inProcess = sandbox !== undefined && sandbox.fromEnv !== true;
  checkAwsTarget(flags, inProcess);
  const sandboxTarget = sandbox ?? (await readSandboxFromEnv(undefined, interrupt));
  const { createCodeDeployPort, createLambdaPort, createMetricsPort } = await import('../aws/clients.js');
  const sandboxRegion = flags.region ?? SANDBOX_DEFAULT_REGION;
  const closer = new AbortController();
  // Every call in flight listens (a release of 100 functions queues hundreds): no leak.
  setMaxListeners(10_000, closer.signal);
  const options = sandboxTarget
    ? {
        closed: closer.signal,
        region: sandboxRegion,
        // Blamed on where it came from: a config file's `region: " "` was said to be --region's.
        regionSource: sourceName(flags, 'region'),
        endpointUrl: sandboxTarget.url,
        credentials: SANDBOX_CREDENTIALS,
        interrupt,
        // The sandbox's quota is per simulated second, like a deployment's schedule.
        lambdaTimeScale: sandboxTarget.clock.speed,
        known: functionSecrets,
        onAwsMessage: noteAwsMessage,
      }
    : {
        closed: closer.signal,
        region: flags.region,
        regionSource: sourceName(flags, 'region'),
        profile: flags.profile,
        profileSource: sourceName(flags, 'profile'),
        endpointUrl: flags['endpoint-url'],
        interrupt,
        // The SDK's warnings reach the terminal through lshift's choke point, made printable.
        onSdkWarning: (text: string) => stderr.write(`${text}\n`),
        known: functionSecrets,
        onAwsMessage: noteAwsMessage,
      };
  // Under a compressed sandbox clock, poll the SDK waiters quickly too.
  const waiter = sandboxTarget ? { minDelaySeconds: 1, maxDelaySeconds: 2 } : {};
  const { lambda, region } = await createLambdaPort(options, waiter);
  refuseForeignRegions({ region, source: describeRegionSource(flags, sandboxTarget !== undefined) }, targets);
  // From here on, every command this process prints acts where this runtime does (run-target.ts).
  noteRunTarget(commandTargetOf(flags, inProcess ? sandbox.url : undefined));
  return {
    lambda,
    store: new TagStateStore(lambda),
    traffic: createNativeTrafficDriver(lambda),
    metrics: createLazyMetrics(() => createMetricsPort(options)),
    codedeploy: createLazyCodeDeploy(() => createCodeDeployPort(options)),
    clock: sandboxTarget ? createFollowingClock(sandboxTarget.clock, { sandbox: true }) : createSystemClock(),
    target: sandboxTarget ? `sandbox ${sandboxTarget.url}` : `AWS ${region}`,
    sandboxUrl: sandboxTarget?.url,
    region,
    hookEnv: sandboxTarget ? sandboxHookEnv(sandboxTarget.url, region) : awsHookEnvFor(flags, region),
    close: () => closer.abort(new Error('the command has ended')),
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
