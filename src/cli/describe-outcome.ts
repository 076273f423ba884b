/**
 * The words of a result: the engine returns `{status, step, cause, position, …}` as data and
 * this is the one place that turns it into the `reason` people read (the summary, `--json`,
 * NDJSON, the GitHub summary). Table-tested per cause code (test/cli/describe-outcome.test.ts).
 */

import {
  dateDeletion,
  describeDeletedSubject,
  describeDeletionFound,
  describeDeletionWhen,
  describeFunctionDeleted,
} from '../domain/deletion-words.js';
import type { DeployResult, StoppedFor } from '../domain/events.js';
import { describeAhead, judgeHeartbeatAge } from '../domain/heartbeat-age.js';
import { isDeletionMetForward, type OutcomeCause, type RecordSummary } from '../domain/outcome.js';
import { describeAliasState, describePosition, formatWeight } from '../engine/deploy-result.js';
import { inClockWords } from '../engine/record-trust.js';

/**
 * A result as the CLI prints it: the engine's data plus `reason`, and `interruptedAfterEnd` when a
 * stop signal came once it was promoted (late-interrupt.ts).
 */
export type ReasonedResult<R extends DeployResult = DeployResult> = R & {
  reason?: string;
  interruptedAfterEnd?: true;
};

/**
 * `rollbackCommand`: the command the advice after a refused rollback, or an unconfirmed
 * promotion, names instead of the result's own (a release member: `lshift rollback --release …`).
 */
export interface ReasonOptions {
  rollbackCommand?: string;
  /**
   * A function of a release: a deletion is said to be during the release, and one only the
   * restore found, gone when the release went to roll it back (deletion-words.ts).
   */
  inRelease?: boolean;
}

/**
 * The options a function's own `deploy.finished` event is worded with: a release adds its
 * `target` to every event of its functions (engine/release.ts), and their deletions are said of
 * the release, as their progress lines and the release's reason say them.
 */
export function eventReasonOptions(event: object): ReasonOptions {
  return 'target' in event && event.target !== undefined ? { inRelease: true } : {};
}

export function withReason<R extends DeployResult>(result: R, opts: ReasonOptions = {}): ReasonedResult<R> {
  const reason = describeReason(result, opts);
  return reason === undefined ? result : { ...result, reason };
}

/** The reason of a result, worded already (withReason) or now. */
export function reasonOf(result: ReasonedResult): string | undefined {
  return result.reason ?? describeReason(result);
}

/** Why a deploy or rollback ended as it did (undefined when promoted). */
export function describeReason(result: DeployResult, opts: ReasonOptions = {}): string | undefined {
  const base = describeCause(restateStoppedFor(result), opts);
  if (base === undefined || result.rollbackHooks === undefined) return base;
  const hooks = result.rollbackHooks;
  const note =
    hooks.kind === 'failed'
      ? `${hooks.detail} (the outcome is unchanged)`
      : `rollback hook ${hooks.hook} was interrupted`;
  return `${base}; ${note}`;
}

function describeCause(result: DeployResult, opts: ReasonOptions): string | undefined {
  const cause = result.cause;
  if (cause === undefined) return undefined;
  const { alias, functionName: fn } = result;
  const where = result.position ? describePosition(result.position) : 'while deploying';
  const state = result.aliasState ? describeAliasState(result.aliasState) : undefined;
  switch (cause.code) {
    case 'NOTHING_TO_DO':
      return describeNothingToDo(result, cause.data);
    case 'ROLLBACK_REQUESTED':
      return `${cause.data.why}: all traffic of alias ${alias} is on version ${result.toVersion}${wasState(result)}`;
    case 'ROLLED_BACK_BY_OTHER': {
      if (cause.data.successor)
        return describeReplaced(result, cause.data.successor, cause.data.owner, where);
      const by = `${cause.data.owner} ${where}, while this lshift still ran it (${describeFinishedAt(result)})`;
      return result.trafficMoved === false
        ? `stopped by the rollback of ${by}: all traffic is still on version ${result.fromVersion}`
        : `rolled back by ${by}: all traffic is on version ${result.fromVersion}`;
    }
    case 'ROLLBACK_CONFLICT':
      if (cause.data.after)
        return `rollback ${describeTrigger(cause.data.after, where)} stopped: ${cause.data.error}`;
      // Refused beside another CodeDeploy deployment: the alias did not change underneath.
      if (cause.data.error.startsWith('CODEDEPLOY_GROUP_BUSY: '))
        return cause.data.error.slice('CODEDEPLOY_GROUP_BUSY: '.length);
      return `alias ${alias} of function ${fn} changed since lshift read it; nothing was overwritten (${cause.data.error})`;
    case 'ROLLBACK_TARGET_DELETED': {
      const { what, after } = cause.data;
      const gone = describeDeletedSubject(what, fn, alias);
      const nothingLeft = 'there is no traffic left to move and nothing to roll back';
      // When, only as far as lshift knows (deletion-words.ts): the progress line says the same.
      const deleted = describeDeletionWhen(gone, dateDeletion(cause.data), opts.inRelease === true);
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
    case 'FUNCTION_DELETED': {
      // The deleted function itself, or one of its release stopped for it: the same words.
      const own = cause.data.functionName === fn;
      const detail = describeFunctionDeleted(cause.data, own);
      return describeRolledBack(result, { ...cause, detail }, where) + describeFinisher(result);
    }
    case 'ROLLBACK_FAILED': {
      const command =
        opts.rollbackCommand ?? result.rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`;
      const running = cause.data.codeDeployRunning;
      const failed = running
        ? describeUnstopped(running, cause.data, alias, state, command)
        : cause.data.errorCode === 'CODEDEPLOY_START_UNCONFIRMED'
          ? `${cause.data.error} (${describeUnconfirmedStart(alias, state)})`
          : `${describeFailedStep(cause.data.error)} ${cause.data.attempts} times (${cause.data.error}); ${describeLastSeen(alias, state, cause.data.lastWriteUnanswered, cause.data.aliasStateStale)}${describeRefusedRollback(cause.data.errorCode, command, cause.data.error)}`;
      return cause.data.after
        ? `could not roll back (${describeTrigger(cause.data.after, where)}): ${failed}`
        : failed;
    }
    case 'PROMOTE_UNCONFIRMED': {
      const { targetVersion: target, stableVersion: stable, error } = cause.data;
      // A release member is undone with the release's rollback (it closes the release's record).
      const undo = opts.rollbackCommand ?? `lshift rollback ${fn} --alias ${alias}`;
      const seen = error
        ? `lshift could not confirm where alias ${alias} is (${error})${state ? `; last seen ${state}` : ''}`
        : `alias ${alias} routes ${state ?? 'an unknown state'}`;
      return (
        `every step passed, but ${seen}, not all traffic to version ${target}: the deployment was not recorded promoted and nobody drives it now. ` +
        `Finish it: \`lshift alias ${fn} ${alias} ${target}\` (all traffic on version ${target}); ` +
        `or undo it: \`${undo}\` (all traffic on version ${stable})`
      );
    }
    case 'GROUP_BUSY': {
      const now = state ? `; alias ${alias} is now ${state}` : '';
      return `${cause.detail ?? 'another CodeDeploy deployment runs on the group'} (${where})${now}`;
    }
    case 'ROLLBACK_ABANDONED': {
      const left = state ? `alias ${alias} is left at ${state}` : `alias ${alias} could not be read`;
      if (cause.data.handedBack)
        return `the rollback by ${cause.data.owner} that claimed this deployment ${where} gave up without putting alias ${alias} back and handed the deployment record back to this lshift, which no longer drives it: ${left}, and nobody is rolling it back`;
      return `the rollback by ${cause.data.owner} that claimed this deployment ${where} stopped before it put alias ${alias} back (${describeClaimHeartbeat(cause.data, result.endedAt)}): ${left}`;
    }
    case 'TAKEN_OVER':
      // The record was lost to another lshift: settle.ts stops every such outcome this way.
      if (result.status === 'conflict') {
        // Read when this runner stopped (settle.ts, stopTakenOver): the new owner (a rollback, a
        // resume) may move the alias a moment later, so it is not said to be where the alias "is now".
        // Not "the new owner": after `lshift alias` (moved by hand) there is none.
        const now = state
          ? `; when it stopped, alias ${alias} was at ${state} (it may have been moved since)`
          : '';
        return `${cause.detail ?? 'the deployment was taken over'} (${where}); lshift wrote nothing more${now}`;
      }
      break;
    case 'DETACHED':
    case 'INTERRUPTED':
      if ((cause.code === 'DETACHED' || cause.data.left) && result.codeDeploy) {
        const id = result.codeDeploy.deploymentId;
        return `handed to AWS CodeDeploy as deployment ${id} ${where}; follow it with \`lshift wait ${id}\``;
      }
      if (cause.code === 'INTERRUPTED' && cause.data.left) {
        const inFlight = cause.data.writeInFlight;
        const mayLand =
          inFlight === undefined
            ? ''
            : ` A weight write to ${formatWeight(inFlight)} was in flight when interrupted and may still land (\`lshift status ${fn} --alias ${alias}\` reads where it is).`;
        return (
          `interrupted ${where}; weights left as they are (--on-interrupt leave): ${state ?? 'unknown'}.${mayLand} ` +
          `Run \`lshift rollback ${fn} --alias ${alias}\` to undo.`
        );
      }
      break;
  }
  if (result.status === 'conflict') {
    const now = state ? `; it is now ${state}` : '';
    // Seen by a read of the alias, not a 412: a hold's (engine/alias-step.ts describeAliasMovedSince)
    // or the promotion read-back's (engine/promotion-settle.ts), which said "RevisionId mismatch" too.
    const how = cause.detail?.startsWith('a read ') ? '' : ' (RevisionId mismatch)';
    // Found before its first weight landed (a `--stagger` function still waiting for its turn):
    // "no more" would say some of its traffic had moved.
    const stopped =
      result.trafficMoved === false
        ? 'lshift moved none of its traffic'
        : 'lshift stopped and moved no more traffic';
    return (
      `alias ${alias} of function ${fn} changed underneath ${where}: someone else moved it${how}; ` +
      `${stopped}${now}. (${cause.detail ?? cause.code})`
    );
  }
  return describeRolledBack(result, cause, where) + describeFinisher(result);
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
 * Someone else finished this runner's rollback while it retried (engine/rollback-finished-by.ts):
 * say who, as their record says, so the rollback is not taken for this runner's own.
 */
function describeFinisher(result: DeployResult): string {
  const by = result.finishedBy;
  if (!by || result.cause?.code === 'ROLLED_BACK_BY_OTHER') return '';
  return `; ${by.owner} finished the rollback while this lshift was still on it (${describeFinishedAt(result)}): all traffic is on version ${result.fromVersion}`;
}

/**
 * Rolled back and replaced before this runner looked (`deploy --supersede`): the record is the
 * later deployment's, so when the rollback happened is not known — only that it came first.
 */
function describeReplaced(result: DeployResult, successor: string, owner: string, where: string): string {
  const started = result.finishedBy ? ` (${successor} started at ${isoSeconds(result.finishedBy.at)})` : '';
  return `rolled back and replaced by deployment ${successor} of ${owner} ${where}, while this lshift still ran it${started}: version ${result.toVersion} carries no traffic; alias ${result.alias} is that deployment's now, from version ${result.fromVersion}`;
}

/** `recorded rolled back at …` or `rolling back since …`, as the finisher's record says. */
function describeFinishedAt(result: DeployResult): string {
  const by = result.finishedBy;
  if (!by) return 'as its record says';
  const at = isoSeconds(by.at);
  return by.phase === 'rolled-back' ? `recorded rolled back at ${at}` : `rolling back since ${at}`;
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
      `AWS CodeDeploy took lshift's stop of deployment ${id} (with auto-rollback), but lshift could not see it end (${data.attempts} attempts; ${data.error}). ` +
      `CodeDeploy should put alias ${alias} back on its own (last seen at ${state ?? 'an unknown state'}); to see it through and put the alias back if it has not, run ${rollback}`
    );
  }
  const how =
    data.errorCode === 'CREDENTIALS_INVALID' || data.errorCode === 'CREDENTIALS_MISSING'
      ? `with fresh credentials run ${rollback}`
      : data.errorCode === 'ACCESS_DENIED'
        ? `with credentials allowed codedeploy:StopDeployment run ${rollback}`
        : `run ${rollback}`;
  return (
    `lshift could not stop AWS CodeDeploy deployment ${id} (${data.attempts} attempts; ${data.error}). ` +
    `It may still be running: CodeDeploy keeps moving alias ${alias} on its own schedule ` +
    `(last seen at ${state ?? 'an unknown state'}) until it ends or is stopped; to stop it and put the alias back, ${how}`
  );
}

/** A deployment rolled itself back: after a failure, or after Ctrl-C. */
function describeRolledBack(result: DeployResult, cause: OutcomeCause, where: string): string {
  const moved = result.trafficMoved ?? true;
  if (cause.code === 'INTERRUPTED') {
    const before = result.position?.kind === 'before-traffic';
    // A CodeDeploy deployment that had shifted nothing yet: stopped, nothing came back.
    const id = result.codeDeploy?.deploymentId;
    const stopped = before && id ? `CodeDeploy deployment ${id} was stopped; ` : '';
    if (!moved) {
      return `interrupted ${before ? where : 'before any traffic moved'}; ${stopped}alias ${result.alias} unchanged`;
    }
    return `interrupted ${where}; ${stopped}all traffic is back on version ${result.fromVersion}`;
  }
  const detail = cause.detail ?? cause.code;
  if (moved) return `rolled back ${where}: ${detail}`;
  // `--resume` finished a rollback a killed run left: its own run moved no traffic forward, but
  // the rollback put aliases back (found by a hostile pass: "…left unfinished; no traffic was moved").
  if (cause.code === 'ROLLBACK_UNFINISHED')
    return `rolled back ${where}: ${detail}, and this run finished it: all traffic is on version ${result.fromVersion}`;
  // CodeDeploy ended (its BeforeAllowTraffic hook failed, someone stopped it) before it shifted any.
  const id = result.codeDeploy?.deploymentId;
  if (result.position?.kind === 'before-traffic' && result.position.during?.startsWith('codedeploy') && id) {
    return `CodeDeploy deployment ${id} ended ${where}: ${detail}; alias ${result.alias} unchanged`;
  }
  // Only a write AWS refused outright (credentials, permission) leaves no traffic moved.
  if (cause.code === 'WEIGHT_WRITE_FAILED') {
    return `not started: the first weight write (${formatWeight(cause.data.percent)}) was refused: ${detail}; no traffic was moved`;
  }
  return `${detail}; no traffic was moved`;
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

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a rollback was for: `at step 2 (20%): alarm x is ALARM`, `interrupted at step 2 (20%)`. */
function describeTrigger(after: OutcomeCause, where: string): string {
  return after.code === 'INTERRUPTED' ? `interrupted ${where}` : `${where}: ${after.detail ?? after.code}`;
}

function describeNothingToDo(
  result: DeployResult,
  data: { undone?: RecordSummary; closed?: RecordSummary; landed?: boolean },
): string {
  const { alias, functionName: fn, toVersion } = result;
  if (data.undone) {
    const r = data.undone;
    const how =
      r.phase === 'rolled-back'
        ? `was already rolled back${r.endReason ? ` (${r.endReason})` : ''}`
        : 'has already been undone';
    // Rolled back `--to` another version, and moved since (found by the docs audit: "rolled back to
    // version 3: … is on its stable version 1" read as a contradiction).
    const leftOn =
      /^(?:rolled back|moved by hand) to version (\S+)$/.exec(r.endReason ?? '')?.[1] ?? r.stableVersion;
    const on =
      toVersion === r.stableVersion
        ? `its stable version ${r.stableVersion}`
        : `version ${toVersion}, where it was rolled back to`;
    const since = r.phase === 'rolled-back' && toVersion !== leftOn ? ', where it was moved since' : '';
    return `deployment ${r.deploymentId} (version ${r.stableVersion} → ${r.targetVersion}) ${how}: all traffic of alias ${alias} is on ${on}${since}`;
  }
  if (!('previousState' in result)) {
    return `alias ${alias} of function ${fn} already points at version ${toVersion}: nothing to deploy`;
  }
  const routes = `alias ${alias} of function ${fn} already routes all traffic to version ${toVersion}`;
  const already = data.landed
    ? `${routes}: the rollback write was refused (412) because the alias had already been put there (an earlier write of this rollback, or another rollback); nothing was overwritten`
    : routes;
  return data.closed
    ? `${already}; deployment ${data.closed.deploymentId} (${describeClosed(data.closed)}) is now recorded as rolled back`
    : already;
}

/**
 * `rolling-back` is this rollback's own claim on the record (taken before it looked at the alias),
 * which says nothing about the deployment: its versions do. Another phase is the record as found.
 */
function describeClosed(closed: RecordSummary): string {
  return closed.phase === 'rolling-back'
    ? `version ${closed.stableVersion} → ${closed.targetVersion}`
    : closed.phase;
}

function wasState(result: DeployResult): string {
  const previous = (result as { previousState?: DeployResult['aliasState'] }).previousState;
  return previous ? ` (was ${describeAliasState(previous)})` : '';
}

/**
 * Where the alias is after a rollback write failed. The state was read before the last write:
 * when that write's answer never came (a timeout) or was AWS failing inside it (a 5xx), it may
 * have landed, so the state is only where the alias was last seen. "Whose answer never came" was
 * said of a 500 too (found by a hostile pass).
 */
/**
 * What failed: the alias write, or — when a CodeDeploy call failed before it (the look at the
 * group, the stop) — the rollback, which made no alias write (found by a hostile pass: "the alias
 * write failed 4 times (… codedeploy:ListDeployments …)").
 */
/**
 * What failed, by the AWS call its error names: a rollback also reads the alias (CodeDeploy's
 * rollback, a write's answer lost), and a stalled GetAlias was said to be "the alias write"
 * (found by a hostile pass).
 */
function describeFailedStep(error: string): string {
  if (/codedeploy:[A-Za-z]+/.test(error)) return 'the rollback failed';
  return /lambda:GetAlias\b/.test(error) ? 'reading the alias failed' : 'the alias write failed';
}

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

/**
 * A release's function rolled back for another one taken over before the verdict carries the
 * words known when the release stopped (`function fb stopped: deployment d-1 was taken over by …`).
 * Once that function settled (`stoppedFor`: engine/release-takers.ts) its reason says what became
 * of it — rolled back by whom, held by whom — not that it failed, nor only that it stopped.
 */
function restateStoppedFor(result: DeployResult): DeployResult {
  const cause = result.cause;
  if (!result.stoppedFor || !cause) return result;
  const fate = describeStoppedFor(result.stoppedFor);
  const after = 'after' in cause.data ? cause.data.after : undefined;
  if (!after) return { ...result, cause: { ...cause, detail: fate } };
  const data = { ...cause.data, after: { ...after, detail: fate } };
  return { ...result, cause: { ...cause, data } as typeof cause };
}

function describeStoppedFor(by: StoppedFor): string {
  const fn = `function ${by.functionName}`;
  const when = "before the release's verdict";
  if (by.rolledBackBy) return `${fn} was rolled back by ${by.rolledBackBy} ${when}`;
  const held = by.heldBy;
  if (held)
    return `${fn} was taken over by ${held.owner} (its record: deployment ${held.deploymentId}, ${held.phase}) ${when}`;
  // No record of another owner to name (unreadable, or the alias moved by hand).
  if (by.aliasChanged) return `the alias of ${fn} was moved by someone else ${when}`;
  return `${fn} was taken over ${when}`;
}

/** `2026-12-02T05:25:44Z`: an instant to the second, as the reasons give it. */
function isoSeconds(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
