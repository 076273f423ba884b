/** What `sendOperatorCommand` (operator-send.ts) needs and is asked; its refusals (operator-refusals.ts) read the same. */
import type { OperatorVerb } from '../domain/operator-command.js';
import type { Clock } from '../ports/clock.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { CommandStore } from '../ports/state-store.js';

export interface SendCommandDeps {
  /** The record, and the list of withdrawn commands (command-withdrawal.ts). */
  store: CommandStore;
  clock: Clock;
  random: () => number;
  /**
   * Read only when the alias holds no record: an alias that does not exist is ALIAS_NOT_FOUND,
   * not "no deployment is running" (found by a hostile pass: `pause demo -a nope`).
   */
  aliases?: Pick<LambdaPort, 'getAlias'>;
  /**
   * Told once the command is in the record (or joined another operator's), before the wait for
   * the answer: at a terminal the wait, up to --wait, showed nothing at all (a hostile pass).
   */
  /**
   * This machine's processes: a runner of this user here whose pid is gone (kill -9) is said so
   * when it does not answer, before its heartbeat looks stale (operator-busy.ts whyUnanswered).
   */
  processes?: LocalProcesses;
  onSent?: (sent: { functionName: string; alias: string; deploymentId: string; joined: boolean }) => void;
}

export interface SendCommandRequest {
  functionName: string;
  alias: string;
  verb: OperatorVerb;
  /** Who sends it (user@host:pid, the CI job). */
  by: string;
  reason?: string;
  /** Sent as the command of this whole release (`pause --release`: every function's hold stops). */
  release?: string;
  /** How long to wait for the running deployment to answer. */
  waitSeconds: number;
  /** How often to read the record while waiting (default 2 s). */
  pollSeconds?: number;
  staleAfterSeconds?: number;
  /** The caller just saw the runner write the record (operator-liveness.ts): not refused as stale. */
  runnerSeenAlive?: boolean;
  /**
   * Ctrl-C/SIGTERM: before the write, nothing is written; during it (the call abandoned) or while
   * waiting, the command is withdrawn (if still unanswered) and INTERRUPTED thrown.
   */
  signal?: AbortSignal;
}
