/**
 * Withdrawing an operator command nobody answered in time (or on Ctrl-C): the record is put back
 * as it was, without the command. The running deployment may have read the record, command and
 * all, moments before: its next write carries a `sent` command over (deployment-recorder.ts,
 * so a hook's heartbeat does not drop it) and would put it back, to be obeyed after the verb said
 * "nothing was done". So the verb looks once more, a poll later: a command put back is withdrawn
 * again, and one answered meanwhile is said as obeyed.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { OperatorCommand } from '../domain/operator-command.js';
import type { Clock } from '../ports/clock.js';
import type { StateStore } from '../ports/state-store.js';
import { describeError } from './emit.js';

interface WithdrawTarget {
  functionName: string;
  alias: string;
  /** The record the command was written on, and the command. */
  sentOn: DeploymentRecord;
  command: OperatorCommand;
  /** How long a write of the deployment's, read before the withdrawal, may take to land. */
  settleMs: number;
}

type WithdrawStep = 'withdrawn' | 'answered' | 'absent';

/** Withdraws the command; the clause to end the verb's message with. */
export async function withdrawCommand(
  deps: { store: StateStore; clock: Clock },
  target: WithdrawTarget,
): Promise<string> {
  let first: WithdrawStep;
  try {
    first = await withdrawOnce(deps, target);
  } catch (error) {
    return `; withdrawing the command failed (${describeError(error)}): the deployment may still obey it at its next poll`;
  }
  if (first === 'answered') return ' (it had already answered)';
  if (first === 'absent') return '; nothing was done';
  await deps.clock.sleep(target.settleMs);
  try {
    if ((await withdrawOnce(deps, target)) === 'answered') {
      return `; it obeyed the command as it was being withdrawn: see \`lshift status ${target.functionName} --alias ${target.alias}\``;
    }
  } catch (error) {
    return `; the command was withdrawn, but the last look whether the deployment wrote it back failed (${describeError(error)}): see \`lshift status ${target.functionName} --alias ${target.alias}\``;
  }
  return '; the command was withdrawn and nothing was done';
}

/** Puts the record back without the command, if the command is still there unanswered. */
async function withdrawOnce(deps: { store: StateStore }, t: WithdrawTarget): Promise<WithdrawStep> {
  const now = await deps.store.read(t.functionName, t.alias);
  const ours = now?.id === t.sentOn.id && now.command?.nonce === t.command.nonce;
  if (!now || !ours) return 'absent';
  if (now.command?.state !== 'sent') return 'answered';
  const { command: _dropped, ...rest } = now;
  await deps.store.write(
    t.functionName,
    t.alias,
    { ...rest, ...(t.sentOn.command ? { command: t.sentOn.command } : {}) },
    { keepRunnerToken: true },
  );
  return 'withdrawn';
}
