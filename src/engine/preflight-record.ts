/**
 * Preflight checks on the deployment record: can it be read, does another deployment hold the
 * alias (live, stale, paused, or a rollback that failed), and will this deployment's record fit
 * in a Lambda tag. runPreflight (preflight.ts) sequences them.
 */
import { assertCommandRoom, type DeploymentRecord, encodeRecord } from '../domain/deployment-record.js';
import { formatPercent } from '../domain/duration.js';
import {
  ConflictError,
  type ErrorCode,
  isLshiftError,
  type LshiftError,
  OperationError,
  UnsafeError,
} from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { StateStore } from '../ports/state-store.js';
import { describeAge, ownerOf } from './check-classify.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { describeError } from './emit.js';
import { describeKeptMoveWaysOut, type KeptMoveDeployment } from './kept-move-hint.js';
import { checkOwner, deadPidHere } from './owner-kinds.js';
import { type CheckDeps, codeOf, pass, refuse } from './preflight-checks.js';
import { continueOrUndo, type RecordCheckRequest, stopLive } from './preflight-record-hints.js';
import { describeUntrustedRecord, untrustedRecordError } from './record-trust.js';
import {
  describeDrift,
  isFinished,
  isKeepMoveUnconfirmed,
  isLiveRecord,
  locateAlias,
} from './record-view.js';
import { isFailedOnTarget, isSplitNobodyDrives, NOBODY_DRIVES } from './stale-over-split.js';
import { isRunnerKnownGone } from './status-stalled.js';

/** The largest record a deployment will write, less what preflight fills in (deploy.ts draftRecord). */
export type DraftRecord = Omit<DeploymentRecord, 'stableVersion' | 'history'>;

export async function readRecord(
  deps: CheckDeps & { store?: StateStore },
  req: RecordCheckRequest,
): Promise<DeploymentRecord | undefined> {
  const store = deps.store;
  if (!store) return undefined;
  const { functionName: fn, alias } = req;
  let record: DeploymentRecord | undefined;
  try {
    record = await store.read(fn, alias);
  } catch (error) {
    // A tag that is there but cannot be decoded says so itself, with how to clear it.
    if (codeOf(error) === 'RECORD_CORRUPT') refuse(deps, 'deployment-record', error as LshiftError);
    // An alias too long to name the record's tag is a usage error of its own (exit 2, how long an
    // alias may be), not "lshift needs lambda:ListTags" (found by a hostile pass).
    if (codeOf(error) === 'ALIAS_TOO_LONG') refuse(deps, 'deployment-record', error as LshiftError);
    refuse(
      deps,
      'deployment-record',
      new OperationError(
        'STATE_UNREADABLE',
        `Could not read the deployment record of ${fn} alias ${alias}: ${describeError(error)}`,
        {
          hint: 'lshift needs lambda:ListTags on the function to know whether another deployment holds the alias.',
          context: { functionName: fn, alias },
          cause: error,
        },
      ),
    );
  }
  const problem = record && describeUntrustedRecord(record, deps.clock.now());
  if (problem)
    refuse(
      deps,
      'deployment-record',
      untrustedRecordError(
        { functionName: fn, alias, now: deps.clock.now(), sandboxClock: deps.clock.followsSandbox === true },
        problem,
      ),
    );
  return record;
}

/**
 * Refuses when the alias belongs to another deployment: one driven by a live process
 * (DEPLOYMENT_IN_PROGRESS), one whose runner stopped sending heartbeats (DEPLOYMENT_STALE), a
 * paused one (DEPLOYMENT_PAUSED), or one whose rollback failed while the alias still routes to
 * its target (ROLLBACK_UNFINISHED). Starting anyway would take that deployment's target — maybe
 * the version being rolled back — for the stable version. Exit 5; exit 4 over a split nobody
 * drives (stale-over-split.ts isSplitNobodyDrives), as `lshift status` of it. A holder whose
 * runner is known gone from this machine (status-stalled.ts isRunnerKnownGone) is unfinished
 * whatever its heartbeat's age, as `lshift status` says STALLED at once: it said "Wait for it"
 * (exit 5) for up to 2 minutes after a kill -9 (found by h1's hostile pass, session 71).
 */
export function checkRecordState(
  deps: CheckDeps & { processes?: LocalProcesses },
  req: RecordCheckRequest,
  record: DeploymentRecord | undefined,
  alias: AliasInfo,
  /** A kept move's deployment as read (readKeptMoveDeployment), when it was. */
  kept?: KeptMoveDeployment,
): void {
  const { functionName: fn, alias: name } = req;
  const context = { functionName: fn, alias: name };
  if (!record) {
    pass(deps, 'deployment-record', 'no deployment record');
    return;
  }
  const now = deps.clock.now();
  const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
  const who = `Deployment ${record.id} by ${ownerOf(record)}`;
  const versions = `version ${record.stableVersion} → ${record.targetVersion}`;
  const gonePid = knownGonePid(deps, req, record);
  if (gonePid === undefined && isLiveRecord(record, now, staleMs)) {
    // As `status` and `check` say it: a writer's clock up to 5 minutes ahead reads `0s ago`,
    // not `-235s ago` (found by a hostile pass).
    const age = describeAge(now, record.heartbeatAt);
    refuse(
      deps,
      'deployment-record',
      new ConflictError(
        'DEPLOYMENT_IN_PROGRESS',
        `${who} holds ${fn} alias ${name} (${record.phase}, ${versions}, heartbeat ${age} ago).`,
        {
          // A kept move's run may be gone (its pid dead here) with a fresh heartbeat: not "wait for it".
          hint: isKeepMoveUnconfirmed(record)
            ? describeKeptMoveWaysOut(fn, name, record, alias, kept)
            : `Wait for it, see it with \`lshift status ${fn} --alias ${name}\`, or ${stopLive(req, record)}.`,
          context,
        },
      ),
    );
  }
  const unfinished = describeUnfinished(record, alias, now, gonePid);
  if (unfinished) {
    const [code, problem] = unfinished;
    const opts = { hint: continueOrUndo(req, record, alias, kept), context };
    // Over a split nobody drives: exit 4, as `lshift status` of it says STALLED (stale-over-split.ts).
    refuse(
      deps,
      'deployment-record',
      isSplitNobodyDrives(record, alias)
        ? new UnsafeError(code, `${who} of ${fn} alias ${name} ${problem} ${NOBODY_DRIVES}`, opts)
        : isFailedOnTarget(record, alias)
          ? new UnsafeError(code, `${who} of ${fn} alias ${name} ${problem} ${NOBODY_ROLLS_BACK}`, opts)
          : new ConflictError(code, `${who} of ${fn} alias ${name} ${problem}`, opts),
    );
  }
  pass(deps, 'deployment-record', `last deployment ${record.id} is ${record.phase}`);
}

const NOBODY_ROLLS_BACK = 'Nobody drives its rollback; it needs a human.';

/** The holder's pid when its runner is known gone from this machine (as `lshift status` judges it). */
function knownGonePid(
  deps: { processes?: LocalProcesses },
  req: RecordCheckRequest,
  record: DeploymentRecord,
): number | undefined {
  if (req.owner === undefined) return undefined;
  const pid = deadPidHere(record.owner, checkOwner(req.owner), deps.processes);
  return isRunnerKnownGone(record, pid) ? pid : undefined;
}

/** [code, what is wrong] when an ended-or-dead deployment still holds the alias. */
function describeUnfinished(
  record: DeploymentRecord,
  alias: AliasInfo,
  now: number,
  /** Its runner's pid, known gone from this machine. */
  gonePid?: number,
): [ErrorCode, string] | undefined {
  if (isFinished(record)) return undefined;
  const where = `${record.phase} at ${formatPercent(record.percent)}, version ${record.stableVersion} → ${record.targetVersion}${describeDrift(alias, record)}`;
  switch (record.phase) {
    case 'paused':
      // Handed to CodeDeploy (`--detach`): it keeps moving the weights (found by a hostile pass:
      // "left as they were" of a deployment CodeDeploy was shifting).
      return record.engine === 'codedeploy' && record.codeDeployId
        ? [
            'DEPLOYMENT_PAUSED',
            `was handed to AWS CodeDeploy (deployment ${record.codeDeployId}), which keeps shifting the weights on its own schedule (as last recorded: ${where}).`,
          ]
        : ['DEPLOYMENT_PAUSED', `was paused with the weights left as they were (${where}).`];
    case 'failed': {
      const at = locateAlias(alias, record).kind;
      if (at !== 'split' && at !== 'target') return undefined;
      return [
        'ROLLBACK_UNFINISHED',
        `could not roll back, and the alias still routes traffic to version ${record.targetVersion} (${where}).`,
      ];
    }
    default:
      if (gonePid !== undefined)
        return [
          'DEPLOYMENT_STALE',
          `was left unfinished: its process ${gonePid} no longer runs on this machine (${where}).`,
        ];
      return [
        'DEPLOYMENT_STALE',
        `was left unfinished: no heartbeat for ${describeAge(now, record.heartbeatAt)} (${where}); its runner probably died.`,
      ];
  }
}

/**
 * Encodes the largest record the deployment will write, so one that cannot fit in a Lambda tag
 * (RECORD_TOO_LARGE, exit 2) is refused here and not discovered mid-shift: with room for an
 * operator command's verb (`lshift abort`), which the optional fields and the owner give way to.
 */
export function checkRecordFits(
  deps: CheckDeps & { store?: StateStore },
  draft: DraftRecord | undefined,
  stableVersion: string,
  previous: DeploymentRecord | undefined,
): void {
  if (!deps.store || !draft) return;
  let size: number;
  try {
    const record = { ...draft, stableVersion, history: [stableVersion, ...(previous?.history ?? [])] };
    size = encodeRecord(record).length;
    // Room for an operator command's verb too: an abort refused for room mid-shift leaves a
    // person only the alias to fix by hand.
    assertCommandRoom(record);
  } catch (error) {
    if (isLshiftError(error)) refuse(deps, 'record-size', error);
    throw error;
  }
  pass(deps, 'record-size', `the deployment record fits in a Lambda tag (${size} characters)`);
}
