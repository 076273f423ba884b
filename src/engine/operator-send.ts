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
import { createCommandNonce, type OperatorCommand, type OperatorVerb } from '../domain/operator-command.js';
import {
  type Answer,
  AS_READ,
  awaitAnswer,
  awaitEnd,
  DEFAULT_POLL_SECONDS,
} from './operator-await-answer.js';
import { looksStale, watchRunner } from './operator-liveness.js';
import {
  checkRunning,
  fitReason,
  joinable,
  refuseMalformed,
  refuseMissingAlias,
} from './operator-refusals.js';
import { refuseKnownGoneRunner } from './operator-runner-gone.js';
import {
  alreadyRollingBack,
  interruptedBeforeSending,
  interruptedWhileWaiting,
  isRollingBack,
  overtakenByAbort,
  unansweredError,
  unansweredWait,
  unsent,
} from './operator-send-errors.js';
import type { SendCommandDeps, SendCommandRequest, SendCommandResult } from './operator-send-types.js';
import { withdrawCommand } from './operator-withdraw.js';
import { staleOverSplit } from './stale-over-split.js';

export type { SendCommandDeps, SendCommandRequest, SendCommandResult } from './operator-send-types.js';

export async function sendOperatorCommand(
  deps: SendCommandDeps,
  req: SendCommandRequest,
): Promise<SendCommandResult> {
  // A heartbeat that looks stale is watched first: the timestamp is the runner's clock.
  let record = await deps.store.read(req.functionName, req.alias);
  if (!record) await refuseMissingAlias(deps, req);
  refuseMalformed(req, record, deps.clock);
  let seenAlive = req.runnerSeenAlive === true;
  // Inline, not a function of its own: no tick added to the sends that go ahead.
  try {
    const refused = refuseKnownGoneRunner(deps, req, record, seenAlive);
    if (refused) await refused;
    if (record && !seenAlive && looksStale(deps, req, record))
      ({ record, seenAlive } = await watchRunner(deps, req, record));
    checkRunning(deps, req, record, seenAlive);
  } catch (error) {
    // Nobody to read it over a split: exit 4 (stale-over-split.ts).
    throw await staleOverSplit(
      deps.aliases,
      [{ functionName: req.functionName, alias: req.alias, record }],
      error,
    );
  }
  const sentOn = record;
  const { command, dropped } = fitReason(sentOn, {
    verb: req.verb,
    nonce: createCommandNonce(deps.random),
    state: 'sent',
    by: req.by,
    ...(req.reason === undefined ? {} : { reason: req.reason }),
  });
  // The same command from another operator, not yet answered: its answer is this one's too.
  const pending = joinable(req, sentOn.command) ? sentOn.command : undefined;
  if (req.signal?.aborted) throw interruptedBeforeSending(req);
  // Encoding happens before the write (RECORD_TOO_LARGE refuses with nothing written).
  // Written as read, its runner's token kept: if it lands after the deployment ended, it is read
  // as the older record it is (src/domain/record-seal.ts).
  if (!pending) {
    try {
      await deps.store.write(req.functionName, req.alias, { ...sentOn, command }, AS_READ);
    } catch (error) {
      throw await unsent(req, sentOn, error, () => withdraw(deps, req, sentOn, command));
    }
  }
  deps.onSent?.({
    functionName: req.functionName,
    alias: req.alias,
    deploymentId: sentOn.id,
    joined: !!pending,
    ...(dropped ? { reasonDropped: dropped } : {}),
  });
  const sentAt = deps.clock.now();
  let answered: Answer;
  try {
    answered = await awaitAnswer(deps, req, sentOn, command, pending);
  } catch (error) {
    if (!req.signal?.aborted) throw error;
    throw interruptedWhileWaiting(req, sentOn, await withdraw(deps, req, sentOn, command));
  }
  if (answered.kind === 'answered') {
    const last = req.verb === 'abort' ? await awaitEnd(deps, req, answered.record) : answered.record;
    return answeredResult(req, sentOn, command, answered, { sentAt, last });
  }
  if (answered.kind === 'overtaken') {
    const promoted = await promotedDespiteAbort(deps, req, sentOn, answered, sentAt);
    if (promoted) return promoted;
    throw overtakenByAbort(req, sentOn, answered);
  }
  if (answered.kind === 'gone' && answered.now && req.verb === 'abort' && isRollingBack(answered.now)) {
    throw alreadyRollingBack(req, answered.now);
  }
  const waited = unansweredWait(deps, req, sentOn, answered);
  const withdrawn = answered.kind === 'timeout' ? await withdraw(deps, req, sentOn, command) : '';
  throw unansweredError(req, sentOn, answered, waited, withdrawn);
}

/** What every result says first: the command, and the deployment it was sent to. */
function sentTo(req: SendCommandRequest, sentOn: DeploymentRecord) {
  return {
    functionName: req.functionName,
    alias: req.alias,
    verb: req.verb,
    deploymentId: sentOn.id,
    owner: sentOn.owner,
  };
}

/** The command answered (`done` or `refused`), this one's or the one it joined. */
function answeredResult(
  req: SendCommandRequest,
  sentOn: DeploymentRecord,
  command: OperatorCommand,
  answered: Extract<Answer, { kind: 'answered' }>,
  { sentAt, last }: { sentAt: number; last: DeploymentRecord },
): SendCommandResult {
  return {
    ...sentTo(req, sentOn),
    answer: answered.record.command?.state === 'refused' ? 'refused' : 'done',
    sentAt,
    answeredAt: answered.at,
    record: last,
    ...(answered.command.nonce === command.nonce ? {} : { joined: joinedOf(answered.command) }),
    pendingOn: answered.pendingOn,
    ...(liftsPause(req.verb, sentOn, answered.record) ? { liftedPause: true as const } : {}),
  };
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
    ...sentTo(req, sentOn),
    answer: 'done',
    sentAt,
    answeredAt: deps.clock.now(),
    record: end,
    pendingOn: sentOn,
    overtakenBy: joinedOf(overtaken.abort),
  };
}

/** Who sent it and why, as the record keeps them: a sender it had no room for is absent, as in `status --json`. */
function joinedOf(other: OperatorCommand): { by?: string; reason?: string } {
  return {
    ...(other.by ? { by: other.by } : {}),
    ...(other.reason === undefined ? {} : { reason: other.reason }),
  };
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
