/**
 * Withdrawing an operator command nobody answered in time (or on Ctrl-C, or whose write failed
 * and may still land): its `<deployment id>.<nonce>` is listed in `lshift-withdrawn:<alias>`
 * (src/domain/command-withdrawal.ts) and the record is put back as it was, without the command,
 * in one TagResource. From then on every reader drops the command if a copy of it lands late —
 * the verb's own write held in flight, an attempt the SDK gave up on and retried, a `resend` — so
 * the running deployment neither obeys nor carries it. The list is written even when the command
 * is not in the record (its write may not have landed yet).
 *
 * The running deployment may have read the record, command and all, moments before: its next
 * write carries a `sent` command over (deployment-recorder.ts, so a hook's heartbeat does not drop
 * it). So the verb looks once more, a poll later: a command put back (still in the record tag,
 * for an older lshift that reads no list) is withdrawn again, an entry another verb's withdrawal
 * wrote over (both read the list, then wrote it) is listed again, and a command answered
 * meanwhile is said as obeyed.
 */
import { addWithdrawn, withdrawalEntry } from '../domain/command-withdrawal.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { OperatorCommand } from '../domain/operator-command.js';
import type { Clock } from '../ports/clock.js';
import type { CommandStore, WithdrawnWrite } from '../ports/state-store.js';
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

/** One look: what it found, and whether the command is listed as withdrawn now. */
interface Look {
  step: WithdrawStep;
  /** `listed`: it already was; otherwise how this look's write went (none when answered). */
  marked?: WithdrawnWrite | 'listed';
}

/** Withdraws the command; the clause to end the verb's message with. */
export async function withdrawCommand(
  deps: { store: CommandStore; clock: Clock },
  target: WithdrawTarget,
): Promise<string> {
  let first: Look;
  try {
    first = await withdrawOnce(deps, target);
  } catch (error) {
    return `; withdrawing the command failed (${describeError(error)}): the deployment may still obey it at its next poll`;
  }
  if (first.step === 'answered') return ' (it had already answered)';
  const unmarked = describeUnmarked(first.marked, target);
  // Unlisted, a write still in flight may yet be obeyed: "nothing was done" would be proved false.
  const nothing = unmarked === '' ? 'nothing was done' : 'nothing was done yet';
  await deps.clock.sleep(target.settleMs);
  let second: Look;
  try {
    // A list the function has no room (or key) for is not tried again: only a record to put back is written.
    second = await withdrawOnce(deps, target, unmarked === '' ? undefined : first.marked);
  } catch (error) {
    const what = first.step === 'absent' ? nothing : 'the command was withdrawn';
    return `; ${what}, but the last look whether the deployment wrote it back failed (${describeError(error)}): see \`lshift status ${target.functionName} --alias ${target.alias}\`${unmarked}`;
  }
  if (second.step === 'answered') {
    return `; it obeyed the command as it was being withdrawn: see \`lshift status ${target.functionName} --alias ${target.alias}\``;
  }
  const done =
    first.step === 'absent' && second.step === 'absent'
      ? nothing
      : `the command was withdrawn and ${nothing}`;
  return `; ${done}${unmarked}`;
}

/**
 * Lists the command as withdrawn (unless it is) and puts the record back without it (if it is
 * still there unanswered), in one write.
 */
async function withdrawOnce(
  deps: { store: CommandStore },
  t: WithdrawTarget,
  unlistable?: Look['marked'],
): Promise<Look> {
  const view = await deps.store.readWithdrawals(t.functionName, t.alias);
  const now = view.stored;
  const ours = now?.id === t.sentOn.id && now.command?.nonce === t.command.nonce;
  if (now && ours && now.command?.state !== 'sent') return { step: 'answered' };
  const entry = withdrawalEntry(t.sentOn.id, t.command.nonce);
  const listed = view.withdrawn.includes(entry);
  const restored = now && ours ? withoutCommand(now, t.sentOn) : undefined;
  if ((listed || unlistable) && !restored) return { step: 'absent', marked: listed ? 'listed' : unlistable };
  const marked = await deps.store.writeWithdrawals(
    t.functionName,
    t.alias,
    addWithdrawn(view.withdrawn, entry),
    restored,
  );
  return {
    step: restored ? 'withdrawn' : 'absent',
    marked: listed && marked === 'written' ? 'listed' : marked,
  };
}

/** The record as read, its command back to the one the verb's write replaced. */
function withoutCommand(now: DeploymentRecord, sentOn: DeploymentRecord): DeploymentRecord {
  const { command: _dropped, ...rest } = now;
  return { ...rest, ...(sentOn.command ? { command: sentOn.command } : {}) };
}

/**
 * The list could not be written: a write of the command still in flight (held by a stalled
 * endpoint, an attempt the SDK retried) would be obeyed if it lands. Said, with why.
 */
function describeUnmarked(marked: Look['marked'], t: WithdrawTarget): string {
  if (marked !== 'no-room') return '';
  const why = 'the function has the 50 tags Lambda allows';
  return ` — but it could not be marked withdrawn (${why}): if a write of it is still in flight and lands, the deployment obeys it; see \`lshift status ${t.functionName} --alias ${t.alias}\``;
}
