/**
 * The imperative shell of `lshift deploy fnA fnB …` (issue 13): start a sandbox seeded with every
 * function if asked, check every function before anything is uploaded, publish them (in
 * parallel, bounded), then hand the release to the engine (src/engine/release.ts).
 */
import pLimit from 'p-limit';
import { describeNeverJudged } from '../domain/analysis/plan-check.js';
import { createDeploymentId, createReleaseId } from '../domain/deployment-record.js';
import { type ExitCode, OperationError } from '../domain/errors.js';
import type { EngineEvent } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { createAsyncGate } from '../engine/async-gate.js';
import { draftRecord, preflightTarget } from '../engine/deploy.js';
import type { DeployRequest, RecordScope } from '../engine/deploy-types.js';
import type { HealthGate } from '../engine/health-gate.js';
import { batchMetricReads } from '../engine/metric-batch.js';
import { checkCredentialLifetime } from '../engine/preflight-credentials.js';
import { checkReleaseHookFunctions } from '../engine/preflight-hooks.js';
import { type BeforePublish, checkBeforePublish, publishChecked } from '../engine/preflight-publish.js';
import { DEFAULT_RELEASE_CONCURRENCY, namedEvents, releaseScope, runRelease } from '../engine/release.js';
import { type Settled, settle, unlessRefused } from '../engine/release-refusals.js';
import { resumeRelease } from '../engine/release-resume.js';
import { createSpilloverGate } from '../engine/spillover-gate.js';
import { checkHookSpecs } from '../hooks/check-hook-specs.js';
import { createHookRunner } from '../hooks/create-hook-runner.js';
import type { EventSink } from '../ports/event-sink.js';
import type { HookPhase, HookSpec } from '../ports/hooks.js';
import type { AwsTargetFlags } from './aws-target.js';
import { readElapsedMs } from './clocks.js';
import { checkCodeSource, readCodeSource } from './code-source.js';
import { comparesWithStable, type DeployOptions } from './deploy-options.js';
import { emitWarnings, longestRunOf } from './deploy-warnings.js';
import { type ReasonedRelease, withReleaseReason } from './describe-release.js';
import { exitCodeForStatus } from './exit-codes.js';
import { hookSourcesOf, type RegionTargets } from './function-region.js';
import { deployStoppingNotice, exitOnSecondSignal, guardInterrupts } from './interrupts.js';
import { favourMemoryOverSpeed } from './memory.js';
import { describeOwner } from './owner.js';
import type { OutputMode } from './progress.js';
import { watchReleaseAliases } from './release-interrupts.js';
import { createReleaseProgress } from './release-progress.js';
import { refuseUnnamedMembers, reportListing } from './release-resume-members.js';
import { warnBeforeRelease } from './release-warnings.js';
import { reportReleaseToGithub } from './renderers/github-release-summary.js';
import { collectWarningTopics } from './renderers/github-warnings.js';
import { combineSinks } from './renderers/line-renderers.js';
import { createRuntime, type Runtime } from './runtime.js';
import { collectMemberWarnings, uniqueWarnings } from './said-warnings.js';
import { type SandboxScenarioName, startSandboxSession } from './sandbox-session.js';

/** One function of the release, with its options (`{function}` already filled in). */
export interface ReleaseMember {
  functionName: string;
  options: DeployOptions;
}

export interface ReleaseInvocation {
  members: ReleaseMember[];
  /** Hooks of the whole release (specs without `{function}`): run once. */
  releaseHooks: Pick<Record<HookPhase, HookSpec[]>, 'pre' | 'step' | 'post'>;
  stagger: boolean;
  /** Continue the release recorded on the aliases (its runner died). */
  resume?: boolean;
  /** `--guards-changed`: resume although this run's guards differ from the records'. */
  guardsChanged?: boolean;
  aws: AwsTargetFlags;
  output: OutputMode;
  json: boolean;
  sandbox?: { speed: number; seed?: number; scenarios: Record<string, SandboxScenarioName> };
  buildGates?: (runtime: Runtime, member: ReleaseMember) => HealthGate[];
}

export async function executeRelease(
  inv: ReleaseInvocation,
): Promise<{ result: ReasonedRelease; exitCode: ExitCode }> {
  favourMemoryOverSpeed();
  // Every --zip is checked before any AWS call: a wrong one is a usage error, nothing read yet.
  if (!inv.resume) for (const m of inv.members) checkCodeSource(m.options.code);
  await checkReleaseHooks(inv);
  const sandbox = await startReleaseSandbox(inv);
  const watch = watchReleaseAliases(inv.members);
  const progress = createReleaseProgress(inv.output, inv.json, inv.members);
  const leaves = inv.members.every((m) => m.options.onInterrupt === 'leave');
  const stopping = deployStoppingNotice(leaves ? 'leave' : 'rollback', false);
  const guard = guardInterrupts({
    onSecond: (name) => exitOnSecondSignal(name, watch, inv.json),
    ...(progress.say ? { say: progress.say } : {}),
    ...(stopping ? { stopping } : {}),
  });
  try {
    const created = await createRuntime(inv.aws, releaseTargets(inv), sandbox, guard.signal);
    // Each function polls on its own timer: wait a moment of clock time for the others, so one
    // poll of the whole release is ⌈alarms/100⌉ + ⌈queries/500⌉ calls (src/engine/metric-batch.ts).
    const gather = { clock: created.clock, ms: gatherWindowMs(inv.members) };
    const runtime = { ...created, metrics: batchMetricReads(created.metrics, { gather }) };
    const said = collectMemberWarnings();
    const saidAbout = collectWarningTopics();
    const events = combineSinks(said.sink, saidAbout.sink, watch.sink, progress.sink);
    const byName = new Map(inv.members.map((m) => [m.functionName, m]));
    const deps = {
      lambda: runtime.lambda,
      metrics: runtime.metrics,
      clock: runtime.clock,
      events,
      store: runtime.store,
      traffic: runtime.traffic,
      gatesFor: (target: { functionName: string }) => [
        ...(inv.buildGates?.(runtime, byName.get(target.functionName)!) ?? []),
        createAsyncGate(runtime.metrics),
        createSpilloverGate(runtime.metrics),
      ],
      hooks: createHookRunner({ lambda: () => runtime.lambda, env: runtime.hookEnv, now: readElapsedMs }),
    };
    const owner = describeOwner();
    const pending = inv.members.map((m) =>
      pendingRequest(m, owner, guard.signal, sandbox?.alarmNames, inv.releaseHooks),
    );
    const warned = inv.members.map((m, i) => ({ ...m, alarms: pending[i]!.alarms }));
    // The unbatched port: these reads go at once, not after a poll's gather window.
    const warnings = await warnBeforeRelease({ ...created, events }, warned, inv.resume);
    const credentials = await checkReleaseCredentials({ ...created, events }, inv);
    let result: ReleaseResult;
    if (inv.resume) {
      // Before anything is taken over: a function of the release left unnamed would be left behind.
      await refuseUnnamedMembers(
        runtime.lambda,
        inv.members.map((m) => ({ functionName: m.functionName, alias: m.options.alias })),
        reportListing({ clock: created.clock, events }, progress.say),
      );
      const members = pending.map((p) => ({
        ...p,
        settleSeconds: p.plan.settleSeconds,
        guardsChanged: inv.guardsChanged,
      }));
      result = await resumeRelease(deps, { members, hooks: inv.releaseHooks, signal: guard.signal });
    } else {
      await checkReleaseHookFunctions(deps, inv.releaseHooks);
      // Drawn before the publishes: the checks before them measure the records that name it.
      const releaseId = createReleaseId(Math.random);
      const { releaseHooks: hooks, stagger } = inv;
      const scope = releaseScope({ releaseId, stagger, members: pending });
      const members = await publishAll(deps, pending, byName, scope, guard.signal);
      result = await runRelease(deps, { releaseId, members, hooks, stagger, signal: guard.signal });
    }
    for (const f of result.functions) {
      const own = [...credentials, ...(warnings.byFunction.get(f.functionName) ?? [])];
      const kept = uniqueWarnings(own, said.of(f.functionName), f.warnings ?? []);
      if (kept.length > 0) f.warnings = kept;
    }
    warnNeverJudged(result);
    const worded = withReleaseReason(result);
    // As a single deploy's: each warning's `::warning` is titled by what its `log` event was about.
    const topics = new Map([...saidAbout.topics, ...warnings.topics]);
    reportReleaseToGithub(worded, process.env, { json: inv.json || inv.output === 'ndjson' }, topics);
    return { result: worded, exitCode: exitCodeForStatus(result.status) };
  } finally {
    guard.dispose();
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
  if (!warning) return [];
  emitWarnings(deps.events, deps.clock.now(), [{ message: warning, about: 'credentials' }]);
  return [warning];
}

/** Every hook spec of the release (its own and each function's) is checked before anything starts. */
export async function checkReleaseHooks(
  inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks'>,
): Promise<void> {
  await checkHookSpecs(hookSourcesOf(...releaseHookSets(inv)), process.cwd());
}

/** What a release calls: its functions, its own hooks and each function's. */
export function releaseTargets(inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks'>): RegionTargets {
  return {
    functions: inv.members.map((m) => m.functionName),
    hooks: hookSourcesOf(...releaseHookSets(inv)),
  };
}

function releaseHookSets(inv: Pick<ReleaseInvocation, 'members' | 'releaseHooks'>) {
  return [inv.releaseHooks, ...inv.members.map((m) => m.options.hooks)];
}

/** `--sandbox`: an in-process sandbox seeded with a demo function per function of the release. */
export function startReleaseSandbox(inv: Pick<ReleaseInvocation, 'members' | 'sandbox'>) {
  if (!inv.sandbox) return Promise.resolve(undefined);
  const first = inv.members[0]!;
  const scenarios = inv.sandbox.scenarios;
  return startSandboxSession({
    functionName: first.functionName,
    alias: first.options.alias,
    speed: inv.sandbox.speed,
    seed: inv.sandbox.seed,
    scenario: scenarios[first.functionName] ?? 'healthy',
    more: inv.members.slice(1).map((m) => ({
      functionName: m.functionName,
      scenario: scenarios[m.functionName] ?? 'healthy',
    })),
  });
}

/** As a single deploy does: a promoted function whose canary analysis never judged says so. */
function warnNeverJudged(result: ReleaseResult): void {
  for (const f of result.functions) {
    const warning = f.status === 'promoted' ? describeNeverJudged(f.verdicts, f.toVersion) : undefined;
    if (warning) f.warnings = [...(f.warnings ?? []), warning];
  }
}

/** A quarter of the shortest poll interval, at most 2 s: the reads wait little, the polls meet. */
function gatherWindowMs(members: readonly ReleaseMember[]): number {
  const shortest = Math.min(...members.map((m) => m.options.pollIntervalSeconds));
  return Math.min(2_000, (shortest * 1000) / 4);
}

/** The deps of one function's checks and publish: its events name it. */
function namedDeps<D extends { events: EventSink }>(
  deps: D,
  req: { functionName: string; alias: string },
): D {
  return { ...deps, events: namedEvents(deps.events, { functionName: req.functionName, alias: req.alias }) };
}

/**
 * Every check that needs no new version, for every function, before any upload or publish; then
 * the uploads and publishes, at most DEFAULT_RELEASE_CONCURRENCY at once.
 */
async function publishAll(
  deps: Parameters<typeof publishChecked>[0],
  pending: Omit<DeployRequest, 'targetVersion'>[],
  byName: Map<string, ReleaseMember>,
  scope: RecordScope,
  signal: AbortSignal,
): Promise<DeployRequest[]> {
  const codeOf = (fn: string) => byName.get(fn)!.options.code;
  const publishes = pending.some((req) => codeOf(req.functionName).kind !== 'version');
  const checked: Settled<BeforePublish | undefined>[] = [];
  for (const req of pending) {
    const code = codeOf(req.functionName);
    const check = async () => {
      if (code.kind !== 'version') {
        return await checkBeforePublish(namedDeps(deps, req), req, readCodeSource(code), scope);
      }
      // Beside functions that publish, a --version function's refusal must come before their
      // publishes, or exit 2 "nothing changed" would leave new versions behind.
      if (publishes)
        await checkPublishedTarget(namedDeps(deps, req), { ...req, targetVersion: code.version }, scope);
      return undefined;
    };
    checked.push(await settle(check()));
  }
  const before = unlessRefused(checked, pending);
  const limit = pLimit(DEFAULT_RELEASE_CONCURRENCY);
  const versions = await Promise.all(
    pending.map((req, i) =>
      limit(async () => {
        const code = codeOf(req.functionName);
        if (code.kind === 'version') return code.version;
        return publishChecked(namedDeps(deps, req), req, readCodeSource(code), before[i]!);
      }),
    ),
  );
  if (signal.aborted) {
    throw new OperationError(
      'INTERRUPTED',
      'Interrupted before any traffic moved; every alias is unchanged.',
      {
        hint: 'Run the deploy again when ready.',
      },
    );
  }
  return pending.map((req, i) => ({ ...req, targetVersion: versions[i]! }));
}

/**
 * The preflight of a function whose version is already published, early. Its events are held
 * back unless it refuses: the release's own preflight runs it again and says the rest.
 */
async function checkPublishedTarget(
  deps: Parameters<typeof publishChecked>[0],
  req: DeployRequest,
  scope: RecordScope,
): Promise<void> {
  const held: EngineEvent[] = [];
  const quiet = { ...deps, events: { emit: (e: EngineEvent) => held.push(e) } };
  try {
    await preflightTarget(quiet, req, draftRecord(req, deps.clock.now(), scope));
  } catch (error) {
    for (const event of held) deps.events.emit(event);
    throw error;
  }
}

export function pendingRequest(
  member: ReleaseMember,
  owner: string,
  signal: AbortSignal,
  sandboxAlarms: Record<string, string> | undefined,
  releaseHooks?: DeployRequest['releaseHooks'],
): Omit<DeployRequest, 'targetVersion'> {
  const { options } = member;
  const sandboxAlarm = sandboxAlarms?.[member.functionName];
  const alarms = options.alarms.length > 0 || !sandboxAlarm ? options.alarms : [sandboxAlarm];
  return {
    functionName: member.functionName,
    alias: options.alias,
    alarms,
    strategy: options.strategy,
    plan: options.plan,
    pollIntervalSeconds: options.pollIntervalSeconds,
    healthErrorLimit: options.healthErrorLimit,
    ignoreInitialAlarms: options.ignoreInitialAlarms,
    bakeSeconds: options.bakeSeconds,
    onInconclusive: options.analysis.onInconclusive,
    hooks: options.hooks,
    hookTimeoutSeconds: options.hookTimeoutSeconds,
    // Part of the guards each record keeps (gd=): the release's own hooks and the analysis.
    ...(releaseHooks ? { releaseHooks } : {}),
    analysis: comparesWithStable(options.analysis),
    owner,
    signal,
    onInterrupt: options.onInterrupt,
    deploymentId: createDeploymentId(Math.random),
  };
}
