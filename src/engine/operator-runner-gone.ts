/**
 * What `lshift promote | pause | resume | abort` refuses when nobody would read the command
 * (operator-refusals.ts, operator-send.ts): a runner known gone from this machine, or the follower
 * of a CodeDeploy deployment known gone while CodeDeploy moves the alias on.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError } from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import { buildResumeCommand } from './deploy-result.js';
import {
  describeKeptMoveWaysOut,
  hasEnded,
  type KeptMoveDeployment,
  readKeptMoveDeployment,
} from './kept-move-hint.js';
import type { SendCommandDeps, SendCommandRequest } from './operator-send-types.js';
import { checkOwner, deadPidHere } from './owner-kinds.js';
import { isEnded, isKeepMoveUnconfirmed } from './record-view.js';
import { isRunnerKnownGone } from './status-stalled.js';

/**
 * A runner known gone — its pid no longer runs on this machine and its owner carries this
 * machine's token (status-stalled.ts isRunnerKnownGone) — reads no command: refused at once, as
 * `lshift status` says STALLED at once. Sent, it waited for an answer (up to --wait, 2 minutes by default) to be told
 * "did not answer", with the alias split meanwhile (found by a hostile pass). Not when this
 * sender saw the record change (a live runner of another container, whatever the pid says).
 */
export function refuseKnownGoneRunner(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  record: DeploymentRecord | undefined,
  seenAlive: boolean,
): Promise<never> | undefined {
  // `--release`: its own refusal names every function given (release-runner-gone.ts).
  if (!record || seenAlive || isEnded(record) || req.release) return undefined;
  const pid = deadPidHere(record.owner, checkOwner(req.by), deps.processes);
  // A promise only when refused after an alias read: no tick added to the sends that go ahead.
  if (record.engine === 'codedeploy') return refuseFollowerGone(deps, req, record, pid);
  if (!isRunnerKnownGone(record, pid)) return;
  const { functionName: fn, alias } = req;
  // A function of a release shares the release's one runner and is undone with it (found by a
  // hostile pass: `abort ra` was sent and ended COMMAND_NOT_ANSWERED, exit 1); its other
  // functions are not known here, so neither is its resume: status of it names both.
  const release = record.releaseId;
  const rollback = `\`lshift rollback ${release === undefined ? `${fn} --alias ${alias}` : `--release ${release}`}\``;
  const finish =
    release === undefined
      ? `Finish it with ${buildResumeCommand(fn, alias, record)}`
      : `\`lshift status ${fn} --alias ${alias}\` names the resume of release ${release}`;
  throw new ConflictError(
    'DEPLOYMENT_STALE',
    `Deployment ${record.id} on alias ${alias} of function ${fn} (${record.phase}${release === undefined ? '' : `, release ${release}`}) has no runner: its process ${pid} no longer runs on this machine, so nobody would read the command; nothing was sent.`,
    {
      hint:
        req.verb === 'abort'
          ? `Roll it back without its runner with ${rollback} (what the abort would have done).`
          : `${finish}, or undo it with ${rollback}.`,
      context: { functionName: fn, alias },
    },
  );
}

/**
 * A CodeDeploy deployment whose follower (the deploy that followed it) is known gone — its pid no
 * longer runs here, its owner carries this machine's token — reads no command, though CodeDeploy
 * moves its alias on. Pause and promote were refused offering `lshift abort`, which was then sent
 * and ended COMMAND_NOT_ANSWERED, exit 1 (found by a hostile pass). What works without a follower:
 * `lshift rollback` stops it (StopDeployment with auto-rollback) and `lshift wait` follows it again
 * (docs/codedeploy.md). A `--detach`ed one (`paused`) keeps its own refusal (refuseUnfollowedCodeDeploy).
 */
function refuseFollowerGone(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  record: DeploymentRecord,
  pid: number | undefined,
): Promise<never> | undefined {
  if (record.phase === 'paused' || !isRunnerKnownGone({ owner: record.owner, phase: record.phase }, pid))
    return undefined;
  // One read on this refusal only: a kept move's hint says whether a move is left to keep (it
  // offered a stop AWS refuses once CodeDeploy had Succeeded over the move, session 65's note).
  if (isKeepMoveUnconfirmed(record) && deps.aliases) {
    const aliases = deps.aliases;
    // And its deployment (session 66, F3): Stopped, it "goes on shifting" and its stop were false.
    return Promise.all([
      aliases.getAlias(req.functionName, req.alias).catch(() => undefined),
      readKeptMoveDeployment(deps.deployments, record),
    ]).then(([seen, info]) => throwFollowerGone(req, record, pid, seen, info));
  }
  return throwFollowerGone(req, record, pid, undefined);
}

function throwFollowerGone(
  req: SendCommandRequest,
  record: DeploymentRecord,
  pid: number | undefined,
  seen: AliasInfo | undefined,
  info?: KeptMoveDeployment,
): never {
  const { functionName: fn, alias } = req;
  const kept = isKeepMoveUnconfirmed(record);
  const id = record.codeDeployId ?? 'its id not recorded yet';
  const runs = hasEnded(info)
    ? `ran on AWS CodeDeploy (${id}), which has ended it (${info.status}) and moves the alias no more`
    : `runs on AWS CodeDeploy (${id}), which goes on shifting`;
  const rollback = `\`lshift rollback ${fn} --alias ${alias}\``;
  const wait = record.codeDeployId ? `; \`lshift wait ${record.codeDeployId}\` follows it again` : '';
  const undo = req.verb === 'abort' ? ' (what the abort would have done)' : '';
  throw new ConflictError(
    'DEPLOYMENT_STALE',
    `Deployment ${record.id} on alias ${alias} of function ${fn} (${record.phase}) ${runs}, but its follower's process ${pid} no longer runs on this machine, so nobody would read the command; nothing was sent.`,
    {
      hint: kept
        ? describeKeptMoveWaysOut(fn, alias, record, seen, info)
        : `${rollback} stops it now (StopDeployment with auto-rollback) and puts the alias back${undo}${wait}.`,
      context: { functionName: fn, alias },
    },
  );
}
