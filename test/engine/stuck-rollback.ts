/**
 * A runner whose rollback is held up (UpdateAlias throttled, each try slow) while another lshift
 * (a scheduled check, a person) looks at it: runner-rollback-takeover.test.ts for one function,
 * release-rollback-beat.test.ts for a release.
 */
import type { AliasWrite, LambdaPort } from '../../src/ports/lambda.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { throttled } from '../helpers/fake-lambda.js';
import type { World } from './world.js';

/**
 * The runner's Lambda: its rollback writes (all on version 1) each hang `ms`, then are throttled
 * (or, `land`, applied: a write that got through at last). With `only`, just that function's.
 */
export function stuckRollbackWrites(
  w: World,
  ms: number,
  opts: { land?: boolean; only?: string } = {},
): LambdaPort {
  return new Proxy(w.lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (fn: string, alias: string, write: AliasWrite) => {
          if (
            (opts.only === undefined || fn === opts.only) &&
            write.functionVersion === '1' &&
            Object.keys(write.additionalWeights).length === 0
          ) {
            await w.clock.sleep(ms);
            if (!opts.land) throw throttled();
          }
          return target.updateAlias(fn, alias, write);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The runner's view of the store: readable, and every write lands except a heartbeat of a
 * `rolling-back` record after that function's first one (TagResource throttled while its alias
 * write hangs): the runner's rollback cannot keep its record moving, as a runner whose
 * endpoint stalls altogether cannot.
 */
export function beatsUnwritable(w: World): StateStore {
  const marked = new Set<string>();
  return {
    read: (fn, alias) => w.store.read(fn, alias),
    write: async (fn, alias, record) => {
      if (record.phase === 'rolling-back') {
        if (marked.has(fn)) throw throttled('lambda:TagResource');
        marked.add(fn);
      }
      return w.store.write(fn, alias, record);
    },
  } as StateStore;
}
