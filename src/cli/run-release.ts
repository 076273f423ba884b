/**
 * The imperative shell of `lshift deploy fnA fnB …` (issue 13): start a sandbox seeded with every
 * function if asked, check every function before anything is uploaded, publish them (in
 * parallel, bounded), then hand the release to the engine (src/engine/release.ts).
 */

import { createReleaseId } from '../domain/deployment-record.js';
import type { ExitCode } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { createAsyncGate } from '../engine/async-gate.js';
import type { SplitAlias } from '../engine/codedeploy-split-driver.js';
import { batchMetricReads } from '../engine/metric-batch.js';
import { checkCredentialLifetime } from '../engine/preflight-credentials.js';
import { checkReleaseHookFunctions } from '../engine/preflight-hooks.js';
import { releaseScope, runRelease } from '../engine/release.js';
import { resumeRelease } from '../engine/release-resume.js';
import { createSpilloverGate } from '../engine/spillover-gate.js';
import { createHookRunner } from '../hooks/create-hook-runner.js';
import { readElapsedMs } from './clocks.js';
import { checkCodeSource } from './code-source.js';
import { splitDriverOf } from './codedeploy-engine.js';
import { longestRunOf } from './deploy-warnings.js';
import { type ReasonedRelease, withReleaseReason } from './describe-release.js';
import { exitCodeForStatus } from './exit-codes.js';
import { describeLateWarnings, withResultWarnings } from './finished-warnings.js';
import { functionSecrets, spareDeployNames } from './function-secrets.js';
import { releaseStoppingNotice, releaseSuspendHint } from './interrupt-notices.js';
import { guardInterrupts } from './interrupts.js';
import { endInterrupts, interruptedAfterEnd, stoppingNotice } from './late-interrupt.js';
import { noteLeftBehind } from './left-behind.js';
import { localProcesses } from './local-processes.js';
import { favourMemoryOverSpeed } from './memory.js';
import { describeOwner } from './owner.js';
import { watchReleaseAliases } from './release-interrupts.js';
import { createReleaseProgress } from './release-progress.js';
import { publishAll } from './release-publish.js';
import { refuseUnnamedMembers, reportListing } from './release-resume-members.js';
import {
  checkReleaseHooks,
  pendingRequest,
  type ReleaseInvocation,
  type ReleaseMember,
  releaseTargets,
  startReleaseSandbox,
} from './release-setup.js';
import { describeReleaseWarnings } from './release-warnings.js';
import { reportReleaseToGithub } from './renderers/github-release-summary.js';
import { collectWarningTopics } from './renderers/github-warnings.js';
import { combineSinks } from './renderers/line-renderers.js';
import { createRuntime } from './runtime.js';
import { collectMemberWarnings, uniqueWarnings } from './said-warnings.js';
import { crashAfterTraffic, exitOnSecondSignal } from './second-signal.js';
import { holdUntilShift } from './shift-warnings.js';
import { watchReleaseSilentAlarms } from './silent-alarms-sink.js';
import { commandTargetOf } from './targeted-result.js';

export async function executeRelease(
  inv: ReleaseInvocation,
): Promise<{ result: ReasonedRelease; exitCode: ExitCode }> {
  favourMemoryOverSpeed();
  // Its own names are never masked as function environment values (function-secrets.ts).
  for (const m of inv.members) spareDeployNames(m.functionName, m.options);
  // Every --zip is checked before any AWS call: a wrong one is a usage error, nothing read yet.
  if (!inv.resume) for (const m of inv.members) checkCodeSource(m.options.code);
  await checkReleaseHooks(inv);
  const sandbox = await startReleaseSandbox(inv);
  const watch = watchReleaseAliases(inv.members, {
    resumed: inv.resume === true,
    target: commandTargetOf(inv.aws, sandbox?.url),
  });
  const progress = createReleaseProgress(
    inv.output,
    inv.json,
    inv.members,
    commandTargetOf(inv.aws, sandbox?.url),
  );
  const leaves = inv.members.every((m) => m.options.onInterrupt === 'leave');
  const stopping = releaseStoppingNotice(leaves ? 'leave' : 'rollback');
  const guard = guardInterrupts({
    onSecond: (name) => exitOnSecondSignal(name, watch, inv.json),
    ...(progress.say ? { say: progress.say } : {}),
    // Once every function it moved is recorded promoted, a signal stops nothing (late-interrupt.ts).
    stopping: stoppingNotice(watch, 'release', inv.resume, stopping),
    refuseSuspend: releaseSuspendHint(inv.members.map((m) => m.functionName)),
  });
  try {
    const created = await createRuntime(inv.aws, releaseTargets(inv), sandbox, guard.signal);
    // Each function polls on its own timer: wait a moment of clock time for the others, so one
    // poll of the whole release is ⌈alarms/100⌉ + ⌈queries/500⌉ calls (src/engine/metric-batch.ts).
    const gather = { clock: created.clock, ms: gatherWindowMs(inv.members) };
    const runtime = { ...created, metrics: batchMetricReads(created.metrics, { gather }) };
    const said = collectMemberWarnings();
    const saidAbout = collectWarningTopics();
    const silent = watchReleaseSilentAlarms();
    const shown = combineSinks(said.sink, saidAbout.sink, silent.sink, watch.sink, progress.sink);
    // Each function's warnings, known once the CLI's own are drawn up below: its `deploy.finished`
    // carries them, as its row of the result does (finished-warnings.ts).
    let warningsOf = (f: DeployResult): string[] => f.warnings ?? [];
    // The CLI's warnings about the shift are said once a function's shift starts (shift-warnings.ts).
    const aboutShift = holdUntilShift(withResultWarnings(shown, (f) => warningsOf(f)));
    const events = aboutShift.sink;
    const byName = new Map(inv.members.map((m) => [m.functionName, m]));
    const deps = {
      lambda: runtime.lambda,
      metrics: runtime.metrics,
      clock: runtime.clock,
      events,
      store: runtime.store,
      traffic: runtime.traffic,
      // --resume takes a stale runner killed on this machine over without watching its records
      // (resume-runner-gone.ts), as one function's resume does: without them it watched 2 minutes.
      processes: localProcesses,
      // A split another CodeDeploy deployment drives is left to it, the words a single deploy's
      // preflight gives (preflight-split.ts), on the group that function's options name.
      codeDeploySplitDriver: (split: SplitAlias) =>
        splitDriverOf(runtime, byName.get(split.functionName)!.options)(split),
      gatesFor: (target: { functionName: string }) => [
        ...(inv.buildGates?.(runtime, byName.get(target.functionName)!) ?? []),
        // --ignore-metric-errors holds for every gate's reads, not the analysis's alone.
        createAsyncGate(runtime.metrics, byName.get(target.functionName)!.options.analysis),
        createSpilloverGate(runtime.metrics, byName.get(target.functionName)!.options.analysis),
      ],
      hooks: createHookRunner({
        lambda: () => runtime.lambda,
        env: runtime.hookEnv,
        now: readElapsedMs,
        known: functionSecrets,
      }),
    };
    const owner = describeOwner();
    const pending = inv.members.map((m) =>
      pendingRequest(m, owner, guard.signal, sandbox?.alarmNames, inv.releaseHooks),
    );
    const warned = inv.members.map((m, i) => ({
      ...m,
      alarms: pending[i]!.alarms,
      releaseHooks: inv.releaseHooks,
    }));
    // The unbatched port: these reads go at once, not after a poll's gather window.
    const warnings = await describeReleaseWarnings(created, warned, inv.resume);
    aboutShift.hold(warnings.said);
    const credentials = await checkReleaseCredentials({ ...created, events }, inv);
    aboutShift.hold(credentials.map((message) => ({ message, about: 'credentials' as const })));
    warningsOf = (f) => {
      // Unsaid (nothing moved anywhere), they are no function's either.
      const own = aboutShift.said()
        ? [...credentials, ...(warnings.byFunction.get(f.functionName) ?? [])]
        : [];
      const late = describeLateWarnings(f, (version) => silent.describe(f.functionName, version));
      return uniqueWarnings(own, said.of(f.functionName), f.warnings ?? [], late.all);
    };
    let result: ReleaseResult;
    const afterTraffic = (error: unknown): never => {
      throw crashAfterTraffic(error, watch);
    };
    if (inv.resume) {
      // Before anything is taken over: a function of the release left unnamed would be left behind.
      await refuseUnnamedMembers(
        runtime.lambda,
        inv.members.map((m) => ({ functionName: m.functionName, alias: m.options.alias })),
        reportListing({ clock: created.clock, events }, progress.say),
        undefined,
        created.store,
      );
      const members = pending.map((p) => ({
        ...p,
        settleSeconds: p.plan.settleSeconds,
        guardsChanged: inv.guardsChanged,
      }));
      result = await resumeRelease(deps, { members, hooks: inv.releaseHooks, signal: guard.signal }).catch(
        afterTraffic,
      );
    } else {
      await checkReleaseHookFunctions(deps, inv.releaseHooks);
      // Drawn before the publishes: the checks before them measure the records that name it.
      const releaseId = createReleaseId(Math.random);
      functionSecrets.spare([releaseId]);
      const { releaseHooks: hooks, stagger } = inv;
      const scope = releaseScope({ releaseId, stagger, members: pending });
      const { members, published } = await publishAll(deps, pending, byName, scope, guard.signal);
      // A refusal before traffic moved (a mate's full preflight, a record's first write) says
      // which versions this run published (left-behind.ts).
      result = await runRelease(deps, { releaseId, members, hooks, stagger, signal: guard.signal }).catch(
        (error: unknown) => afterTraffic(watch.touched() ? error : noteLeftBehind(error, published)),
      );
    }
    for (const f of result.functions) {
      const kept = warningsOf(f);
      if (kept.length > 0) f.warnings = kept;
    }
    const worded = {
      ...withReleaseReason(result, commandTargetOf(inv.aws, sandbox?.url)),
      ...interruptedAfterEnd(guard.signal, result.status),
    };
    // As a single deploy's: each warning's `::warning` is titled by what its `log` event was about.
    const topics = new Map([...saidAbout.topics, ...warnings.topics]);
    reportReleaseToGithub(worded, process.env, { json: inv.json || inv.output === 'ndjson' }, topics);
    return { result: worded, exitCode: exitCodeForStatus(result.status) };
  } finally {
    // From here to the process's end a signal has nothing left to stop: held, not Node's default (exit 130).
    endInterrupts(guard);
    await progress.finish();
    await sandbox?.stop();
  }
}

/** Before any write: will the credentials outlast the release (src/engine/preflight-credentials.ts)? */
async function checkReleaseCredentials(
  deps: Parameters<typeof checkCredentialLifetime>[0],
  inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks' | 'stagger' | 'resume'>,
): Promise<string[]> {
  const longest = longestRunOf(inv.members, { hooks: inv.releaseHooks, stagger: inv.stagger });
  const warning = await checkCredentialLifetime(deps, { longest, resume: inv.resume });
  return warning ? [warning] : [];
}

/** A quarter of the shortest poll interval, at most 2 s: the reads wait little, the polls meet. */
function gatherWindowMs(members: readonly ReleaseMember[]): number {
  const shortest = Math.min(...members.map((m) => m.options.pollIntervalSeconds));
  return Math.min(2_000, (shortest * 1000) / 4);
}
