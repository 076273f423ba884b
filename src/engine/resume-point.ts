/**
 * Where `deploy --resume` picks a deployment up, from its record and the alias as they are now
 * (pure). The alias is the truth about traffic; the record says how far the runner had got —
 * it is written just after each alias write, so a crash can leave it one step behind, never
 * ahead.
 *
 * - all traffic on the target (crash after the last write, during the bake or the post-traffic
 *   hooks, or paused there): bake again (if any), post-traffic hooks, promote — or, when the
 *   record says the bake was over (`post-hook`), post-traffic hooks and promote;
 * - split on a plan step at or after the recorded one: that step (the record lagged one write,
 *   and `found` says so; after a `promote --full`, 100% is that one write); more than one step
 *   past the record is a weight lshift never wrote (`too-far-ahead`, a human must look); otherwise the recorded step. Either way its weight is
 *   written again with the current RevisionId and held for its full time: the runner died
 *   somewhere in the hold and the health it saw died with it;
 * - all traffic on the stable version: the plan from its first step (no jump straight to a
 *   high weight), with the pre-traffic hooks only if the record never got past them — unless
 *   the record had traffic moved, or shows none over an alias written since it started
 *   (`moved-back`: someone, or a rollback that could not record it, put it back);
 * - a rollback in progress (`rolling-back`) or one that failed: finish the rollback.
 * Any other routing does not belong to this deployment: `mismatch`, a human must look.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Plan } from '../domain/plan.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeStep, formatWeight } from './deploy-result.js';
import { isMovedBack } from './moved-back.js';
import { type AliasPosition, isSplit, locateAlias } from './record-view.js';
import type { PhaseStart } from './shift-context.js';

export type ResumePoint = PhaseStart | { kind: 'rollback' };

export type ResumeDecision =
  | {
      kind: 'resume';
      start: ResumePoint;
      position: Exclude<AliasPosition, { kind: 'elsewhere' }>;
      /** `at step 2 (20%)`, `in the bake`… for messages. */
      summary: string;
      /** What the alias said that the record did not (it was one write ahead), in words. */
      found?: string;
    }
  | { kind: 'mismatch'; split: boolean }
  /**
   * All traffic back on the stable version although the record says traffic had moved: someone
   * put it back (by hand, or a rollback whose record writes failed). Resuming would undo that —
   * a release resumed it at the highest level any function reached, 30% at once (found by a
   * hostile pass).
   */
  | { kind: 'moved-back'; resume: Extract<ResumeDecision, { kind: 'resume' }> }
  /**
   * The alias is further than the one write a crash can leave it ahead of its record: lshift
   * did not write that weight yet (someone did), so it will not pick the shift up from there.
   */
  | { kind: 'too-far-ahead'; aliasPercent: number; recordPercent: number; nextPercent?: number }
  /**
   * A rollback left unfinished (`rolling-back`, `failed`) whose alias is further towards the new
   * version than its runner could have left it: someone moved it since (a person promoting by
   * hand after the crash). Finishing the rollback would write over that move unsaid.
   */
  | { kind: 'rollback-overtaken'; aliasPercent: number; recordPercent: number; nextPercent?: number };

export function chooseResumePoint(
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'> & { revisionId?: string },
  plan: Plan,
  /**
   * A function of a release whose command reader's record (another function's, maybe) holds an
   * obeyed or sent `promote --full`: 100% is its one write ahead too (release-promoted-full.ts).
   */
  opts: { releasePromotedFull?: boolean } = {},
): ResumeDecision {
  const position = locateAlias(alias, record);
  if (position.kind === 'elsewhere') return { kind: 'mismatch', split: isSplit(alias.additionalWeights) };
  if (record.phase === 'rolling-back' || record.phase === 'failed') {
    // Further towards the new version than a crash can leave it (someone moved it since the
    // rollback stopped: a person's promotion by hand): not written over (session 66, F2).
    const lead =
      position.kind === 'stable'
        ? undefined
        : compareWithRecord(record, position.percent, plan, opts.releasePromotedFull === true);
    if (lead?.kind === 'too-far-ahead') return { ...lead, kind: 'rollback-overtaken' };
    return { kind: 'resume', start: { kind: 'rollback' }, position, summary: 'finishing its rollback' };
  }
  // A release's function restored by the release's own rollback (another function's record says
  // rolling-back) looks the same: release-resume.ts lets that through and resumes it as before.
  // So does a record that shows no weight over an alias written since the deployment started:
  // its first weight may have landed and been put back by a rollback whose record never landed
  // (record-revision.ts). Resumed, it would start again from the first step.
  if (position.kind === 'stable' && isMovedBack(record, alias))
    return { kind: 'moved-back', resume: chooseShiftPoint(record, position, plan) };
  const lead = compareWithRecord(record, position.percent, plan, opts.releasePromotedFull === true);
  if (lead.kind === 'too-far-ahead') return lead;
  const decision = chooseShiftPoint(record, position, plan);
  if (lead.kind !== 'one-step-ahead') return decision;
  const where = position.kind === 'target' ? 'after the last step' : `at ${formatWeight(position.percent)}`;
  return {
    ...decision,
    found: `the alias was at ${formatWeight(position.percent)}, the record said ${formatWeight(record.percent)}; resuming ${where} (the weight write landed, the record write did not)`,
  };
}

type RecordLead =
  | { kind: 'level' }
  | { kind: 'one-step-ahead' }
  | Extract<ResumeDecision, { kind: 'too-far-ahead' }>;

/**
 * How far the alias is ahead of the record. The record is written just after each weight write,
 * so a crash between the two leaves the alias on the plan's next step after the recorded
 * weight — one step, never more (traffic-steps.ts). A weight below that next step (the record's
 * own, or one set by hand in between) is not ahead: that step is written again.
 */
function compareWithRecord(
  record: DeploymentRecord,
  aliasPercent: number,
  plan: Plan,
  releasePromotedFull: boolean,
): RecordLead {
  const recordPercent = record.percent;
  if (aliasPercent <= recordPercent + EPSILON) return { kind: 'level' };
  // An obeyed (or sent, its answer's write lost) `promote --full` makes 100% the runner's next
  // write: a crash before its record write left the alias all on the new version — not a person's
  // move (the record's answer is written before that weight: operator-control.ts).
  if (aliasPercent >= 100 - EPSILON && (promotedFull(record) || releasePromotedFull))
    return { kind: 'one-step-ahead' };
  const next = plan.steps.find((s) => s.percent > recordPercent + EPSILON);
  if (next && Math.abs(next.percent - aliasPercent) < EPSILON) return { kind: 'one-step-ahead' };
  if (next && aliasPercent < next.percent) return { kind: 'level' };
  return {
    kind: 'too-far-ahead',
    aliasPercent,
    recordPercent,
    ...(next ? { nextPercent: next.percent } : {}),
  };
}

const EPSILON = 1e-6;

/** The record holds a `promote --full` the runner obeyed, or was sent and may have obeyed. */
export function promotedFull(record: DeploymentRecord): boolean {
  return record.command?.verb === 'promote-full' && record.command.state !== 'refused';
}

function chooseShiftPoint(
  record: DeploymentRecord,
  position: Exclude<AliasPosition, { kind: 'elsewhere' }>,
  plan: Plan,
): Extract<ResumeDecision, { kind: 'resume' }> {
  const resume = (start: ResumePoint, summary: string) => ({
    kind: 'resume' as const,
    start,
    position,
    summary,
  });
  const steps = plan.steps;
  switch (position.kind) {
    case 'target':
      return record.phase === 'post-hook'
        ? resume({ kind: 'post' }, 'at the post-traffic hooks (all traffic on the target)')
        : resume({ kind: 'bake' }, 'after the last step (all traffic on the target)');
    case 'stable': {
      const fresh = record.phase === 'started' || record.phase === 'pre-hook';
      const summary = fresh
        ? 'before any traffic moved'
        : 'from the first step (all traffic was back on stable)';
      return resume({ kind: 'shift', fromStep: 0, preHooks: fresh }, summary);
    }
    case 'split': {
      const recorded = Math.min(Math.max(0, record.stepIndex), steps.length - 1);
      const matching = steps.findIndex((s) => Math.abs(s.percent - position.percent) < 1e-6);
      const from = Math.max(matching, recorded);
      const step = steps[from];
      const summary = step ? `at ${describeStep(step.index, step.percent)}` : 'at the recorded step';
      return resume({ kind: 'shift', fromStep: from, preHooks: false }, summary);
    }
  }
}
