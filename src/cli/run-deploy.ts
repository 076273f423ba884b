/**
 * The imperative shell of `lshift deploy`: start a sandbox if asked, build the runtime,
 * publish, then hand the shift to the engine with renderers subscribed to its events.
 */
import { createDeploymentId } from '../domain/deployment-record.js';
import type { ExitCode } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { exitCodeForStatus, runDeploy } from '../engine/deploy.js';
import type { HealthGate } from '../engine/health-gate.js';
import { publishFunction } from '../engine/publish.js';
import { checkHookSpecs } from '../hooks/check-hook-specs.js';
import { createHookRunner } from '../hooks/create-hook-runner.js';
import { readCodeSource } from './code-source.js';
import type { DeployOptions } from './deploy-options.js';
import { guardInterrupts } from './interrupts.js';
import { describeOwner } from './owner.js';
import { createProgress, type OutputMode } from './progress.js';
import { createGithubReporter } from './renderers/github-summary.js';
import { combineSinks } from './renderers/line-renderers.js';
import { type AwsTargetFlags, createRuntime, type Runtime } from './runtime.js';
import { type SandboxScenarioName, startSandboxSession } from './sandbox-session.js';

export interface DeployInvocation {
  functionName: string;
  options: DeployOptions;
  aws: AwsTargetFlags;
  output: OutputMode;
  json: boolean;
  sandbox?: { speed: number; seed?: number; scenario: SandboxScenarioName };
  /** Extra health gates (canary analysis) built from the runtime's metrics port. */
  buildGates?: (runtime: Runtime) => HealthGate[];
}

export async function executeDeploy(
  inv: DeployInvocation,
): Promise<{ result: DeployResult; exitCode: ExitCode }> {
  await checkHookSpecs(
    Object.entries(inv.options.hooks).flatMap(([phase, specs]) =>
      specs.map((spec) => ({ spec, where: `--${phase}-hook` })),
    ),
    process.cwd(),
  );
  const sandbox = inv.sandbox
    ? await startSandboxSession({ functionName: inv.functionName, alias: inv.options.alias, ...inv.sandbox })
    : undefined;
  const guard = guardInterrupts();
  const { options } = inv;
  const progress = createProgress(inv.output, inv.json, {
    publish: options.code.kind !== 'version',
    preHooks: options.hooks.pre.length,
    bakeSeconds: options.bakeSeconds,
    postHooks: options.hooks.post.length,
  });
  try {
    const runtime = await createRuntime(inv.aws, sandbox);
    const github = createGithubReporter(process.env, { json: inv.json || inv.output === 'ndjson' });
    const events = combineSinks(progress.sink, github.sink);
    const targetVersion =
      options.code.kind === 'version'
        ? options.code.version
        : (
            await publishFunction(
              { lambda: runtime.lambda, clock: runtime.clock, events },
              { functionName: inv.functionName, source: readCodeSource(options.code) },
            )
          ).version;
    const alarms = options.alarms.length > 0 || !sandbox ? options.alarms : [sandbox.alarmName];
    const result = await runDeploy(
      {
        lambda: runtime.lambda,
        metrics: runtime.metrics,
        clock: runtime.clock,
        events,
        store: runtime.store,
        gates: inv.buildGates?.(runtime),
        hooks: createHookRunner({ lambda: () => runtime.lambda }),
      },
      {
        functionName: inv.functionName,
        alias: options.alias,
        targetVersion,
        strategy: options.strategy,
        plan: options.plan,
        alarms,
        pollIntervalSeconds: options.pollIntervalSeconds,
        healthErrorLimit: options.healthErrorLimit,
        ignoreInitialAlarms: options.ignoreInitialAlarms,
        bakeSeconds: options.bakeSeconds,
        onInconclusive: options.analysis.onInconclusive,
        hooks: options.hooks,
        hookTimeoutSeconds: options.hookTimeoutSeconds,
        deploymentId: createDeploymentId(Math.random),
        owner: describeOwner(),
        signal: guard.signal,
        onInterrupt: options.onInterrupt,
      },
    );
    github.finish(result);
    return { result, exitCode: exitCodeForStatus(result.status) };
  } finally {
    guard.dispose();
    await progress.finish();
    await sandbox?.stop();
  }
}
