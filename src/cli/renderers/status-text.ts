/**
 * Human text of `lshift status`: one function's lines (renderStatus). What it says of a CodeDeploy
 * deployment is status-codedeploy-text.ts's (against lshift's own decision:
 * status-codedeploy-against-text.ts's), of an alias moved under a deployment status-moved-text.ts's,
 * of a runner gone status-stale-text.ts's, of a record behind or ahead of its alias
 * status-record-lag-text.ts's, of a split someone made that nothing drives
 * status-split-left-text.ts's; the release view above them is status-release-text.ts's.
 */
import { formatDuration } from '../../domain/duration.js';
import { describeGuards } from '../../domain/guard-fingerprint.js';
import { describeSender, describeVerb } from '../../domain/operator-command.js';
import { planShift } from '../../domain/plan.js';
import { joinPrintableLines } from '../../domain/printable.js';
import { parseStrategy } from '../../domain/strategy.js';
import { buildFixCommand, describeWaysOut } from '../../engine/deploy-result.js';
import { describePromoteUnconfirmed, promoteUnconfirmedFix } from '../../engine/promote-unconfirmed.js';
import { describePromotedButSplit, promotedButSplitFix } from '../../engine/promoted-split.js';
import { isClosedByHand, isHandSplitAfterRollbackDecision } from '../../engine/record-view.js';
import { sentByRollbackTo } from '../../engine/rollback-to-taker.js';
import { describeRecordEnd, isRolledBackAfterPromotion } from '../../engine/rolled-back-after-promotion.js';
import { isSplitLeftClosed } from '../../engine/split-left-closed.js';
import type { AliasStatus } from '../../engine/status.js';
import {
  describeAnalysisSaid,
  describeRecordCause,
  describeRecordCauseLine,
} from '../describe-record-cause.js';
import { EARLIER_STABLE_WORDS, earlierStableVersions } from '../history.js';
import { isFailedOnTarget, isMovedOverRollback } from '../status-needs-operator.js';
import { describeRolledBackByHand, isDecidedBeforeHandMove, isRolledBackByHand } from './by-hand-end.js';
import { isStoppedBeforeOwnTraffic, isStoppedBeforeTraffic } from './status-before-traffic.js';
import { describeAgainstKeptMove, describeAgainstRollback } from './status-codedeploy-against-text.js';
import {
  describeCodeDeployEngine,
  describeCodeDeployRunning,
  describeForgottenDeployment,
  describeLateStartLines,
  describeLeftSplit,
  describeSplitByOther,
} from './status-codedeploy-text.js';
import { describeMovedAway, describeMovedSince, type ReleaseSeen } from './status-moved-text.js';
import { describeRecordLag } from './status-record-lag-text.js';
import {
  describeFailedThenSplitElsewhere,
  describeRouting,
  describeSplitAfterRollbackDecision,
  describeSplitLeftClosed,
  isFailedThenSplitElsewhere,
} from './status-split-left-text.js';
import { describeReleaseMemberWaysOut, describeStale } from './status-stale-text.js';

export interface StatusTextOptions {
  /**
   * The release view's line for this function's release already says it is STALLED and how to
   * finish or undo it (renderReleaseStatus): its line points there.
   */
  waysOutAbove?: boolean;
  /** The release's functions as this status read them (renderReleaseStatus). */
  release?: ReleaseSeen;
}

export function renderStatus(status: AliasStatus, opts: StatusTextOptions = {}): string {
  const lines = [`${status.functionName}:${status.alias}`, `  routing: ${describeRouting(status)}`];
  if (status.alarms.length > 0) {
    lines.push('  alarms:');
    for (const alarm of status.alarms) {
      lines.push(
        `    ${alarm.state.padEnd(17)} ${alarm.name}${alarm.reason && alarm.state !== 'OK' ? ` — ${alarm.reason}` : ''}`,
      );
    }
  }
  const record = status.record;
  if (record) {
    lines.push(...describeRecord(status, record, opts));
  } else if (status.recordError) {
    const what = status.recordUnreadable ? 'could not be read' : 'not usable';
    lines.push(`  deployment record ${what}: ${status.recordError}`);
  } else {
    lines.push('  no lshift deployment recorded on this alias');
  }
  // Each line printable on its own: alarm names and reasons, owners, operator reasons and record
  // errors come from others, and a newline inside one cannot start a line of its own.
  return joinPrintableLines(lines);
}

/** The deployment's lines: where it is, who runs it, what stands in its way, its engine. */
function describeRecord(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  opts: StatusTextOptions,
): string[] {
  const release = record.releaseId ? ` of release ${record.releaseId}` : '';
  const where =
    describeCodeDeployRunning(status, record) ??
    `${describeEnd(status, record)}, version ${record.stableVersion} → ${record.targetVersion}${describeWhereStopped(status, record)} (${record.strategy})`;
  const lines = [
    `  deployment ${record.id}${release}: ${where}`,
    `    owner ${record.owner}, last heartbeat ${formatDuration(Math.max(0, Math.round(record.heartbeatAgeSeconds)))} ago${describeStale(status, record)}`,
  ];
  const lag = describeRecordLag(status, record);
  if (lag) lines.push(`    ${lag}`);
  const why = describeRecordCauseLine(record);
  if (why) lines.push(`    ${why}`);
  if (record.guards) {
    // A resume must pass the same guards (RESUME_GUARDS_DIFFER): show them before anyone needs to.
    // The canary analysis is named on or off (it was named only off), with what it last said when
    // the record keeps it.
    const tense = record.endedAt === undefined ? 'present' : 'past';
    const idle = analysisNeverJudges(record)
      ? ` (it never ${tense === 'past' ? 'judged' : 'judges'}: an all-at-once shift without a bake holds no weight below 100% and nothing after it)`
      : '';
    lines.push(
      `    guards: it ${describeGuards(record.guards, tense, true)}${describeAnalysisSaid(record)}${idle}`,
    );
  }
  const command = record.command;
  if (command) {
    const answer = { sent: 'not answered yet', done: 'obeyed', refused: 'refused' }[command.state];
    lines.push(
      `    last operator command: ${describeVerb(command.verb)} by ${describeSender(command.by)}${command.reason ? ` (${command.reason})` : ''}, ${answer}`,
    );
  }
  lines.push(...describeNextSteps(status, record, opts), ...describeCodeDeployEngine(status, record));
  // As `lshift history` says them: its own stable version is on the deployment line above.
  const earlier = earlierStableVersions(record);
  if (earlier.length > 0) lines.push(`    ${EARLIER_STABLE_WORDS}: ${earlier.join(', ')}`);
  return lines;
}

/** What nobody will do for the deployment, and how a human does it: the first case that applies. */
function describeNextSteps(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
  opts: StatusTextOptions,
): string[] {
  if (record.againstKeptMove) return describeAgainstKeptMove(status, record, record.againstKeptMove);
  if (record.againstRollback) return describeAgainstRollback(status, record, record.againstRollback);
  if (record.forgottenByCodeDeploy) return describeForgottenDeployment(status, record);
  if (record.leftSplitByCodeDeploy) return describeLeftSplit(status, record);
  if (record.lateCodeDeployStart) return describeLateStartLines(status, record, record.lateCodeDeployStart);
  if (record.alarmOverDrivenSplit) return [`    STALLED: ${record.alarmOverDrivenSplit}`];
  if (record.splitByOtherDeployment)
    return describeSplitByOther(status, record, record.splitByOtherDeployment);
  if (record.promotedButSplit)
    return [
      `    STALLED: ${describePromotedButSplit(status, record, status)}; a human must decide where traffic goes`,
      `    ${promotedButSplitFix(status, record, status)}`,
    ];
  if (record.promoteUnconfirmed)
    return [
      `    STALLED: ${describePromoteUnconfirmed(record)}; a human must decide where traffic goes`,
      `    ${promoteUnconfirmedFix(status, record)}`,
    ];
  if (isHandSplitAfterRollbackDecision(record) && status.split)
    return describeSplitAfterRollbackDecision(status, record);
  if (isSplitLeftClosed(status, record)) return describeSplitLeftClosed(status, record);
  if (isFailedThenSplitElsewhere(status, record)) return describeFailedThenSplitElsewhere(status, record);
  if (record.movedAway) return describeMovedAway(status, record, record.movedAway, opts.release);
  if (record.movedSince) return describeMovedSince(status, record, record.movedSince.leftOnVersion);
  if (record.phase === 'failed' && status.split && record.engine !== 'codedeploy') {
    // Its rollback failed and left the split: nothing will retry it (exit 4, commands/status.ts).
    return [
      `    ROLLBACK FAILED: the alias is still split and nothing will put it back; put all traffic on version ${record.stableVersion} with \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
      `    or by hand: \`${buildFixCommand(status.functionName, status.alias, record.stableVersion)}\``,
    ];
  }
  if (isMovedOverRollback(status))
    return [
      `    MOVED OVER LSHIFT'S ROLLBACK: all traffic is on version ${record.targetVersion}, which lshift had decided to roll back${record.cause ? ` (${describeRecordCause(record.cause)})` : ''}, put there by someone else (a hook, or a person); lshift left that move`,
      `    to put it back on version ${record.stableVersion}: \`lshift rollback ${status.functionName} --alias ${status.alias}\`; to keep version ${record.targetVersion}: \`lshift alias ${status.functionName} ${status.alias} ${record.targetVersion}\` (the record then says who kept it, and status no longer asks)`,
    ];
  if (isFailedOnTarget(status) && record.rollbackOvertaken)
    return [
      `    ROLLBACK FAILED, THEN MOVED BY SOMEONE ELSE: all traffic is on version ${record.targetVersion}, the version it was rolling back from — ${record.rollbackOvertaken}; lshift left that move. To put it back on version ${record.stableVersion}: \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
      `    or by hand: \`${buildFixCommand(status.functionName, status.alias, record.stableVersion)}\``,
    ];
  if (isFailedOnTarget(status))
    return [
      `    ROLLBACK FAILED: all traffic is on version ${record.targetVersion}, the version it was rolling back from; put it back on version ${record.stableVersion} with \`lshift rollback ${status.functionName} --alias ${status.alias}\``,
      `    or by hand: \`${buildFixCommand(status.functionName, status.alias, record.stableVersion)}\``,
    ];
  if ((record.stale || record.phase === 'paused') && record.releaseId)
    return [`    ${describeReleaseMemberWaysOut(status, record, opts.waysOutAbove === true)}`];
  if (
    (record.stale || record.phase === 'paused') &&
    record.engine !== 'codedeploy' &&
    // A dead runner's rollback: its STALE line says what finishes it (describeStale), not a
    // resume beside it (found by a hostile pass: both were said, as if they were two choices).
    record.phase !== 'rolling-back'
  )
    return [`    ${describeWaysOut(status.functionName, status.alias, record)}`];
  return [];
}

/**
 * Where the deployment is. A rolled-back record keeps the step it stopped at, with 0%: "step 5
 * at 0%" read as if step 5 were a 0% step; the routing line above says where the traffic is. A
 * rollback's record (`rolling-back`) keeps the percent of the last step recorded before it, not
 * where its rollback has the alias: "step 1 at 0%" was said under a 90/10 routing line, the first
 * weight having landed after its record (found by a hostile pass, session 61).
 */
function describeStep(record: NonNullable<AliasStatus['record']>): string {
  // Promoted first (`rollback --to` a third version): it was not stopped at a step. Promoted by a
  // move before its last step (`lshift alias`, `rollback --to` its own new version), "all its steps
  // run before it" said lshift had walked them all (h4's F5, session 69).
  if (isRolledBackAfterPromotion(record))
    return isLastStep(record)
      ? 'all its steps run before it'
      : `promoted at step ${record.stepIndex + 1} of ${planStepCount(record)} or before it, not by lshift's steps`;
  // Moved by hand once its last step (all traffic) was written: promoted, or baking. "stopped
  // at step 1" was said of a promoted all-at-once deployment a person moved back (h4, session 64).
  // A plan of one step (all-at-once) says neither: its record is at step 1 whether its traffic
  // moved or not ("after its last step" of one moved before any traffic did: h2's pass).
  if (isRolledBackByHand(record) && isLastStep(record)) return isOneStep(record) ? '' : 'after its last step';
  // Promoted by a move by hand before its last step (a failed pre-traffic hook that moved the
  // alias itself, before lshift wrote any weight; a person during a step): "step 1 at 100%" said
  // lshift's step 1 had put all traffic there (h4's docs pass, session 65). The record cannot tell
  // whether lshift's own weight of that step was written before the move: both are said.
  if (isPromotedByHandEarly(record))
    return `at step ${record.stepIndex + 1} of ${planStepCount(record)} or before it, not by lshift's steps`;
  const step = record.stepIndex + 1;
  const stopped = record.phase === 'rolled-back' || record.phase === 'rolling-back';
  return stopped ? `stopped at step ${step}` : `step ${step} at ${record.percent}%`;
}

function isLastStep(record: NonNullable<AliasStatus['record']>): boolean {
  const steps = planStepCount(record);
  return steps !== undefined && record.stepIndex + 1 >= steps;
}

function isPromotedByHandEarly(record: NonNullable<AliasStatus['record']>): boolean {
  const steps = planStepCount(record);
  return (
    record.phase === 'promoted' &&
    isClosedByHand(record) &&
    steps !== undefined &&
    record.stepIndex + 1 < steps
  );
}

function isOneStep(record: NonNullable<AliasStatus['record']>): boolean {
  return planStepCount(record) === 1;
}

/** Undefined for a strategy this lshift cannot read (a newer one's): the step is said as recorded. */
function planStepCount(record: NonNullable<AliasStatus['record']>): number | undefined {
  try {
    return planShift(parseStrategy(record.strategy)).steps.length;
  } catch {
    return undefined;
  }
}

/** Before any traffic moved, before lshift's own (its pre-traffic hook failed), or at its step. */
function describeWhereStopped(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (isStoppedBeforeTraffic(status, record)) return ', stopped before any traffic moved';
  if (isStoppedBeforeOwnTraffic(record))
    return ', stopped by its pre-traffic hook before lshift moved any traffic';
  return describeStepAfterComma(record);
}

/** `, stopped at step 2`, or nothing when there is nothing true to say of the step. */
function describeStepAfterComma(record: NonNullable<AliasStatus['record']>): string {
  const step = describeStep(record);
  return step === '' ? '' : `, ${step}`;
}

/**
 * `lshift pause` leaves the phase as it was (`shifting`) and answers in the record: the status
 * says paused, or an operator reading "shifting" would think the hold still counts down.
 */
function describePhase(record: NonNullable<AliasStatus['record']>): string {
  const command = record.command;
  const paused = record.endedAt === undefined && command?.verb === 'pause' && command.state === 'done';
  return paused
    ? `${record.phase}, paused by ${describeSender(command.by)} (its hold clock is stopped)`
    : record.phase;
}

/** The phase and why it ended; a move by hand said as one, not as lshift's rollback (by-hand-end.ts). */
function describeEnd(status: AliasStatus, record: NonNullable<AliasStatus['record']>): string {
  if (isRolledBackByHand(record))
    return describeRolledBackByHand(
      record.endReason,
      isDecidedBeforeHandMove(record),
      isSplitLeftClosed(status, record),
    );
  // `lshift rollback --to` its own new version: said as that rollback, not "promoted (moved by hand)".
  if (sentByRollbackTo(record)) return describeRecordEnd(record) ?? record.phase;
  return `${describePhase(record)}${record.endReason ? ` (${describeRecordEnd(record)})` : ''}`;
}

/**
 * The canary analysis on, named so (a resume must pass the same guards), of a deployment it could
 * never judge: all traffic at once and no bake left no moment with both versions to compare, and
 * "had the canary analysis on" alone read as if it had watched (h3's notes, session 62). As
 * deploy's own warning says before the shift (plan-check.ts checkAnalysisPlan).
 */
function analysisNeverJudges(record: NonNullable<AliasStatus['record']>): boolean {
  const guards = record.guards;
  if (!guards?.analysis || guards.bakeSeconds > 0) return false;
  try {
    return planShift(parseStrategy(record.strategy)).steps.every((step) => step.percent >= 100);
  } catch {
    // A strategy this lshift cannot read (a newer one's): nothing is claimed about it.
    return false;
  }
}
