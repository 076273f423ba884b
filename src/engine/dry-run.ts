/**
 * `deploy --dry-run`: every read-only check a deploy makes before its first write, then the
 * release program it would run — and no write at all (no upload, publish, alias or tag write).
 * When the version is still to be published, the checks that need it (target Active, same role
 * and DLQ) cannot run; the report says what would be published instead.
 */
import type { ReleaseProgram } from '../domain/release-program.js';
import type { FunctionInfo } from '../ports/lambda.js';
import { emitEvent } from './emit.js';
import { checkNotSplit, type PreflightDeps, readAlias, runPreflight } from './preflight.js';
import { checkAlarms, guard, notFound, pass } from './preflight-checks.js';
import { checkRecordState, readRecord } from './preflight-record.js';
import { checkPackageType } from './publish.js';
import { checkWarmPossible } from './warm.js';

/** The code a deploy would publish, described without publishing it. */
export type PendingPublish =
  | { kind: 'latest' }
  | { kind: 'zip'; fileName: string; bytes: number; codeSha256: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'image'; imageUri: string };

export interface DryRunRequest {
  functionName: string;
  alias: string;
  /** A published version (`--version`), or absent when the deploy would publish one. */
  targetVersion?: string;
  publish?: PendingPublish;
  alarms: string[];
  ignoreInitialAlarms?: boolean;
  staleAfterSeconds?: number;
  /** `--warm`: its refusals are read-only checks too. */
  warm?: boolean;
  program: ReleaseProgram;
}

export interface DryRunReport {
  functionName: string;
  alias: string;
  stableVersion: string;
  targetVersion?: string;
  /** The alias already routes everything to the target: a deploy would do nothing. */
  nothingToDeploy: boolean;
  /** What would be published, and whether its code equals $LATEST's now. */
  publish?: PendingPublish & { sameCodeAsLatest?: boolean; latestCodeSha256: string };
  program: ReleaseProgram;
}

export async function dryRunDeploy(deps: PreflightDeps, req: DryRunRequest): Promise<DryRunReport> {
  const base = { functionName: req.functionName, alias: req.alias, program: req.program };
  if (req.targetVersion !== undefined) {
    const pre = await runPreflight(deps, { ...req, targetVersion: req.targetVersion });
    if (req.warm) await checkWarmPossible(deps, req, pre.stableVersion);
    return {
      ...base,
      stableVersion: pre.stableVersion,
      targetVersion: req.targetVersion,
      nothingToDeploy: pre.nothingToDeploy,
    };
  }
  const { functionName: fn } = req;
  emitEvent(deps, { type: 'preflight.started', functionName: fn, alias: req.alias });
  const latest = await guard(deps, 'function', () => deps.lambda.getFunction(fn), notFound(fn));
  // As the deploy's own check before the upload (checkBeforePublish): same refusal, same exit.
  const upload = req.publish?.kind === 'latest' ? undefined : req.publish;
  if (upload) checkPackageType(latest, upload);
  pass(deps, 'function', `function ${fn} exists${upload ? ` and takes ${latest.packageType} code` : ''}`);
  const alias = await readAlias(deps, req);
  const record = await readRecord(deps, req);
  checkRecordState(deps, req, record, alias);
  checkNotSplit(deps, req, alias);
  await checkAlarms(deps, req);
  if (req.warm) await checkWarmPossible(deps, req, alias.functionVersion);
  return {
    ...base,
    stableVersion: alias.functionVersion,
    nothingToDeploy: false,
    publish: describePublish(req.publish ?? { kind: 'latest' }, latest),
  };
}

function describePublish(publish: PendingPublish, latest: FunctionInfo): DryRunReport['publish'] {
  const sameCodeAsLatest = publish.kind === 'zip' ? publish.codeSha256 === latest.codeSha256 : undefined;
  return { ...publish, latestCodeSha256: latest.codeSha256, sameCodeAsLatest };
}
