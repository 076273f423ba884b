/**
 * `lshift deploy fnA fnB … --dry-run`: for every function, the read-only checks a release makes
 * before its first write — the same calls, with the same arguments, as `runRelease` (a published
 * `--version`: the preflight with the record the release would write, `rl=` included) and the
 * CLI's publish path (code to upload or `$LATEST` to publish: `checkBeforePublish`) — then the
 * release program. Nothing is written: no upload, publish, alias or tag write. Every function is
 * checked even when one is refused, so one dry run shows every refusal; the first one (in the
 * release's order) is then thrown, as the release would have stopped on it.
 */

import type { ReleaseProgram } from '../domain/release-program.js';
import type { CodeSource } from '../ports/lambda.js';
import { mapBounded } from './bounded.js';
import { draftRecord } from './deploy.js';
import type { DeployHooks, DeployRequest } from './deploy-types.js';
import type { DryRunReport, PendingPublish } from './dry-run.js';
import { type PreflightDeps, runPreflight } from './preflight.js';
import { checkBeforePublish, type PendingDeploy } from './preflight-publish.js';
import { DEFAULT_RELEASE_CONCURRENCY, namedEvents } from './release.js';
import { planReleaseProgram } from './release-program-plan.js';

export interface ReleaseDryRunMember {
  /** The function's request as the release would make it; no `targetVersion`: it would publish one. */
  req: PendingDeploy & { targetVersion?: string };
  /** The code a publish would upload (undefined: `$LATEST` as it is); read only when publishing. */
  source?: CodeSource;
  /** What a publish would do, for the report. */
  publish?: PendingPublish;
}

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
  const settled = await mapBounded(rel.concurrency ?? DEFAULT_RELEASE_CONCURRENCY, rel.members, (m) =>
    checkMember(deps, rel.releaseId, m).then(
      (report) => ({ ok: true as const, report }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  );
  const refused = settled.find((s) => s?.ok === false);
  if (refused && !refused.ok) throw refused.error;
  const functions = settled.flatMap((s) => (s?.ok ? [s.report] : []));
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

async function checkMember(
  deps: PreflightDeps,
  releaseId: string,
  member: ReleaseDryRunMember,
): Promise<Omit<DryRunReport, 'program'>> {
  const { req } = member;
  const target = { functionName: req.functionName, alias: req.alias };
  const own = { ...deps, events: namedEvents(deps.events, target) };
  if (req.targetVersion !== undefined) {
    const full: DeployRequest = { ...req, targetVersion: req.targetVersion };
    const pre = await runPreflight(own, {
      ...target,
      targetVersion: req.targetVersion,
      alarms: req.alarms,
      ignoreInitialAlarms: req.ignoreInitialAlarms,
      staleAfterSeconds: req.staleAfterSeconds,
      draftRecord: { ...draftRecord(full, deps.clock.now()), releaseId },
    });
    return {
      ...target,
      stableVersion: pre.stableVersion,
      targetVersion: req.targetVersion,
      nothingToDeploy: pre.nothingToDeploy,
    };
  }
  const before = await checkBeforePublish(own, req, member.source);
  // checkBeforePublish read the function already; this read only tells whether the code differs.
  const latest = await deps.lambda.getFunction(req.functionName);
  const publish = member.publish ?? { kind: 'latest' };
  return {
    ...target,
    stableVersion: before.stableVersion,
    nothingToDeploy: false,
    publish: {
      ...publish,
      latestCodeSha256: latest.codeSha256,
      sameCodeAsLatest: publish.kind === 'zip' ? publish.codeSha256 === latest.codeSha256 : undefined,
    },
  };
}
