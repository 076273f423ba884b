/**
 * How the metric reads of one poll become as few GetMetricData calls as CloudWatch allows:
 * ⌈queries / 500⌉ (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html:
 * "you can include as many as 500 MetricDataQuery structures"). Pure, table-tested.
 *
 * - Query ids must be unique within a call and match `^[a-z][a-zA-Z0-9_]*$`. A release reads
 *   the same kinds of metric for every function, so a reader whose ids are already taken gets
 *   them all prefixed (`t2_errors`), its metric-math expressions rewritten to match, and its
 *   results mapped back to its own ids.
 * - A reader without expressions may be split over calls (each query stands alone); one with
 *   expressions stays in one call, since an expression can only name queries of its own call.
 * - A reader with more than 500 queries is left on its own, so CloudWatch's refusal is its error.
 */
import type { MetricQuery } from './health-readings.js';

export const MAX_QUERIES_PER_CALL = 500;
export const QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;

export interface MetricRead {
  queries: readonly MetricQuery[];
  startMs: number;
  endMs: number;
}

/** One query of a planned call: which read it serves and the id it had there. */
export interface PlannedQuery {
  read: number;
  ownId: string;
  query: MetricQuery;
}

export interface PlannedCall {
  queries: PlannedQuery[];
  startMs: number;
  endMs: number;
}

/** The calls for `reads`, in order; every query of every read is in exactly one call. */
export function planMetricCalls(reads: readonly MetricRead[], max = MAX_QUERIES_PER_CALL): PlannedCall[] {
  const renamed = uniqueIds(reads);
  const calls: PlannedQuery[][] = [];
  let open: PlannedQuery[] = [];
  const close = () => {
    if (open.length > 0) calls.push(open);
    open = [];
  };
  for (const queries of renamed) {
    if (queries.length > max) {
      calls.push(queries);
      continue;
    }
    if (queries.some((q) => 'expression' in q.query)) {
      if (open.length + queries.length > max) close();
      open.push(...queries);
      continue;
    }
    for (const q of queries) {
      if (open.length >= max) close();
      open.push(q);
    }
  }
  close();
  return calls.map((queries) => {
    const readsIn = [...new Set(queries.map((q) => q.read))].map((i) => reads[i]!);
    return {
      queries,
      startMs: Math.min(...readsIn.map((r) => r.startMs)),
      endMs: Math.max(...readsIn.map((r) => r.endMs)),
    };
  });
}

/** Each read's queries with ids unique across all reads (the first read keeps its own). */
function uniqueIds(reads: readonly MetricRead[]): PlannedQuery[][] {
  const taken = new Set<string>();
  return reads.map((r, read) => {
    const own = r.queries.map((q) => q.id);
    const clash = own.some((id) => taken.has(id));
    const prefix = clash ? freePrefix(read, own, taken) : '';
    for (const id of own) taken.add(prefix + id);
    if (!prefix) return r.queries.map((query) => ({ read, ownId: query.id, query }));
    const ids = new Set(own);
    return r.queries.map((q) => ({ read, ownId: q.id, query: renameQuery(q, prefix, ids) }));
  });
}

function freePrefix(read: number, own: string[], taken: Set<string>): string {
  for (let n = read; ; n++) {
    const prefix = `t${n}_`;
    if (own.every((id) => !taken.has(prefix + id))) return prefix;
  }
}

function renameQuery(q: MetricQuery, prefix: string, ids: Set<string>): MetricQuery {
  const id = prefix + q.id;
  if (!('expression' in q)) return { ...q, id };
  // Ids start lower-case; metric math's functions and keywords are upper-case (SUM, IF, METRICS).
  const expression = q.expression.replace(/\b[a-z][a-zA-Z0-9_]*\b/g, (name) =>
    ids.has(name) ? prefix + name : name,
  );
  return { ...q, id, expression };
}
