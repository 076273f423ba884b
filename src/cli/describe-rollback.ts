/**
 * What `lshift rollback` prints for each function: a rollback's own wording (its fromVersion/toVersion
 * read "from 4 to 2", unlike a deploy's), and a function another actor was rolling back, in its name.
 */

import { DEFAULT_STALE_AFTER_SECONDS } from '../domain/poll-interval.js';
import { joinPrintableLines, printable } from '../domain/printable.js';
import { describeAliasState } from '../engine/deploy-result.js';
import type { RolledBackByOther } from '../engine/rival-wait.js';
import type { RollbackResult } from '../engine/rollback.js';
import type { ClaimedRollbackResult } from '../engine/rollback-claim.js';
import type { ReasonedResult } from './describe-outcome.js';
import { describeFinishedHeadline } from './describe-rollback-finished.js';

/**
 * A function another actor held: its doing, in its name — and what this command did after it when that
 * was more than finding all traffic back (someone moved the alias since).
 */
export function describeClaimedRollback(result: ReasonedResult<ClaimedRollbackResult>): string {
  const { byOther } = result;
  if (!byOther)
    // Its lines, not describeRollback's joined text: printable() turns a line break into `�`, and
    // every line under the ✔ one ran into it (seen on the sandbox, session 70).
    return withReleaseNote(joinPrintableLines([...rollbackLines(result), ...furtherBack(result)]), result);
  if (!byOther.done || result.status === 'nothing_to_deploy') return describeByOther(byOther);
  return withReleaseNote(`${describeByOther(byOther)}\n${describeRollback(result)}`, result);
}

/**
 * One function of a release rolled back (or closed) alone: the release's others keep their
 * traffic, split with nobody driving them when its runner died. It said only "Rolled back fa",
 * exit 0 (found by a hostile pass: status's advice for a function moved by hand, followed). Not
 * "were not rolled back": a release still running rolls them back itself when it meets this
 * rollback (release-promotion-settle.ts, release-takers.ts), which this command cannot know.
 */
function withReleaseNote(text: string, result: RollbackResult): string {
  const id = result.releaseId;
  if (!id || (result.status !== 'rolled_back' && result.status !== 'nothing_to_deploy')) return text;
  const fn = printable(result.functionName);
  // Naming no function: it finds each of the release at its own alias by its record; it offered
  // `… ${fn} <its other functions>`, a placeholder that fails when copied (session 62).
  return `${text}\n  ${fn} is one function of release ${printable(id)}; this command left its other functions alone (a release still running rolls them back itself once it sees this rollback): \`lshift rollback --release ${printable(id)}\` (naming no function, it finds each function of the release at its own alias by its record) rolls the whole release back (\`lshift check\` without names finds any of them left split).`;
}

/**
 * Already rolled back, all traffic on its stable version: never further back without --to, which
 * it did not say — after a deploy that moved no traffic (a failed pre-traffic hook), an operator
 * who meant to undo the live version was told only "already rolled back" (h4's hostile pass,
 * session 69, F4). Names the version stable before it when the record keeps it.
 */
function furtherBack(result: RollbackResult): string[] {
  const cause = result.cause;
  if (result.status !== 'nothing_to_deploy' || cause?.code !== 'NOTHING_TO_DO' || result.releaseId) return [];
  const undone = cause.data.undone;
  if (!undone || result.toVersion !== undone.stableVersion) return [];
  const command = (to: string) =>
    `\`lshift rollback ${result.functionName} --alias ${result.alias} --to ${to}\``;
  const earlier = cause.data.earlierStable;
  // No version before it in the record (its first deployment by lshift, or history cut for room):
  // said so, not a `--to <version>` that read as if lshift knew one (h4, session 70).
  if (earlier === undefined)
    return [
      `  lshift never goes further back than once without being told, and the deployment record keeps no version that was stable before version ${undone.stableVersion}: to undo version ${undone.stableVersion} too, choose one of its published versions and run ${command('<version>')}.`,
    ];
  return [
    `  lshift never goes further back than once without being told: to undo version ${undone.stableVersion} too, ${command(earlier)}, the version stable before it.`,
  ];
}

/**
 * `--to` the unfinished deployment's own new version: it was promoted by this command, not rolled
 * back — said under the ✔ line, with what became of its runner and the way back (h4, session 70:
 * only "Rolled back … to version 2" was said, beside a live deploy that then stopped).
 */
function describeSentToNew(result: RollbackResult): string[] {
  const cause = result.cause;
  if (cause?.code !== 'ROLLBACK_REQUESTED' || cause.data.promoted === undefined) return [];
  const back = `\`lshift rollback ${result.functionName} --alias ${result.alias}\``;
  return [
    `  Version ${result.toVersion} is deployment ${cause.data.promoted}'s own new version: its record is closed promoted (moved by hand), not rolled back; its deploy, if still running, stopped and says so (exit 5), and \`lshift check\` watches it as a promotion. ${back} undoes it, back to its stable version.`,
  ];
}

/** A function another actor (a scheduled check, another person's rollback) was rolling back: how it ended, in its owner's name. */
export function describeByOther(o: RolledBackByOther): string {
  const target = `${o.functionName}:${o.alias}`;
  const who = printable(o.owner);
  if (o.done)
    return `✔ ${target} was rolled back by ${who} (it held the function's claim), not by this command.`;
  // Still holding its claim when the wait ended: it had not stopped (a second operator's rollback
  // beside a live one with its write held read as if it had given up: session 61's hostile pass).
  return `✖ ${target}: ${who} was rolling it back and did not finish while this command waited (its record says ${o.phase ?? 'nothing'}, its claim still held); this command wrote nothing. \`lshift status ${printable(o.functionName)} --alias ${printable(o.alias)}\` shows when it ends; if it stops, run this command again.`;
}

/**
 * A rollback's own wording: its fromVersion/toVersion read "from 4 to 2", unlike a deploy's.
 * Each line printable on its own: a reason quotes AWS messages and the operator's `--reason`.
 */
export function describeRollback(result: ReasonedResult<RollbackResult>): string {
  return joinPrintableLines(rollbackLines(result));
}

function rollbackLines(result: ReasonedResult<RollbackResult>): string[] {
  const target = `${result.functionName}:${result.alias}`;
  switch (result.status) {
    case 'rolled_back':
      return [
        `✔ Rolled back ${target} ${describeFromTo(result)}${askedBecause(result)}: all traffic is on version ${result.toVersion}.`,
        ...describeUndone(result),
        ...(result.promotedFirst ? [describePromotedFirst(result)] : []),
        ...describeSentToNew(result),
      ];
    case 'nothing_to_deploy':
      // The engine's reason ("deployment d-… was already rolled back: all traffic of alias prod
      // is …") names no function: under a release's header, lines of several read alike
      // (found by a hostile pass, session 60, F3).
      if (result.cause?.code === 'NOTHING_TO_DO' && result.cause.data.finishedBy)
        return [
          describeFinishedHeadline(target, result.toVersion, result.cause.data.finishedBy),
          `  ${result.reason ?? ''}.`,
        ];
      return [
        result.reason
          ? `✔ Nothing to roll back on ${target}: ${result.reason}.`
          : `✔ Nothing to roll back: all traffic of ${target} is on version ${result.toVersion}.`,
      ];
    case 'conflict':
      // AWS CodeDeploy runs another deployment on the function's group: the alias did not change,
      // lshift refused to write beside it (engine/codedeploy-beside.ts, codedeploy-stop.ts).
      if (isGroupBusy(result))
        return [
          `✖ Stopped: AWS CodeDeploy runs another deployment on ${target}'s deployment group; lshift wrote nothing.`,
          `  Reason: ${result.reason ?? 'unknown'}`,
        ];
      return [
        `✖ Stopped: ${target} changed underneath lshift; nothing was overwritten.`,
        `  Reason: ${result.reason ?? 'unknown'}`,
        ...describeMovedRecord(result),
      ];
    case 'failed':
      // A deleted function (or alias) has no alias left to be unchanged.
      return result.cause?.code === 'ROLLBACK_TARGET_DELETED'
        ? [`✖ Rollback failed: ${result.reason ?? 'unknown error'}`]
        : [`✖ Rollback failed, alias unchanged: ${result.reason ?? 'unknown error'}`];
    default:
      if (isRecordOpen(result)) return describeOpenAfterMove(result);
      if (result.cause?.code === 'ROLLBACK_CONFLICT') return describeSplitLeft(result);
      return [
        `✖ UNSAFE: ${target} ${describeUnknownAlias(result)} and needs a human.`,
        `  Reason: ${result.reason ?? 'unknown'}`,
        `  Alias as last seen: ${result.aliasState ? describeAliasState(result.aliasState) : 'unknown'}`,
        ...(result.fixCommand ? [`  Fix: ${result.fixCommand}`] : []),
      ];
  }
}

/**
 * Its runner's `promoted` went over this rollback's claim, which came back only after the
 * runner's read-back may have passed (check-claim.ts): both sides said, so neither reads alone.
 */
function describePromotedFirst(result: RollbackResult): string {
  const who = result.releaseId
    ? `Release ${result.releaseId}`
    : `Deployment ${result.deploymentId ?? 'of this alias'}`;
  return `  ${who} may have said promoted (exit 0) before this rollback: its runner's last record write went over this rollback's claim, which came back only after the 5 s the runner waits before reading back.`;
}

/**
 * The last write's answer never came and the alias was last seen unsplit: it is not split, it may
 * have moved (that write may have landed); otherwise it may still be split.
 */
function describeUnknownAlias(result: RollbackResult): string {
  const unanswered = result.cause?.code === 'ROLLBACK_FAILED' && result.cause.data.lastWriteUnanswered;
  const split = Object.keys(result.aliasState?.additionalWeights ?? {}).length > 0;
  return unanswered && !split
    ? 'may have moved (the last write may have landed: no answer came, or AWS failed inside it)'
    : 'may still be split';
}

/**
 * `from version 2 to 1`; from a split alias, what it routed: `from version 1 (50%) + version 2
 * (50%) to version 1` — "from version 2" read as if all traffic had been on version 2.
 */
function describeFromTo(result: RollbackResult): string {
  // Its deployment's step write landed between the read and the write: the routing it undid, not
  // the one it read (it said 20% for the 30% it undid; session 68; describeUndone says both).
  const before = result.undoneState ?? result.previousState;
  const split = Object.values(before?.additionalWeights ?? {}).some((w) => w > 0);
  if (!before || !split) return `from version ${result.fromVersion} to ${result.toVersion}`;
  return `from ${describeAliasState(before)} to version ${result.toVersion}`;
}

function describeUndone(result: RollbackResult): string[] {
  if (!result.undoneState) return [];
  return [
    `  It had read ${describeAliasState(result.previousState)}: its deployment's own step write, in flight as the rollback began, landed first, and the rollback undid that too.`,
  ];
}

/** The operator's `--reason`, unless it is the default. */
function askedBecause(result: ReasonedResult<RollbackResult>): string {
  const why = result.cause?.code === 'ROLLBACK_REQUESTED' ? result.cause.data.why : undefined;
  // The default, or the default a release rollback words for each function (`manual rollback (release r-…)`).
  return why && !why.startsWith('manual rollback') ? ` (${why})` : '';
}

/**
 * The alias moved by someone during the rollback, left there: where it routes now and what became
 * of its deployment's record (rollback-hand-close.ts). Closed as moved by hand, `status` and
 * `check` no longer take it for a deployment nobody drives (a STALLED line offering a `deploy
 * --resume` over the move, before 5 December 2026); the check still judges a hand promotion or
 * split by its alarms (docs/exit-codes.md).
 */
function describeMovedRecord(result: RollbackResult): string[] {
  const cause = result.cause;
  if (cause?.code !== 'ROLLBACK_CONFLICT') return [];
  const { recordClosed: closed, recordTakenBy: taker } = cause.data;
  if (!closed && !taker) return [];
  const now = result.aliasState ? [`  Alias now: ${describeAliasState(result.aliasState)}`] : [];
  if (taker)
    return [...now, `  Its deployment record was taken meanwhile by ${printable(taker)}: left to it.`];
  if (!closed) return now;
  const how = `${closed.phase}${closed.endReason ? ` (${closed.endReason})` : ''}`;
  const back = `one in ALARM then rolls it back to version ${closed.stableVersion}`;
  const split = closed.endReason === 'weights changed by hand';
  const check = split
    ? 'lshift never resumes it forward; `lshift status` and `lshift check` call the split STALLED (exit 4) and offer only the rollback'
    : closed.phase === 'rolled-back'
      ? '`lshift check` leaves it alone'
      : closed.phase === 'paused'
        ? `\`lshift check\` reports it as a split nobody drives (STALLED, exit 4: resume it from there or roll it back) and judges it by its alarms from the move on: ${back}`
        : `\`lshift check\` judges it by its alarms from the move on: ${back}`;
  return [...now, `  Deployment ${closed.deploymentId} is closed as ${how}; ${check}.`];
}

/**
 * Someone split the alias during the rollback and lshift left the split (rollback.ts): exit 4,
 * not the conflict it was until 5 December 2026 — the rollback asked for did not happen and
 * nobody drives the split. Its record closed `rolled-back (weights changed by hand)` is never
 * resumed forward; the rollback, run again, writes over the split.
 */
function describeSplitLeft(result: ReasonedResult<RollbackResult>): string[] {
  const { functionName: fn, alias } = result;
  const target = `${fn}:${alias}`;
  const rollback = `\`lshift rollback ${fn} --alias ${alias}\``;
  return [
    `✖ UNSAFE: ${target} was split by someone else during the rollback, and lshift left it split: it rolled nothing back over that split, and nobody drives it.`,
    `  Reason: ${result.reason ?? 'unknown'}`,
    ...describeMovedRecord(result),
    `  A person must decide: ${rollback} puts all traffic on version ${result.toVersion ?? 'the stable version'} over that split; \`lshift status ${fn} --alias ${alias}\` shows it.`,
  ];
}

function isRecordOpen(result: RollbackResult): boolean {
  return result.cause?.code === 'ROLLBACK_CONFLICT' && result.cause.data.recordOpen === true;
}

/**
 * Moved by hand, but the record could not be closed so: it still says what lshift last wrote, a
 * deployment nobody drives to `status` and `check`, which may put the stable version back over
 * the move. Both ways out, as a deploy's own rollback gives them (describe-rollback-failure.ts).
 */
function describeOpenAfterMove(result: ReasonedResult<RollbackResult>): string[] {
  const { functionName: fn, alias } = result;
  const state = result.aliasState;
  const single = state && Object.keys(state.additionalWeights).length === 0;
  const stale = `${DEFAULT_STALE_AFTER_SECONDS / 60}m`;
  const keep = single
    ? `To keep the move, record it with \`lshift alias ${fn} ${alias} ${state.functionVersion}\` once the record's heartbeat is over ${stale} old`
    : 'To keep that routing, no lshift command records a split: stop the scheduled check for this alias meanwhile, or move the alias to one version and record that with `lshift alias`';
  return [
    `✖ UNSAFE: ${fn}:${alias} was moved by someone else during the rollback and left there, but its deployment record could not be closed as moved by hand.`,
    `  Reason: ${result.reason ?? 'unknown'}`,
    `  Alias now: ${state ? describeAliasState(state) : 'unknown (it could not be read)'}`,
    `  The record still says what lshift last wrote of it: \`lshift status\` and \`lshift check\` take it for a deployment nobody drives, and a check may put version ${result.toVersion ?? 'the stable version'} back over that move. ${keep}; to roll back instead, \`lshift rollback ${fn} --alias ${alias}\`.`,
  ];
}

function isGroupBusy(result: RollbackResult): boolean {
  const cause = result.cause;
  return cause?.code === 'ROLLBACK_CONFLICT' && cause.data.error.includes('CODEDEPLOY_GROUP_BUSY');
}
