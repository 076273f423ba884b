/**
 * What a second Ctrl-C (or SIGTERM) leaves behind when an operator verb exits at once (exit 1: no
 * traffic was moved by lshift): the command may still be in the record, unwithdrawn, and the
 * running deployment obeys it at its next poll — or nothing was sent yet. Said, with what shows and
 * undoes it, rather than exiting without a word. `lshift abort --release` said "The operator
 * command may still be pending in the deployment record … \`lshift status <function>\`" while it
 * was still listing the release's functions, before anything was written (session 68's LOW).
 */
import { ExitCode } from '../domain/errors.js';
import type { OperatorVerb } from '../domain/operator-command.js';
import { stderr } from './output.js';

/** The command a second signal may leave in one function's deployment record, unwithdrawn. */
export interface PendingCommand {
  verb: OperatorVerb;
  functionName: string;
  alias: string;
}

/** A release's command (`abort | pause | resume --release`): sent through one function's record. */
export interface PendingReleaseCommand {
  verb: OperatorVerb;
  releaseId: string;
}

/** How far the session got: listing the release's functions (nothing sent), and where the command went. */
export interface SendStage {
  listing: boolean;
  sentTo?: { functionName: string; alias: string };
}

/** What undoes a command once the deployment obeyed it; promote and abort cannot be undone. */
const UNDO: Partial<Record<OperatorVerb, OperatorVerb>> = { pause: 'resume', resume: 'pause' };

function isRelease(p: PendingCommand | PendingReleaseCommand | undefined): p is PendingReleaseCommand {
  return p !== undefined && 'releaseId' in p;
}

/** The lines a second signal prints (exit 1). */
export function describeSecondSignal(
  signalName: string,
  pending: PendingCommand | PendingReleaseCommand | undefined,
  stage: SendStage,
): string[] {
  if (isRelease(pending)) return describeReleaseSecondSignal(signalName, pending, stage);
  const which = pending
    ? `\`${pending.verb}\` of ${pending.functionName}:${pending.alias}`
    : 'operator command';
  const target = pending ? `${pending.functionName} --alias ${pending.alias}` : '<function>';
  const undo = pending && UNDO[pending.verb];
  return [
    `\n${signalName} again: exiting now (exit 1) without withdrawing the command.`,
    `  The ${which} may still be pending in the deployment record: the running deployment obeys it at its next health poll.`,
    `  See \`lshift status ${target}\` (its last operator command)${undo ? `; undo it once obeyed with \`lshift ${undo} ${target}\`` : ''}.`,
    '',
  ];
}

function describeReleaseSecondSignal(
  signalName: string,
  pending: PendingReleaseCommand,
  stage: SendStage,
): string[] {
  const { verb, releaseId } = pending;
  const command = `\`${verb} --release ${releaseId}\``;
  if (stage.listing)
    return [
      `\n${signalName} again: exiting now (exit 1).`,
      `  Nothing was sent: lshift was still listing release ${releaseId}'s functions, and no deployment record carries the ${command}.`,
      '',
    ];
  const sent = stage.sentTo;
  const undo = UNDO[verb];
  if (sent) {
    const target = `${sent.functionName} --alias ${sent.alias}`;
    return [
      `\n${signalName} again: exiting now (exit 1) without withdrawing the command.`,
      `  The ${command} was written to ${sent.functionName}:${sent.alias}'s deployment record and may still be pending there: the release's runner obeys it at its next health poll, for every function of the release.`,
      `  See \`lshift status ${target}\` (its last operator command)${undo ? `; undo it once obeyed with \`lshift ${undo} --release ${releaseId}\`` : ''}.`,
      '',
    ];
  }
  // Past the listing, before the write was seen to land: it may be in flight.
  return [
    `\n${signalName} again: exiting now (exit 1) without withdrawing the command.`,
    `  The ${command} had not been seen written, but its write to one of the release's deployment records may have been in flight and may still land: the release's runner would obey it at its next health poll.`,
    `  See \`lshift status\` of the release's functions (their last operator command).`,
    '',
  ];
}

/** Prints describeSecondSignal and exits 1 at once. */
export function exitLeavingCommand(
  signalName: string,
  pending: PendingCommand | PendingReleaseCommand | undefined,
  stage: SendStage,
): never {
  stderr.writeNow(describeSecondSignal(signalName, pending, stage).join('\n'));
  process.exit(ExitCode.Failed);
}
