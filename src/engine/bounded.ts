/**
 * Bounded parallelism for the engine, which imports no package (docs/architecture.md, the
 * dependency rule): at most `limit` of `items` run at once, results in the items' order. After
 * `stop` holds for a result, or a run rejects, no further item starts (those in flight finish: a
 * write cannot be taken back mid-request); the items never started have no result, and the first
 * rejection is what the returned promise rejects with.
 */
export async function mapBounded<T, R>(
  limit: number,
  items: readonly T[],
  run: (item: T, index: number) => Promise<R>,
  stop: (result: R) => boolean = () => false,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  let stopped = false;
  const worker = async () => {
    while (!stopped && next < items.length) {
      const at = next++;
      let result: R;
      try {
        result = await run(items[at]!, at);
      } catch (error) {
        stopped = true;
        throw error;
      }
      results[at] = result;
      if (stop(result)) stopped = true;
    }
  };
  const workers = Math.max(1, Math.min(Math.floor(limit), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return results;
}

/** mapBounded of every item: all of them run unless one rejects, so every result is there. */
export async function mapEach<T, R>(
  limit: number,
  items: readonly T[],
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  return (await mapBounded(limit, items, run)) as R[];
}

/**
 * A concurrency limit shared by callers that do not know of each other (a release's functions
 * each poll their own alarm gate): at most `limit` of the runs given to it at once, the others
 * queued in arrival order.
 */
export function createLimit(limit: number): <R>(run: () => Promise<R>) => Promise<R> {
  const max = Math.max(1, Math.floor(limit));
  let active = 0;
  const queue: (() => void)[] = [];
  // An ending run hands its slot straight to the first waiter: freeing it first let a newcomer
  // take it before the woken waiter ran, one run over the limit.
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return async (run) => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await run();
    } finally {
      release();
    }
  };
}
