/**
 * `lshift check` signalled in its release pass (check-release.ts checkReleases), after runCheck
 * ended: that pass first reads each function's record, and only reads. runCheck had left its last
 * read stretch, so the signal's notice said "finishing the function being checked, then stopping"
 * and the record read in flight was not abandoned (behind a stalled endpoint, its time bound) —
 * while nothing was being written (h3's s71 brief, a LOW of session 70). The reads are now a read
 * stretch: abandoned at once, "stopping now", and the release's other functions left untouched
 * (the report interrupted: `lshift check` again finishes the release's rollback).
 */
import { describe, expect, it } from 'vitest';
import { abortWhileReading, CHECK_STOPS_NOW } from '../../src/cli/check-reads.js';
import { OperationError } from '../../src/domain/errors.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { abandonedRelease, NAMES } from '../engine/release-world.js';
import { ALIAS } from '../engine/world.js';

/** Settled within a few turns of the event loop (no timer): it waited for no bound. */
async function settlesAtOnce<T>(run: Promise<T>): Promise<T | 'still waiting'> {
  const turns = async () => {
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    return 'still waiting' as const;
  };
  return Promise.race([run, turns()]);
}

describe('lshift check signalled in its release pass, which only reads the records', () => {
  it('abandons the read at once, says "stopping now", rolls none of the release’s others back', async () => {
    const w = abandonedRelease();
    const interrupt = new AbortController();
    const reads = abortWhileReading(interrupt.signal);
    let stalls = false;
    let notice: string | undefined;
    // Once stalling, a record read never answers until the check's calls are abandoned; the
    // signal comes while it hangs.
    const store: StateStore = {
      read: (fn, alias) => {
        if (!stalls) return w.store.read(fn, alias);
        return new Promise((_resolve, reject) => {
          reads.signal.addEventListener('abort', () =>
            reject(new OperationError('INTERRUPTED', 'ListTags was abandoned')),
          );
          if (!interrupt.signal.aborted) {
            notice = reads.stopping();
            interrupt.abort(new Error('interrupted by SIGTERM'));
          }
        });
      },
      write: (fn, alias, record, opts) => w.store.write(fn, alias, record, opts),
    };
    const deps = {
      ...w.deps,
      store: reads.guard(store),
      lambda: reads.guard(w.lambda),
      metrics: reads.guard(w.metrics),
      reading: reads.reading,
    };
    const request = {
      functionNames: NAMES,
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: ['{function}-errors'],
      signal: interrupt.signal,
    };
    const checked = await runCheck(deps, request);
    expect(checked.interrupted).toBeUndefined();
    expect(checked.results.find((r) => r.functionName === 'fa')).toMatchObject({ action: 'rolled_back' });
    stalls = true;
    const report = await settlesAtOnce(
      checkReleases(deps, checked, { named: true, signal: interrupt.signal }),
    );
    expect(notice).toBe(CHECK_STOPS_NOW);
    expect(report).not.toBe('still waiting');
    if (report === 'still waiting') return;
    expect(report.interrupted).toBe('interrupted by SIGTERM');
    // Their records unread, the release is not judged: nothing more is written, none rolled back.
    for (const fn of ['fb', 'fc']) {
      expect(w.lambda.peekAlias(fn, ALIAS), fn).toMatchObject({ additionalWeights: { '2': 0.25 } });
      expect(report.results.find((r) => r.functionName === fn)?.action, fn).not.toBe('rolled_back');
    }
  });
});
