/**
 * `deploy --supersede`: another deployment holds the alias — live, stale, paused, or a failed
 * rollback that still routes to its target — or the alias is split with no record at all. Roll
 * that back first, through the same rollback as `lshift rollback` (all traffic to its stable
 * version, its record closed as rolled-back), then the new deployment starts clean with a
 * normal preflight. A live runner of the old deployment finds out at its next alias write (412:
 * the rollback changed the RevisionId) or record write (the record is no longer its own) and
 * stops without writing anything more.
 *
 * Every check of the new deployment that does not need the rollback runs before it
 * (preflight-supersede.ts), so a mistyped version, alarm or hook does not cost the old deployment.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError, OperationError, UnsafeError } from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import { ownerOf } from './check-classify.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import { describeError, emitEvent, logInfo } from './emit.js';
import { pass } from './preflight-checks.js';
import { checkBeforeSupersede, type DraftRecord, type SupersedePlan } from './preflight-supersede.js';
import { writeRecordEnd } from './record-end-write.js';
import { describeUntrustedRecord, untrustedRecordError } from './record-trust.js';
import { isFinished, isSplit, locateAlias } from './record-view.js';
import { RIVAL_WAIT_MS, type RolledBackByOther } from './rival-wait.js';
import { describeRollbackDone, isMovedUnderRollback } from './rollback.js';
import { rollBackHolder } from './supersede-rollback.js';

/** What a supersede rolled back (or closed): said again if the deploy is interrupted after it. */
export interface Superseded {
  /** `deployment d-…`, or `the unrecorded split of alias live`. */
  what: string;
  /** The version all traffic is on now. */
  version: string;
  /** Only its record was closed: all traffic was already on that version, moved there outside it. */
  closedOnly?: true;
}

export async function supersedeDeployment(
  deps: DeployDeps,
  req: DeployRequest,
  draft?: DraftRecord,
): Promise<Superseded | undefined> {
  const plan = await readSupersede(deps, req);
  if (!plan) return undefined;
  await checkBeforeSupersede(deps, req, plan, draft);
  const { alias: name } = req;
  const { holder, stableVersion: to } = plan;
  const what = holder
    ? `deployment ${holder.id} by ${ownerOf(holder)} (${holder.phase}, version ${holder.stableVersion} → ${holder.targetVersion})`
    : `the unrecorded split of alias ${name}`;
  const reason = `superseded by deployment ${req.deploymentId} (${req.owner})`;
  let byOther: string | undefined;
  // Someone already moved all traffic to another version: nothing to roll back, only the record.
  if (holder && plan.recordOnly) await closeRecord(deps, req, holder);
  else byOther = await rollBack(deps, req, { what, to, reason, holder });
  const message =
    holder && plan.recordOnly
      ? describeClosedOnly(what, reason, holder, to)
      : byOther === undefined
        ? `${what} was rolled back (${reason}); all traffic is on version ${to}`
        : `${what} was rolled back by ${byOther} meanwhile; all traffic is on version ${to}`;
  const said = holder?.releaseId
    ? `${message}. ${describeReleaseLeft(holder.releaseId, holder.id)}`
    : message;
  pass(deps, 'supersede', said);
  logInfo(deps, said);
  return {
    what: holder ? `deployment ${holder.id}` : `the unrecorded split of alias ${name}`,
    version: to,
    ...(holder && plan.recordOnly ? { closedOnly: true as const } : {}),
  };
}

/**
 * All traffic was already on a version that is neither the holder's stable nor its target (moved
 * outside it, by hand or another tool): its record is closed, nothing rolled back. It said "was
 * rolled back …; all traffic is on version 15" of a person's rollback to 12 whose alias had been
 * moved to 15 by hand, as if 15 were where the rollback put it (found by a hostile pass).
 */
function describeClosedOnly(what: string, reason: string, holder: DeploymentRecord, to: string): string {
  return `${what} was closed (${reason}), nothing rolled back: all traffic was already on version ${to}, moved there outside it (not its stable version ${holder.stableVersion})`;
}

/**
 * The holder was one function of a release: this deploy rolled back only that function, and
 * said nothing of the others (found by a hostile pass, session 61: `deploy a4 --supersede` of a
 * running 8-function release; its runner then rolled the other 7 back, unannounced). A runner
 * still alive does that when it meets this rollback; a dead one leaves them split.
 */
function describeReleaseLeft(releaseId: string, id: string): string {
  return (
    `Deployment ${id} was one function of release ${releaseId}: its other functions were left as they are ` +
    `(a release runner still running rolls them back itself when it meets this rollback; otherwise ` +
    `\`lshift rollback --release ${releaseId}\` does, and \`lshift check\` finds them)`
  );
}

/** Rolls the holder back (under its claim) and confirms its record closed; who did, if another actor. */
async function rollBack(
  deps: DeployDeps,
  req: DeployRequest,
  { what, to, reason, holder }: { what: string; to: string; reason: string; holder?: DeploymentRecord },
): Promise<string | undefined> {
  const result = await rollBackHolder(deps, req, to, reason);
  // Another actor (a check, a person's rollback) held it and had not finished: nothing written here.
  if (result.byOther && !result.byOther.done) throw stillRolledBackByOther(req, what, result.byOther);
  if (result.status !== 'rolled_back' && result.status !== 'nothing_to_deploy') {
    // A split someone made under it is `unsafe` for `lshift rollback` (exit 4); here it stays the
    // deploy's conflict: someone else is moving the alias, nothing was overwritten or deployed.
    const status = isMovedUnderRollback(result) ? 'conflict' : result.status;
    throw supersedeFailed(req, what, status, describeRollbackDone(result), result.fixCommand);
  }
  if (holder) await checkClosed(deps, req, holder);
  return result.byOther?.owner;
}

async function readSupersede(deps: DeployDeps, req: DeployRequest): Promise<SupersedePlan | undefined> {
  const { functionName: fn, alias: name } = req;
  const alias = await deps.lambda.getAlias(fn, name);
  // Missing alias, unreadable record: preflight refuses next, with its usual message.
  if (!alias) return undefined;
  let record: DeploymentRecord | undefined;
  try {
    record = await deps.store?.read(fn, name);
  } catch {
    return undefined;
  }
  // A record that does not add up is not rolled back to wherever it says (RECORD_INVALID).
  const problem = record && describeUntrustedRecord(record, deps.clock.now());
  if (problem)
    throw untrustedRecordError(
      {
        functionName: fn,
        alias: name,
        now: deps.clock.now(),
        sandboxClock: deps.clock.followsSandbox === true,
      },
      problem,
    );
  return planSupersede(alias, record);
}

/** Pure: what superseding would do to this alias and record (they were read and trusted). */
export function planSupersede(
  alias: AliasInfo,
  record: DeploymentRecord | undefined,
): SupersedePlan | undefined {
  const holder = record && holdsAlias(record, alias) ? record : undefined;
  const split = isSplit(alias.additionalWeights);
  if (!holder && !split) return undefined;
  const elsewhere = !holder || locateAlias(alias, holder).kind === 'elsewhere';
  return {
    alias,
    ...(record ? { record } : {}),
    ...(holder ? { holder } : {}),
    stableVersion: holder && !elsewhere ? holder.stableVersion : alias.functionVersion,
    recordOnly: holder !== undefined && elsewhere && !split,
  };
}

/** What preflight would refuse a new deployment for (preflight-record.ts). */
function holdsAlias(record: DeploymentRecord, alias: AliasInfo): boolean {
  if (isFinished(record)) return false;
  if (record.phase !== 'failed') return true;
  const at = locateAlias(alias, record).kind;
  return at === 'split' || at === 'target';
}

async function closeRecord(deps: DeployDeps, req: DeployRequest, record: DeploymentRecord): Promise<void> {
  const now = deps.clock.now();
  try {
    if (deps.store)
      await writeRecordEnd(deps.store, req.functionName, req.alias, {
        ...record,
        phase: 'rolled-back',
        percent: 0,
        heartbeatAt: now,
        endedAt: now,
      });
    emitEvent(deps, { type: 'record.written', phase: 'rolled-back' });
  } catch (error) {
    throw unwritable(req, record, error);
  }
}

/** The rollback only warns when it cannot close the record; superseding needs it closed. */
async function checkClosed(deps: DeployDeps, req: DeployRequest, holder: DeploymentRecord): Promise<void> {
  let now: DeploymentRecord | undefined;
  try {
    now = await deps.store?.read(req.functionName, req.alias);
  } catch (error) {
    throw unwritable(req, holder, error);
  }
  if (now && now.id === holder.id && !isFinished(now))
    throw unwritable(req, holder, 'it still says ' + now.phase);
}

function unwritable(req: DeployRequest, record: DeploymentRecord, error: unknown): OperationError {
  return new OperationError(
    'STATE_UNWRITABLE',
    `Rolled deployment ${record.id} back, but could not record it on ${req.functionName} alias ${req.alias}: ${typeof error === 'string' ? error : describeError(error)}`,
    {
      hint: `lshift needs lambda:ListTags and lambda:TagResource on the function; then run \`lshift rollback ${req.functionName} --alias ${req.alias}\` and deploy again.`,
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/** Left to the actor rolling it back (its claim was fresh); the deploy can be run again once it is done. */
function stillRolledBackByOther(req: DeployRequest, what: string, other: RolledBackByOther): ConflictError {
  const where = other.phase ? ` (its record says ${other.phase})` : '';
  return new ConflictError(
    'SUPERSEDE_CONFLICT',
    `Could not roll back ${what} to supersede it: it is being rolled back by ${other.owner}, which had not finished after ${RIVAL_WAIT_MS / 1000} s${where}.`,
    {
      hint: `Nothing was written and nothing was deployed. See it with \`lshift status ${req.functionName} --alias ${req.alias}\`, and run this deploy again once it has finished.`,
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

function supersedeFailed(
  req: DeployRequest,
  what: string,
  status: string,
  reason: string,
  fixCommand: string | undefined,
): Error {
  const message = `Could not roll back ${what} to supersede it: ${reason}`;
  const context = { functionName: req.functionName, alias: req.alias };
  if (status === 'conflict') {
    return new ConflictError('SUPERSEDE_CONFLICT', message, {
      hint: `Someone else is moving alias ${req.alias}; see it with \`lshift status ${req.functionName} --alias ${req.alias}\`. Nothing was overwritten and nothing was deployed.`,
      context,
    });
  }
  const hint = fixCommand
    ? `A human must look: nothing was deployed. To put all traffic back by hand: \`${fixCommand}\`.`
    : 'Nothing was deployed; retry, or check lambda:UpdateAlias permissions.';
  return status === 'unsafe'
    ? new UnsafeError('SUPERSEDE_FAILED', message, { hint, context })
    : new OperationError('SUPERSEDE_FAILED', message, { hint, context });
}
