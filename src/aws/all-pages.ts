/**
 * Every item of a paginated listing in one bounded call. The SDK's own paginator (`paginateX`,
 * which follows the `NextMarker` tokens) walks the pages; here the whole walk runs as one call
 * of the BoundedCaller, under the listing's deadline (`listMs`: a budget per 50-item page,
 * ./time-bounds.ts), and whatever a page throws is mapped once, naming the operation and its
 * resource (./bounded-caller.ts).
 */
import type { BoundedCaller, SendOptions } from './bounded-caller.js';

export interface PagedReads {
  caller: BoundedCaller;
  /** Deadline of a paginated listing (all its pages). */
  listMs: number;
}

/**
 * `pages` starts the SDK paginator with the call's send options (its abort signal and request
 * timeout reach every page's request); `itemsOf` reads one page's items.
 */
export function readAllPages<Page, Item>(
  r: PagedReads,
  operation: string,
  ctx: Parameters<BoundedCaller['call']>[1],
  pages: (opts: SendOptions) => AsyncIterable<Page>,
  itemsOf: (page: Page) => Item[],
): Promise<Item[]> {
  return r.caller.call(
    operation,
    ctx,
    async (o) => {
      const items: Item[] = [];
      for await (const page of pages(o)) items.push(...itemsOf(page));
      return items;
    },
    { deadlineMs: r.listMs },
  );
}
