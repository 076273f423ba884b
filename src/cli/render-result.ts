/** The human summary printed at the end of a deploy or rollback. */

import { formatDuration } from '../domain/duration.js';
import type { DeployResult } from '../domain/events.js';
import { joinPrintableLines, printable } from '../domain/printable.js';
import { describeAliasState, describePosition } from '../engine/deploy-result.js';
import { describeAnalysisHint } from './analysis-hints.js';
import type { ReasonedResult } from './describe-outcome.js';
import { deployHookOutputs, describeHookOutputs } from './hook-output.js';
import { describeInterruptedAfterEnd } from './late-interrupt.js';
import { describeStoppedStep } from './renderers/step-result-words.js';
import { isSplitLeft, isSplitMidShift, splitLeftByTaker, splitLeftRollback } from './split-left.js';

/**
 * Lines, each made printable on its own: a reason quotes AWS messages and hook output, and a
 * newline inside one cannot start a line of its own.
 */
export function renderDeployResult(result: ReasonedResult): string {
  const image = describeImage(result);
  const stopped = describeStoppedStep(result.steps);
  const hint = result.status === 'rolled_back' ? describeAnalysisHint(result) : undefined;
  return joinPrintableLines([
    ...renderStatus(result),
    ...(hint ? [hint] : []),
    ...(stopped ? [`  ${stopped}`] : []),
    ...(image ? [image] : []),
  ]);
}

/** An Image function's digests: which image the alias ran, and which one it was offered. */
function describeImage(result: ReasonedResult): string | undefined {
  const image = result.image;
  if (!image?.resolvedImageUri) return undefined;
  const was = image.stableResolvedImageUri
    ? ` (version ${result.fromVersion}: ${image.stableResolvedImageUri})`
    : '';
  return `  Image of version ${result.toVersion}: ${image.resolvedImageUri}${was}`;
}

/**
 * Rolled back and replaced by a later deployment (`deploy --supersede`): the alias is that one's
 * now, not on this one's stable version (found by a hostile pass: the headline said "all traffic
 * is on version 1" beside an alias on version 3).
 */
function rolledBackHeadline(result: ReasonedResult, target: string): string {
  // A resume that finished a killed run's rollback moved aliases back, though not forward.
  if (result.trafficMoved === false && result.cause?.code !== 'ROLLBACK_UNFINISHED')
    return `✖ Not started: ${target} is unchanged, all traffic is still on version ${result.fromVersion}.`;
  const successor = result.cause?.code === 'ROLLED_BACK_BY_OTHER' ? result.cause.data.successor : undefined;
  if (successor)
    return `✖ Rolled back and replaced: ${target} is deployment ${successor}'s now; version ${result.toVersion} carries no traffic.`;
  return `✖ Rolled back ${target}: all traffic is on version ${result.fromVersion}.`;
}

/**
 * `3 steps`; none is a resume that found its run's last write landed ("0 steps in 17m 8s" read as
 * if nothing had happened in 17 minutes; found by a hostile pass).
 */
function describeStepsRun(count: number): string {
  if (count === 0) return 'no step left to run';
  return `${count} step${count === 1 ? '' : 's'}`;
}

function renderStatus(result: ReasonedResult): string[] {
  const target = `${result.functionName}:${result.alias}`;
  const took =
    result.startedAt !== undefined && result.endedAt !== undefined
      ? ` in ${formatDuration(Math.round((result.endedAt - result.startedAt) / 1000))}`
      : '';
  switch (result.status) {
    case 'promoted':
      return [
        `✔ Promoted ${target} to version ${result.toVersion} (from ${result.fromVersion}, ${describeStepsRun(result.steps.length)}${result.steps.length === 0 && took ? ',' : ''}${took}).`,
        ...describeInterruptedAfterEnd(
          result,
          `lshift rollback ${result.functionName} --alias ${result.alias}`,
        ),
        ...describeUnjudged(result),
        ...(result.warnings ?? []).map((w) => `  Warning: ${w}`),
      ];
    case 'nothing_to_deploy':
      return [`✔ Nothing to deploy: ${target} already points at version ${result.toVersion}.`];
    case 'rolled_back':
      // Nothing was rolled back when no traffic ever moved (a pre-traffic hook failed, the first
      // weight write was refused): say the alias never changed.
      return [
        rolledBackHeadline(result, target),
        `  Reason: ${result.reason ?? 'unknown'}`,
        ...describeHookOutputs(deployHookOutputs(result)),
      ];
    case 'conflict':
      return [conflictHeadline(result, target), `  Reason: ${result.reason ?? 'unknown'}`];
    case 'paused':
      if (result.codeDeploy) {
        const id = result.codeDeploy.deploymentId;
        // Exit 4 (--on-interrupt leave) leaves the alias to CodeDeploy: where it was, as the rule for
        // every exit 4 says (found by a hostile pass: no weights were named).
        const seen = result.aliasState
          ? [`  Alias as last seen: ${describeAliasState(result.aliasState)}`]
          : [];
        return [
          `➜ Handed ${target} to AWS CodeDeploy: deployment ${id}.`,
          ...seen,
          `  Follow it with \`lshift wait ${id}\`; \`lshift status ${result.functionName}\` shows it, \`lshift rollback ${result.functionName}\` stops it.`,
        ];
      }
      return [
        `‖ Paused ${target} with weights left as they are.`,
        // The resume needs this run's guards again (its record keeps only their fingerprint).
        `  Resume with \`lshift deploy ${result.functionName} --alias ${result.alias} --resume\` and this run's --alarm, hook, --bake and analysis flags, or abort with \`lshift rollback ${result.functionName} --alias ${result.alias}\`.`,
      ];
    case 'failed':
      return [`✖ Failed: ${result.reason ?? 'unknown error'}`];
    case 'unsafe': {
      const state = result.aliasState ? describeAliasState(result.aliasState) : 'unknown';
      return [
        unsafeHeadline(result, target),
        `  Reason: ${result.reason ?? 'unknown'}`,
        ...describeHookOutputs(deployHookOutputs(result)),
        `  Alias as last seen: ${state}`,
        ...describeFix(result),
      ];
    }
  }
}

/**
 * A rollback that met its alias moved by hand and could not close its record (recordOpen) read
 * where the person put it: that read is said, not "may still be split" of an alias read all on
 * one version (found by a hostile pass, session 61).
 */
function unsafeHeadline(result: DeployResult, target: string): string {
  const running = result.cause?.code === 'ALIAS_CHANGED' ? result.cause.data.codeDeployRunning : undefined;
  // A move by hand under CodeDeploy that lshift could not stop: the person's move may not last.
  if (running)
    return `✖ UNSAFE: ${target} was moved by hand while AWS CodeDeploy deployment ${running} ran, and lshift could not stop it: CodeDeploy may move it again; it needs a human.`;
  // CodeDeploy's last step had moved it over the person's move (settle-succeeded-over-move.ts).
  const over = result.cause?.code === 'ALIAS_CHANGED' ? result.cause.data.codeDeploySucceededOver : undefined;
  if (over !== undefined)
    return `✖ UNSAFE: ${target} was moved by hand while AWS CodeDeploy deployment ${over} ran, but CodeDeploy ended it Succeeded before lshift's stop reached it, moving the alias over that move: all traffic is on version ${result.toVersion}, not where the person put it; its deployment record stays open and it needs a human.`;
  const open = result.cause?.code === 'ROLLBACK_CONFLICT' && result.cause.data.recordOpen;
  const when = describeWhenMoved(result);
  if (isSplitLeft(result)) {
    // Taken over by another lshift's rollback, which met the split (engine/taken-split-left.ts).
    const taker = splitLeftByTaker(result);
    if (taker)
      return `✖ UNSAFE: ${target} was taken over by the rollback of ${taker}, which found it split by someone else and left it split: nobody drives that split; it needs a human.`;
    return `✖ UNSAFE: ${target} was split by someone else ${when}, and lshift left it split: nobody drives that split; it needs a human.`;
  }
  if (!open || !result.aliasState) return `✖ UNSAFE: ${target} may still be split and needs a human.`;
  const read = describeAliasState(result.aliasState);
  return `✖ UNSAFE: ${target} was moved by someone else ${when} (lshift read it at ${read} and left it there); its deployment record is still open and needs a human.`;
}

/**
 * When the person's move came, as far as lshift can tell: before any weight (a pre-traffic hook
 * that split it, then failed: no rollback ran), mid-shift, or found by the refusal of the
 * rollback's first write — before that write, after lshift's own last write or read, said with
 * where lshift was (a hold, a hook, a stopped runner; it read "during the rollback": h3's F2) —
 * else during the rollback.
 */
function describeWhenMoved(result: DeployResult): string {
  if (result.trafficMoved === false) return 'before lshift moved any traffic';
  if (isSplitMidShift(result)) return 'while lshift shifted its traffic';
  const cause = result.cause;
  if (cause?.code === 'ROLLBACK_CONFLICT' && cause.data.beforeRollbackWrite) {
    const where = result.position ? ` (lshift was ${describePosition(result.position)})` : '';
    return `before lshift's rollback wrote anything${where}`;
  }
  return 'during the rollback';
}

/**
 * The lshift command first (it also closes the deployment record), the raw AWS CLI line for
 * when lshift itself is not at hand.
 */
function describeFix(result: DeployResult): string[] {
  if (isSplitLeft(result)) {
    const to = result.fromVersion ?? 'the stable version';
    const without = result.fixCommand ? [`  Without lshift: ${result.fixCommand}`] : [];
    return [
      `  Fix: ${splitLeftRollback(result)}   (puts all traffic on version ${to} over that split)`,
      ...without,
    ];
  }
  if (!result.fixCommand) return [];
  if (!result.rollbackCommand) return [`  Fix: ${result.fixCommand}`];
  return [`  Fix: ${result.rollbackCommand}`, `  Without lshift: ${result.fixCommand}`];
}

/**
 * What judged the version beside the inconclusive analysis. "Alarms and absolute gates still
 * applied" was said of a deploy with neither (found by a hostile pass, session 61).
 */
function describeStillApplied(result: DeployResult): string {
  const judged = (v: DeployResult['verdicts'][number]) => v.outcome === 'pass' || v.outcome === 'fail';
  const alarms = result.verdicts.some((v) => v.gate === 'alarms' && judged(v));
  const limits = result.verdicts.some((v) => v.gate.startsWith('max-') && judged(v));
  if (alarms && limits) return 'its alarms and absolute limits still applied';
  if (alarms) return 'its alarms still applied';
  if (limits) return 'its absolute limits (--max-*) still applied';
  return 'nothing else judged it (no alarm watched, no absolute limit passed)';
}

/** Says plainly when the canary analysis could not judge the new version (too little data). */
function describeUnjudged(result: DeployResult): string[] {
  const unjudged = result.verdicts.filter((v) => v.outcome === 'inconclusive');
  if (unjudged.length === 0) return [];
  const reasons = [...new Set(unjudged.map((v) => `${v.gate}: ${v.summary}`))];
  const hint = describeAnalysisHint(result);
  return [
    `  Note: the canary analysis could not judge version ${result.toVersion} (inconclusive); ${describeStillApplied(result)}.`,
    ...reasons.map((r) => `    ${r}`),
    ...(hint ? [hint] : []),
  ];
}

/**
 * A conflict's first line: a person's `lshift rollback --to` its own new version is named
 * (engine/rollback-to-taker.ts) — "changed underneath" sent the operator looking for a stranger.
 */
function conflictHeadline(result: ReasonedResult, target: string): string {
  const cause = result.cause;
  if (cause?.code === 'TAKEN_OVER' && cause.data.promotedBy !== undefined && cause.data.to !== undefined) {
    // Over this deploy's own rollback (its alarm fired): not "before it finished its steps".
    const when =
      cause.data.overRollback === undefined
        ? 'before this deploy finished its steps'
        : 'while this deploy was rolling it back';
    return printable(
      `✖ Stopped: ${target} was promoted to version ${cause.data.to} by \`lshift rollback --to ${cause.data.to}\` of ${cause.data.promotedBy} ${when}; nothing was overwritten.`,
    );
  }
  return `✖ Stopped: ${target} changed underneath lshift; nothing was overwritten.`;
}
