/**
 * Where `deploy --resume` picks a deployment up, from its record and the alias as they are now
 * (pure). The alias is the truth about traffic; the record says how far the runner had got —
 * it is written just after each alias write, so a crash can leave it one step behind, never
 * ahead.
 *
 * - all traffic on the target (crash after the last write, during the bake or the post-traffic
 *   hooks, or paused there): bake again (if any), post-traffic hooks, promote — or, when the
 *   record says the bake was over (`post-hook`), post-traffic hooks and promote;
 * - split on a plan step at or after the recorded one: that step (the record lagged);
 *   otherwise the recorded step. Either way its weight is written again with the current
 *   RevisionId and held for its full time: the runner died somewhere in the hold and the health
 *   it saw died with it;
 * - all traffic on the stable version: the plan from its first step (no jump straight to a
 *   high weight), with the pre-traffic hooks only if the record never got past them;
 * - a rollback in progress (`rolling-back`) or one that failed: finish the rollback.
 * Any other routing does not belong to this deployment: `mismatch`, a human must look.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Plan } from '../domain/plan.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeStep } from './deploy-result.js';
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
    }
  | { kind: 'mismatch'; split: boolean };

export function chooseResumePoint(record: DeploymentRecord, alias: AliasInfo, plan: Plan): ResumeDecision {
  const position = locateAlias(alias, record);
  if (position.kind === 'elsewhere') return { kind: 'mismatch', split: isSplit(alias.additionalWeights) };
  const resume = (start: ResumePoint, summary: string): ResumeDecision => ({
    kind: 'resume',
    start,
    position,
    summary,
  });
  if (record.phase === 'rolling-back' || record.phase === 'failed') {
    return resume({ kind: 'rollback' }, 'finishing its rollback');
  }
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
