/**
 * Which operator command the deployment recorder's next write carries (deployment-recorder.ts).
 * The recorder's read of its own record carries a command the sender wrote on it, not yet
 * answered, into the write — a hook's or a READY wait's heartbeats write the record from memory
 * and would otherwise drop it before a health poll reads it. When that read fails (throttled, a
 * network error), what the store holds is unknown: a heartbeat then says nothing the store lacks,
 * so it is put off to the next try, a poll later, rather than written over a command it could not
 * see (mayPutOffBeat, recorder-reads.ts, bounds it so the record never looks abandoned). A write
 * that says something new (a step, a phase) goes ahead without the command: carrying the last
 * one seen could write back one its sender withdrew meanwhile, and a sender still waiting writes
 * a dropped command again (operator-send.ts). Apart from the recorder: a pure decision.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { commandToWrite } from '../domain/operator-command.js';
import { isEnded } from './record-view.js';

/**
 * The record to store: ours (`record`), carrying over an operator command the stored record
 * (just read, ours) has and we have not answered yet — else a heartbeat during a hook or the wait
 * for READY would write it away before a health poll reads it. The command stays out of memory:
 * it is carried from what the store holds, so a command withdrawn meanwhile is not written back.
 * An ending record (promoted, rolling back, …) carries none: nobody will read it. `carrying`
 * says a command still `sent` was carried over.
 */
export function withPendingCommand(
  record: DeploymentRecord,
  ownStored: DeploymentRecord | undefined,
): { record: DeploymentRecord; carrying: boolean } {
  const running = !isEnded(record) && record.phase !== 'rolling-back';
  const command = running ? commandToWrite(record.command, ownStored?.command) : record.command;
  const carrying = command !== undefined && command !== record.command;
  if (!carrying) return { record, carrying };
  return { record: { ...record, command: command! }, carrying };
}
