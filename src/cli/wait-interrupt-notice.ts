/**
 * What the first Ctrl-C (or SIGTERM) of `lshift wait <id>` says it does. That depends on what the
 * wait has read of the deployment: nothing yet, that it runs, or that CodeDeploy ended it.
 *
 * Before the first read answered, lshift does not know whether there is anything to stop: a
 * signal kept while the command started (early-signals.ts) is taken before any read, and one that
 * abandons the first read in flight sends StopDeployment without one. The notice then says what
 * happens in either case. It said "stopping the deployment with auto-rollback (StopDeployment)",
 * then found the deployment had ended and stopped nothing (found by a hostile pass). Once the wait
 * follows the run that is rolling back a deployment lshift decided to roll back, or finishes that
 * rollback itself (follow-deciding-run.ts, follow-decided-rollback.ts), the notice says that.
 */

import { KEEPING_MOVE_STOPPING } from './interrupt-notices.js';

export type WaitInterruptMode = 'rollback' | 'leave';

export interface WaitRead {
  /** CodeDeploy's status at the wait's last answered read; undefined before the first. */
  status?: string;
  /** CodeDeploy's end, once a read said it (`Succeeded`, `Failed`, `Stopped`). */
  ended?: string;
  /**
   * The owner of the live run the rollback lshift decided is left to, whose record the wait
   * follows after CodeDeploy's end (follow-deciding-run.ts): a signal ends that following.
   */
  followingRun?: string;
  /** The wait finishes the rollback lshift decided itself (follow-decided-rollback.ts). */
  finishingRollback?: true;
  /** The wait stops CodeDeploy without its rollback, keeping a person's move (follow-hand-move.ts). */
  keepingMove?: true;
}

/** A signal once the wait has read that the deployment still runs. */
const STOPPING: Record<WaitInterruptMode, string> = {
  rollback:
    'stopping the deployment with auto-rollback (StopDeployment) and following it until CodeDeploy has put the alias back',
  leave: 'no longer following the deployment; AWS CodeDeploy keeps running it (--on-interrupt leave)',
};

/** A signal before the wait has read anything: true whether the deployment runs or has ended. */
function unreadNotice(id: string, mode: WaitInterruptMode): string {
  const unread = `lshift has not read deployment ${id} yet`;
  return mode === 'rollback'
    ? `${unread}: if AWS CodeDeploy still runs it, lshift stops it with auto-rollback (StopDeployment) and follows it until CodeDeploy has put the alias back; if it has already ended, there is nothing to stop`
    : `${unread}: if AWS CodeDeploy still runs it, lshift stops following it and CodeDeploy keeps running it (--on-interrupt leave); if it has already ended, there is nothing to leave running`;
}

/** A signal once the end is read: nothing is stopped for it. */
function endedNotice(id: string, status: string): string {
  return `AWS CodeDeploy had already ended deployment ${id} (${status}): nothing is left to stop; lshift is reading where the alias is, then exits`;
}

/**
 * The rollback lshift decided, left to its live run after CodeDeploy's end: the signal ends the
 * following of that run's record and the wait exits 4 without reading the alias again. It said
 * "lshift is reading where the alias is, then exits" (found in session 61).
 */
function followingRunNotice(id: string, status: string | undefined, owner: string): string {
  const ended = status
    ? `AWS CodeDeploy had already ended deployment ${id} (${status})`
    : `deployment ${id} has ended`;
  return `${ended}: nothing is left to stop; lshift stops following the record of its run (${owner}), which is still rolling it back, and exits (exit 4): that run goes on, and \`lshift status\` shows where the alias is`;
}

/** The wait rolls back itself: a signal asks for that very rollback, which goes on (no call abandoned). */
const FINISHING =
  'lshift is finishing the rollback it decided for this deployment: the rollback goes on until the alias is back (or it fails), then lshift exits';

/** The first signal's notice (guardInterrupts' `stopping`), from what the wait has read so far. */
export function describeWaitInterrupt(id: string, mode: WaitInterruptMode, read: WaitRead): string {
  if (read.finishingRollback) return FINISHING;
  if (read.keepingMove) return KEEPING_MOVE_STOPPING;
  if (read.followingRun !== undefined) return followingRunNotice(id, read.ended, read.followingRun);
  if (read.ended !== undefined) return endedNotice(id, read.ended);
  if (read.status === undefined) return unreadNotice(id, mode);
  return STOPPING[mode];
}
