/**
 * `lshift deploy fnA fnB … --dry-run`: for every function, the read-only checks a release makes
 * before its first write — the same calls, with the same arguments, as `runRelease` (a published
 * `--version`: the preflight with the record the release would write, `rl=` included) and the
 * CLI's publish path (code to upload or `$LATEST` to publish: `checkBeforePublish`) — then the
 * release program. Nothing is written: no upload, publish, alias or tag write. Every function is
 * checked even when one is refused, so one dry run shows every refusal; the first one (in the
 * release's order) is then thrown, as the release would have stopped on it, with every other
 * function's refusal added to its message (release-refusals.ts, as the release does).
 */

import type { ReleaseProgram } from '../domain/release-program.js';
import { mapBounded } from './bounded.js';
import type { DeployHooks, RecordScope } from './deploy-types.js';
import { checkDryRunTarget, type DryRunReport, type DryRunTarget } from './dry-run.js';
import type { PreflightDeps } from './preflight.js';
import { checkReleaseHookFunctions } from './preflight-hooks.js';
import { DEFAULT_RELEASE_CONCURRENCY, namedEvents, releaseScope } from './release.js';
import { planReleaseProgram } from './release-program-plan.js';
import { type Settled, settle, unlessRefused } from './release-refusals.js';

/** A function of the release, with its request as the release would make it. */
export type ReleaseDryRunMember = DryRunTarget;

export interface ReleaseDryRunRequest {
  releaseId: string;
  members: ReleaseDryRunMember[];
  /** Hooks of the whole release (specs without `{function}`). */
  hooks?: Pick<DeployHooks, 'pre' | 'step' | 'post'>;
  stagger?: boolean;
  concurrency?: number;
}

export interface ReleaseDryRunReport {
  releaseId: string;
  functions: Omit<DryRunReport, 'program'>[];
  program: ReleaseProgram;
}

export async function dryRunRelease(
  deps: PreflightDeps,
  rel: ReleaseDryRunRequest,
): Promise<ReleaseDryRunReport> {
  await checkReleaseHookFunctions(deps, rel.hooks);
  // No `stop`: every member is checked, so every slot is filled.
  const settled = (await mapBounded(rel.concurrency ?? DEFAULT_RELEASE_CONCURRENCY, rel.members, (m) =>
    settle(checkMember(deps, releaseScope({ ...rel, members: rel.members.map((member) => member.req) }), m)),
  )) as Settled<Omit<DryRunReport, 'program'>>[];
  // As runRelease: the first refusal sets the code, and the message lists every other one.
  const functions = unlessRefused(
    settled,
    rel.members.map((m) => m.req),
  );
  // As runRelease: a function already on its target takes no part in the program.
  const moving = rel.members.filter((_, i) => !functions[i]?.nothingToDeploy);
  return {
    releaseId: rel.releaseId,
    functions,
    program: planReleaseProgram(
      (moving.length > 0 ? moving : rel.members).map((m) => m.req),
      rel,
    ),
  };
}

function checkMember(
  deps: PreflightDeps,
  scope: RecordScope,
  member: ReleaseDryRunMember,
): Promise<Omit<DryRunReport, 'program'>> {
  const target = { functionName: member.req.functionName, alias: member.req.alias };
  return checkDryRunTarget({ ...deps, events: namedEvents(deps.events, target) }, member, scope);
}
