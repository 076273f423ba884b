/**
 * `deploy --dry-run`: every read-only check a deploy makes before its first write, then the
 * release program it would run — and no write at all (no upload, publish, alias or tag write).
 * The checks are the deploy's own, called with the request the deploy would make
 * (`checkDryRunTarget`, shared with the release dry run): a published `--version` gets the
 * preflight with the record the deploy would write (RECORD_TOO_LARGE included); code to upload
 * or `$LATEST` to publish gets `checkBeforePublish` (the record size, `$LATEST`'s role and DLQ
 * against the stable version's — what the new version will carry: ROLE_MISMATCH, DLQ_MISMATCH —,
 * the new version's asynchronous invocation: ASYNC_DESTINATION_LOST, the reads of event sources
 * and provisioned concurrency with their warnings, an image digest the alias already runs:
 * IMAGE_UNCHANGED). What needs the published version itself (Active, a tag's digest) cannot run;
 * the report says what would be published instead.
 */
import type { ReleaseProgram } from '../domain/release-program.js';
import type { CodeSource, FunctionInfo } from '../ports/lambda.js';
import { preflightTarget } from './deploy.js';
import { draftRecord } from './deploy-record.js';
import type { DeployRequest, RecordScope } from './deploy-types.js';
import { emitEvent } from './emit.js';
import type { PreflightDeps } from './preflight.js';
import { checkBeforePublish, type PendingDeploy } from './preflight-publish.js';
import { forecastPublish, type PublishForecast, readNewestVersion } from './publish-forecast.js';

/** The code a deploy would publish, described without publishing it. */
export type PendingPublish =
  | { kind: 'latest' }
  | { kind: 'zip'; fileName: string; bytes: number; codeSha256: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'image'; imageUri: string };

/** One function of a dry run: what its deploy would be asked to do. */
export interface DryRunTarget {
  /** The request as the deploy would make it; no `targetVersion`: it would publish one. */
  req: PendingDeploy & { targetVersion?: string };
  /** The code a publish would upload (undefined: `$LATEST` as it is); read only when publishing. */
  source?: CodeSource;
  /** What a publish would do, for the report. */
  publish?: PendingPublish;
}

export interface DryRunRequest extends DryRunTarget {
  program: ReleaseProgram;
  /** The engine the deploy would run on: its records name it (`en=cd cd=d-…`). */
  codeDeploy?: boolean;
}

export interface DryRunReport {
  functionName: string;
  alias: string;
  stableVersion: string;
  targetVersion?: string;
  /** The alias already routes everything to the target: a deploy would do nothing. */
  nothingToDeploy: boolean;
  /**
   * What would be published, whether its code equals $LATEST's now, and whether Lambda would
   * make a new version of it or (most likely) return the newest one.
   */
  publish?: PendingPublish & {
    sameCodeAsLatest?: boolean;
    latestCodeSha256: string;
    forecast: PublishForecast;
  };
  program: ReleaseProgram;
}

export async function dryRunDeploy(deps: PreflightDeps, dry: DryRunRequest): Promise<DryRunReport> {
  const report = await checkDryRunTarget(deps, dry, { codeDeploy: dry.codeDeploy });
  return { ...report, program: dry.program };
}

/**
 * The checks one function's deploy makes before its first write, with the same arguments, and
 * what it would do. `scope`: what the records add to the request (a release's `rl=`, the engine).
 * Its preflight events are a deploy's: `preflight.started`, the checks, then `preflight.completed`
 * (a published `--version`: runPreflight's own) or, before a publish, `preflight.stopped` — for a
 * single dry run and for each function of a release's (whose sink names the function).
 */
export async function checkDryRunTarget(
  deps: PreflightDeps,
  target: DryRunTarget,
  scope: RecordScope,
): Promise<Omit<DryRunReport, 'program'>> {
  const { req } = target;
  const where = { functionName: req.functionName, alias: req.alias };
  if (req.targetVersion !== undefined) {
    const full: DeployRequest = { ...req, targetVersion: req.targetVersion };
    // Its `warm` check too (--warm), when there is something to deploy, as prepareDeploy's.
    const pre = await preflightTarget(deps, full, draftRecord(full, deps.clock.now(), scope));
    return {
      ...where,
      stableVersion: pre.stableVersion,
      targetVersion: req.targetVersion,
      nothingToDeploy: pre.nothingToDeploy,
    };
  }
  // runPreflight announces itself; the checks before a publish do not.
  emitEvent(deps, { type: 'preflight.started', ...where });
  // A deploy's full preflight would say the passes after the upload; a dry run stops here.
  const before = await checkBeforePublish(deps, req, target.source, scope, 'passes');
  // checkBeforePublish read the function already; these reads only tell what a publish would give.
  const latest = await deps.lambda.getFunction(req.functionName);
  const newest = await readNewestVersion(deps, req.functionName);
  const publish = target.publish ?? { kind: 'latest' };
  // Closes the preflight.started above (a refusal closes it with its `ok: false` check instead):
  // a consumer waiting for the pair is not left waiting.
  emitEvent(deps, { type: 'preflight.stopped', ...where, stableVersion: before.stableVersion });
  return {
    ...where,
    stableVersion: before.stableVersion,
    nothingToDeploy: false,
    publish: {
      ...publish,
      latestCodeSha256: latest.codeSha256,
      sameCodeAsLatest: publish.kind === 'zip' ? publish.codeSha256 === latest.codeSha256 : undefined,
      forecast: forecastPublish(latest, newest, publishedCode(publish, latest)),
    },
  };
}

/** The CodeSha256 the published version would have; undefined when only Lambda will know it. */
function publishedCode(publish: PendingPublish, latest: FunctionInfo): string | undefined {
  if (publish.kind === 'latest') return latest.codeSha256;
  return publish.kind === 'zip' ? publish.codeSha256 : undefined;
}
