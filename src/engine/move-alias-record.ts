/**
 * What moving an alias by hand (`lshift alias`) does to the deployment record on it: an unfinished
 * CodeDeploy deployment refuses the move unless CodeDeploy no longer knows it, and an unfinished
 * record is closed honestly afterwards (ended, `moved by hand`, history kept).
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort, DeploymentInfo } from '../ports/codedeploy.js';
import type { StateStore } from '../ports/state-store.js';
import { isForgottenByCodeDeploy, isTerminal } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { keepOverRollback } from './kept-over-rollback.js';
import {
  findRollbackOf,
  judgeEndedForMove,
  type OwnKeepStop,
  ROLLBACK_START_GRACE_MS,
} from './move-alias-codedeploy-ended.js';
import { writeRecordEnd } from './record-end-write.js';
import {
  aliasMovedSinceEnd,
  closedByHand,
  isFinished,
  isKeepMoveUnconfirmed,
  isSucceededBeforeKeepStop,
  KEEP_MOVE_STEP_OVER_REASON,
} from './record-view.js';

/** The alias being moved by hand and the version it goes to (move-alias.ts's MoveAliasRequest). */
export interface AliasMove {
  functionName: string;
  alias: string;
  version: string;
  /** Who moves it (`user@host:pid` or the CI job): named when it keeps a version (kept-over-rollback.ts). */
  by?: string;
}

/** What reading and closing the record takes (move-alias.ts's MoveAliasDeps says what each is for). */
export interface MoveRecordDeps {
  store?: StateStore;
  clock?: Clock;
  codedeploy?: CodeDeployPort;
}

/** What the move did to the deployment record on the alias (part of move-alias.ts's MoveAliasResult). */
export interface MoveRecordOutcome {
  /** The unfinished deployment this move ended, as now recorded. */
  endedDeployment?: DeploymentRecord;
  /** The CodeDeploy deployment of that record, which CodeDeploy no longer knows (the move went ahead). */
  forgottenCodeDeploy?: string;
  /**
   * The CodeDeploy deployment of that record, which CodeDeploy says has ended, no rollback of it
   * running (move-alias-codedeploy-ended.ts): the move went ahead.
   */
  endedCodeDeploy?: { id: string; status: string };
  /** The alias moved, but its deployment record could not be read or closed: why. */
  recordWarning?: string;
  /**
   * A finished deployment record the move left behind: it says the alias is on `leftOnVersion`,
   * and now it is not (`lshift status` shows it as MOVED SINCE). The record is kept as it was.
   */
  movedPastRecord?: { record: DeploymentRecord; leftOnVersion: string };
  /**
   * The finished record whose target lshift had decided to roll back and someone else put all
   * traffic on (MOVED OVER LSHIFT'S ROLLBACK): the move named that version, so it now says who kept it.
   */
  keptOverRollback?: DeploymentRecord;
}

/**
 * lshift never writes an alias AWS CodeDeploy may still move (docs/codedeploy.md): CodeDeploy
 * keeps its own schedule and would shift the alias again at its next step, leaving the record
 * "moved by hand" over an alias CodeDeploy promoted. An unfinished CodeDeploy record on the alias
 * (a `--detach`ed deployment, one whose follower died) refuses the move; `lshift rollback` stops
 * it with auto-rollback, `lshift wait` follows it to its end and closes the record. A record that
 * cannot be read is left to the move as before (endRecord warns about it).
 *
 * Except when CodeDeploy answers that it does not know the deployment (DeploymentDoesNotExistException:
 * its application or deployment group was deleted, which deletes its deployments' details —
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html): nothing
 * will move that alias again, and once it is on a third version nothing else can close the record
 * (`check` skips it), so the move goes ahead and closes it by hand, as a native record's (the
 * result names the deployment). And when CodeDeploy says it has ended (Succeeded, Failed, Stopped)
 * and no CodeDeploy rollback of it runs (move-alias-codedeploy-ended.ts): nothing else moves the
 * alias (until 5 December 2026 that was refused too, `lshift wait` and `lshift rollback` the only
 * ways out). Any other answer, or none (GetDeployment failing), still refuses.
 */
export async function refuseBesideCodeDeploy(
  deps: MoveRecordDeps,
  req: AliasMove,
): Promise<Pick<MoveRecordOutcome, 'forgottenCodeDeploy' | 'endedCodeDeploy'>> {
  const record = await deps.store?.read(req.functionName, req.alias).catch(() => undefined);
  if (record?.engine !== 'codedeploy') return {};
  if (isFinished(record)) {
    await refuseBesideRollbackOfClosed(deps, req, record);
    return {};
  }
  const id = record.codeDeployId;
  const asked = id && deps.codedeploy ? await askCodeDeploy(deps.codedeploy, id) : undefined;
  if (id && asked?.kind === 'forgotten') return { forgottenCodeDeploy: id };
  // Ended, and no rollback of it running: nothing of CodeDeploy's moves the alias any more.
  const ended =
    id && deps.codedeploy && asked?.kind === 'known' && isTerminal(asked.info.status)
      ? await judgeEndedForMove(deps.codedeploy, asked.info, deps.clock?.now(), ownKeepStop(record))
      : undefined;
  if (id && asked?.kind === 'known' && ended?.free)
    return { endedCodeDeploy: { id, status: asked.info.status } };
  const target = `${req.functionName} --alias ${req.alias}`;
  const named = id ?? 'its deployment id was never recorded';
  const where = `Deployment ${record.id} on alias ${req.alias} of function ${req.functionName}`;
  // Ended: it "runs on AWS CodeDeploy …, which goes on shifting" contradicted "it ended Stopped" (F2).
  if (ended && !ended.free && asked?.kind === 'known')
    throw new ConflictError(
      'CODEDEPLOY_DEPLOYMENT_RUNNING',
      `${where} ran on AWS CodeDeploy (${named}), which says it ended ${asked.info.status}, but ${ended.why}; nothing was written.`,
      {
        hint:
          ended.retryAt === undefined
            ? runningHint(target, id)
            : describeWindowHint(
                ended.retryAt,
                target,
                record.stableVersion,
                deps.clock?.followsSandbox === true,
              ),
        context: { functionName: req.functionName, alias: req.alias },
      },
    );
  const unread =
    asked?.kind === 'unreadable'
      ? ` Whether CodeDeploy still knows it could not be read: ${asked.reason}.`
      : '';
  throw new ConflictError(
    'CODEDEPLOY_DEPLOYMENT_RUNNING',
    `${where} runs on AWS CodeDeploy (${named}, ${describeCodeDeployPhase(record.phase)}): CodeDeploy moves the alias on its own schedule and would undo a move by hand; nothing was written.${unread}`,
    {
      hint: runningHint(target, id),
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/**
 * A closed CodeDeploy record whose deployment ended Stopped or Failed while CodeDeploy's rollback
 * of it runs: that rollback puts the alias back on its own and would undo the move. Closed records
 * were never asked: the move went ahead, said "moved" (exit 0), and was undone within the rollback's
 * run — the record closed "moved by hand" after a stop without rollback whose answer was lost, when
 * the Stopped was someone's stop with its rollback (h3, session 70). Only a rollback seen running
 * refuses: one CodeDeploy has not created yet, or that cannot be read, leaves the move to go ahead
 * as before (docs/codedeploy.md).
 */
async function refuseBesideRollbackOfClosed(
  deps: MoveRecordDeps,
  req: AliasMove,
  record: DeploymentRecord,
): Promise<void> {
  const id = record.codeDeployId;
  if (!id || !deps.codedeploy) return;
  const asked = await askCodeDeploy(deps.codedeploy, id);
  if (asked.kind !== 'known' || (asked.info.status !== 'Stopped' && asked.info.status !== 'Failed')) return;
  const found = await findRollbackOf(deps.codedeploy, asked.info);
  if (found.kind !== 'running') return;
  throw new ConflictError(
    'CODEDEPLOY_DEPLOYMENT_RUNNING',
    `Deployment ${record.id} on alias ${req.alias} of function ${req.functionName} ran on AWS CodeDeploy (${id}), which says it ended ${asked.info.status}, but ${found.why}; nothing was written.`,
    {
      hint: `Run this again once that rollback has ended (\`aws deploy get-deployment --deployment-id ${id}\` names it as rollbackInfo.rollbackDeploymentId): it puts the alias back where deployment ${id} started.`,
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/** The record's keep-move mark: lshift's own stop without rollback, seen to end (`r=@ko`) or not (`r=@km`). */
function ownKeepStop(record: DeploymentRecord): OwnKeepStop | undefined {
  if (!isKeepMoveUnconfirmed(record) || isSucceededBeforeKeepStop(record)) return undefined;
  return record.endReason === KEEP_MOVE_STEP_OVER_REASON ? 'seen-to-end' : 'unconfirmed';
}

/**
 * What to do about an ended deployment the move waits on: retry after the window, in the clock's
 * words (the sandbox's runs faster: its time read as this machine's, F3), or put all traffic back
 * now. It offered `lshift wait`, said to close the record, which over a split ends unsafe and
 * leaves it open (h4's pass, session 67, F2).
 */
function describeWindowHint(
  retryAt: number,
  target: string,
  stableVersion: string,
  sandboxClock: boolean,
): string {
  const now = `\`lshift rollback ${target}\` puts all traffic back on version ${stableVersion} now`;
  const clock = sandboxClock ? ", by the sandbox's clock" : '';
  return `Run this again after ${new Date(retryAt).toISOString()} (${ROLLBACK_START_GRACE_MS / 60_000} minutes after it ended, and a minute for clocks' skew${clock}): a rollback CodeDeploy has started by then is found, and this refuses while it runs. Or ${now} (a rollback CodeDeploy starts later puts it there too).`;
}

function runningHint(target: string, id: string | undefined): string {
  return `Stop it and put all traffic back with \`lshift rollback ${target}\`${id ? `, or follow it to its end with \`lshift wait ${id}\`` : ''}; then move the alias.`;
}

/**
 * A CodeDeploy record `paused` is one `deploy --detach` handed to CodeDeploy, which goes on
 * shifting: "paused" read as if nothing moved the alias (found by a hostile pass).
 */
function describeCodeDeployPhase(phase: DeploymentRecord['phase']): string {
  return phase === 'paused' ? 'left to CodeDeploy by --detach, which goes on shifting' : phase;
}

/**
 * The alias already where it is asked to be (moved there by other means: the console, the AWS
 * CLI) under an unfinished CodeDeploy record whose deployment CodeDeploy no longer knows: nothing
 * is written to the alias, but the record is closed by hand as a move would close it — else
 * nothing ever would (`check` skips an alias on a third version). A native record, or a CodeDeploy
 * one CodeDeploy still knows (or that could not be asked about), is left as it is.
 */
export async function closeForgottenInPlace(
  deps: MoveRecordDeps,
  req: AliasMove,
): Promise<Pick<MoveRecordOutcome, 'forgottenCodeDeploy' | 'endedDeployment' | 'recordWarning'>> {
  const record = await deps.store?.read(req.functionName, req.alias).catch(() => undefined);
  const id = record?.engine === 'codedeploy' && !isFinished(record) ? record.codeDeployId : undefined;
  if (!id || !deps.codedeploy) return {};
  if ((await askCodeDeploy(deps.codedeploy, id)).kind !== 'forgotten') return {};
  return { forgottenCodeDeploy: id, ...(await endRecord(deps, req)) };
}

/** What CodeDeploy says of deployment `id`: it knows it, it does not, or it could not be asked. */
async function askCodeDeploy(
  codedeploy: CodeDeployPort,
  id: string,
): Promise<
  { kind: 'known'; info: DeploymentInfo } | { kind: 'forgotten' } | { kind: 'unreadable'; reason: string }
> {
  try {
    return { kind: 'known', info: await codedeploy.getDeployment(id) };
  } catch (error) {
    if (isForgottenByCodeDeploy(error)) return { kind: 'forgotten' };
    return { kind: 'unreadable', reason: describeError(error) };
  }
}

/** Closes an unfinished deployment record after the move; failures are reported, not thrown. */
export async function endRecord(
  deps: MoveRecordDeps,
  req: AliasMove,
): Promise<
  Pick<MoveRecordOutcome, 'endedDeployment' | 'recordWarning' | 'movedPastRecord' | 'keptOverRollback'>
> {
  const { store, clock } = deps;
  if (!store || !clock) return {};
  const where = `the deployment record of ${req.functionName} alias ${req.alias}`;
  let record: DeploymentRecord | undefined;
  try {
    record = await store.read(req.functionName, req.alias);
  } catch (error) {
    return { recordWarning: `the alias moved, but ${where} could not be read: ${describeError(error)}` };
  }
  if (!record) return {};
  if (isFinished(record)) {
    const leftOnVersion = aliasMovedSinceEnd(record, { functionVersion: req.version, additionalWeights: {} });
    return leftOnVersion === undefined
      ? keepOverRollback(deps, req)
      : { movedPastRecord: { record, leftOnVersion } };
  }
  const now = clock.now();
  const ended: DeploymentRecord = {
    ...record,
    ...closedByHand(record, { functionVersion: req.version, additionalWeights: {} }),
    heartbeatAt: Math.max(now, record.startedAt),
    endedAt: Math.max(now, record.startedAt),
  };
  try {
    await writeRecordEnd(store, req.functionName, req.alias, ended);
  } catch (error) {
    return {
      recordWarning: `the alias moved, but ${where} could not be closed (it still says ${record.phase}): ${describeError(error)}`,
    };
  }
  return { endedDeployment: ended };
}
