/**
 * `runRelease`: several functions deployed as one release (issue 13). Every function is checked
 * (preflight) before any record or alias is written; then every record is claimed (each naming
 * the release, `rl=`), and one release program with a target per function runs through the one
 * interpreter (fleet-steps.ts: lockstep levels, one verdict). How it ended settles every
 * function the same way: all promoted, or all back on their stable versions.
 */

import { isLshiftError } from '../domain/errors.js';
import type { EngineEvent } from '../domain/events.js';
import { causeOf } from '../domain/outcome.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import { type ReleaseResult, releaseStatus } from '../domain/release-result.js';
import type { EventSink } from '../ports/event-sink.js';
import { mapBounded } from './bounded.js';
import {
  announceShift,
  claimUnlessInterrupted,
  finish,
  type PreparedDeploy,
  prepareDeploy,
  settlePrepared,
} from './deploy.js';
import {
  DEFAULT_RELEASE_CONCURRENCY,
  type DeployDeps,
  type DeployHooks,
  type DeployRequest,
  type RecordScope,
} from './deploy-types.js';
import { describeError, emitEvent } from './emit.js';
import { fanOutSignal } from './fan-out.js';
import type { FleetRun } from './fleet-runs.js';
import type { HealthGate } from './health-gate.js';
import { type ProgramOutcome, runProgram } from './interpreter.js';
import { controlAsOneRelease, stopHeartbeatsOnVerdict, waitAsOneRelease } from './release-as-one.js';
import { planReleaseProgram } from './release-program-plan.js';
import { type Settled, settle, unlessRefused } from './release-refusals.js';
import { settleRelease } from './release-settle.js';
import { withFailed } from './release-verdict.js';
import { withReleaseGuards } from './resume-guards.js';
import type { ShiftContext } from './shift-context.js';
import { internalFailure } from './shift-waits.js';

/** Weight writes (and preflights, rollbacks) in flight at once: deploy-types.ts, beside the other defaults. */
export { DEFAULT_RELEASE_CONCURRENCY };

export interface ReleaseDeps extends DeployDeps {
  /** Each function's own gates (the canary analysis keeps state per function). */
  gatesFor?: (target: ReleaseTarget) => HealthGate[];
}

export interface ReleaseRequest {
  releaseId: string;
  /** One request per function, all with the same strategy and plan; their hooks are their own. */
  members: DeployRequest[];
  /** Hooks of the whole release (run once): pre before any traffic moves, post after all promoted. */
  hooks?: Pick<DeployHooks, 'pre' | 'step' | 'post'>;
  stagger?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
}

type Ready = Extract<PreparedDeploy, { kind: 'ready' }>;

/**
 * What each function's record names of its release (`rl=`, `sg=1`): the same for the checks
 * before a publish, the dry run and the records the release writes.
 */
export function releaseScope(rel: {
  releaseId: string;
  stagger?: boolean;
  members: readonly { functionName: string }[];
}): RecordScope {
  return {
    releaseId: rel.releaseId,
    stagger: rel.stagger === true && rel.members.length > 1,
    releaseFunctions: rel.members.map((m) => m.functionName),
  };
}

export async function runRelease(deps: ReleaseDeps, rel: ReleaseRequest): Promise<ReleaseResult> {
  const startedAt = deps.clock.now();
  const concurrency = rel.concurrency ?? DEFAULT_RELEASE_CONCURRENCY;
  const verdict = new AbortController();
  const watchSignal = rel.signal ? AbortSignal.any([rel.signal, verdict.signal]) : verdict.signal;
  const watchSignals = fanOutSignal(watchSignal, rel.members.length);
  // Preflight every function before the first write anywhere: a refusal throws, nothing moved.
  const checked = (await mapBounded(concurrency, rel.members, (req, i) =>
    settle(
      prepareDeploy(
        memberDeps(deps, req),
        withReleaseGuards(
          req,
          rel.hooks,
          rel.members.map((m) => m.functionName),
        ),
        {
          ...releaseScope(rel),
          watchSignal: watchSignals[i],
        },
      ),
    ),
  )) as Settled<PreparedDeploy>[];
  const prepared = unlessRefused(checked, rel.members);
  const ready = prepared.filter((p): p is Ready => p.kind === 'ready');
  // A function already on its target ends here, with its own `deploy.finished` (as a single deploy).
  const idle = prepared.flatMap((p, i) =>
    p.kind === 'nothing' ? [finish(memberDeps(deps, rel.members[i]!), p.result)] : [],
  );
  const base = { releaseId: rel.releaseId, mode: rel.stagger ? 'stagger' : 'lockstep', startedAt } as const;
  if (ready.length === 0)
    return { ...base, status: 'nothing_to_deploy', functions: idle, endedAt: deps.clock.now() };
  // Only now that no function was refused: a refused mate leaves every function unshifted.
  for (const p of ready) announceShift(p);
  announceRelease(
    deps,
    base,
    ready.map((p) => p.ctx.req),
  );
  await claimAll(ready);
  controlAsOneRelease(ready.map((p) => p.ctx));
  waitAsOneRelease(ready.map((p) => p.ctx));
  stopHeartbeatsOnVerdict(
    watchSignal,
    ready.map((p) => p.ctx),
  );
  const ended = await runFleet(deps, rel, ready, verdict, concurrency);
  const members = ready.map((p) => ({
    ctx: p.ctx,
    ...(p.pre.image ? { extra: { image: p.pre.image } } : {}),
  }));
  const voice = { clock: deps.clock, events: releaseEvents(deps.events, rel.releaseId) };
  const settled = await settleRelease(members, ended, concurrency, voice);
  for (const [i, result] of settled.functions.entries()) finish(ready[i]!.ctx.deps, result);
  const functions = [...settled.functions, ...idle] as ReleaseResult['functions'];
  return {
    ...base,
    status: releaseStatus(functions),
    strategy: rel.members[0]?.strategy.name,
    // A promotion read back taken over names that function (release-promotion-settle.ts).
    ...withFailed(settled.ended),
    functions,
    endedAt: deps.clock.now(),
  };
}

/**
 * `release.started`, once every function passed its checks and before any record is written: the
 * first moment the id means something to `lshift abort --release`.
 */
export function announceRelease(
  deps: Pick<ReleaseDeps, 'clock' | 'events'>,
  release: { releaseId: string; mode: 'lockstep' | 'stagger' },
  members: readonly { functionName: string; alias: string }[],
  resumed = false,
): void {
  emitEvent(deps, {
    type: 'release.started',
    releaseId: release.releaseId,
    mode: release.mode,
    functions: members.map((m) => ({ functionName: m.functionName, alias: m.alias })),
    ...(resumed ? { resumed: true as const } : {}),
  });
}

/** One function's deps: its events name it, and its gates are its own. */
export function memberDeps(deps: ReleaseDeps, req: { functionName: string; alias: string }): DeployDeps {
  const target = { functionName: req.functionName, alias: req.alias };
  return { ...deps, events: namedEvents(deps.events, target), gates: deps.gatesFor?.(target) ?? deps.gates };
}

/** Adds `target` to every event that does not name one (NDJSON: one line per event, naming the function). */
export function namedEvents(sink: EventSink, target: ReleaseTarget): EventSink {
  return {
    emit: (event) =>
      sink.emit(('target' in event && event.target ? event : { ...event, target }) as EngineEvent),
  };
}

/**
 * The events of a step of the whole release (its hooks, run once in the first function's run):
 * they carry the release's id and name no function (NDJSON: `releaseId`, no `target`).
 */
export function releaseEvents(sink: EventSink, releaseId: string): EventSink {
  return { emit: (event) => sink.emit({ ...event, releaseId } as EngineEvent) };
}

/**
 * What a release program runs over (fleet-steps.ts): every function's shift, the release's
 * bounds, the verdict that ends every watch, and the release its own hooks are about. A new
 * release and a resumed one (release-resume.ts) run the same fleet.
 */
export function fleetOf(
  deps: Pick<ReleaseDeps, 'events'>,
  rel: { releaseId: string; concurrency?: number },
  members: ShiftContext[],
  verdict: AbortController,
  concurrency: number,
): FleetRun {
  return {
    members,
    concurrency,
    writeConcurrency: rel.concurrency,
    verdict,
    release: { releaseId: rel.releaseId, events: releaseEvents(deps.events, rel.releaseId) },
  };
}

/**
 * Every record before any weight moves. A claim that fails stops the release with nothing moved:
 * the records already claimed are closed as rolled back (no alias was written).
 */
async function claimAll(ready: Ready[]): Promise<void> {
  const claimed: Ready[] = [];
  try {
    for (const p of ready) {
      await claimUnlessInterrupted(p.ctx, p.ctx.req);
      claimed.push(p);
    }
  } catch (error) {
    const detail = describeError(error);
    // Ctrl-C abandoned a claim (claimUnlessInterrupted): the others are closed as interrupted too.
    const interrupted = isLshiftError(error) && error.code === 'INTERRUPTED';
    await Promise.all(
      claimed.map((p) =>
        settlePrepared(
          p,
          interrupted
            ? { kind: 'interrupted' }
            : { kind: 'failed', cause: detail, why: causeOf('INTERNAL', { error: detail }) },
        ),
      ),
    );
    throw error;
  }
}

async function runFleet(
  deps: ReleaseDeps,
  rel: ReleaseRequest,
  ready: Ready[],
  verdict: AbortController,
  concurrency: number,
): Promise<ProgramOutcome> {
  const lead = ready[0]!.ctx;
  // The same program the dry run shows (release-dry-run.ts).
  const program = planReleaseProgram(
    ready.map((p) => p.ctx.req),
    rel,
  );
  const fleet = fleetOf(
    deps,
    rel,
    ready.map((p) => p.ctx),
    verdict,
    concurrency,
  );
  try {
    return await runProgram(
      { traffic: lead.traffic, clock: deps.clock, cursor: lead.cursor, shift: lead, fleet },
      program,
    );
  } catch (error) {
    // A bug or an unexpected port failure mid-release: aliases may be split, so roll back.
    return { ...internalFailure(error), index: lead.programIndex };
  }
}
