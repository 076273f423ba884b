/**
 * `lshift abort | pause | resume | promote` (single or `--release`) refused because nobody would
 * read the command (DEPLOYMENT_STALE: a runner known gone, a heartbeat that stopped) over an alias
 * that is split: nobody drives that split, so the refusal exits 4 — the rule of every refusal over
 * a split nobody drives (docs/exit-codes.md), and `lshift status` of the same alias says STALLED,
 * exit 4. It exited 5, "someone else holds the alias", read as "leave it to them" (found by a
 * hostile pass, session 71). One read of each alias, on the refusal only.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, UnsafeError } from '../domain/errors.js';
import { formatTarget, type ReleaseTarget } from '../domain/release-program.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import { isSplit } from './alias-position.js';
import { describeAliasState } from './deploy-result.js';

/**
 * Nobody but lshift's runner would move this record's split: not CodeDeploy's (it drives its
 * own), not one being rolled back (its claimer's). Its split, then, is left to a human.
 */
export function isOursToDrive(record: Pick<DeploymentRecord, 'engine' | 'phase'>): boolean {
  return record.engine !== 'codedeploy' && record.phase !== 'rolling-back';
}

/**
 * `lshift deploy` refused over a holder nobody drives (DEPLOYMENT_STALE: no heartbeat, a stopped
 * rollback's included; DEPLOYMENT_PAUSED left by a runner that exited; ROLLBACK_UNFINISHED) whose
 * alias, read by the preflight, is split: exit 4, as `lshift status` of it (status-needs-operator.ts
 * isSplitNobodyDrives). It exited 5, "someone else holds the alias" (found by h1's hostile pass,
 * session 71). All on one version, or a CodeDeploy record's split (CodeDeploy drives it): exit 5 as
 * before — but a failed rollback's split is nobody's, CodeDeploy's or not, as status says.
 */
export function isSplitNobodyDrives(
  record: Pick<DeploymentRecord, 'engine' | 'phase'>,
  alias: Pick<AliasInfo, 'additionalWeights'>,
): boolean {
  if (!isSplit(alias.additionalWeights)) return false;
  return record.phase === 'failed' || record.engine !== 'codedeploy';
}

/**
 * Its rollback failed with all traffic left on the version lshift decided to roll back: as much a
 * human's as a split (nobody drives its rollback). CodeDeploy's are judged with CodeDeploy. One rule
 * for `lshift status` (status-needs-operator.ts) and deploy's preflight (preflight-record.ts).
 */
export function isFailedOnTarget(
  record: Pick<DeploymentRecord, 'phase' | 'engine' | 'targetVersion'>,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>,
): boolean {
  return (
    record.phase === 'failed' &&
    record.engine !== 'codedeploy' &&
    !isSplit(alias.additionalWeights) &&
    alias.functionVersion === record.targetVersion
  );
}

/** What a refusal over a split nobody drives adds to its message. */
export const NOBODY_DRIVES = 'Nobody drives that split; it needs a human.';

/** A function whose record refused the verb, as read. */
export type RefusedOn = ReleaseTarget & { record?: DeploymentRecord };

/**
 * The error to throw instead of `error`: the same refusal, exit 4 and saying where the split is,
 * when it is DEPLOYMENT_STALE and an alias read shows a split; else `error` as it was. A CodeDeploy
 * record's split is CodeDeploy's to drive (its follower's refusal stays exit 5), one being rolled
 * back is its claimer's (a release's function a check took), and an alias that
 * could not be read changes nothing (the refusal stands as it was: nothing was sent either way).
 */
export async function staleOverSplit(
  aliases: Pick<LambdaPort, 'getAlias'> | undefined,
  targets: readonly RefusedOn[],
  error: unknown,
): Promise<unknown> {
  if (!aliases || !isLshiftError(error) || error.code !== 'DEPLOYMENT_STALE') return error;
  const ours = targets.filter((t) => t.record !== undefined && isOursToDrive(t.record));
  const seen = await Promise.all(
    ours.map((t) => aliases.getAlias(t.functionName, t.alias).catch(() => undefined)),
  );
  const split = ours
    .map((t, i) => ({ target: t, alias: seen[i] }))
    .filter(
      (s): s is { target: RefusedOn; alias: AliasInfo } =>
        s.alias !== undefined && isSplit(s.alias.additionalWeights),
    );
  if (split.length === 0) return error;
  const where = split
    .map((s) => `${formatTarget(s.target)} routes ${describeAliasState(s.alias)}`)
    .join('; ');
  return new UnsafeError(
    error.code,
    `${error.message} ${where}: nobody drives ${split.length === 1 ? 'that split' : 'those splits'}; it needs a human.`,
    { ...(error.hint === undefined ? {} : { hint: error.hint }), context: error.context },
  );
}
