/**
 * Where `lshift rollback` sends traffic (rollback.ts): `--to`, else the record's own stable
 * version or, for a split alias, splitRollbackVersion — never an older history entry — and "nothing to do"
 * for a deployment already rolled back. A record that does not add up decides nothing.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, PreflightError } from '../domain/errors.js';
import type { RecordSummary } from '../domain/outcome.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeAliasState } from './deploy-result.js';
import { logWarn } from './emit.js';
import {
  describeRollbackWithoutRecord,
  describeUntrustedRecord,
  isMovedByHand,
  movedByHandRefusal,
  untrustedRecordError,
} from './record-trust.js';
import {
  foreignSplitVersions,
  isDecidedSplitMovedWhole,
  isFinished,
  isSplit,
  locateAlias,
  splitRollbackVersion,
  versionLeftOn,
} from './record-view.js';
import type { RollbackDeps, RollbackRequest } from './rollback-types.js';

/**
 * A record that does not add up decides nothing: without --to that is an error (RECORD_INVALID,
 * naming the tag and how to clear it); with --to the user chose the destination, so the record
 * is only left alone (not rewritten). One whose alias was only moved by hand (isMovedByHand) is
 * refused without --to as NOTHING_TO_ROLL_BACK, naming both ways out, and closed with it.
 */
export function trustRecord(
  deps: RollbackDeps,
  req: RollbackRequest,
  alias: AliasInfo,
  record: DeploymentRecord | undefined,
): DeploymentRecord | undefined {
  if (!record) return undefined;
  if (isMovedByHand(asClaimed(record), deps.clock.now(), alias)) {
    if (req.to === undefined) throw movedByHandRefusal(req, record, alias);
    // The person chose where traffic goes: the deployment is closed there (rollback.ts's fence).
    return record;
  }
  const problem = describeUntrustedRecord(record, deps.clock.now(), alias);
  if (problem === undefined) return record;
  const ctx = {
    functionName: req.functionName,
    alias: req.alias,
    now: deps.clock.now(),
    sandboxClock: deps.clock.followsSandbox === true,
    otherwise: describeRollbackWithoutRecord(req.functionName, req.alias, alias),
  };
  const error = untrustedRecordError(ctx, problem);
  if (req.to === undefined) throw error;
  if (isKilledRollbackTo(record, alias, req.to)) return record;
  logWarn(deps, `${error.message} Rolling back to --to ${req.to}; the record is left as it is.`, 'record');
  return undefined;
}

/**
 * A `failed` or `paused` record as `lshift rollback` reads it once it has claimed it
 * (rollback-claim.ts: `rolling-back`), so that a rollback that could not claim it — the claim's
 * read failed and the rollback's own read did not (a throttled tag read), a release's function
 * likewise (release-rollback.ts) — refuses an alias moved since onto versions the deployment never
 * wrote as the claimed one does. Unclaimed, a split of 3 (70%) + 1 (30%) over a failed 1 → 2 went
 * all onto 3, closed "rolled back to version 3" (found by h2 and h4, session 69). `lshift check`
 * reads it so too (check-rollback.ts): with an alarm in ALARM it put such a split all on the stable
 * version, over the move it leaves alone for a `shifting` deployment.
 */
export function asClaimed(record: DeploymentRecord): DeploymentRecord {
  return record.phase === 'failed' || record.phase === 'paused'
    ? { ...record, phase: 'rolling-back' }
    : record;
}

/**
 * A `lshift rollback --to N` killed between its alias write and its record's: the record says
 * `rolling-back` from its stable version, the alias is all on N — which does not add up, and
 * nothing cleared it (found by a hostile pass: `check` said "does not add up" at every run,
 * `rollback --to N` "nothing to roll back, the record is left as it is"). The same `--to N`
 * finishes it: the record is closed, rolled back to version N (rollback.ts, its fence write).
 */
export function isKilledRollbackTo(record: DeploymentRecord, alias: AliasInfo, to: string): boolean {
  return record.phase === 'rolling-back' && !isSplit(alias.additionalWeights) && alias.functionVersion === to;
}

/** Where to put all traffic, or `undone`: the deployment already undone (nothing to do). */
export type Destination = { version: string; undone?: RecordSummary; earlierStable?: string };

export async function chooseDestination(
  deps: RollbackDeps,
  req: RollbackRequest,
  alias: AliasInfo,
  record: DeploymentRecord | undefined,
): Promise<Destination> {
  const { functionName: fn, alias: name } = req;
  if (req.to !== undefined) return { version: await checkVersion(deps, fn, req.to) };
  const position = record ? locateAlias(alias, record).kind : 'elsewhere';
  if (record && !isFinished(record) && position !== 'elsewhere') return { version: record.stableVersion };
  if (isSplit(alias.additionalWeights)) {
    const version = splitRollbackVersion(alias, record);
    if (version === undefined && record) throw foreignSplitRefusal(req, alias, record);
    return { version: version ?? alias.functionVersion };
  }
  if (record && isFinished(record) && (position === 'stable' || isWhereRolledBackTo(record, alias))) {
    const undone: RecordSummary = {
      deploymentId: record.id,
      stableVersion: record.stableVersion,
      targetVersion: record.targetVersion,
      phase: record.phase,
      ...(record.endReason ? { endReason: record.endReason } : {}),
    };
    // All back on its stable version: the version stable before it, for the way further back (--to).
    // Not its own new version (6 → 5 after 5 → 6): `--to` that goes forward again, not back.
    const earlier = record.history.find((v) => v !== record.stableVersion && v !== record.targetVersion);
    return {
      version: alias.functionVersion,
      undone,
      ...(earlier === undefined ? {} : { earlierStable: earlier }),
    };
  }
  if (record?.phase === 'promoted' && position === 'target')
    return { version: await checkStableStillThere(deps, fn, record) };
  // Rolled back with `--to` its own new version: all traffic left there, as by a promotion.
  if (record && isRolledBackOntoTarget(record, alias))
    return { version: await checkStableStillThere(deps, fn, record) };
  // lshift had decided to roll it back, someone split it, then moved it whole onto the new
  // version (record-view.ts isDecidedSplitMovedWhole): the rollback status offers is its stable
  // version's, as after a promotion (it was refused: "will not guess", session 67).
  if (record && isDecidedSplitMovedWhole(record, alias))
    return { version: await checkStableStillThere(deps, fn, record) };
  const recorded = record
    ? ` The last deployment, ${record.id}, went from version ${record.stableVersion} to ${record.targetVersion} and is ${record.phase}${record.endReason ? ` (${record.endReason})` : ''}; ${describeOffRecord(position, record)}, so lshift will not guess a version.`
    : ' No deployment is recorded.';
  throw new PreflightError(
    'NOTHING_TO_ROLL_BACK',
    `Alias ${name} of function ${fn} routes all traffic to version ${alias.functionVersion}.${recorded}`,
    {
      hint: `Pass --to <version> to choose the version to put traffic on.`,
      context: { functionName: fn, alias: name },
    },
  );
}

/**
 * A finished deployment's alias split since over a version that is neither of its own
 * (record-view.ts splitRollbackVersion): lshift will not guess, as for an alias all on such a
 * version; both ways out are named (the split's primary, the deployment's stable version).
 */
function foreignSplitRefusal(
  req: RollbackRequest,
  alias: AliasInfo,
  record: DeploymentRecord,
): PreflightError {
  const { functionName: fn, alias: name } = req;
  const foreign = foreignSplitVersions(alias, record);
  const which = foreign.length === 1 ? `version ${foreign[0]} is` : `versions ${foreign.join(', ')} are`;
  const ended = `${record.phase}${record.endReason ? ` (${record.endReason})` : ''}`;
  const undo = `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` undoes deployment ${record.id} too (its stable version)`;
  // On its promoted version, `lshift alias` keeps the deployment promoted, so a later rollback
  // still undoes it once; `rollback --to` there would record it rolled back on its own target.
  const keepsPromoted = record.phase === 'promoted' && alias.functionVersion === record.targetVersion;
  const primary = keepsPromoted
    ? `\`lshift alias ${fn} ${name} ${alias.functionVersion}\` drops the split (all traffic on version ${alias.functionVersion}; deployment ${record.id} stays promoted, and a later \`lshift rollback\` undoes it); `
    : `\`lshift rollback ${fn} --alias ${name} --to ${alias.functionVersion}\` drops the split (all traffic on its primary version); `;
  return new PreflightError(
    'NOTHING_TO_ROLL_BACK',
    `Alias ${name} of function ${fn} routes ${describeAliasState(alias)}: ${which} neither of the last deployment ${record.id}'s versions (${record.stableVersion} → ${record.targetVersion}, ${ended}), so the split was made outside lshift after it ended, and lshift will not guess where traffic goes.`,
    { hint: `Choose where traffic goes: ${primary}${undo}.`, context: { functionName: fn, alias: name } },
  );
}

/**
 * A deployment rolled back with `--to` (or closed by hand on a version) whose alias is still all
 * there: already rolled back, as on its stable version — a CI recovery step that runs `lshift
 * rollback` again must not fail (exit 2) where the first run left things.
 */
function isWhereRolledBackTo(record: DeploymentRecord, alias: AliasInfo): boolean {
  return (
    record.phase === 'rolled-back' &&
    !isSplit(alias.additionalWeights) &&
    alias.functionVersion === versionLeftOn(record) &&
    !isRolledBackOntoTarget(record, alias)
  );
}

/**
 * A deployment `lshift rollback --to` put all traffic on its own new version (abandoned
 * mid-shift, or rolled back and then sent forward again), the alias still all there: undone by
 * nothing. Said "already rolled back" (exit 0, nothing moved) with all traffic on the new version,
 * a later plain rollback could not undo it (found by a hostile pass, session 69); it goes to the
 * stable version, once, as for a promoted deployment (a promoted one `--to` its new version stays
 * promoted: rollback-record.ts isPromotedTo).
 */
function isRolledBackOntoTarget(record: DeploymentRecord, alias: AliasInfo): boolean {
  return (
    record.phase === 'rolled-back' &&
    record.targetVersion !== record.stableVersion &&
    versionLeftOn(record) === record.targetVersion &&
    !isSplit(alias.additionalWeights) &&
    alias.functionVersion === record.targetVersion
  );
}

/**
 * Why the record does not say where to go. On its target although it did not promote it (rolled
 * back, then moved there by hand, `lshift alias`): someone chose that version after the deployment.
 */
function describeOffRecord(position: string, record: DeploymentRecord): string {
  return position === 'target'
    ? `the alias is on version ${record.targetVersion} although that deployment did not promote it (it was put there after the deployment ended)`
    : 'the alias is on neither';
}

/**
 * A promoted deployment's stable version carries no traffic, so it may have been deleted since
 * (versions pruned). Refused before anything is claimed or written, as `--to` a missing version
 * is (exit 2), with the way out: it was four alias writes that could never land, exit 1, and no
 * word of `--to` (found by a hostile pass).
 */
async function checkStableStillThere(
  deps: RollbackDeps,
  fn: string,
  record: DeploymentRecord,
): Promise<string> {
  const version = record.stableVersion;
  try {
    await deps.lambda.getFunction(fn, version);
  } catch (error) {
    if (!isLshiftError(error) || error.code !== 'VERSION_NOT_FOUND') throw error;
    const earlier = record.history.filter((v) => v !== version);
    throw new PreflightError(
      'VERSION_NOT_FOUND',
      `Version ${version} of function ${fn}, the stable version deployment ${record.id} (version ${version} → ${record.targetVersion}) went from, no longer exists: it was deleted since, so lshift cannot put traffic back on it.`,
      {
        hint:
          `Choose a version that exists with --to <version>${earlier.length > 0 ? ` (earlier stable versions: ${earlier.join(', ')})` : ''}; ` +
          `list them with \`aws lambda list-versions-by-function --function-name ${fn}\`.`,
        context: { functionName: fn, version },
        cause: error,
      },
    );
  }
  return version;
}

/** `--to`'s version: published and there (else exit 2), asked before anything is claimed too. */
export async function checkVersion(deps: RollbackDeps, fn: string, version: string): Promise<string> {
  const context = { functionName: fn, version };
  if (!/^[0-9]+$/.test(version)) {
    throw new PreflightError(
      'TARGET_NOT_PUBLISHED',
      `--to ${version} is not a published version of function ${fn}.`,
      {
        hint: 'Pass a version number; aliases cannot point weighted traffic at $LATEST.',
        context,
      },
    );
  }
  try {
    await deps.lambda.getFunction(fn, version);
  } catch (error) {
    if (isLshiftError(error) && error.code === 'VERSION_NOT_FOUND') {
      throw new PreflightError('VERSION_NOT_FOUND', `Version ${version} of function ${fn} does not exist.`, {
        hint: `List the published versions with \`aws lambda list-versions-by-function --function-name ${fn}\`.`,
        context,
        cause: error,
      });
    }
    throw error;
  }
  return version;
}
