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
  RECORD_TAG_PREFIX,
  recordTagKey,
} from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
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

export interface ListedRecord {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
}

/** A function or tag `listRecords` could not read (when it was asked to carry on). */
export interface ListRecordsFailure {
  functionName: string;
  /** Set when the tag was read but is corrupt. */
  alias?: string;
  error: unknown;
}

export interface ListRecordsOptions {
  /** Functions to look at; all functions of the account and region when absent. */
  functionNames?: string[];
  /** Only this alias's record (or each function's own alias); every `lshift:*` tag when absent. */
  alias?: string | ((functionName: string) => string);
  /** Parallel ListTags calls (default 5): enough to be quick, few enough not to be throttled. */
  concurrency?: number;
  /**
   * Called for each function or tag that could not be read; listing carries on without it.
   * Without it the first failure rejects the whole listing.
   */
  onError?: (failure: ListRecordsFailure) => void;
  /**
   * Told how many functions were read of how many: once with 0 when the functions are known,
   * then after each (read or failed). A whole account can be hundreds of functions.
   */
  onProgress?: (read: number, total: number) => void;
  /**
   * Ends the listing at the first record it accepts: no function not yet begun is read (those
   * in flight finish). `lshift wait` looks for one record among every function of an account.
   */
  stopAt?: (record: ListedRecord) => boolean;
  /** Once aborted, no function not yet begun is read: the listing ends with what it has. */
  signal?: AbortSignal;
  /**
   * Functions listed but not read (no ListTags): their records are known already (a release
   * rollback's functions named, read and rolled back just before). Given as the caller spelt
   * them (a name or an ARN: one function).
   */
  skip?: readonly string[];
}

export const DEFAULT_LIST_CONCURRENCY = 5;

/**
 * Every deployment record in reach: ListFunctions (or the named functions' ARNs via
 * GetFunctionConfiguration), then ListTags per function, keeping `lshift:*` tags. Results keep the
 * order of the functions, then of the tags as Lambda returned them.
 */
export async function listRecords(
  lambda: LambdaPort,
  opts: ListRecordsOptions = {},
): Promise<ListedRecord[]> {
  const skipped = new Set((opts.skip ?? []).map(functionKeyOf));
  const targets: { functionName: string; functionArn?: string }[] = (
    opts.functionNames
      ? opts.functionNames.map((functionName) => ({ functionName }))
      : await lambda.listFunctions()
  ).filter((f) => !skipped.has(functionKeyOf(f.functionName)));
  const { alias } = opts;
  const wantedKey = (functionName: string) =>
    alias === undefined ? undefined : recordTagKey(typeof alias === 'string' ? alias : alias(functionName));
  let read = 0;
  let found = false;
  opts.onProgress?.(read, targets.length);
  const perFunction = await mapWithConcurrency(
    targets,
    opts.concurrency ?? DEFAULT_LIST_CONCURRENCY,
    async ({ functionName, functionArn }): Promise<ListedRecord[]> => {
      if (found || opts.signal?.aborted) return [];
      let tags: Record<string, string>;
      try {
        const arn = functionArn ?? (await lambda.getFunction(functionName)).functionArn;
        tags = await lambda.listTags(unqualifiedFunctionArn(arn));
      } catch (error) {
        if (!opts.onError) throw error;
        opts.onError({ functionName, error });
        return [];
      } finally {
        opts.onProgress?.(++read, targets.length);
      }
      const records = decodeTags(functionName, tags, wantedKey(functionName), opts.onError);
      if (opts.stopAt && records.some(opts.stopAt)) found = true;
      return records;
    },
  );
  return perFunction.flat();
}

function decodeTags(
  functionName: string,
  tags: Record<string, string>,
  wantedKey: string | undefined,
  onError: ListRecordsOptions['onError'],
): ListedRecord[] {
  const out: ListedRecord[] = [];
  for (const key of Object.keys(tags)) {
    if (!key.startsWith(RECORD_TAG_PREFIX) || (wantedKey !== undefined && key !== wantedKey)) continue;
    const alias = key.slice(RECORD_TAG_PREFIX.length);
    try {
      const record = readAliasRecord(tags, functionName, alias, key)!;
      out.push({ functionName, alias, record });
    } catch (error) {
      if (!onError) throw error;
      onError({ functionName, alias, error });
    }
  }
  return out;
}

/**
 * The record of one alias from a function's tags as readers see it: the stored record
 * (readStoredRecord) without a `sent` command its sender withdrew (command-withdrawal.ts).
 */
function readAliasRecord(
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

/**
 * `items.map(fn)` with at most `limit` calls in flight; results in input order. After a rejection
 * no new item starts, and the first rejection is what the returned promise rejects with.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]!, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker);
  await Promise.all(workers);
  return results;
}
