/**
 * The program of a release (issue 13), built once for the run (release.ts) and the dry run
 * (release-dry-run.ts), so what `lshift plan` and `--dry-run` show is what runs.
 */
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
 * plan and bake (every member has the same). `runRelease` runs it; the dry run shows it.
 */
export function planReleaseProgram(
  members: readonly ProgramMember[],
  release: { hooks?: Pick<DeployHooks, 'pre' | 'step' | 'post'>; stagger?: boolean },
): ReleaseProgram {
  const lead = members[0]!;
  const targets: ReleaseTarget[] = members.map((m) => ({ functionName: m.functionName, alias: m.alias }));
  const targetHooks = Object.fromEntries(members.map((m, i) => [formatTarget(targets[i]!), m.hooks ?? {}]));
  return planReleaseOf(
    lead.plan,
    { hooks: release.hooks, targetHooks, bakeSeconds: lead.bakeSeconds, stagger: release.stagger },
    targets,
  );
}
