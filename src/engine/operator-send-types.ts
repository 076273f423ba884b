/**
 * What `sendOperatorCommand` (operator-send.ts) needs, is asked and answers; its refusals
 * (operator-refusals.ts) and its wait (operator-await-answer.ts) read the same.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { OperatorVerb } from '../domain/operator-command.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
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
  /** Reads a kept move's CodeDeploy deployment beside that alias read (kept-move-hint.ts). */
  deployments?: Pick<CodeDeployPort, 'getDeployment'>;
  /**
   * This machine's processes: a runner of this user here whose pid is gone (kill -9) is said so
   * when it does not answer, before its heartbeat looks stale (operator-busy.ts whyUnanswered).
   */
  processes?: LocalProcesses;
  /**
   * Told once the command is in the record (or joined another operator's), before the wait for
   * the answer: at a terminal the wait, up to --wait, showed nothing at all (a hostile pass).
   */
  onSent?: (sent: {
    functionName: string;
    alias: string;
    deploymentId: string;
    joined: boolean;
    /** An abort's --reason the record had no room for: sent without it (operator-refusals.ts fitReason). */
    reasonDropped?: DroppedReason;
  }) => void;
}

/** A reason the record cannot keep: what it takes of the tag, and the room it had (describeReasonRoom). */
export interface DroppedReason {
  takes: number;
  room: number;
  /** The reason as typed, which the record does not keep: the warning is all that says it. */
  reason: string;
  /** How many of the tag's characters the runner's owner takes as the record keeps it (at most 64). */
  ownerChars: number;
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
  /**
   * The release's functions the operator named, and their aliases (`--release`): a hint naming its
   * resume names them, not `<the other functions of release r-…>` (found by a hostile pass).
   */
  releaseFunctions?: readonly string[];
  releaseAliases?: readonly string[];
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
  joined?: { by?: string; reason?: string };
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
  overtakenBy?: { by?: string; reason?: string };
  /** A promote (or `--full`) of a deployment an operator had paused: obeying it lifted the pause. */
  liftedPause?: true;
}
