/**
 * What `lshift wait` says at the end of the CodeDeploy deployment it followed: its headline (the
 * deployment, how it ended, where the alias is), then why.
 */
import { joinPrintableLines } from '../domain/printable.js';
import { isTerminal } from '../engine/codedeploy-status.js';
import { describeAliasState } from '../engine/deploy-result.js';
import type { FollowResult } from '../engine/follow-codedeploy.js';
import type { DeploymentStatus } from '../ports/codedeploy.js';

/** Each line printable on its own: the reason is CodeDeploy's (a hook's diagnostics). */
export function describeFollow(r: FollowResult): string {
  return joinPrintableLines(followLines(r));
}

function followLines(r: FollowResult): string[] {
  const where = r.target ? `${r.target.functionName}:${r.target.alias}` : 'the alias';
  const state = r.aliasState ? describeAliasState(r.aliasState) : 'unknown';
  // Not read (a Ctrl-C ended the following before any alias read): said so, not "demo:live is
  // unknown" (found by a hand pass, session 62).
  const at = r.aliasState ? `${where} is ${state}` : `where ${where} is now was not read`;
  const why = r.detail ? [`  Reason: ${withoutHeadline(r.detail, r)}`] : [];
  if (r.heldBy) return [...heldByLater(r, where, state), ...why, ...lateInterrupt(r, false)];
  if (r.decidedRollback) return decidedRollback(r, r.decidedRollback, where, at);
  switch (r.outcome) {
    case 'succeeded':
      return [
        `✔ CodeDeploy deployment ${r.deploymentId} Succeeded: ${where} is on version ${r.target?.targetVersion ?? '?'}.`,
        ...settleUnjudged(r),
        ...liveFollower(r),
        ...lateInterrupt(r, true),
      ];
    case 'rolled_back':
      return [
        `✖ CodeDeploy deployment ${r.deploymentId} ${r.status}${r.stoppedByInterrupt ? ' (stopped by lshift)' : ''}: all traffic of ${where} is back on version ${r.target?.currentVersion ?? '?'}.`,
        ...why,
        ...liveFollower(r),
        ...lateInterrupt(r, false),
      ];
    case 'left':
      if (r.statusUnread) return leftUnread(r.deploymentId);
      return [`➜ Stopped following ${r.deploymentId}; CodeDeploy keeps running it (--on-interrupt leave).`];
    case 'moved_by_hand':
      return movedByHand(r, where, at);
    case 'unsafe':
      return [
        `✖ UNSAFE: CodeDeploy deployment ${r.deploymentId} ${describeUnsafeStatus(r.status)} and ${at}; a human must look.`,
        ...why,
        ...liveFollower(r),
        ...lateInterrupt(r, false),
        `  Fix: ${r.fixCommand ?? `lshift rollback ${r.target?.functionName ?? '<function>'} --alias ${r.target?.alias ?? '<alias>'}`}`,
      ];
  }
}

/**
 * lshift's record said it had decided to roll the deployment back: the wait finished that rollback
 * rather than follow CodeDeploy to a promotion (follow-decided-rollback.ts), or says it could not.
 */
function decidedRollback(
  r: FollowResult,
  end: NonNullable<FollowResult['decidedRollback']>,
  where: string,
  at: string,
): string[] {
  const decided = `lshift had decided to roll back deployment ${end.recordId} (CodeDeploy deployment ${r.deploymentId}, ${r.status ?? 'status unknown'})`;
  if (end.by !== undefined) return decidedByRun(r, end, decided, where, at);
  if (end.finished)
    return [
      `✖ ${decided}: the wait finished that rollback: all traffic of ${where} is back on version ${r.target?.currentVersion ?? '?'}.`,
      `  Rollback: ${end.said}`,
    ];
  return [
    `✖ UNSAFE: ${decided}, and the wait could not finish that rollback (${end.said}); ${at}; a human must look.`,
    `  Fix: lshift rollback ${r.target?.functionName ?? '<function>'} --alias ${r.target?.alias ?? '<alias>'}`,
  ];
}

/**
 * CodeDeploy had ended it (Succeeded, even) while the run that decided the rollback was still on
 * it: the wait followed that run's record (follow-deciding-run.ts) and says how the run closed it,
 * or that it was still on it — never `✔ Succeeded` over a rollback lshift decided.
 */
function decidedByRun(
  r: FollowResult,
  end: NonNullable<FollowResult['decidedRollback']>,
  decided: string,
  where: string,
  at: string,
): string[] {
  const { functionName = '<function>', alias = '<alias>' } = r.target ?? {};
  if (end.finished)
    return [
      `✖ ${decided}: its run finished that rollback: all traffic of ${where} is back on version ${r.target?.currentVersion ?? '?'}.`,
      `  Rollback: ${end.said}`,
    ];
  return [
    `✖ UNSAFE: ${decided}: ${end.said}; ${at}.`,
    `  To see it: \`lshift status ${functionName} --alias ${alias}\` (its run puts all traffic back on version ${r.target?.currentVersion ?? '?'}; if that run is gone, \`lshift rollback ${functionName} --alias ${alias}\`)`,
  ];
}

/** The run that follows it still lives (follow-live-owner.ts): its record is left to it. */
function liveFollower(r: FollowResult): string[] {
  if (r.liveFollower === undefined) return [];
  const { recordId, follower } = r.liveFollower;
  return [
    `  Record: lshift deployment ${recordId} is left open: the run following it counts as live (${follower}) and closes it itself.`,
  ];
}

/**
 * Its follower stopped before its settle wait's verdict (follow-codedeploy.ts): promoted by
 * CodeDeploy, the last step's late metrics judged by nobody — said, never a plain success.
 */
function settleUnjudged(r: FollowResult): string[] {
  if (r.settleUnjudged === undefined) return [];
  const { functionName = '<function>', alias = '<alias>' } = r.target ?? {};
  return [
    `  Not judged: lshift's settle verdict on the last step's late metrics was never made (the run following deployment ${r.settleUnjudged} stopped before it); \`lshift check ${functionName} --alias ${alias} --alarm <alarm>\` judges its alarms over the minutes since.`,
  ];
}

/**
 * It ended long before, and a later lshift deployment holds the alias now: where the alias is
 * says nothing of this deployment, and nothing is to be undone for it (follow-alias-holder.ts).
 */
function heldByLater(r: FollowResult, where: string, state: string): string[] {
  const mark = r.outcome === 'succeeded' ? '✔' : '✖';
  return [
    `${mark} CodeDeploy deployment ${r.deploymentId} ended ${r.status}; ${where} has been taken since by ${r.heldBy}, and routes ${state}: that deployment's traffic, not this one's. Nothing was changed.`,
  ];
}

/**
 * Left before any read of the deployment answered (a signal while the command started, or one
 * that abandoned the first read): lshift does not know whether CodeDeploy still runs it. It said
 * "CodeDeploy keeps running it", of a deployment that may have ended.
 */
function leftUnread(id: string): string[] {
  return [
    `➜ Stopped following ${id} before lshift had read it (--on-interrupt leave): whether AWS CodeDeploy still runs it or has ended it is not known.`,
    `  To see it: \`aws deploy get-deployment --deployment-id ${id} --query deploymentInfo.status\`, or follow it again with \`lshift wait ${id}\``,
  ];
}

/**
 * A Ctrl-C (or SIGTERM) that came after CodeDeploy had ended it: StopDeployment was refused and
 * nothing was stopped. Said, so that a user who asked for a rollback does not take a promotion for
 * one; after a success, with the command that undoes it.
 */
function lateInterrupt(r: FollowResult, undo: boolean): string[] {
  if (!r.interruptedAfterEnd) return [];
  const line = `  The interrupt came after CodeDeploy had ended the deployment: nothing was stopped.`;
  if (!undo || !r.target) return [line];
  const { functionName, alias, currentVersion } = r.target;
  return [
    `${line} To put all traffic back on version ${currentVersion}: \`lshift rollback ${functionName} --alias ${alias}\``,
  ];
}

/**
 * The reason without the `CodeDeploy deployment d-X Stopped: ` its headline already says
 * (describeCodeDeployEnd words the reason for a reader of the record or --json, who sees no
 * headline). A stop from outside keeps its own opening, the rest follows it.
 */
/**
 * Stopped without its rollback after a move by hand (FollowResult.movedByHand): nothing runs and
 * nothing is left to roll back; only a split alias gets the commands that put it on one version.
 */
function movedByHand(r: FollowResult, where: string, at: string): string[] {
  const hand = r.movedByHand ?? {};
  const record = hand.recordId
    ? ` (lshift deployment ${hand.recordId}: ${hand.endReason ?? 'moved by hand'})`
    : '';
  const split = isSplitByHandLeft(r);
  const lines = [
    `✖ ${split ? 'UNSAFE: ' : ''}CodeDeploy deployment ${r.deploymentId} was stopped without its rollback after someone moved ${where} by hand while it ran${record}; CodeDeploy moves it no more, and ${at}${split ? ': nobody drives that split; a human must look' : ''}.`,
    ...(r.detail ? [`  Reason: ${r.detail}`] : []),
  ];
  if (split && r.target) {
    const { functionName: fn, alias, currentVersion, targetVersion } = r.target;
    lines.push(
      `  To put all traffic on one version: \`lshift alias ${fn} ${alias} ${currentVersion}\` (the version before), or \`lshift alias ${fn} ${alias} ${targetVersion}\` (the new one)`,
    );
  }
  return [...lines, ...lateInterrupt(r, false)];
}

/**
 * Stopped without its rollback for a person's move, the alias left split: nobody drives that split
 * (CodeDeploy stopped, the record closed), so the wait exits 4 with the commands that end it, as a
 * deploy's run does over a split it leaves (DESIGN.md §6: no exit but 4 leaves an alias split). It
 * exited 5 until session 68. Moved whole onto one version: a conflict (exit 5), as before.
 */
export function isSplitByHandLeft(r: FollowResult): boolean {
  if (r.outcome !== 'moved_by_hand' || !r.aliasState) return false;
  return Object.values(r.aliasState.additionalWeights).some((w) => w > 0);
}

function withoutHeadline(detail: string, r: Pick<FollowResult, 'deploymentId' | 'status'>): string {
  return detail.replace(`CodeDeploy deployment ${r.deploymentId} ${r.status}: `, '');
}

/**
 * `ended Stopped`, or `is still InProgress (not seen to end)`: a wait whose stop for a move by hand
 * failed said "ended InProgress" of a deployment CodeDeploy still ran (session 67).
 */
function describeUnsafeStatus(status: string | undefined): string {
  if (status === undefined) return 'was not read (its status is not known)';
  return isTerminal(status as DeploymentStatus) ? `ended ${status}` : `is still ${status} (not seen to end)`;
}
