/**
 * The imperative shell of `lshift deploy`: start a sandbox if asked, build the runtime,
 * publish, then hand the shift to the engine with renderers subscribed to its events.
 */
import { hasAnalysisGates } from '../domain/analysis/config.js';
import { createDeploymentId } from '../domain/deployment-record.js';
import type { ExitCode } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { runDeploy } from '../engine/deploy.js';
import type { HealthGate } from '../engine/health-gate.js';
import { publishFunction } from '../engine/publish.js';
import { resumeDeploy } from '../engine/resume.js';
import { checkHookSpecs } from '../hooks/check-hook-specs.js';
import { createHookRunner } from '../hooks/create-hook-runner.js';
import type { EventSink } from '../ports/event-sink.js';
import { readElapsedMs } from './clocks.js';
import { readCodeSource } from './code-source.js';
import type { DeployOptions } from './deploy-options.js';
import { exitCodeForStatus } from './exit-codes.js';
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
  /** Continue the deployment recorded on the alias (its owner died or it was paused). */
  resume?: boolean;
  /** Roll back a deployment in progress on the alias first, then start this one. */
  supersede?: boolean;
  /** Extra health gates (canary analysis) built from the runtime's metrics port. */
  buildGates?: (runtime: Runtime) => HealthGate[];
}

/** The version to deploy: given with --version, or published now (after uploading code if given). */
async function resolveTargetVersion(
  inv: DeployInvocation,
  runtime: Runtime,
  events: EventSink,
): Promise<string> {
  const code = inv.options.code;
  if (code.kind === 'version') return code.version;
  const published = await publishFunction(
    { lambda: runtime.lambda, clock: runtime.clock, events },
    { functionName: inv.functionName, source: readCodeSource(code) },
  );
  return published.version;
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
    publish: options.code.kind !== 'version' && !inv.resume,
    shift: true,
    preHooks: options.hooks.pre.length,
    bakeSeconds: options.bakeSeconds,
    postHooks: options.hooks.post.length,
  });
  try {
    const runtime = await createRuntime(inv.aws, sandbox);
    const github = createGithubReporter(process.env, { json: inv.json || inv.output === 'ndjson' });
    const events = combineSinks(progress.sink, github.sink);
    const deps = {
      lambda: runtime.lambda,
      metrics: runtime.metrics,
      clock: runtime.clock,
      events,
      store: runtime.store,
      traffic: runtime.traffic,
      gates: inv.buildGates?.(runtime),
      hooks: createHookRunner({ lambda: () => runtime.lambda, now: readElapsedMs }),
    };
    const common = {
      functionName: inv.functionName,
      alias: options.alias,
      pollIntervalSeconds: options.pollIntervalSeconds,
      healthErrorLimit: options.healthErrorLimit,
      ignoreInitialAlarms: options.ignoreInitialAlarms,
      bakeSeconds: options.bakeSeconds,
      onInconclusive: options.analysis.onInconclusive,
      hooks: options.hooks,
      hookTimeoutSeconds: options.hookTimeoutSeconds,
      owner: describeOwner(),
      signal: guard.signal,
      onInterrupt: options.onInterrupt,
    };
    const alarms = options.alarms.length > 0 || !sandbox ? options.alarms : [sandbox.alarmName];
    if (alarms.length === 0) {
      const message = hasAnalysisGates(options.analysis)
        ? 'no --alarm given: health is judged by the canary analysis of the new version alone (pass --alarm to also watch CloudWatch alarms)'
        : 'no --alarm and no analysis gate: nothing watches health, so the shift promotes on schedule (pass --alarm, or drop --no-analysis)';
      events.emit({ type: 'log', at: runtime.clock.now(), level: 'warn', message });
    }
    const result = inv.resume
      ? await resumeDeploy(deps, { ...common, alarms })
      : await runDeploy(deps, {
          ...common,
          alarms,
          targetVersion: await resolveTargetVersion(inv, runtime, events),
          strategy: options.strategy,
          plan: options.plan,
          deploymentId: createDeploymentId(Math.random),
          supersede: inv.supersede,
        });
    github.finish(result);
    return { result, exitCode: exitCodeForStatus(result.status) };
  } finally {
    guard.dispose();
    await progress.finish();
    await sandbox?.stop();
  }
}
