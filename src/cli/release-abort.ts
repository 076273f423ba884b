/**
 * `lshift abort | pause | resume --release <id> fnA fnB …`: the release forms of the verbs
 * (src/engine/release-abort.ts). One function's record carries the command; the release's run
 * rolls every function back (abort), or holds or frees every function's hold (pause, resume).
 */

import { Flags } from '@oclif/core';
import { isReleaseId } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import { ExitCode, UsageError } from '../domain/errors.js';
import { describeVerb } from '../domain/operator-command.js';
import { abortRelease } from '../engine/release-abort.js';
import type { AbortReleaseResult, ReleaseVerb } from '../engine/release-members.js';
import { describeNotRolledBack, worstAbortExitCode } from './abort-answer.js';
import { looksLikeFlag } from './function-args.js';
import type { SendStage } from './operator-second-signal.js';
import {
  describeAnswer,
  describeJoined,
  type OperatorInvocation,
  operatorJson,
  runOperatorVerb,
  withOperatorSession,
} from './operator-verb.js';
import { stderr } from './output.js';
import { describeOwner } from './owner.js';
import { nameOf, releaseFunctions } from './release-options.js';
import { type FinderWords, findMembersOrRefuse } from './rollback-release.js';

/** `found`: no function named, the records in reach named them (findMembersOrRefuse). */
type ReleaseVerbResult = AbortReleaseResult & { verb: ReleaseVerb; found?: boolean };

export async function runReleaseAbort(
  releaseId: string,
  names: readonly string[],
  flags: OperatorInvocation['flags'],
  verb: ReleaseVerb = 'abort',
): Promise<ReleaseVerbResult> {
  if (!isReleaseId(releaseId)) {
    throw new UsageError(
      'INVALID_FLAG',
      `--release must be a release id like r-k3j9x2, not "${echoInput(releaseId)}".`,
      {
        hint: 'The release id is in the deploy’s output and in `lshift status <function>`.',
      },
    );
  }
  // A second Ctrl-C says what it leaves: nothing while the functions are listed (operator-second-signal.ts).
  const stage: SendStage = { listing: false };
  return withOperatorSession(
    flags,
    (config) => releaseFunctions(names, config).map(nameOf),
    async (session) => {
      const entries = releaseFunctions(names, session.config);
      const alias = flags.alias ?? session.config.alias ?? 'live';
      // None named (nor in the config file): the records in reach name them, as for `lshift
      // rollback --release` (the same finder): the release id is often all one has at 3 a.m.
      const found = entries.length === 0;
      stage.listing = found;
      const targets = found
        ? (
            await findMembersOrRefuse(
              session.lambda,
              releaseId,
              flags.alias,
              session.signal,
              note,
              words(verb),
            ).finally(() => {
              stage.listing = false;
            })
          ).targets
        : entries.map((e) => ({
            functionName: nameOf(e),
            alias: flags.alias ?? (typeof e === 'string' ? undefined : e.alias) ?? alias,
          }));
      const result = await abortRelease(session.deps, {
        releaseId,
        verb,
        targets,
        by: describeOwner(),
        ...(session.reason === undefined ? {} : { reason: session.reason }),
        waitSeconds: session.waitSeconds,
        signal: session.signal,
      });
      return { ...result, verb, ...(found ? { found: true } : {}) };
    },
    () => ({ verb, releaseId }),
    stage,
  );
}

const note = (text: string) => stderr.write(`${text}\n`);

function words(verb: ReleaseVerb): FinderWords {
  return { verb: describeVerb(verb), nothing: 'nothing was sent' };
}

export function describeReleaseAbort(r: ReleaseVerbResult): string {
  const via = `${r.sent.functionName}:${r.sent.alias}`;
  if (r.sent.answer === 'refused') {
    // A resume sent to a record that did not say the pause (operator-refusals.ts): the runner knows.
    const why = r.verb === 'resume' ? 'it is not paused' : 'it was not in a state to obey it';
    return `✖ Release ${r.releaseId} refused \`${r.verb}\` (sent through ${via}): ${why}.`;
  }
  if (r.verb !== 'abort') return describeHold(r, via);
  const mark = releaseAbortExitCode(r) === ExitCode.Success ? '✔' : '✖';
  const aborted = `${mark} Release ${r.releaseId} was aborted${describeJoined(r.sent).replace(/,$/, '')} (through ${via}, run by ${r.sent.owner})`;
  // Only the functions named were read: a record names its release, never the release's other
  // functions (found by a hostile pass: `abort --release r-… ga` said "every function has ended"
  // listing ga alone). The runner rolls back every function of the release all the same.
  const which = r.found ? 'found by its record' : 'named';
  const head = r.allEnded
    ? `${aborted} and every function ${which} has ended:`
    : `${aborted}; not every function ${which} had ended when the wait was over:`;
  const rows = memberRows(r);
  const names = r.functions.map((f) => f.functionName).join(' ');
  const left = r.functions.some((f) => f.record && describeNotRolledBack(f.record) !== undefined);
  const tail = !r.allEnded
    ? [`  See \`lshift status ${names}\`.`]
    : left
      ? [
          `  Each function not rolled back needs a person: see \`lshift status ${names}\`, and put one back with \`lshift rollback <function>\`.`,
        ]
      : [];
  return [head, ...rows, ...tail].join('\n');
}

/** pause / resume: every function's hold stopped or goes on; each is still watched. */
function describeHold(r: ReleaseVerbResult, via: string): string {
  const names = r.functions.map((f) => f.functionName).join(' ');
  const through = `through ${via}, run by ${r.sent.owner}`;
  const head = {
    pause: `‖ Release ${r.releaseId} is paused (${through}): every function holds its weight and is still watched; \`lshift resume --release ${r.releaseId} ${names}\` lets it go on.`,
    resume: `✔ Release ${r.releaseId} goes on (${through}).`,
    promote: `✔ Release ${r.releaseId} moves on (${through}): every function's current hold ends at its next poll.`,
    'promote-full': `✔ Release ${r.releaseId} goes to 100% (${through}): every function skips its remaining steps, settle and bake.`,
  }[r.verb as Exclude<ReleaseVerb, 'abort'>];
  // A promote lifts the release's pause (operator-control.ts): said, not done silently.
  const lifted = r.sent.liftedPause ? ` It was paused: the pause was lifted.` : '';
  return [head + lifted, ...memberRows(r)].join('\n');
}

function memberRows(r: ReleaseVerbResult): string[] {
  const width = Math.max(...r.functions.map((f) => `${f.functionName}:${f.alias}`.length));
  return r.functions.map((f) => {
    const how = f.record && r.verb === 'abort' ? describeNotRolledBack(f.record) : undefined;
    // Not "rolled-back — not rolled back": a record closed rolled-back over a split someone made
    // says what the traffic did first, the record's phase after (h4's pass, session 67).
    const phase = how ? `${how} (its record: ${f.phase})` : f.phase;
    const state = f.phase ? `${f.deploymentId} ${phase}` : `left alone: ${f.note}`;
    return `  ${`${f.functionName}:${f.alias}`.padEnd(width)}  ${state}`;
  });
}

/**
 * Refused: 2. Obeyed: as a single abort's, per function (abort-answer.ts), the worst winning: 0
 * rolled back, 4 a split left, 5 moved whole by someone. The other verbs: 0.
 */
export function releaseAbortExitCode(r: ReleaseVerbResult): ExitCode {
  if (r.sent.answer !== 'done') return ExitCode.Usage;
  if (r.verb !== 'abort') return ExitCode.Success;
  return worstAbortExitCode(r.functions.map((f) => f.record));
}

export function releaseAbortJson(r: ReleaseVerbResult): Record<string, unknown> {
  const { sent, functions, ...rest } = r;
  const { record: _record, pendingOn: _pendingOn, ...answer } = sent;
  const rows = functions.map(({ record: _rec, ...row }) => row);
  return { ...rest, functions: rows, sent: answer, exitCode: releaseAbortExitCode(r) };
}

const RELEASE_FLAG_WORDS: Record<ReleaseVerb, string> = {
  abort: 'abort the running release of this id (r-…): every function of it rolls back',
  pause: 'pause the running release of this id (r-…): every function holds its weight, still watched',
  resume: 'let the paused release of this id (r-…) go on: every function’s hold counts down again',
  promote: 'end the current hold of every function of the running release of this id (r-…)',
  'promote-full': 'end the current hold of every function of the running release of this id (r-…)',
};

export function releaseFlag(verb: ReleaseVerb) {
  return { release: Flags.string({ description: RELEASE_FLAG_WORDS[verb] }) };
}

/**
 * `lshift <verb> <function>` or `lshift <verb> --release <id> <functions…>`: what the command
 * prints and answers under --json (its exitCode included).
 */
export async function runVerbOrRelease(
  verb: ReleaseVerb,
  names: readonly string[],
  flags: OperatorInvocation['flags'] & { release?: string },
): Promise<{ text: string; json: Record<string, unknown> }> {
  const flag = names.find((a) => looksLikeFlag(a));
  if (flag)
    throw new UsageError('USAGE', `Nonexistent flag: ${flag}`, {
      hint: `See \`lshift ${commandOf(verb)} --help\`.`,
    });
  if (flags.release !== undefined) {
    const sent = await runReleaseAbort(flags.release, names, flags, verb);
    return { text: describeReleaseAbort(sent), json: releaseAbortJson(sent) };
  }
  if (names.length !== 1) {
    throw new UsageError('USAGE', `lshift ${commandOf(verb)} takes one function (got ${names.length}).`, {
      hint: `Name one function, or act on a release with \`lshift ${describeVerb(verb)} --release <id> <functions…>\`.`,
    });
  }
  const result = await runOperatorVerb({ functionName: names[0]!, verb, flags });
  return { text: describeAnswer(result), json: operatorJson(result) };
}

/** The command a verb is given with (`promote --full` is `promote`). */
function commandOf(verb: ReleaseVerb): string {
  return verb === 'promote-full' ? 'promote' : verb;
}
