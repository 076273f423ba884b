/**
 * How `lshift promote | pause | resume | abort` fails once it tried to send (operator-send.ts):
 * interrupted, its write failed, another operator's abort went over it, the deployment ended or
 * went before it read the command, or nobody answered in time.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, OperationError, UsageError } from '../domain/errors.js';
import {
  describeSender,
  describeVerb,
  type OperatorCommand,
  type OperatorVerb,
} from '../domain/operator-command.js';
import { parseProcessOwner } from '../domain/owner-mark.js';
import type { Answer } from './operator-await-answer.js';
import { unansweredHint, type Waited, whyUnanswered } from './operator-busy.js';
import type { SendCommandDeps, SendCommandRequest } from './operator-send-types.js';
import { checkOwner, deadPidHere } from './owner-kinds.js';
import { mayHaveLanded } from './write-answer.js';

/** Ctrl-C while the deployment had not answered yet: the command was withdrawn (`withdrawn` says how). */
export function interruptedWhileWaiting(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  withdrawn: string,
): OperationError {
  return new OperationError(
    'INTERRUPTED',
    `Interrupted while waiting for deployment ${sentOn.id} to answer${withdrawn}`,
    {
      hint: 'See what the deployment is doing with `lshift status`.',
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/** Ctrl-C before the command was written: nothing was. */
export function interruptedBeforeSending(req: SendCommandRequest): OperationError {
  return new OperationError(
    'INTERRUPTED',
    `Interrupted before \`${describeVerb(req.verb)}\` was sent: nothing was written`,
    {
      hint: 'See what the deployment is doing with `lshift status`.',
      context: { functionName: req.functionName, alias: req.alias, notApplied: true },
    },
  );
}

/**
 * The command's write failed. One whose answer never came (a timeout, a cut connection, Ctrl-C
 * abandoning it, a 5xx: write-answer.ts) may still land and be obeyed: it is withdrawn first
 * (listed in `lshift-withdrawn:<alias>`, operator-withdraw.ts), and the error says so. A refusal
 * (access denied, a throttle, a parameter) changed nothing: the error as it was.
 */
export async function unsent(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  error: unknown,
  withdraw: () => Promise<string>,
): Promise<unknown> {
  const interrupted = req.signal?.aborted === true;
  if (!interrupted && !mayHaveLanded(error)) return error;
  const withdrawn = await withdraw();
  if (interrupted) {
    return new OperationError(
      'INTERRUPTED',
      `Interrupted while \`${describeVerb(req.verb)}\` was being written to deployment ${sentOn.id}${withdrawn}`,
      {
        hint: 'See what the deployment is doing with `lshift status`.',
        context: { functionName: req.functionName, alias: req.alias },
      },
    );
  }
  if (!isLshiftError(error)) return error;
  return new OperationError(
    error.code,
    `${error.message.replace(/\.$/, '')}: the command may have been written${withdrawn}`,
    {
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      context: error.context,
      cause: error,
    },
  );
}

export function overtakenByAbort(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  { abort, now }: { abort: OperatorCommand; now: DeploymentRecord },
): UsageError {
  const by = `${describeSender(abort.by)}${abort.reason ? ` (${abort.reason})` : ''}`;
  return new UsageError(
    'NO_RUNNING_DEPLOYMENT',
    `Deployment ${sentOn.id} on alias ${req.alias} of function ${req.functionName} is being aborted by ${by}: ${describeOvertaken(req.verb, sentOn, now)}.`,
    {
      hint: `See how it ends with \`lshift status ${req.functionName} --alias ${req.alias}\`.`,
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/**
 * What became of the command an abort wrote over. The record keeps one command, so an answer
 * the deployment wrote just before the abort is gone: "not obeyed" was said of a pause the
 * deployment had obeyed (found by a hostile pass, 1 run in 9). Said only as far as the record's
 * phase shows it.
 */
function describeOvertaken(verb: OperatorVerb, sentOn: DeploymentRecord, now: DeploymentRecord): string {
  const command = `\`${describeVerb(verb)}\``;
  if (verb === 'pause' && sentOn.phase !== 'paused' && now.phase === 'paused')
    return `the deployment had paused on this ${command}, then the abort came`;
  return `the abort went over this ${command} before its answer was seen, so whether it was obeyed first is unknown`;
}

export function isRollingBack(record: DeploymentRecord): boolean {
  return record.phase === 'rolling-back' || record.phase === 'rolled-back';
}

/**
 * An abort that another abort (or the deployment's own failure) overtook: what the operator
 * asked for is happening, so this is said as it is — not as an unanswered command (exit 1,
 * "nothing was done"). The same code and exit as an abort sent a moment later.
 */
export function alreadyRollingBack(req: SendCommandRequest, now: DeploymentRecord): UsageError {
  const target = `alias ${req.alias} of function ${req.functionName}`;
  const other = now.command?.verb === 'abort' && now.command.state === 'done' ? now.command : undefined;
  const why = other
    ? ` (aborted by ${describeSender(other.by)}${other.reason ? `: ${other.reason}` : ''})`
    : now.endReason
      ? ` (${now.endReason})`
      : '';
  const state = now.phase === 'rolled-back' ? 'had already rolled back' : 'was already rolling back';
  return new UsageError(
    'NO_RUNNING_DEPLOYMENT',
    `Deployment ${now.id} on ${target} ${state}${why} before it read this abort: nothing more to do.`,
    {
      hint: `See how it ended with \`lshift status ${req.functionName} --alias ${req.alias}\`.`,
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/**
 * The hint of a command whose deployment ended, or went, before it read it: what the alias holds
 * now, not how a running deployment obeys commands (its hint said pause, resume and promote are
 * obeyed at health polls also to an abort that a `promote --full` had beaten to the end).
 */
function goneHint(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  now: DeploymentRecord | undefined,
): string {
  const status = `\`lshift status ${req.functionName} --alias ${req.alias}\``;
  if (now) {
    const undo =
      req.verb === 'abort' && now.phase === 'promoted'
        ? ` To undo the promotion: \`lshift rollback ${req.functionName} --alias ${req.alias}\` (back to version ${sentOn.stableVersion}).`
        : '';
    return `See how it ended with ${status}.${undo}`;
  }
  return `See what the alias runs now with ${status}; send the command again if it is meant for what runs there now.`;
}

/**
 * The pid of the runner the command was sent to when it is this user's on this machine, no longer
 * runs here (deadPidHere, as \`lshift check\` asks it), and its record did not change while this
 * waited: killed before its heartbeat looked stale. Only words: the wait is not cut short by it.
 */
function deadRunnerPid(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  last: DeploymentRecord | undefined,
): { pid: number; placed: boolean } | undefined {
  if (last?.id !== sentOn.id || last.owner !== sentOn.owner || last.heartbeatAt !== sentOn.heartbeatAt)
    return undefined;
  const pid = deadPidHere(sentOn.owner, checkOwner(req.by), deps.processes);
  if (pid === undefined) return undefined;
  return { pid, placed: parseProcessOwner(sentOn.owner)?.machine !== undefined };
}

/**
 * Where the wait stood when nobody answered: taken before the command is withdrawn (which takes
 * a poll), as whyUnanswered and unansweredHint (operator-busy.ts) word it.
 */
export function unansweredWait(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  answered: Extract<Answer, { kind: 'timeout' | 'gone' }>,
): Waited {
  const last = answered.kind === 'timeout' ? answered.last : undefined;
  const deadPid = deadRunnerPid(deps, req, sentOn, last);
  return { sentOn, last, now: deps.clock.now(), ...(deadPid ? { deadPid } : {}) };
}

/** Nobody answered: the deployment ended or went first (`gone`), or time was up (withdrawn). */
export function unansweredError(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  answered: Extract<Answer, { kind: 'timeout' | 'gone' }>,
  waited: Waited,
  withdrawn: string,
): OperationError {
  return new OperationError(
    'COMMAND_NOT_ANSWERED',
    `${answered.why}${whyUnanswered(waited, req.verb)}${withdrawn}`,
    {
      hint: answered.kind === 'gone' ? goneHint(req, sentOn, answered.now) : unansweredHint(waited, req),
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}
