/**
 * `lshift deploy fnA fnB … --resume` (issue 13): continue a release whose runner died. Every
 * function is checked as a single resume is (its record names the release, its runner is gone,
 * the alias matches the record) before any record is taken over; then the one release program
 * runs again from the highest level any function reached. A level's writes start only after
 * every function held the level before it healthy, so a function still one level behind (its
 * write was cut off by the crash) had passed the lower level — when the runner died. Nobody
 * watched since: before any function's weight goes up, every function's health is read once
 * (resume-health.ts), and a failure rolls the release back before that write. A function whose
 * rollback was under way rolls the whole release back.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatTarget, planReleaseOf, type ReleaseProgram, resumeIndex } from '../domain/release-program.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { releaseStatus } from '../domain/release-result.js';
import { mapBounded } from './bounded.js';
import { finish } from './deploy.js';
import type { DeployHooks } from './deploy-types.js';
import { fanOutSignal } from './fan-out.js';
import { type ProgramOutcome, runProgram } from './interpreter.js';
import { checkReleaseHookFunctions } from './preflight-hooks.js';
import {
  announceRelease,
  DEFAULT_RELEASE_CONCURRENCY,
  fleetOf,
  memberDeps,
  type ReleaseDeps,
  releaseEvents,
} from './release.js';
import { controlAsOneRelease, stopHeartbeatsOnVerdict, waitAsOneRelease } from './release-as-one.js';
import { longestSettlePlan } from './release-program-plan.js';
import { readFullReleases } from './release-promoted-full.js';
import { type Settled, settle, unlessRefused } from './release-refusals.js';
import { findPromotedMembers } from './release-resume-done.js';
import { explainGoneMembers } from './release-resume-gone.js';
import { refuseWhenNothingLeft } from './release-resume-nothing.js';
import { takeOverPromoted } from './release-resume-promoted.js';
import { awaitReadyOfPromoted } from './release-resume-ready.js';
import {
  checkOneRelease,
  refuseMovedBack,
  refuseStaggerFirst,
  worstFirst,
} from './release-resume-refusals.js';
import { settleRelease } from './release-settle.js';
import { withFailed } from './release-verdict.js';
import {
  claimResume,
  hooksAhead,
  type PreparedResume,
  prepareResume,
  type ResumeRequest,
  rollbackUnfinished,
} from './resume.js';
import { withReleaseGuards } from './resume-guards.js';
import { describeResumeWrite, healthBeforeResumedRaise } from './resume-health.js';
import type { ResumePoint } from './resume-point.js';
import { internalFailure } from './shift-waits.js';

export interface ReleaseResumeRequest {
  members: ResumeRequest[];
  hooks?: Pick<DeployHooks, 'pre' | 'step' | 'post'>;
  concurrency?: number;
  signal?: AbortSignal;
}

export async function resumeRelease(deps: ReleaseDeps, rel: ReleaseResumeRequest): Promise<ReleaseResult> {
  const concurrency = rel.concurrency ?? DEFAULT_RELEASE_CONCURRENCY;
  const verdict = new AbortController();
  const watchSignal = rel.signal ? AbortSignal.any([rel.signal, verdict.signal]) : verdict.signal;
  const watchSignals = fanOutSignal(watchSignal, rel.members.length);
  // Every function is checked; a refusal that needs an operator (exit 4) is reported first.
  const read = new Map<number, DeploymentRecord>();
  const fullReleases = await readFullReleases(deps, rel.members, concurrency);
  const checked = (await mapBounded(concurrency, rel.members, (req, i) =>
    settle(
      prepareResume(
        memberDeps(deps, req),
        withReleaseGuards(req, rel.hooks, namesOf(rel.members), aliasesOf(rel.members)),
        {
          watchSignal: watchSignals[i],
          onRecord: (record) => read.set(i, record),
          deferMovedBack: true,
          fullReleases,
        },
      ),
    ),
  )) as Settled<PreparedResume>[];
  // A deleted function has no record: the others' say its release (release-resume-gone.ts).
  const explained = explainGoneMembers(checked, rel.members, read);
  await refuseWhenNothingLeft(deps, rel.members, explained);
  const done = await findPromotedMembers(deps, rel.members, explained);
  const open = rel.members.flatMap((m, i) => (done.has(i) ? [] : [{ m, c: explained[i]!, i }]));
  refuseStaggerFirst(open, read);
  const prepared = unlessRefused(
    ...worstFirst(
      open.map((o) => o.c),
      open.map((o) => o.m),
    ),
  );
  const releaseId = checkOneRelease(prepared);
  const stray = [...done.values()].find((d) => d.releaseId !== releaseId);
  if (stray) throw stray.error;
  refuseMovedBack(prepared);
  // Each function's own hooks were checked with it (prepareResume); the release's own here.
  await checkReleaseHookFunctions(deps, releaseHooksAhead(rel.hooks, prepared));
  announceRelease(
    deps,
    { releaseId, mode: 'lockstep' },
    prepared.map((p) => p.ctx.req),
    true,
  );
  // Those promoted before the crash first: their takeover changes nothing a refusal would undo.
  const promoted = await takeOverPromoted(deps, rel.members, done, watchSignals);
  const unfinished = prepared.find((p) => p.decision.start.kind === 'rollback');
  const program = programOf(rel, prepared);
  const from = resumeFrom(program, prepared);
  for (const p of prepared) await claimResume(p, describeMemberWrite(program, from, p, unfinished));
  controlAsOneRelease(prepared.map((p) => p.ctx));
  waitAsOneRelease(prepared.map((p) => p.ctx));
  stopHeartbeatsOnVerdict(
    watchSignal,
    prepared.map((p) => p.ctx),
  );
  const ended = await runFrom(deps, { ...rel, releaseId }, prepared, { program, from }, verdict, concurrency);
  // Those promoted before the crash settle with the others: read back, or rolled back with them.
  const members = [...prepared, ...promoted].map((p) => ({ ctx: p.ctx }));
  const voice = { clock: deps.clock, events: releaseEvents(deps.events, releaseId) };
  const settled = await settleRelease(members, ended, concurrency, voice, [
    ...prepared.map(() => undefined),
    ...promoted.map((p) => p.result),
  ]);
  const functions = settled.functions as ReleaseResult['functions'];
  for (const [i, result] of functions.entries()) finish(members[i]!.ctx.deps, result);
  return {
    releaseId,
    mode: 'lockstep',
    status: releaseStatus(functions),
    strategy: prepared[0]?.ctx.req.strategy.name,
    ...withFailed(settled.ended),
    functions,
    startedAt: Math.min(...prepared.map((p) => p.record.startedAt)),
    endedAt: deps.clock.now(),
  };
}

/** The release's program, as its first run planned it: every function's steps, level by level. */
function programOf(rel: ReleaseResumeRequest, prepared: PreparedResume[]): ReleaseProgram {
  const lead = prepared[0]!.ctx;
  const targetHooks = Object.fromEntries(
    prepared.map((p) => [formatTarget(targetOf(p)), p.ctx.req.hooks ?? {}]),
  );
  return planReleaseOf(
    longestSettlePlan(prepared.map((p) => p.ctx.req.plan)),
    { hooks: rel.hooks, targetHooks, bakeSeconds: lead.req.bakeSeconds },
    prepared.map(targetOf),
  );
}

/** Where the release runs on from: the furthest any function got (releaseResumeIndex). */
function resumeFrom(program: ReleaseProgram, prepared: PreparedResume[]): number {
  return Math.max(...prepared.map((p) => releaseResumeIndex(program, p.decision.start, prepared)));
}

/** The end of a function's resume line: what the release writes to it first, or its rollback. */
function describeMemberWrite(
  program: ReleaseProgram,
  from: number,
  p: PreparedResume,
  unfinished: PreparedResume | undefined,
): string {
  if (unfinished) {
    return `the release is rolled back: ${formatTarget(targetOf(unfinished))} was rolling back`;
  }
  const { start } = p.decision;
  return describeResumeWrite(program, from, p.ctx, start.kind === 'shift' ? start.fromStep : undefined);
}

async function runFrom(
  deps: ReleaseDeps,
  rel: ReleaseResumeRequest & { releaseId: string },
  prepared: PreparedResume[],
  { program, from }: { program: ReleaseProgram; from: number },
  verdict: AbortController,
  concurrency: number,
): Promise<ProgramOutcome> {
  const unfinished = prepared.find((p) => p.decision.start.kind === 'rollback');
  if (unfinished) {
    return { ...rollbackUnfinished(unfinished.record), index: 0, target: targetOf(unfinished) };
  }
  const lead = prepared[0]!.ctx;
  const fleet = fleetOf(
    deps,
    rel,
    prepared.map((p) => p.ctx),
    verdict,
    concurrency,
  );
  try {
    const runs = prepared.map((p) => p.ctx);
    const ended =
      (await awaitReadyOfPromoted(prepared, program, from, concurrency)) ??
      (await healthBeforeResumedRaise(runs, program, from, concurrency));
    if (ended) {
      // As a wait of the program's own would end it (fleet-runs.ts, endedByOther).
      verdict.abort();
      const target =
        ended.kind === 'conflict' ? ended.takenOver : ended.kind === 'failed' ? ended.failedIn : undefined;
      return { ...ended, index: from, ...(target ? { target } : {}) };
    }
    return await runProgram(
      { traffic: lead.traffic, clock: deps.clock, cursor: lead.cursor, shift: lead, fleet },
      program,
      from,
    );
  } catch (error) {
    return { ...internalFailure(error), index: from };
  }
}

/**
 * Where one function puts the release's resume. A function already on its new version (its
 * promote landed before the crash) while another is still split (its promote was cut off) counts
 * from the last level — the promotes — not from the bake: run from the bake, the lagging
 * function's promote was skipped and it was recorded promoted with its alias still split.
 */
function releaseResumeIndex(program: ReleaseProgram, start: ResumePoint, prepared: PreparedResume[]): number {
  if (start.kind === 'rollback') return 0;
  const behind = prepared.some((p) => p.decision.start.kind === 'shift');
  if (!behind || start.kind === 'shift') return resumeIndex(program, start);
  const lastLevel = program.plan.steps.length - 1;
  return resumeIndex(program, { kind: 'shift', fromStep: lastLevel, preHooks: false });
}

/** The release's hooks still ahead: it runs on from the function that got furthest (runFrom). */
function releaseHooksAhead(hooks: DeployHooks | undefined, prepared: PreparedResume[]): DeployHooks {
  const starts = prepared.map((p) => p.decision.start);
  if (starts.length === 0 || starts.some((s) => s.kind === 'rollback')) return {};
  const rank = (s: ResumePoint) => (s.kind === 'shift' ? (s.preHooks ? 0 : 1) : 2);
  const furthest = starts.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  return hooksAhead(hooks, furthest);
}

function targetOf(p: PreparedResume) {
  return { functionName: p.ctx.req.functionName, alias: p.ctx.req.alias };
}

function aliasesOf(members: readonly { alias: string }[]): string[] {
  return members.map((m) => m.alias);
}

function namesOf(members: readonly { functionName: string }[]): string[] {
  return members.map((m) => m.functionName);
}
