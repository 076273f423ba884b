/**
 * What a running deployment answered `lshift promote | pause | resume | abort` (operator-verb.ts),
 * as the operator reads it: the sentence, the `--json` result and its exit code.
 */
import { ExitCode } from '../domain/errors.js';
import { describeSender } from '../domain/operator-command.js';
import type { SendCommandResult } from '../engine/operator-send.js';
import { abortExitCode, describeAbortEnd } from './abort-answer.js';

/** What the running deployment did, as the operator reads it. */
export function describeAnswer(r: SendCommandResult): string {
  const who = `Deployment ${r.deploymentId} (${r.owner}) of ${r.functionName}:${r.alias}`;
  const rec = r.record;
  const where = placeOf(rec);
  if (r.answer === 'refused') return `✖ ${who} refused \`${r.verb}\`: it was not in a state to obey it.`;
  switch (r.verb) {
    case 'promote':
      if (r.overtakenBy)
        return `✔ ${who} was promoted: all traffic is on version ${rec.targetVersion}${describeLateAbort(r.overtakenBy)}.`;
      return `✔ ${who} ${describeSkip(r)}${r.liftedPause ? LIFTED : ''}.`;
    case 'promote-full':
      return rec.phase === 'promoted'
        ? `✔ ${who} skipped every remaining step and was promoted: all traffic is on version ${rec.targetVersion}${r.liftedPause ? LIFTED : ''}${describeLateAbort(r.overtakenBy)}.`
        : `✔ ${who} skips every remaining step: it moves all traffic to version ${rec.targetVersion} now${r.liftedPause ? LIFTED : ''}.`;
    case 'pause':
      return `‖ ${who} paused at ${where}: its hold clock is stopped; health is still watched and a failure still rolls it back.\n  Release it with \`lshift resume ${r.functionName} --alias ${r.alias}\`.`;
    case 'resume':
      return `▶ ${who} resumed at ${where}: its hold counts down again.`;
    case 'abort': {
      const by = describeJoined(r);
      // Worded from the record it read (abort-answer.ts): a conflict rolled nothing back.
      const mark = abortExitCode(r) === ExitCode.Success ? '✔' : '✖';
      const own = `${mark} ${who} ${describeAbortEnd(r, by)}`;
      return rec.releaseId ? `${own}\n${describeReleaseAborted(r, rec.releaseId)}` : own;
    }
  }
}

/**
 * Another operator's abort went over this promote's answer before it was read, and the deployment
 * ended promoted all the same (operator-send.ts promotedDespiteAbort): the abort came too late.
 */
function describeLateAbort(abort: SendCommandResult['overtakenBy']): string {
  if (!abort) return '';
  const by = `${describeSender(abort.by)}${abort.reason ? ` (${abort.reason})` : ''}`;
  return `; an abort by ${by}, sent at the same moment, went over this command's answer but came too late: it was not obeyed (undo the promotion with \`lshift rollback\`)`;
}

/** A promote obeyed while an operator had the deployment paused lifts the pause (operator-control.ts). */
const LIFTED = '; it was paused: the pause was lifted';

/** Where a record stands: `step 4 (40%)`, `the bake`; before its first weight, its first step. */
function placeOf(rec: SendCommandResult['record']): string {
  if (rec.phase === 'baking') return 'the bake';
  if (rec.phase === 'pre-hook' || rec.phase === 'started') return 'its first step';
  return `step ${rec.stepIndex + 1} (${rec.percent}%)`;
}

/**
 * The hold a promote skipped: where the deployment was while the command waited in its record
 * (`pendingOn`), and where it went, when the record read with the answer was written after the
 * move. The deployment may also have moved on by itself before it read the command: then the
 * step it skipped is the one before where it is now, and that is said instead.
 */
function describeSkip(r: SendCommandResult): string {
  const held = r.pendingOn;
  const now = r.record;
  const moved = now.id === held.id && (now.stepIndex !== held.stepIndex || now.phase !== held.phase);
  if (!moved) return `skipped the rest of its hold at ${placeOf(held)} and moves on`;
  const onward =
    now.phase === 'promoted'
      ? `was promoted: all traffic is on version ${now.targetVersion}`
      : now.phase === 'baking'
        ? 'moved on to the bake'
        : now.phase === 'post-hook'
          ? 'moved on to its post-traffic hooks'
          : now.phase === 'shifting'
            ? `moved on to step ${now.stepIndex + 1} (${now.percent}%)`
            : `is now ${now.phase} (see \`lshift status ${r.functionName} --alias ${r.alias}\`)`;
  // Two steps or more past where it waited: it moved by itself before reading the promote.
  if (now.phase === 'shifting' && now.stepIndex > held.stepIndex + 1) {
    return `skipped the rest of a hold after ${placeOf(held)}, where the command waited, and ${onward}`;
  }
  return `skipped the rest of its hold at ${placeOf(held)} and ${onward}`;
}

/**
 * An abort of one function of a release rolls the whole release back (docs/releases.md). Its
 * record names the release's functions (`rf=`) when it had room: the status of them all is
 * offered as it can be run (it said `lshift status fb <its other functions>` of a record naming
 * fa fb fc: h4's pass, session 68). A record without them (an older lshift's, or no room) points
 * at the deploy's output: they are not looked for, one ListTags per function in reach, from the
 * Lambda request budget the release's rollback writes need at that very moment.
 */
function describeReleaseAborted(r: SendCommandResult, releaseId: string): string {
  const fn = r.functionName;
  const all = r.record.releaseFunctions;
  const named = all && all.length > 0;
  const names = named ? all.join(' ') : `${fn} <its other functions>`;
  const where = named ? '' : ' (the release’s deploy output names them)';
  return (
    `  ${fn} is one of release ${releaseId}: the whole release is being rolled back, every function of it, not ${fn} alone. ` +
    `See each with \`lshift status ${names} --alias ${r.alias}\`${where}.`
  );
}

/** Another operator's abort, sent at the same moment, was the one obeyed: said so, with its reason. */
export function describeJoined(r: SendCommandResult): string {
  if (!r.joined) return '';
  return ` by ${describeSender(r.joined.by)}${r.joined.reason ? ` (${r.joined.reason})` : ''}, whose abort came with this one,`;
}

/** `--json`: the result with times as ISO 8601 as well (like every other result). */
export function operatorJson(r: SendCommandResult): Record<string, unknown> {
  const { record, pendingOn: _pendingOn, ...rest } = r;
  return {
    ...rest,
    sentTime: new Date(r.sentAt).toISOString(),
    answeredTime: new Date(r.answeredAt).toISOString(),
    phase: record.phase,
    stepIndex: record.stepIndex,
    percent: record.percent,
    stableVersion: record.stableVersion,
    targetVersion: record.targetVersion,
    ...(record.releaseId ? { releaseId: record.releaseId } : {}),
    exitCode: exitCodeOf(r),
  };
}

/** Refused: 2. Obeyed: 0, but an abort whose deployment did not roll back (abort-answer.ts). */
function exitCodeOf(r: SendCommandResult): ExitCode {
  if (r.answer !== 'done') return ExitCode.Usage;
  return r.verb === 'abort' ? abortExitCode(r) : ExitCode.Success;
}
