/**
 * `lshift promote | pause | resume | abort`: sends an operator command to the deployment running
 * on an alias, wherever it runs, through its record (docs/architecture.md, "Operator commands
 * travel through the record"), and waits — bounded — for it to answer. The command is written
 * on a copy of the record as read, so the running deployment recognises it as its own record
 * (same id, one of its heartbeats); every rule that guards the record stays as it was.
 *
 * Refused before any write: no record, an ended or ending deployment, a stale heartbeat (nobody
 * would read it), a command still waiting, pause when paused, resume when not. Not answered in
 * time: the command is withdrawn (the record is put back as it was) and that is an error.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, OperationError, PreflightError, UsageError } from '../domain/errors.js';
import {
  createCommandNonce,
  describeVerb,
  type OperatorCommand,
  type OperatorVerb,
} from '../domain/operator-command.js';
import { parseProcessOwner } from '../domain/owner-mark.js';
import { findRecordProblems } from '../domain/record-validation.js';
import type { Clock } from '../ports/clock.js';
import { checkOwner, deadPidHere } from './check-classify.js';
import { hasRunnerStopped, unansweredHint, whyUnanswered } from './operator-busy.js';
import { looksStale, watchRunner } from './operator-liveness.js';
import { checkReasonFits, checkRunning, joinable } from './operator-refusals.js';
import type { SendCommandDeps, SendCommandRequest } from './operator-send-types.js';

export type { SendCommandDeps, SendCommandRequest } from './operator-send-types.js';

import { withdrawCommand } from './operator-withdraw.js';
import { untrustedRecordError } from './record-trust.js';
import { isEnded } from './record-view.js';
import { mayHaveLanded } from './write-answer.js';

export interface SendCommandResult {
  functionName: string;
  alias: string;
  verb: OperatorVerb;
  deploymentId: string;
  /** Who runs the deployment that answered. */
  owner: string;
  /** `done`: obeyed; `refused`: the running deployment could not (e.g. not paused any more). */
  answer: 'done' | 'refused';
  /** Epoch ms: the command was written, and its answer was first seen. */
  sentAt: number;
  answeredAt: number;
  /** The record as last read (after an abort: once the rollback ended, when it did in time). */
  record: DeploymentRecord;
  /**
   * Another operator's abort, sent at the same moment, was the one answered: this one waited for
   * it (joined it) rather than refusing (COMMAND_PENDING) or racing it.
   */
  joined?: { by: string; reason?: string };
  /**
   * The record as last read with this command still waiting in it (at first, the one it was
   * written on): where the deployment was when it read it. A promote's answer names the hold it
   * skipped from this, not from `record`, which the deployment may have written after moving on
   * (found by a hostile pass: "skipped … at step 5" of a promote obeyed at step 4).
   */
  pendingOn: DeploymentRecord;
  /**
   * A promote (or `--full`) that another operator's abort went over before its answer was seen,
   * and the deployment then ended promoted: the abort was not obeyed (it would have rolled back).
   */
  overtakenBy?: { by: string; reason?: string };
  /** A promote (or `--full`) of a deployment an operator had paused: obeying it lifted the pause. */
  liftedPause?: true;
}

const DEFAULT_POLL_SECONDS = 2;

/** A command is written on a copy of the record as read: its runner's token too (record-seal.ts). */
const AS_READ = { keepRunnerToken: true } as const;

/** No record on the alias: one more read tells a missing alias from one with no deployment. */
async function refuseMissingAlias(deps: SendCommandDeps, req: SendCommandRequest): Promise<void> {
  if (!deps.aliases || (await deps.aliases.getAlias(req.functionName, req.alias))) return;
  throw new PreflightError(
    'ALIAS_NOT_FOUND',
    `Alias ${req.alias} of function ${req.functionName} does not exist.`,
    {
      hint: 'Check the function name and --alias.',
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

export async function sendOperatorCommand(
  deps: SendCommandDeps,
  req: SendCommandRequest,
): Promise<SendCommandResult> {
  // A heartbeat that looks stale is watched first: the timestamp is the runner's clock.
  let record = await deps.store.read(req.functionName, req.alias);
  if (!record) await refuseMissingAlias(deps, req);
  refuseMalformed(req, record, deps.clock);
  let seenAlive = req.runnerSeenAlive === true;
  if (record && !seenAlive && looksStale(deps, req, record))
    ({ record, seenAlive } = await watchRunner(deps, req, record));
  checkRunning(deps, req, record, seenAlive);
  const command: OperatorCommand = {
    verb: req.verb,
    nonce: createCommandNonce(deps.random),
    state: 'sent',
    by: req.by,
    ...(req.reason === undefined ? {} : { reason: req.reason }),
  };
  checkReasonFits({ ...record, command });
  // The same command from another operator, not yet answered: its answer is this one's too.
  const pending = joinable(req, record.command) ? record.command : undefined;
  if (req.signal?.aborted) throw interruptedBeforeSending(req);
  // Encoding happens before the write (RECORD_TOO_LARGE refuses with nothing written).
  // Written as read, its runner's token kept: if it lands after the deployment ended, it is read
  // as the older record it is (src/domain/record-seal.ts).
  if (!pending) {
    try {
      await deps.store.write(req.functionName, req.alias, { ...record, command }, AS_READ);
    } catch (error) {
      throw await unsent(deps, req, record, command, error);
    }
  }
  deps.onSent?.({
    functionName: req.functionName,
    alias: req.alias,
    deploymentId: record.id,
    joined: !!pending,
  });
  const sentAt = deps.clock.now();
  let answered: Answer;
  try {
    answered = await awaitAnswer(deps, req, record, command, pending);
  } catch (error) {
    if (!req.signal?.aborted) throw error;
    const withdrawn = await withdraw(deps, req, record, command);
    throw new OperationError(
      'INTERRUPTED',
      `Interrupted while waiting for deployment ${record.id} to answer${withdrawn}`,
      {
        hint: 'See what the deployment is doing with `lshift status`.',
        context: { functionName: req.functionName, alias: req.alias },
      },
    );
  }
  if (answered.kind === 'answered') {
    const last = req.verb === 'abort' ? await awaitEnd(deps, req, answered.record) : answered.record;
    return {
      functionName: req.functionName,
      alias: req.alias,
      verb: req.verb,
      deploymentId: record.id,
      owner: record.owner,
      answer: answered.record.command?.state === 'refused' ? 'refused' : 'done',
      sentAt,
      answeredAt: answered.at,
      record: last,
      ...(answered.command.nonce === command.nonce ? {} : { joined: joinedOf(answered.command) }),
      pendingOn: answered.pendingOn,
      ...(liftsPause(req.verb, record, answered.record) ? { liftedPause: true as const } : {}),
    };
  }
  if (answered.kind === 'overtaken') {
    const promoted = await promotedDespiteAbort(deps, req, record, answered, sentAt);
    if (promoted) return promoted;
    throw overtakenByAbort(req, record, answered);
  }
  if (answered.kind === 'gone' && answered.now && req.verb === 'abort' && isRollingBack(answered.now)) {
    throw alreadyRollingBack(req, answered.now);
  }
  const last = answered.kind === 'timeout' ? answered.last : undefined;
  const deadPid = deadRunnerPid(deps, req, record, last);
  const waited = { sentOn: record, last, now: deps.clock.now(), ...(deadPid ? { deadPid } : {}) };
  const withdrawn = answered.kind === 'timeout' ? await withdraw(deps, req, record, command) : '';
  throw new OperationError(
    'COMMAND_NOT_ANSWERED',
    `${answered.why}${whyUnanswered(waited, req.verb)}${withdrawn}`,
    {
      hint: answered.kind === 'gone' ? goneHint(req, record, answered.now) : unansweredHint(waited, req),
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
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
 * A promote obeyed by a deployment paused by an operator (its record's last command: a `pause`
 * obeyed) lifts the pause (operator-control.ts): the verb says so.
 */
function liftsPause(verb: OperatorVerb, sentOn: DeploymentRecord, now: DeploymentRecord): boolean {
  const promote = verb === 'promote' || verb === 'promote-full';
  const paused = sentOn.command?.verb === 'pause' && sentOn.command.state === 'done';
  return promote && paused && now.command?.state === 'done';
}

/**
 * A record whose shape does not add up (a step past its plan, a weight over 100%, the same two
 * versions) gets no command, as status, rollback and check act on none: the verbs wrote their
 * command into one and waited their whole --wait for nobody (found by a hostile pass). Its times
 * are left to the liveness watch: a heartbeat from the future is watched, and a runner seen
 * writing still gets its abort whatever its clock says.
 */
function refuseMalformed(req: SendCommandRequest, record: DeploymentRecord | undefined, clock: Clock): void {
  const now = clock.now();
  const problems = record ? findRecordProblems(record, { now, times: false }) : [];
  if (problems.length === 0) return;
  throw untrustedRecordError(
    { functionName: req.functionName, alias: req.alias, now, sandboxClock: clock.followsSandbox === true },
    problems.join('; '),
  );
}

/** Ctrl-C before the command was written: nothing was. */
function interruptedBeforeSending(req: SendCommandRequest): OperationError {
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
async function unsent(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  command: OperatorCommand,
  error: unknown,
): Promise<unknown> {
  const interrupted = req.signal?.aborted === true;
  if (!interrupted && !mayHaveLanded(error)) return error;
  const withdrawn = await withdraw(deps, req, sentOn, command);
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

/** An abort from another operator, over this command (not an abort): it is never written back over it. */
function overtakes(seen: OperatorCommand, command: OperatorCommand): boolean {
  return command.verb !== 'abort' && seen.verb === 'abort' && seen.nonce !== command.nonce;
}

/**
 * A promote (or `--full`) an abort went over before its answer was seen: the deployment read one
 * of the two first. Its end says which won — promoted: the abort was not obeyed (an abort read
 * rolls back), so what this promote asked for happened (exit 0, saying the abort came too late);
 * rolled back, replaced or not ended in time (waited for as an abort waits for its rollback):
 * undefined, and the error says the abort went over it. `promote --full` and `abort` sent at the
 * same instant: the promote was obeyed and the deployment promoted, but its sender said "whether
 * it was obeyed first is unknown" and exited 2 (found by a hostile pass, F2).
 */
async function promotedDespiteAbort(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  overtaken: { abort: OperatorCommand; now: DeploymentRecord },
  sentAt: number,
): Promise<SendCommandResult | undefined> {
  if (req.verb !== 'promote' && req.verb !== 'promote-full') return undefined;
  // Ctrl-C ends this wait: the error then says what is known (the abort went over it).
  const end = await awaitEnd(deps, req, overtaken.now, req.signal).catch(() => undefined);
  if (end?.id !== sentOn.id || end.phase !== 'promoted') return undefined;
  return {
    functionName: req.functionName,
    alias: req.alias,
    verb: req.verb,
    deploymentId: sentOn.id,
    owner: sentOn.owner,
    answer: 'done',
    sentAt,
    answeredAt: deps.clock.now(),
    record: end,
    pendingOn: sentOn,
    overtakenBy: joinedOf(overtaken.abort),
  };
}

function overtakenByAbort(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  { abort, now }: { abort: OperatorCommand; now: DeploymentRecord },
): UsageError {
  const by = `${abort.by}${abort.reason ? ` (${abort.reason})` : ''}`;
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

function joinedOf(other: OperatorCommand): { by: string; reason?: string } {
  return { by: other.by, ...(other.reason === undefined ? {} : { reason: other.reason }) };
}

type Answer =
  /** `command`: the command answered (this one's, or another operator's abort it joined). */
  | {
      kind: 'answered';
      record: DeploymentRecord;
      at: number;
      command: OperatorCommand;
      /** The record as last read with the awaited command still waiting in it (the one sent on, at first). */
      pendingOn: DeploymentRecord;
    }
  /** `last`: the record as last read (a runner busy in a wait without polls: operator-busy.ts). */
  | { kind: 'timeout'; why: string; last?: DeploymentRecord }
  /** Another operator's abort went over this pause, resume or promote before its answer was read. */
  | { kind: 'overtaken'; abort: OperatorCommand; now: DeploymentRecord }
  /** `now`: the deployment's record when it ended first (absent: the record went or was replaced). */
  | { kind: 'gone'; why: string; now?: DeploymentRecord };

/** Reads the record until the command is answered, the deployment ends or is replaced, or time is up. */
async function awaitAnswer(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  command: OperatorCommand,
  joined?: OperatorCommand,
): Promise<Answer> {
  const writtenAt = deps.clock.elapsedMs();
  const deadline = writtenAt + req.waitSeconds * 1000;
  const pollMs = (req.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000;
  let awaited = joined ?? command;
  let last: DeploymentRecord | undefined;
  let pendingOn = sentOn;
  while (deps.clock.elapsedMs() < deadline) {
    await deps.clock.sleep(Math.min(pollMs, Math.max(1, deadline - deps.clock.elapsedMs())), req.signal);
    let record: DeploymentRecord | undefined;
    try {
      record = await deps.store.read(req.functionName, req.alias);
    } catch {
      continue; // a read that failed says nothing; the next one may
    }
    const seen = record?.id === sentOn.id ? record.command : undefined;
    if (record && seen && seen.state !== 'sent' && answers(seen, awaited, req)) {
      return { kind: 'answered', record, at: deps.clock.now(), command: seen, pendingOn };
    }
    if (record && seen && overtakes(seen, command)) return { kind: 'overtaken', abort: seen, now: record };
    const gone = describeGone(sentOn, record);
    if (gone) return { kind: 'gone', why: gone, ...(record?.id === sentOn.id ? { now: record } : {}) };
    if (!record) continue;
    last = record;
    // A runner that stopped (kill -9) is said now, as after the whole wait: nobody will answer.
    const waited = deps.clock.elapsedMs() - writtenAt;
    if (hasRunnerStopped({ sentOn, last, now: deps.clock.now() }, waited)) {
      return { kind: 'timeout', why: didNotAnswer(sentOn, command, Math.round(waited / 1000)), last };
    }
    if (seen?.state === 'sent' && seen.nonce === awaited.nonce) pendingOn = record;
    if (seen && joinable(req, seen)) {
      // Another operator's abort went over this one (or this one joins it): wait for its answer.
      awaited = seen;
    } else if (seen?.nonce !== awaited.nonce) {
      // One of the deployment's own writes (it skips the read right after moving the alias) went
      // over the command before it read it — or the abort this one joined was withdrawn: write
      // this one on the record as it is now.
      awaited = command;
      await resend(deps, req, record, command);
      pendingOn = record;
    }
  }
  return {
    kind: 'timeout',
    why: didNotAnswer(sentOn, command, req.waitSeconds),
    ...(last ? { last } : {}),
  };
}

function didNotAnswer(sentOn: DeploymentRecord, command: OperatorCommand, seconds: number): string {
  return `Deployment ${sentOn.id} did not answer \`${describeVerb(command.verb)}\` within ${seconds} s`;
}

/**
 * `seen` (answered) is the answer awaited: to this command or the one it joined — or, for an
 * abort, to another operator's abort that went over it before the deployment read it.
 */
function answers(seen: OperatorCommand, awaited: OperatorCommand, req: SendCommandRequest): boolean {
  return (
    seen.nonce === awaited.nonce || (req.verb === 'abort' && seen.verb === 'abort' && seen.state === 'done')
  );
}

function describeGone(sentOn: DeploymentRecord, now: DeploymentRecord | undefined): string | undefined {
  if (!now) return `The record of deployment ${sentOn.id} disappeared before it answered; nothing was done`;
  if (now.id !== sentOn.id) {
    return `Deployment ${sentOn.id} was replaced by ${now.id} (${now.owner}) before it answered; the command went with it`;
  }
  if (isEnded(now) || now.phase === 'rolling-back') {
    return `Deployment ${sentOn.id} ended (${now.phase}${now.endReason ? `, ${now.endReason}` : ''}) before it read the command; nothing was done`;
  }
  return undefined;
}

function isRollingBack(record: DeploymentRecord): boolean {
  return record.phase === 'rolling-back' || record.phase === 'rolled-back';
}

/**
 * An abort that another abort (or the deployment's own failure) overtook: what the operator
 * asked for is happening, so this is said as it is — not as an unanswered command (exit 1,
 * "nothing was done"). The same code and exit as an abort sent a moment later.
 */
function alreadyRollingBack(req: SendCommandRequest, now: DeploymentRecord): UsageError {
  const target = `alias ${req.alias} of function ${req.functionName}`;
  const other = now.command?.verb === 'abort' && now.command.state === 'done' ? now.command : undefined;
  const why = other
    ? ` (aborted by ${other.by}${other.reason ? `: ${other.reason}` : ''})`
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

async function resend(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  record: DeploymentRecord,
  command: OperatorCommand,
): Promise<void> {
  try {
    await deps.store.write(req.functionName, req.alias, { ...record, command }, AS_READ);
  } catch {
    // The next poll tries again; the deadline bounds it.
  }
}

/** After an abort was answered: waits (same bound) for the rollback to end, to say how it ended. */
async function awaitEnd(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  record: DeploymentRecord,
  signal?: AbortSignal,
): Promise<DeploymentRecord> {
  const deadline = deps.clock.elapsedMs() + req.waitSeconds * 1000;
  let last = record;
  while (!isEnded(last) && deps.clock.elapsedMs() < deadline) {
    await deps.clock.sleep((req.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000, signal);
    last = (await deps.store.read(req.functionName, req.alias).catch(() => last)) ?? last;
    if (last.id !== record.id) return record;
  }
  return last;
}

function withdraw(
  deps: SendCommandDeps,
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  command: OperatorCommand,
): Promise<string> {
  const settleMs = (req.pollSeconds ?? DEFAULT_POLL_SECONDS) * 1000;
  return withdrawCommand(deps, {
    functionName: req.functionName,
    alias: req.alias,
    sentOn,
    command,
    settleMs,
  });
}
