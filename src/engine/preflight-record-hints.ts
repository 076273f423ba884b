/**
 * The ways out a deploy's preflight offers over a holder of the alias (preflight-record.ts
 * checkRecordState): how to stop a live one, and how to continue, close or undo a dead one — its
 * release's rollback, its own, and `--supersede` for a deploy of one function. Moved out of
 * preflight-record.ts (session 71) as it passed 350 lines.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatPercent } from '../domain/duration.js';
import type { AliasInfo } from '../ports/lambda.js';
import { buildResumeCommand } from './deploy-result.js';
import { describeKeptMoveWaysOut, type KeptMoveDeployment } from './kept-move-hint.js';
import { isMovedBack } from './moved-back.js';
import { isKeepMoveUnconfirmed } from './record-view.js';
import { describeRollbackOvertaken } from './rollback-overtaken.js';

export interface RecordCheckRequest {
  functionName: string;
  alias: string;
  staleAfterSeconds?: number;
  /** Who deploys (user@host…): whose machine a holder's dead pid is judged on. */
  owner?: string;
  /** The record this deployment will write: its `releaseId` says it is a release's function. */
  draftRecord?: Pick<DeploymentRecord, 'releaseId'>;
}

/**
 * How to stop a live holder. One of a release is stopped with its release (`abort --release`
 * ends every function; a rollback of one function alone would split the release's verdict).
 * The abort names this function alone: one record of the release reaches its runner, which rolls
 * every function back. It named `<its other functions>` under this function's --alias, which a
 * release on several aliases refuses (NOT_IN_RELEASE), as the resume's did (h2c F6, session 59).
 * `--supersede` is offered to a deploy of one function only: a release refuses it.
 */
export function stopLive(req: RecordCheckRequest, holder: DeploymentRecord): string {
  const { functionName: fn, alias } = req;
  if (holder.releaseId) {
    const abort = `lshift abort --release ${holder.releaseId} ${fn}${alias === 'live' ? '' : ` --alias ${alias}`}`;
    const rollback = `lshift rollback --release ${holder.releaseId}`;
    return `stop its release with \`${abort}\` (its runner rolls every function of the release back, whatever their aliases), or with \`${rollback}\`${FINDS_EACH}`;
  }
  const rollback = `stop it with \`lshift rollback ${fn} --alias ${alias}\``;
  return req.draftRecord?.releaseId ? rollback : `${rollback} (or \`--supersede\`)`;
}

/** How to undo a dead holder: its release's rollback, its own, and `--supersede` for one function. */
export function continueOrUndo(
  req: RecordCheckRequest,
  record: DeploymentRecord,
  alias: AliasInfo,
  kept?: KeptMoveDeployment,
): string {
  const { functionName: fn, alias: name } = req;
  // Its run stopped CodeDeploy without rollback to keep a move by hand: `lshift wait` ends UNSAFE
  // once CodeDeploy Succeeded over it, `--resume` is refused, `--supersede` undoes the move (h2's
  // pass, session 65: only DEPLOYMENT_IN_PROGRESS said what works).
  if (isKeepMoveUnconfirmed(record)) return describeKeptMoveWaysOut(fn, name, record, alias, kept);
  const rollingBack = record.phase === 'failed' || record.phase === 'rolling-back';
  // `lshift wait` follows CodeDeploy, which had not taken lshift's stop (or never got it) and
  // may still promote the version lshift was rolling back: it said "Continue it with `lshift
  // wait d-…` (which finishes its rollback)", and the wait reported the new version live, exit 0
  // (found by a hostile pass). The rollback that lshift decided on is `lshift rollback`.
  if (rollingBack && record.engine === 'codedeploy')
    return `lshift was rolling it back: finish that with \`lshift rollback ${fn} --alias ${name}\` (it stops its CodeDeploy deployment and puts all traffic back on version ${record.stableVersion})${record.codeDeployId ? `; \`lshift wait ${record.codeDeployId}\` only follows CodeDeploy, which may still take it to version ${record.targetVersion}` : ''}.`;
  // Its alias moved past its unfinished rollback since: the resume refuses (ALIAS_MISMATCH) and
  // `lshift check` leaves it, as `lshift status` says; it offered "Continue it with … --resume"
  // first all the same (session 68's LOW). The rollback alone puts it back.
  const overtaken = rollingBack ? describeRollbackOvertaken(record, alias) : undefined;
  if (overtaken)
    return `lshift was rolling it back, and ${overtaken}: neither \`deploy --resume\` nor \`lshift check\` writes over that move (as \`lshift status ${fn} --alias ${name}\` says). To put all traffic back on version ${record.stableVersion} anyway: ${undoOvertaken(req, record)}.`;
  // All back on its stable version, which its record does not say: the resume refuses to undo
  // that (ALIAS_MISMATCH), as `lshift status` says; it was offered first all the same (h1, s71).
  if (!rollingBack && record.engine !== 'codedeploy' && isMovedBack(record, alias))
    return closeMovedBack(req, record);
  return (
    `Continue it with ${buildResumeCommand(fn, name, record)}` +
    `${rollingBack ? ' (which finishes its rollback)' : ''}` +
    `${undoDead(req, record)}.`
  );
}

/** How to close a dead deployment whose alias someone put back on its stable version. */
function closeMovedBack(req: RecordCheckRequest, holder: DeploymentRecord): string {
  const { functionName: fn, alias } = req;
  const recorded =
    holder.percent > 0
      ? `though deployment ${holder.id} recorded ${formatPercent(holder.percent)} on version ${holder.targetVersion}`
      : `though the alias was written since deployment ${holder.id} started (version ${holder.targetVersion} may have had traffic)`;
  const close = holder.releaseId
    ? `its release's \`lshift rollback --release ${holder.releaseId}\`${FINDS_EACH.slice(0, -1)}; it moves nothing here)`
    : `\`lshift rollback ${fn} --alias ${alias}\` (it moves nothing)${req.draftRecord?.releaseId ? '' : ', or roll it back and deploy this version in one go with `--supersede`'}`;
  return `All traffic of alias ${alias} is back on its stable version ${holder.stableVersion}, ${recorded}: someone put it back (by hand, or a rollback that could not record it), and \`deploy --resume\` will not undo that. Close it with ${close}.`;
}

/** The rollback of an unfinished rollback someone moved past: its release's, or its own (and `--supersede`). */
function undoOvertaken(req: RecordCheckRequest, holder: DeploymentRecord): string {
  const { functionName: fn, alias } = req;
  if (holder.releaseId) return `its release's \`lshift rollback --release ${holder.releaseId}\`${FINDS_EACH}`;
  const rollback = `\`lshift rollback ${fn} --alias ${alias}\``;
  return req.draftRecord?.releaseId
    ? rollback
    : `${rollback}, or roll it back and deploy this version in one go with \`--supersede\``;
}

function undoDead(req: RecordCheckRequest, holder: DeploymentRecord): string {
  const { functionName: fn, alias } = req;
  const back = `put all traffic back on version ${holder.stableVersion}`;
  if (holder.releaseId)
    return `, or ${back} with its release's \`lshift rollback --release ${holder.releaseId}\`${FINDS_EACH}`;
  const rollback = `${back} with \`lshift rollback ${fn} --alias ${alias}\``;
  if (req.draftRecord?.releaseId) return `, or ${rollback}`;
  return `, ${rollback}, or roll it back and deploy this version in one go with \`--supersede\``;
}

/**
 * The release's other functions are unknown here (the record names its release, not them) and may
 * be on other aliases: its rollback names none and finds each at its own alias by its record. It
 * offered `… <fn> <its other functions>`, a placeholder that fails when copied (session 62).
 */
const FINDS_EACH =
  ' (naming no function, it finds each function of the release at its own alias by its record)';
