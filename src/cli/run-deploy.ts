/**
 * The imperative shell of `lshift deploy`: start a sandbox if asked, build the runtime, run
 * the checks that need no new version, publish, then hand the shift to the engine with
 * renderers subscribed to its events.
 */

import { createDeploymentId } from '../domain/deployment-record.js';
import { type ExitCode, UsageError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import { HandedToCodeDeploy } from '../domain/hand-off.js';
import { createAsyncGate } from '../engine/async-gate.js';
import { runDeploy } from '../engine/deploy.js';
import { batchMetricReads } from '../engine/metric-batch.js';
import { checkCredentialLifetime } from '../engine/preflight-credentials.js';
import { checkAndPublish } from '../engine/preflight-publish.js';
import { resumeDeploy } from '../engine/resume.js';
import { createSpilloverGate } from '../engine/spillover-gate.js';
import { checkHookSpecs } from '../hooks/check-hook-specs.js';
import { createHookRunner } from '../hooks/create-hook-runner.js';
import { watchAlias } from './alias-watch.js';
import { readElapsedMs } from './clocks.js';
import { checkCodeSource, readCodeSource } from './code-source.js';
import {
  attachCodeDeploy,
  planCodeDeployEngine,
  splitDriverOf,
  trafficForRecord,
  withoutLshiftHooks,
} from './codedeploy-engine.js';
import { type DeployInvocation, deployTargets, stopIfInterrupted } from './deploy-invocation.js';
import { shiftSettingsOf } from './deploy-options.js';
import { describePlanWarnings, describeWatch, longestRunOf } from './deploy-warnings.js';
import { type ReasonedResult, withReason } from './describe-outcome.js';
import { exitCodeForStatus } from './exit-codes.js';
import { describeLateWarnings, withResultWarnings } from './finished-warnings.js';
import { hookSourcesOf } from './function-region.js';
import { functionSecrets, spareDeployNames } from './function-secrets.js';
import {
  DEPLOY_STOPPING,
  deployStoppingNotice,
  deploySuspendHint,
  KEEPING_MOVE_STOPPING,
} from './interrupt-notices.js';
import { abortUntilWrite, guardInterrupts } from './interrupts.js';
import { endInterrupts, interruptedAfterEnd, stoppingNotice } from './late-interrupt.js';
import { noteLeftBehind, type PublishedHere } from './left-behind.js';
import { localProcesses } from './local-processes.js';
import { describeOwner } from './owner.js';
import { createProgress } from './progress.js';
import { refuseLoneMemberResume, reportListing } from './release-resume-members.js';
import { createGithubReporter } from './renderers/github-summary.js';
import { combineSinks } from './renderers/line-renderers.js';
import { createRuntime } from './runtime.js';
import { collectSaidWarnings, uniqueWarnings } from './said-warnings.js';
import { startSandboxSession } from './sandbox-session.js';
import { crashAfterTraffic, exitOnSecondSignal } from './second-signal.js';
import { describeIgnoredSettle } from './settle-warning.js';
import { holdUntilShift } from './shift-warnings.js';
import { watchSilentAlarms } from './silent-alarms-sink.js';
import { commandTargetOf, targetResult } from './targeted-result.js';

export async function executeDeploy(
  inv: DeployInvocation,
): Promise<{ result: ReasonedResult; exitCode: ExitCode }> {
  // Its own names are never masked as function environment values (function-secrets.ts).
  spareDeployNames(inv.functionName, inv.options);
  // What CodeDeploy cannot run is refused before anything starts (no sandbox, no upload).
  const codeDeploy = planCodeDeployEngine(inv.functionName, inv.options);
  // The flag form is refused with the flags (commands/deploy.ts); the config file's engine here.
  if (inv.resume && codeDeploy) {
    throw new UsageError(
      'CONFLICTING_FLAGS',
      '--resume continues a native deployment, and the config file sets engine: codedeploy (a CodeDeploy deployment keeps running without lshift).',
      {
        hint: 'Resume a native deployment with --engine native; follow a CodeDeploy one with `lshift wait <deployment-id>` (lshift status shows the id).',
      },
    );
  }
  // A --zip that is missing or not a zip is a usage error before any AWS call.
  if (!inv.resume) checkCodeSource(inv.options.code);
  await checkHookSpecs(hookSourcesOf(inv.options), process.cwd());
  const sandbox = inv.sandbox
    ? await startSandboxSession({ functionName: inv.functionName, alias: inv.options.alias, ...inv.sandbox })
    : undefined;
  // Under CodeDeploy its AppSpec runs the hooks, so the release program has none.
  const options = codeDeploy ? withoutLshiftHooks(inv.options) : inv.options;
  const watch = watchAlias(inv.functionName, options.alias, {
    resumed: inv.resume === true,
    target: commandTargetOf(inv.aws, sandbox?.url),
  });
  const progress = createProgress(
    inv.output,
    inv.json,
    {
      publish: options.code.kind !== 'version' && !inv.resume,
      shift: true,
      preHooks: options.hooks.pre.length,
      bakeSeconds: options.bakeSeconds,
      postHooks: options.hooks.post.length,
    },
    commandTargetOf(inv.aws, sandbox?.url),
  );
  const stopping = deployStoppingNotice(options.onInterrupt, codeDeploy !== undefined);
  // Once recorded promoted, a signal stops nothing (late-interrupt.ts).
  const notice = stoppingNotice(watch, 'deployment', inv.resume, stopping ?? DEPLOY_STOPPING);
  // CodeDeploy is being stopped without its rollback, keeping a person's move (onKeepingMove).
  let keepingMove = false;
  const guard = guardInterrupts({
    onSecond: (name) => exitOnSecondSignal(name, watch, inv.json),
    ...(progress.say ? { say: progress.say } : {}),
    stopping: () => (keepingMove ? KEEPING_MOVE_STOPPING : notice()),
    refuseSuspend: deploySuspendHint(
      { functionName: inv.functionName, alias: options.alias },
      codeDeploy !== undefined,
    ),
  });
  // --detach: the engine is "interrupted" with the weights left to CodeDeploy once it started.
  const detach = inv.detach && codeDeploy ? new AbortController() : undefined;
  const signal = detach ? AbortSignal.any([guard.signal, detach.signal]) : guard.signal;
  // A signal abandons the AWS calls in flight, until the stop without rollback for a person's move
  // (then those calls and the ones after them finish: abandoned, CodeDeploy ran on over the move).
  const calls = abortUntilWrite(guard.signal);
  try {
    const created = await createRuntime(inv.aws, deployTargets(inv), sandbox, calls.signal);
    // Every gate's metric reads of a poll go into one GetMetricData call (issue 14).
    const runtime = { ...created, metrics: batchMetricReads(created.metrics) };
    const github = createGithubReporter(process.env, { json: inv.json || inv.output === 'ndjson' });
    const said = collectSaidWarnings();
    const silent = watchSilentAlarms();
    const shown = combineSinks(said.sink, silent.sink, watch.sink, progress.sink, github.sink);
    // Said before the shift (emitted, so in `said`) and after it, each once (finished-warnings.ts).
    const lateOf = (r: DeployResult) => describeLateWarnings(r, silent.describe);
    const warningsOf = (r: DeployResult) => uniqueWarnings(said.list(), lateOf(r).all);
    const aboutShift = holdUntilShift(withResultWarnings(shown, warningsOf));
    const events = aboutShift.sink;
    const alarms = options.alarms.length > 0 || !sandbox ? options.alarms : [sandbox.alarmName];
    const deploymentId = createDeploymentId(Math.random);
    const attached = codeDeploy
      ? await attachCodeDeploy(runtime, codeDeploy, {
          functionName: inv.functionName,
          alarms,
          sandbox: sandbox !== undefined,
          pollSeconds: options.pollIntervalSeconds,
          signal,
          description: `lshift deploy of ${inv.functionName}:${options.alias}`,
          runToken: deploymentId,
          events,
          hooks: inv.options.hooks,
          onStarted: (id) => {
            watch.codeDeploy?.(id);
            detach?.abort(new HandedToCodeDeploy());
          },
          onKeepingMove: () => {
            keepingMove = true;
            calls.writing();
            watch.keepingMove?.();
          },
          onBesideStop: (news) => watch.besideStop?.(news),
        })
      : undefined;
    const deps = {
      lambda: runtime.lambda,
      metrics: runtime.metrics,
      clock: runtime.clock,
      events,
      store: runtime.store,
      traffic: attached?.traffic ?? runtime.traffic,
      trafficFor: trafficForRecord(runtime),
      // --supersede claims the old record as `lshift rollback` does: a second terminal's claim is waited for;
      // --resume takes a stale runner killed on this machine over without watching it (resume-runner-gone.ts).
      processes: localProcesses,
      // A kept move's refusal reads its CodeDeploy deployment (kept-move-hint.ts): one call, lazily made.
      deployments: runtime.codedeploy,
      // A split another CodeDeploy deployment drives is left to it (preflight-split.ts): asked
      // only of a split alias, on the group `lshift codedeploy init` would make (or the one named).
      codeDeploySplitDriver: splitDriverOf(runtime, options),
      gates: [
        ...(attached ? [attached.gate] : []),
        ...(inv.buildGates?.(runtime) ?? []),
        // --ignore-metric-errors holds for every gate's reads, not the analysis's alone.
        createAsyncGate(runtime.metrics, options.analysis),
        createSpilloverGate(runtime.metrics, options.analysis),
      ],
      hooks: createHookRunner({
        lambda: () => runtime.lambda,
        env: runtime.hookEnv,
        now: readElapsedMs,
        known: functionSecrets,
      }),
    };
    const common = {
      functionName: inv.functionName,
      ...shiftSettingsOf(options),
      // CodeDeploy runs them, not the program; they are checked before any write all the same.
      ...(codeDeploy ? { engineHooks: inv.options.hooks } : {}),
      owner: describeOwner(),
      signal,
      onInterrupt: detach ? ('leave' as const) : options.onInterrupt,
      warm: options.warm,
    };
    // Under CodeDeploy the group's alarms watch it too; --detach leaves it to them alone.
    const unwatched = describeWatch(
      inv.functionName,
      alarms,
      options,
      attached ? { group: attached.groupAlarms, detach: Boolean(detach) } : undefined,
    );
    if (unwatched) aboutShift.hold([{ message: unwatched, about: 'health' }]);
    // CodeDeploy shifts and rolls back by itself: credentials lshift loses do not strand its alias.
    const credentials = codeDeploy
      ? undefined
      : await checkCredentialLifetime(
          { ...runtime, events },
          { longest: longestRunOf([{ functionName: inv.functionName, options }]), resume: inv.resume },
        );
    const settleIgnored = describeIgnoredSettle(options.settleIgnored);
    const beforeShift = [
      ...(credentials ? [{ message: credentials, about: 'credentials' as const }] : []),
      ...(settleIgnored ? [{ message: settleIgnored, about: 'analysis' as const }] : []),
      ...(inv.resume
        ? []
        : await describePlanWarnings(runtime, inv.functionName, options, Boolean(codeDeploy && inv.detach))),
    ];
    aboutShift.hold(beforeShift);
    const runEngine = async (): Promise<DeployResult> => {
      if (inv.resume) {
        // One function of a lockstep release: its others, unnamed, would be left behind.
        await refuseLoneMemberResume(
          runtime,
          { functionName: inv.functionName, alias: options.alias },
          reportListing({ clock: runtime.clock, events }, progress.say),
        );
        return resumeDeploy(deps, {
          ...common,
          alarms,
          settleSeconds: options.plan.settleSeconds,
          guardsChanged: inv.guardsChanged,
        });
      }
      const pending = {
        ...common,
        alarms,
        strategy: options.strategy,
        plan: options.plan,
        deploymentId,
        supersede: inv.supersede,
      };
      // New code is uploaded and published only after every check that can run without it.
      const code = options.code;
      if (code.kind === 'version') {
        stopIfInterrupted(guard.signal, inv.functionName, code.version);
        return runDeploy(deps, { ...pending, targetVersion: code.version });
      }
      const published = await checkAndPublish(deps, pending, readCodeSource(code));
      // Its message says the version is published (it says so itself: not noted again).
      stopIfInterrupted(guard.signal, inv.functionName, published.version);
      if (published.created) made.push({ functionName: inv.functionName, version: published.version });
      return runDeploy(deps, { ...pending, targetVersion: published.version });
    };
    // The version this run published, said if the deploy stops on an error before traffic moves.
    const made: PublishedHere[] = [];
    const result = await runEngine().catch((error: unknown) => {
      throw crashAfterTraffic(watch.touched() ? error : noteLeftBehind(error, made), watch);
    });
    const warnings = warningsOf(result);
    if (warnings.length > 0) result.warnings = warnings;
    const { neverJudged } = lateOf(result);
    const detached = detach?.signal.aborted === true && !guard.signal.aborted && result.status === 'paused';
    if (detached && result.codeDeploy) result.codeDeploy.detached = true;
    const worded = {
      ...withReason(targetResult(result, commandTargetOf(inv.aws, sandbox?.url))),
      ...interruptedAfterEnd(guard.signal, result.status),
    };
    github.finish(worded, neverJudged ? new Map([[neverJudged, 'analysis' as const]]) : undefined);
    return { result: worded, exitCode: detached ? 0 : exitCodeForStatus(result.status) };
  } finally {
    // From here to the process's end a signal has nothing left to stop: held, not Node's default (exit 130).
    endInterrupts(guard);
    await progress.finish();
    await sandbox?.stop();
  }
}
