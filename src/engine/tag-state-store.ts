/**
 * The deployment record stored as the function tag `lshift:<alias>` (DESIGN.md §6), so `status`,
 * `rollback`, `check` and `deploy --resume` find it from any machine with the function name alone.
 *
 * Lambda tags belong to the function, not to a version or alias: TagResource/ListTags take the
 * unqualified function ARN, and a qualified one is refused
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-tags.html). ListTags wants an ARN, not
 * a name, so the store resolves it once per function with GetFunctionConfiguration and caches it.
 */

import {
  dropWithdrawn,
  encodeWithdrawn,
  parseWithdrawn,
  withdrawnTagKey,
} from '../domain/command-withdrawal.js';
import {
  type DeploymentRecord,
  decodeRecord,
  encodeRecord,
  recordTagKey,
} from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import { resolveSealed, sealTagKey } from '../domain/record-seal.js';
import type { LambdaPort, RequestUrgency } from '../ports/lambda.js';
import type {
  StateStore,
  StoreWriteOptions,
  WithdrawalStore,
  WithdrawalView,
  WithdrawnWrite,
} from '../ports/state-store.js';

export class TagStateStore implements StateStore, WithdrawalStore {
  private readonly arns = new Map<string, Promise<string>>();

  constructor(private readonly lambda: LambdaPort) {}

  /**
   * Undefined when the function has no `lshift:<alias>` tag; a corrupt tag throws RECORD_CORRUPT.
   * The seal (`lshift-end:<alias>`, read by the same ListTags) is taken instead when the record
   * tag holds an older record of its run: a late write (record-seal.ts). A `sent` command listed
   * in `lshift-withdrawn:<alias>` (the same ListTags) is dropped: its sender withdrew it.
   */
  async read(
    functionName: string,
    alias: string,
    opts?: RequestUrgency,
  ): Promise<DeploymentRecord | undefined> {
    const key = recordTagKey(alias);
    const tags = await this.lambda.listTags(await this.resolveArn(functionName), opts);
    return readAliasRecord(tags, functionName, alias, key);
  }

  /** One ListTags: the record as read, as stored, and the list of withdrawn commands. */
  async readWithdrawals(functionName: string, alias: string): Promise<WithdrawalView> {
    const key = recordTagKey(alias);
    const tags = await this.lambda.listTags(await this.resolveArn(functionName));
    const withdrawn = withdrawnOf(tags, alias);
    const stored = readStoredRecord(tags, functionName, alias, key);
    return { record: dropWithdrawn(stored, withdrawn), stored, withdrawn };
  }

  /**
   * The list and the record (as read: its runner's token kept) in one TagResource. A function
   * without room for the list's tag (50) gets the record alone, as before there were lists.
   */
  async writeWithdrawals(
    functionName: string,
    alias: string,
    withdrawn: readonly string[],
    record?: DeploymentRecord,
  ): Promise<WithdrawnWrite> {
    const recordTags = record ? { [recordTagKey(alias)]: encodeRecord(record) } : {};
    const listKey = withdrawnTagKey(alias);
    const arn = await this.resolveArn(functionName);
    try {
      await this.lambda.tagResource(arn, { [listKey]: encodeWithdrawn(withdrawn), ...recordTags });
      return 'written';
    } catch (error) {
      if (!isTagLimit(error)) throw error;
      if (record) await this.lambda.tagResource(arn, recordTags);
      return 'no-room';
    }
  }

  /**
   * Encodes first (≤ 256 characters or RECORD_TOO_LARGE), so nothing half-written reaches AWS.
   * The record and its seal go in one TagResource; a function without room for one more tag (50)
   * gets the record alone, as before there were seals.
   */
  async write(
    functionName: string,
    alias: string,
    record: DeploymentRecord,
    opts: StoreWriteOptions = {},
  ): Promise<void> {
    const key = recordTagKey(alias);
    const value = encodeRecord(opts.keepRunnerToken ? record : withoutRunnerToken(record));
    const sealKey = opts.seal && record.runnerToken !== undefined ? sealTagKey(alias) : undefined;
    const arn = await this.resolveArn(functionName);
    const urgency = opts.urgent ? { urgent: true } : undefined;
    if (sealKey === undefined) {
      if (opts.seal === 'only') return;
      await this.lambda.tagResource(arn, { [key]: value }, urgency);
      return;
    }
    const sealed = encodeRecord(record);
    const tags = opts.seal === 'only' ? { [sealKey]: sealed } : { [key]: value, [sealKey]: sealed };
    try {
      await this.lambda.tagResource(arn, tags, urgency);
    } catch (error) {
      // Lambda's 50 tags: the seal is a guard against a rare late write, the record is the state.
      if (!isTagLimit(error)) throw error;
      if (opts.seal === 'only') return;
      await this.lambda.tagResource(arn, { [key]: value }, urgency);
    }
  }

  /** The unqualified function ARN, looked up once. A failed lookup is not cached. */
  resolveArn(functionName: string): Promise<string> {
    let arn = this.arns.get(functionName);
    if (!arn) {
      arn = this.lambda.getFunction(functionName).then((info) => unqualifiedFunctionArn(info.functionArn));
      arn.catch(() => this.arns.delete(functionName));
      this.arns.set(functionName, arn);
    }
    return arn;
  }
}

/** `arn:aws:lambda:us-east-1:123:function:my-fn:live` → `arn:aws:lambda:us-east-1:123:function:my-fn`. */
export function unqualifiedFunctionArn(arn: string): string {
  const parts = arn.split(':');
  return parts[5] === 'function' && parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}

/**
 * The record of one alias from a function's tags as readers see it: the stored record
 * (readStoredRecord) without a `sent` command its sender withdrew (command-withdrawal.ts).
 */
export function readAliasRecord(
  tags: Record<string, string>,
  functionName: string,
  alias: string,
  key: string,
): DeploymentRecord | undefined {
  return dropWithdrawn(readStoredRecord(tags, functionName, alias, key), withdrawnOf(tags, alias));
}

/** `lshift-withdrawn:<alias>` (its hashed key for a long alias) as stored; anything unreadable in it is no entry. */
function withdrawnOf(tags: Record<string, string>, alias: string): string[] {
  return parseWithdrawn(tags[withdrawnTagKey(alias)]);
}

/**
 * The record of one alias from a function's tags: its record tag's, or its seal's when the record
 * tag holds an older record of the run that sealed it (record-seal.ts). A seal that cannot be
 * decoded is no seal: it never makes a record unreadable.
 */
function readStoredRecord(
  tags: Record<string, string>,
  functionName: string,
  alias: string,
  key: string,
): DeploymentRecord | undefined {
  const value = tags[key];
  if (value === undefined) return undefined;
  const main = decodeRecord(value, { functionName, alias });
  const sealValue = tags[sealTagKey(alias)];
  if (sealValue === undefined) return main;
  let seal: DeploymentRecord | undefined;
  try {
    seal = decodeRecord(sealValue, { functionName, alias });
  } catch {
    return main;
  }
  return resolveSealed(main, seal);
}

function withoutRunnerToken(record: DeploymentRecord): DeploymentRecord {
  if (record.runnerToken === undefined) return record;
  const { runnerToken: _dropped, ...rest } = record;
  return rest;
}

/**
 * Lambda refused the request's tags (InvalidParameterValueException: at most 50 a function; its
 * words are not documented, so any refused parameter): the record alone is tried again, and
 * refused again if it was what Lambda refused.
 */
function isTagLimit(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'INVALID_PARAMETER';
}
