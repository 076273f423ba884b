/**
 * Every deployment record in reach (`check`, `status` and `rollback --release` of functions not
 * named, `lshift wait` looking for a deployment): ListFunctions or the named functions, then one
 * ListTags a function, keeping its `lshift:*` tags, read as TagStateStore.read reads one.
 */
import { type DeploymentRecord, RECORD_TAG_PREFIX, recordTagKey } from '../domain/deployment-record.js';
import { functionKeyOf } from '../domain/function-ref.js';
import type { LambdaPort } from '../ports/lambda.js';
import { mapEach } from './bounded.js';
import { readAliasRecord, unqualifiedFunctionArn } from './tag-state-store.js';

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
  const perFunction = await mapEach(
    opts.concurrency ?? DEFAULT_LIST_CONCURRENCY,
    targets,
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
