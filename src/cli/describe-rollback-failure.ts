/**
 * The words of a rollback that could not finish: its alias write refused or unanswered (or
 * AWS CodeDeploy not stopped), its function or alias deleted, the alias changed since it read it,
 * or the rollback that claimed the deployment abandoned. Part of describe-outcome.ts, which picks
 * the words by cause code.
 */
import {
  dateDeletion,
  describeDeletedSubject,
  describeDeletionFound,
  describeDeletionWhen,
} from '../domain/deletion-words.js';
import type { DeployResult } from '../domain/events.js';
import { describeAhead, judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { isDeletionMetForward } from '../domain/outcome.js';
import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import { inClockWords } from '../engine/record-trust.js';
import { type CauseWith, capitalize, describeTrigger, isoSeconds, type ReasonPlace } from './reason-parts.js';
import { describeSplitLeftWayBack, isSplitLeft } from './split-left.js';

/** The rollback's write was refused (412): the alias changed since lshift read it. */
export function describeRollbackConflict(
  result: DeployResult,
  cause: CauseWith<'ROLLBACK_CONFLICT'>,
  where: string,
  rollbackCommand?: string,
): string {
  const { alias, functionName: fn } = result;
  // A split left: nobody drives it, and the way back is said (split-left.ts), in --json and NDJSON too.
  // (Not when its error names the rollback already: a move met after the rollback hooks.)
  const named = cause.data.error.includes('`lshift rollback ');
  const left = isSplitLeft(result) && !named ? describeSplitLeftWayBack(result, rollbackCommand) : '';
  // No rollback began: lshift had written none of its weights and found the alias moved.
  // "interrupted before …", not "stopped interrupted before …" (h3's pass, session 66, F8).
  if (cause.data.after && result.trafficMoved === false) {
    const trigger = describeTrigger(cause.data.after, where);
    const stopped = cause.data.after.code === 'INTERRUPTED' ? trigger : `stopped ${trigger}`;
    return `${stopped}; ${cause.data.error}${left}${describeRecordOpen(result, cause)}`;
  }
  if (cause.data.after)
    // "…(before moving to 30%) stopped: alias live was moved" read as one run-on clause (h2, session 66, F5).
    return `rollback ${describeTrigger(cause.data.after, where)}; it stopped: ${cause.data.error}${left}${describeRecordOpen(result, cause)}`;
  // Refused beside another CodeDeploy deployment: the alias did not change underneath.
  if (cause.data.error.startsWith('CODEDEPLOY_GROUP_BUSY: '))
    return cause.data.error.slice('CODEDEPLOY_GROUP_BUSY: '.length);
  return `alias ${alias} of function ${fn} changed since lshift read it; nothing was overwritten (${cause.data.error})`;
}

/**
 * The move by hand is left where it is, but the record could not be closed as moved by hand
 * (rollback-moved-close.ts): it says what lshift last wrote of it (`rolling-back`, or the step
 * before if that mark did not land either), and a check would finish it over the move. Ways out:
 * keep a move to one version (`lshift alias` closes a stale record as moved by hand), or roll
 * back. A split is not offered `lshift alias`, which clears the routing: it undid the person's
 * split it said it kept (found by a hostile pass, session 61); no command records a hand split.
 */
function describeRecordOpen(result: DeployResult, cause: CauseWith<'ROLLBACK_CONFLICT'>): string {
  if (!cause.data.recordOpen) return '';
  const { alias, functionName: fn } = result;
  const state = result.aliasState;
  const single = state && Object.keys(state.additionalWeights).length === 0;
  const stale = `${DEFAULT_STALE_AFTER_SECONDS / 60}m`;
  const keep = single
    ? `To keep the move, record it with \`lshift alias ${fn} ${alias} ${state.functionVersion}\` once its heartbeat is over ${stale} old`
    : 'To keep that split, no lshift command records it: stop the scheduled check for this alias meanwhile, or move the alias to one version and record that with `lshift alias`';
  return `. Its deployment record could not be closed as moved by hand and still says what lshift last wrote of it: once its heartbeat is over ${stale} old, a \`lshift check\` would take it for a deployment nobody drives and put version ${result.fromVersion ?? 'the stable version'} back over that move. ${keep}; to roll back instead, \`lshift rollback ${fn} --alias ${alias}\``;
}

/** The function (or alias) to roll back is gone: nothing left to move. */
export function describeTargetDeleted(
  result: DeployResult,
  cause: CauseWith<'ROLLBACK_TARGET_DELETED'>,
  where: string,
  inRelease: boolean,
): string {
  const { alias, functionName: fn } = result;
  const { what, after } = cause.data;
  const gone = describeDeletedSubject(what, fn, alias);
  const nothingLeft = 'there is no traffic left to move and nothing to roll back';
  // When, only as far as lshift knows (deletion-words.ts): the progress line says the same.
  const deleted = describeDeletionWhen(gone, dateDeletion(cause.data), inRelease);
  if (after && isDeletionMetForward(after, what)) {
    // The forward weight write (or, in a release, its record's read or heartbeat) met it
    // first, and the rollback only confirmed it (its raw FUNCTION_NOT_FOUND said no more
    // than that).
    const met =
      after.code === 'FUNCTION_DELETED'
        ? describeDeletionFound(after.data.foundBy)
        : `its weight write found no ${what}`;
    // Found gone before any of its traffic moved (a wait of a release): no rollback looked.
    if (result.trafficMoved === false) return `${deleted}: ${met} ${where}. ${capitalize(nothingLeft)}`;
    return `${deleted}: ${where} ${met}, and the rollback found it gone too. ${capitalize(nothingLeft)}`;
  }
  return after
    ? `could not roll back (${describeTrigger(after, where)}): ${deleted}: ${nothingLeft}`
    : `${deleted}: ${nothingLeft}`;
}

/**
 * The rollback's writes failed (or CodeDeploy could not be stopped): where the alias was last
 * seen, and the command that finishes it (`rollbackCommand`: a release member's is the release's).
 */
export function describeRollbackFailed(
  result: DeployResult,
  cause: CauseWith<'ROLLBACK_FAILED'>,
  { where, state }: ReasonPlace,
  rollbackCommand: string | undefined,
): string {
  const { alias, functionName: fn } = result;
  const command = rollbackCommand ?? result.rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`;
  const running = cause.data.codeDeployRunning;
  const failed = running
    ? describeUnstopped(running, cause.data, alias, state, command)
    : cause.data.errorCode === 'CODEDEPLOY_START_UNCONFIRMED'
      ? `${cause.data.error} (${describeUnconfirmedStart(alias, state)})`
      : cause.data.aliasUnread
        ? `${describeUnread(alias, state, cause.data.aliasUnread, cause.data.error)}${describeRefusedRollback(cause.data.errorCode, command, cause.data.error)}`
        : `${describeFailedStep(cause.data.error)} ${cause.data.attempts === 1 ? 'once' : `${cause.data.attempts} times`} (${cause.data.error}); ${describeLastSeen(alias, state, cause.data.lastWriteUnanswered, cause.data.aliasStateStale)}${describeRefusedRollback(cause.data.errorCode, command, cause.data.error)}`;
  if (cause.data.aliasUnread === 'after-hooks')
    return cause.data.after
      ? `rolled back (${describeTrigger(cause.data.after, where)}), but ${failed}`
      : `rolled back, but ${failed}`;
  if (cause.data.aliasUnread === 'before-write')
    return cause.data.after ? `stopped (${describeTrigger(cause.data.after, where)}): ${failed}` : failed;
  return cause.data.after
    ? `could not roll back (${describeTrigger(cause.data.after, where)}): ${failed}`
    : failed;
}

/** Another lshift's rollback claimed the deployment, then gave up (or stopped) before the alias was back. */
export function describeRollbackAbandoned(
  result: DeployResult,
  cause: CauseWith<'ROLLBACK_ABANDONED'>,
  { where, state }: ReasonPlace,
  rollbackCommand?: string,
): string {
  const { alias, functionName: fn } = result;
  const left = state ? `alias ${alias} is left at ${state}` : `alias ${alias} could not be read`;
  if (cause.data.handedBack)
    return `the rollback by ${cause.data.owner} that claimed this deployment ${where} gave up without putting alias ${alias} back and handed the deployment record back to this lshift, which no longer drives it: ${left}, and nobody is rolling it back`;
  const heartbeat = describeClaimHeartbeat(cause.data, result.endedAt);
  const to = cause.data.claimedTo;
  if (to === undefined)
    return `the rollback by ${cause.data.owner} that claimed this deployment ${where} stopped before it put alias ${alias} back (${heartbeat}): ${left}`;
  // `lshift rollback --to N` (engine/follow-claim-goal.ts): it was not putting the alias back, and
  // the fix below finishes it on the stable version, not on N; the same `--to N` again (it takes
  // the stale claim over) sends it where that person chose — not for a release's function, whose
  // way back is its release's rollback.
  const fix = rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`;
  const again =
    rollbackCommand === undefined
      ? ` (\`lshift rollback ${fn} --alias ${alias} --to ${to}\` again sends it there)`
      : '';
  return `the \`lshift rollback ${fn} --alias ${alias} --to ${to}\` of ${cause.data.owner} that claimed this deployment ${where} stopped before it put all traffic on version ${to} (${heartbeat}): ${left}; \`${fix}\` finishes it on the stable version ${result.fromVersion}, not on version ${to}${again}`;
}

/**
 * `no heartbeat since …`; a claim stamped beyond the skew limit ahead of when this runner stopped
 * is no sign of a live claimer (heartbeat-age.ts), and the runner said so rather than follow it —
 * ahead of the sandbox's clock when the runner followed one (it said "this machine's clock").
 */
function describeClaimHeartbeat(
  claim: { heartbeatAt: number; sandboxClock?: true },
  now: number | undefined,
): string {
  const at = isoSeconds(claim.heartbeatAt);
  if (now === undefined || judgeHeartbeatAge(claim.heartbeatAt, now, Number.POSITIVE_INFINITY) !== 'future')
    return `no heartbeat on its claim since ${at}`;
  const ahead = inClockWords(describeAhead(claim.heartbeatAt, now), claim.sandboxClock);
  return `its claim's heartbeat ${at} is ${ahead}, no sign of a live claimer, so this runner did not wait for it`;
}

/**
 * The rollback write was refused for the credentials themselves: an expired session (a CI
 * job's assumed role outlives its hour) or a revoked permission. Retrying with them is
 * pointless, so say what the user must do: new credentials, then the same rollback.
 */
function describeRefusedRollback(code: string | undefined, command: string, error = ''): string {
  const rollback = `\`${command}\``;
  // The refused action, as the error names it (codedeploy:ListDeployments before a CodeDeploy
  // alias write), else the alias write itself.
  const action = /may not perform ([a-z]+:[A-Za-z]+)/.exec(error)?.[1] ?? 'lambda:UpdateAlias';
  if (code === 'CREDENTIALS_INVALID' || code === 'CREDENTIALS_MISSING') {
    return `. AWS refused lshift's credentials (expired or revoked), so lshift could not restore the alias: with fresh credentials run ${rollback}`;
  }
  // Nothing was sent: the credentials never came (found by a pass: the exit-4 text had no fix).
  if (code === 'CREDENTIALS_TIMEOUT') {
    return `. lshift's AWS credentials did not come in time (what hung is named above: a credential_process, SSO, STS or the instance metadata endpoint), so lshift could not restore the alias: once \`aws sts get-caller-identity\` (with the same profile) answers quickly, run ${rollback}`;
  }
  if (code === 'CREDENTIAL_PROCESS_FAILED') {
    return `. The AWS profile's credential_process gave no credentials, so lshift could not restore the alias: run that command by hand until it exits 0 and prints its JSON credentials, then run ${rollback}`;
  }
  if (code === 'ACCESS_DENIED') {
    return `. lshift is no longer allowed to ${action === 'lambda:UpdateAlias' ? 'write the alias' : `call ${action}`}, so it could not restore it: with credentials allowed ${action} run ${rollback}`;
  }
  return '';
}

/**
 * CodeDeploy owns the alias until its deployment ends: lshift could not stop it (or see it
 * end), so it may keep shifting toward the new version. Say so, and how to stop it.
 */
function describeUnstopped(
  id: string,
  data: { attempts: number; error: string; errorCode?: string; codeDeployStopSent?: true },
  alias: string,
  state: string | undefined,
  command: string,
): string {
  const rollback = `\`${command}\``;
  if (data.codeDeployStopSent) {
    return (
      `AWS CodeDeploy took lshift's stop of deployment ${id} (with auto-rollback), but lshift could not see it end (${data.attempts === 1 ? '1 attempt' : `${data.attempts} attempts`}; ${data.error}). ` +
      `CodeDeploy should put alias ${alias} back on its own (last seen at ${state ?? 'an unknown state'}); to see it through and put the alias back if it has not, run ${rollback}`
    );
  }
  const how =
    data.errorCode === 'CREDENTIALS_INVALID' || data.errorCode === 'CREDENTIALS_MISSING'
      ? `with fresh credentials run ${rollback}`
      : data.errorCode === 'CREDENTIALS_TIMEOUT' || data.errorCode === 'CREDENTIAL_PROCESS_FAILED'
        ? `once \`aws sts get-caller-identity\` (with the same profile) answers, run ${rollback}`
        : data.errorCode === 'ACCESS_DENIED'
          ? `with credentials allowed codedeploy:StopDeployment run ${rollback}`
          : `run ${rollback}`;
  return (
    `lshift could not stop AWS CodeDeploy deployment ${id} (${data.attempts === 1 ? '1 attempt' : `${data.attempts} attempts`}; ${data.error}). ` +
    `It may still be running: CodeDeploy keeps moving alias ${alias} on its own schedule ` +
    `(last seen at ${state ?? 'an unknown state'}) until it ends or is stopped; to stop it and put the alias back, ${how}`
  );
}

/**
 * CreateDeployment's answer never came and the group could not be read: a deployment CodeDeploy
 * may have started moves the alias on its own, so the state seen before the call is only as last seen.
 */
function describeUnconfirmedStart(alias: string, state: string | undefined): string {
  return state
    ? `alias ${alias} was last seen at ${state}, before that call; CodeDeploy may have moved it since`
    : `where alias ${alias} is now is unknown: CodeDeploy may have moved it`;
}

/**
 * What failed: the alias write, or — when a CodeDeploy call failed before it (the look at the
 * group, the stop) — the rollback, which made no alias write (found by a hostile pass: "the alias
 * write failed 4 times (… codedeploy:ListDeployments …)"). And by the AWS call its error names:
 * a rollback also reads the alias (CodeDeploy's rollback, a write's answer lost), and a stalled
 * GetAlias was said to be "the alias write" (found by a hostile pass).
 */
function describeFailedStep(error: string): string {
  if (/codedeploy:[A-Za-z]+/.test(error)) return 'the rollback failed';
  return /lambda:GetAlias\b/.test(error) ? 'reading the alias failed' : 'the alias write failed';
}

/**
 * The read that was to confirm the alias on its stable version failed: lshift had written none of
 * its weights (a pre-traffic hook failed), or its rollback was done and the rollback hooks ran
 * since. A hook or a person may have moved it meanwhile, so where it is is unknown, never
 * "unchanged" (found by a hostile pass: a pre-traffic hook that moved the alias was said
 * "unchanged" without a read).
 */
function describeUnread(
  alias: string,
  state: string | undefined,
  when: 'before-write' | 'after-hooks',
  error: string,
): string {
  const seen = state ? ` (lshift last saw ${state})` : '';
  const since = when === 'after-hooks' ? 'the rollback hooks ran' : 'lshift had written none of its weights';
  return `${since} and reading the alias then failed (${error}): where alias ${alias} is now is unknown${seen}, as a hook or someone else may have moved it`;
}

/**
 * Where the alias is after a rollback write failed. The state was read before the last write:
 * when that write's answer never came (a timeout) or was AWS failing inside it (a 5xx), it may
 * have landed, so the state is only where the alias was last seen. "Whose answer never came" was
 * said of a 500 too (found by a hostile pass).
 */
function describeLastSeen(
  alias: string,
  state: string | undefined,
  unanswered: true | undefined,
  stale?: true,
): string {
  if (stale && !unanswered)
    return `alias ${alias} was last seen at ${state ?? 'an unknown state'}; it has changed since (its RevisionId moved) and could not be read again`;
  if (!unanswered) return `alias ${alias} is at ${state ?? 'an unknown state'}`;
  if (!state)
    return `where alias ${alias} is now is unknown (the last write may have landed: no answer came, or AWS failed inside it)`;
  return `alias ${alias} was last seen at ${state} before the last write, which may have landed (no answer came, or AWS failed inside it)`;
}
