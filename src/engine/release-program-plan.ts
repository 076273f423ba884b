/**
 * The program of a release (issue 13), built once for the run (release.ts) and the dry run
 * (release-dry-run.ts), so what `lshift plan` and `--dry-run` show is what runs.
 */

import type { Plan } from '../domain/plan.js';
import {
  formatTarget,
  planReleaseOf,
  type ReleaseProgram,
  type ReleaseTarget,
} from '../domain/release-program.js';
import type { DeployHooks, DeployRequest } from './deploy-types.js';

/** What the program needs of each member's request. */
type ProgramMember = Pick<DeployRequest, 'functionName' | 'alias' | 'plan' | 'hooks' | 'bakeSeconds'>;

/**
 * The program of a release: one target per member, its own hooks with it; the first member's
 * bake (every member has the same) and the plan with the longest settle (longestSettlePlan).
 * `runRelease` runs it; the dry run shows it.
 */
export function planReleaseProgram(
  members: readonly ProgramMember[],
  release: { hooks?: Pick<DeployHooks, 'pre' | 'step' | 'post'>; stagger?: boolean },
): ReleaseProgram {
  const lead = members[0]!;
  const plan = longestSettlePlan(members.map((m) => m.plan));
  const targets: ReleaseTarget[] = members.map((m) => ({ functionName: m.functionName, alias: m.alias }));
  const targetHooks = Object.fromEntries(members.map((m, i) => [formatTarget(targets[i]!), m.hooks ?? {}]));
  return planReleaseOf(
    plan,
    { hooks: release.hooks, targetHooks, bakeSeconds: lead.bakeSeconds, stagger: release.stagger },
    targets,
  );
}

/**
 * The plan whose settle wait is the longest (the first such): the release's. Every member walks
 * the same strategy; a member with no analysis gate has no settle (deploy-options.ts), and the
 * release still settles while another member's metrics are awaited. A resume picks the same.
 */
export function longestSettlePlan(plans: readonly Plan[]): Plan {
  return plans.reduce((longest, p) => ((p.settleSeconds ?? 0) > (longest.settleSeconds ?? 0) ? p : longest));
}
