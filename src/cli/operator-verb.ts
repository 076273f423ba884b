/**
 * The shared body of `lshift promote | pause | resume | abort` (commands/*.ts): flags, the
 * use-case (src/engine/operator-send.ts); the sentence that says what the running deployment
 * did is operator-answer.ts. `abort --release` stops a release of several functions
 * (src/cli/release-abort.ts); the other verbs act on one function's alias.
 */

import { Flags } from '@oclif/core';
import { formatDuration } from '../domain/duration.js';
import { UsageError } from '../domain/errors.js';
import { parseBoundedDuration, refuseControlCharacters } from '../domain/limits.js';
import { countCharacters, MAX_COMMAND_REASON_LENGTH, type OperatorVerb } from '../domain/operator-command.js';
import { hasVisibleText } from '../domain/printable.js';
import {
  type SendCommandDeps,
  type SendCommandResult,
  sendOperatorCommand,
} from '../engine/operator-send.js';
import type { LambdaPort } from '../ports/lambda.js';
import { mergeAwsTarget } from './aws-target.js';
import { loadConfig } from './config-file.js';
import { aliasFlag, awsFlags, configFlag } from './flags.js';
import { guardInterrupts } from './interrupts.js';
import { endInterrupts } from './late-interrupt.js';
import { localProcesses } from './local-processes.js';
import {
  exitLeavingCommand,
  type PendingCommand,
  type PendingReleaseCommand,
  type SendStage,
} from './operator-second-signal.js';
import type { LshiftConfig } from './option-schema.js';
import { stderr } from './output.js';
import { describeOwner } from './owner.js';
import { describeReasonDropped } from './reason-dropped-words.js';
import { aliasOf } from './release-options.js';
import { invisibleReason } from './rollback-flags.js';
import { createRuntime } from './runtime.js';

export const DEFAULT_WAIT = '2m';

/** Said by every verb's --help: when a running deployment reads a command (operator-busy.ts). */
export const WHEN_COMMANDS_ARE_READ =
  'A deployment obeys pause, resume and promote only at its health polls (holds, bake): during its pre-traffic or step hooks, or its wait for provisioned concurrency to be READY, the command waits in the record for the first poll after them — give a --wait longer than what is left of that wait, else it is withdrawn (exit 1, saying the deployment is busy). The post-traffic hooks of a deployment (not of a release) follow its last hold: those verbs send nothing then (exit 2). An abort is obeyed while any hook runs too, within one --interval: the hook is ended and the deployment rolls back. Ctrl-C withdraws the command, even while its write is in flight: it is listed in the tag lshift-withdrawn:<alias>, so a write of it that reaches Lambda later is not obeyed.';

export const operatorFlags = {
  ...aliasFlag,
  wait: Flags.string({
    description: `how long to wait for the running deployment to answer (at its next health poll; a pause, resume or promote after its hooks, if it is running them), at most 1h; a runner that stopped (its heartbeat unchanged for 90 s and past the 120 s stale limit) is said then, not at the end [default: ${DEFAULT_WAIT}]`,
  }),
  ...configFlag,
  ...awsFlags,
};

export const reasonFlag = {
  reason: Flags.string({
    description: `why (recorded as room allows, and named in the deployment's result; one line of plain text, at most ${MAX_COMMAND_REASON_LENGTH} characters, sharing the record's 256: a letter or digit takes 1 there, a space 3, an emoji 12; one the record has no room for is left out with a warning, never refusing the abort)`,
  }),
};

export interface OperatorInvocation {
  functionName: string;
  verb: OperatorVerb;
  flags: {
    alias?: string;
    wait?: string;
    reason?: string;
    config?: string;
    region?: string;
    profile?: string;
    'endpoint-url'?: string;
  };
}

export async function runOperatorVerb(inv: OperatorInvocation): Promise<SendCommandResult> {
  return withOperatorSession(
    inv.flags,
    () => [inv.functionName],
    (session) =>
      sendOperatorCommand(session.deps, {
        functionName: inv.functionName,
        alias: aliasOf(inv.functionName, inv.flags.alias, session.config),
        verb: inv.verb,
        by: describeOwner(),
        ...(session.reason === undefined ? {} : { reason: session.reason }),
        waitSeconds: session.waitSeconds,
        signal: session.signal,
      }),
    (config) => ({
      verb: inv.verb,
      functionName: inv.functionName,
      alias: aliasOf(inv.functionName, inv.flags.alias, config),
    }),
  );
}

export interface OperatorSession {
  deps: SendCommandDeps;
  /** For `--release` with no function named: the records in reach name them (rollback-release.ts). */
  lambda: LambdaPort;
  config: LshiftConfig;
  waitSeconds: number;
  reason?: string;
  signal: AbortSignal;
}

/**
 * Checks --wait and --reason, builds the runtime for the functions `functionsOf` reads (from the
 * config file too), and guards Ctrl-C while `send` waits; once it has its answer, a signal until
 * the process ends is held (endInterrupts): it changes no exit code.
 */
export async function withOperatorSession<T>(
  flags: OperatorInvocation['flags'],
  functionsOf: (config: LshiftConfig) => readonly string[],
  send: (session: OperatorSession) => Promise<T>,
  commandOf?: (config: LshiftConfig) => PendingCommand | PendingReleaseCommand,
  stage: SendStage = { listing: false },
): Promise<T> {
  // parseDuration refuses zero (INVALID_DURATION, naming the units), so the wait is positive.
  const waitSeconds = parseBoundedDuration(flags.wait ?? DEFAULT_WAIT, 'operatorWait', '--wait');
  const reason = checkReason(flags.reason);
  const { config } = await loadConfig(flags.config);
  // Ctrl-C while waiting withdraws the command (when still unanswered) rather than leaving it;
  // while its write is in flight it abandons that call (the runtime's interrupt) and withdraws it
  // too, since the write may still land (operator-withdraw.ts).
  const pending = commandOf?.(config);
  const guard = guardInterrupts({
    onSecond: (name) => exitLeavingCommand(name, pending, stage),
    say: (text) => stderr.write(text.replace('stopping the deployment safely', 'withdrawing the command')),
  });
  try {
    const runtime = await createRuntime(
      mergeAwsTarget(flags, config),
      { functions: functionsOf(config) },
      undefined,
      guard.signal,
    );
    const wait = formatDuration(waitSeconds);
    const deps = {
      store: runtime.store,
      clock: runtime.clock,
      random: Math.random,
      aliases: runtime.lambda,
      deployments: runtime.codedeploy,
      processes: localProcesses,
      onSent: (sent: Parameters<NonNullable<SendCommandDeps['onSent']>>[0]) => {
        stage.sentTo = { functionName: sent.functionName, alias: sent.alias };
        stderr.write(
          `${describeDroppedReason(sent)}${sent.joined ? 'joined the same command already sent to' : 'sent to'} deployment ${sent.deploymentId} (${sent.functionName}:${sent.alias}); waiting up to ${wait} for it to answer at its next health poll (Ctrl-C withdraws it)\n`,
        );
      },
    };
    return await send({
      deps,
      lambda: runtime.lambda,
      config,
      waitSeconds,
      signal: guard.signal,
      ...(reason === undefined ? {} : { reason }),
    });
  } finally {
    // From here to the process's end a signal has nothing left to withdraw: held, not Node's
    // default action (exit 130) in the moments before the process is gone (late-interrupt.ts).
    endInterrupts(guard);
  }
}

/** An abort is sent without a reason its record has no room for (operator-refusals.ts fitReason): say so (reason-dropped-words.ts). */
function describeDroppedReason(sent: Parameters<NonNullable<SendCommandDeps['onSent']>>[0]): string {
  const d = sent.reasonDropped;
  if (!d) return '';
  return `${describeReasonDropped(sent.deploymentId, d)}\n`;
}

function checkReason(reason: string | undefined): string | undefined {
  if (reason === undefined) return undefined;
  const trimmed = reason.trim();
  if (trimmed !== '' && !hasVisibleText(trimmed)) throw invisibleReason();
  // Characters as a reader counts them (an emoji is one); the record's room is checked once it is
  // read (operator-refusals.ts fitReason): there an emoji takes 12 of the tag's 256.
  const length = countCharacters(trimmed);
  if (trimmed === '' || length > MAX_COMMAND_REASON_LENGTH) {
    throw new UsageError(
      'INVALID_FLAG',
      `--reason must be 1 to ${MAX_COMMAND_REASON_LENGTH} characters (got ${length}).`,
      { hint: 'The reason travels in the deployment record, a 256-character tag: keep it short.' },
    );
  }
  refuseControlCharacters('--reason', trimmed);
  return trimmed;
}

// release-abort.ts imports the answer's words from here, as before they moved to operator-answer.ts.
export { describeAnswer, describeJoined, operatorJson } from './operator-answer.js';
