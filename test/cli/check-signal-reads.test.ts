/**
 * `lshift check` signalled while it only reads (cli/check-reads.ts, engine check.ts
 * `reading`): the read in flight is abandoned at once, nothing is written, and every function
 * is reported not checked. GitHub Actions' cancel gives a step 7.5 s after SIGINT and 2.5 s after
 * SIGTERM (docs/ci.md): a read against a stalled endpoint waited out its 31 s bound and the check
 * was killed with its report unwritten. Signalled during a rollback, the rollback's calls are not
 * abandoned: that function is finished, the next untouched.
 */
import { describe, expect, it } from 'vitest';
import { abortWhileReading, CHECK_FINISHES_FUNCTION, CHECK_STOPS_NOW } from '../../src/cli/check-reads.js';
import { describeInterruptedCheck, exitCodeForCheck } from '../../src/cli/exit-codes.js';
import { ExitCode, OperationError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { runCheckWithReleases } from '../../src/engine/check-with-releases.js';
import type { MetricsPort } from '../../src/ports/metrics.js';
import { ALIAS, createWorld, deadRecord, type World } from '../engine/world.js';

const NAMES = ['fa', 'fb'];

/** Two functions, each with an unfinished deployment at 20% whose runner died, alarms in ALARM. */
function abandonedWorld(): World {
  const w = createWorld();
  for (const [i, fn] of NAMES.entries()) {
    w.lambda.addFunction(fn);
    w.lambda.addVersion(fn);
    w.lambda.addVersion(fn);
    w.lambda.addAlias(fn, ALIAS, '1');
    w.lambda.moveAlias(fn, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
    w.store.seed(fn, ALIAS, deadRecord(w, { id: `d-${i}` }));
    w.metrics.setAlarm(`${fn}-errors`, 'ALARM', { reason: 'errors over 3' });
  }
  return w;
}

/**
 * The endpoint stalls: `method` never answers, until the runtime's interrupt abandons it (as the
 * SDK call does when its abortSignal fires: bounded-caller.ts).
 */
function stalled<T extends object>(port: T, method: string, interrupt: AbortSignal, started: () => void): T {
  return new Proxy(port, {
    get: (obj, key, receiver) => {
      const value = Reflect.get(obj, key, receiver);
      if (key !== method) return value;
      return () =>
        new Promise((_resolve, reject) => {
          started();
          interrupt.addEventListener('abort', () =>
            reject(new OperationError('INTERRUPTED', `${method} was abandoned`)),
          );
        });
    },
  });
}

const request = (signal: AbortSignal) => ({
  functionNames: NAMES,
  alias: ALIAS,
  windowSeconds: 3600,
  alarms: ['{function}-errors'],
  signal,
});

/** Settled within a few turns of the event loop (no timer): it did not wait for any bound. */
async function settlesAtOnce<T>(run: Promise<T>): Promise<T | 'still waiting'> {
  const turns = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    return 'still waiting' as const;
  };
  return Promise.race([run, turns()]);
}

describe('lshift check signalled while it only reads', () => {
  it.each([
    { stalls: 'the alarm read', port: 'metrics' as const, method: 'describeAlarms' },
    // Its failure was an `error` ("could not read the deployment record"): "every function was
    // checked before it stopped", said of a check killed before it read one.
    { stalls: 'the record read', port: 'store' as const, method: 'read' },
  ])(
    'abandons $stalls at once: nothing written, every function not checked, exit 130',
    async ({ port, method }) => {
      const w = abandonedWorld();
      const interrupt = new AbortController();
      const reads = abortWhileReading(interrupt.signal);
      let reading!: () => void;
      const readStarted = new Promise<void>((resolve) => {
        reading = resolve;
      });
      const ports = { store: w.store as object, metrics: w.metrics as object };
      ports[port] = stalled(ports[port], method, reads.signal, reading);
      const deps = {
        ...w.deps,
        lambda: reads.guard(w.lambda),
        store: reads.guard(ports.store as typeof w.store),
        metrics: reads.guard(ports.metrics as MetricsPort),
        reading: reads.reading,
      };
      const writes = w.lambda.aliasWrites().length;
      const fbRecord = w.store.peek('fb', ALIAS);
      // The command's use-case: its releases' pass re-reads every record once the check is done.
      const run = runCheckWithReleases(deps, request(interrupt.signal));
      await readStarted;
      // The notice said at the signal: no "finishing the function being checked" of a check that
      // only read and stops at once.
      expect(reads.stopping()).toBe(CHECK_STOPS_NOW);
      interrupt.abort(new Error('interrupted by SIGTERM'));

      const report = await settlesAtOnce(run);
      if (report === 'still waiting') throw new Error('the check still waits for the stalled read');
      expect(w.lambda.aliasWrites()).toHaveLength(writes);
      expect(w.store.peek('fb', ALIAS)).toEqual(fbRecord);
      expect(report.results.map((r) => [r.functionName, r.action, r.interrupted])).toEqual([
        ['fa', 'skipped', true],
        ['fb', 'skipped', true],
      ]);
      expect(report.results[0]?.reason).toContain('not checked: the check was interrupted by SIGTERM');
      expect(exitCodeForCheck(report)).toBe(ExitCode.Interrupted);
      expect(describeInterruptedCheck(report)).toContain('2 functions left untouched, not checked');
    },
  );

  it('a signal during a rollback abandons none of its calls: that function is finished, the next untouched', async () => {
    const w = abandonedWorld();
    const interrupt = new AbortController();
    const reads = abortWhileReading(interrupt.signal);
    let abandoned: boolean | undefined;
    let notice: string | undefined;
    const lambda = new Proxy(w.lambda, {
      get: (obj, key, receiver) => {
        const value = Reflect.get(obj, key, receiver);
        if (key !== 'updateAlias' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (args[0] === 'fa' && !interrupt.signal.aborted) {
            notice = reads.stopping();
            interrupt.abort(new Error('interrupted by SIGTERM'));
            abandoned = reads.signal.aborted;
          }
          return value.apply(obj, args);
        };
      },
    });
    const deps = {
      ...w.deps,
      lambda: reads.guard(lambda),
      store: reads.guard(w.store),
      metrics: reads.guard(w.metrics),
      reading: reads.reading,
    };
    const report = await runCheck(deps, request(interrupt.signal));

    expect(abandoned).toBe(false);
    expect(notice).toBe(CHECK_FINISHES_FUNCTION);
    expect(w.lambda.peekAlias('fa', ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek('fa', ALIAS)?.phase).toBe('rolled-back');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject({ additionalWeights: { '2': 0.2 } });
    expect(report.results.map((r) => [r.functionName, r.action])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'skipped'],
    ]);
  });

  it('says it stops now before the check has begun, as while it reads; finishing only while it may write', () => {
    const reads = abortWhileReading(new AbortController().signal);
    expect(reads.stopping()).toBe(CHECK_STOPS_NOW);
    reads.reading(true);
    expect(reads.stopping()).toBe(CHECK_STOPS_NOW);
    reads.reading(false);
    expect(reads.stopping()).toBe(CHECK_FINISHES_FUNCTION);
  });

  it('refuses a read that would start after the signal while reading, not a write', async () => {
    const interrupt = new AbortController();
    const reads = abortWhileReading(interrupt.signal);
    const port = reads.guard({ read: async () => 'read' });
    reads.reading(true);
    interrupt.abort(new Error('interrupted by SIGINT'));
    expect(reads.signal.aborted).toBe(true);
    await expect(port.read()).rejects.toMatchObject({ code: 'INTERRUPTED' });
    reads.reading(false);
    await expect(port.read()).resolves.toBe('read');
  });
});
