/**
 * The wait of `lshift promote | pause | resume | abort` once its command is in the record
 * (operator-send.ts): the record read every poll until the running deployment answers, ends, is
 * replaced, or time is up; the command written again over a write of the deployment's that went
 * over it; another operator's abort joined. After an abort, the wait for its rollback to end.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { describeVerb, type OperatorCommand } from '../domain/operator-command.js';
import { hasRunnerStopped } from './operator-busy.js';
import { joinable } from './operator-refusals.js';
import type { SendCommandDeps, SendCommandRequest } from './operator-send-types.js';
import { isEnded } from './record-view.js';

export const DEFAULT_POLL_SECONDS = 2;

/** A command is written on a copy of the record as read: its runner's token too (record-seal.ts). */
export const AS_READ = { keepRunnerToken: true } as const;

export type Answer =
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
export async function awaitAnswer(
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

/** An abort from another operator, over this command (not an abort): it is never written back over it. */
function overtakes(seen: OperatorCommand, command: OperatorCommand): boolean {
  return command.verb !== 'abort' && seen.verb === 'abort' && seen.nonce !== command.nonce;
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
export async function awaitEnd(
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
