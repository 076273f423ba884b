/**
 * Where the deployment record lives (issue 6): a tag on the function keyed by alias, so any
 * machine can see, resume or roll back a deployment. See src/domain/deployment-record.ts.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { RequestUrgency } from './lambda.js';

export interface StoreWriteOptions extends RequestUrgency {
  /**
   * Write the record's runner token (`rn=`, src/domain/record-seal.ts): only its own runner
   * (deployment-recorder.ts) and a copy of the record as read (an operator command, its
   * withdrawal) may. Without it the token is left out: any other writer's record is not that run's.
   */
  keepRunnerToken?: boolean;
  /**
   * The seal (src/domain/record-seal.ts): `also` writes the record as the alias's seal too, in the
   * same request; `only` writes the seal alone (a close of a record that may still land).
   */
  seal?: 'also' | 'only';
}

export interface StateStore {
  /**
   * The record of the alias: the record tag's, or its seal when that tag holds an older record of
   * the run that sealed it (a late write: record-seal.ts resolveSealed). A `sent` command its
   * sender withdrew (`lshift-withdrawn:<alias>`, command-withdrawal.ts) is dropped.
   */
  read(functionName: string, alias: string, opts?: RequestUrgency): Promise<DeploymentRecord | undefined>;
  write(
    functionName: string,
    alias: string,
    record: DeploymentRecord,
    opts?: StoreWriteOptions,
  ): Promise<void>;
}

/** What a withdrawal of an operator command reads (src/domain/command-withdrawal.ts). */
export interface WithdrawalView {
  /** The record as `read` gives it: a `sent` command the list names is dropped. */
  record: DeploymentRecord | undefined;
  /** The record as its tag holds it (the seal applied), such a command still in it. */
  stored: DeploymentRecord | undefined;
  /** `lshift-withdrawn:<alias>` as stored, newest first (none: empty). */
  withdrawn: string[];
}

/**
 * How a list was written: `written`; `no-room` (the function has 50 tags): the list is not
 * written, only the record when one was given. (Every alias names a key: a long one's is hashed,
 * command-withdrawal.ts.)
 */
export type WithdrawnWrite = 'written' | 'no-room';

/** The verbs' side of `lshift-withdrawn:<alias>` (only the verbs write it). */
export interface WithdrawalStore {
  readWithdrawals(functionName: string, alias: string): Promise<WithdrawalView>;
  /**
   * Writes the list and, when given, the record (as read: its runner token kept) in the same
   * TagResource, so both land or neither does.
   */
  writeWithdrawals(
    functionName: string,
    alias: string,
    withdrawn: readonly string[],
    record?: DeploymentRecord,
  ): Promise<WithdrawnWrite>;
}

/** The store the verbs use: the record, and the list of withdrawn commands. */
export type CommandStore = StateStore & WithdrawalStore;
