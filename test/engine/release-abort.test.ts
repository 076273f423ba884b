import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isLshiftError } from '../../src/domain/errors.js';
import { type AbortReleaseRequest, abortRelease } from '../../src/engine/release-abort.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

/** `lshift abort --release`: one running function's record carries the abort; the release answers. */
const FNS = ['alpha', 'beta', 'gamma'];
const ALIAS = 'live';

function setup(records: Partial<Record<string, Partial<DeploymentRecord> | null>> = {}) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  FNS.forEach((fn, i) => {
    const over = records[fn];
    if (over === null) return;
    store.seed(fn, ALIAS, {
      id: `d-run00${i}`,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:10%:10m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: clock.now() - 60_000,
      owner: 'ci@runner:7',
      heartbeatAt: clock.now() - (fn === 'beta' ? 2_000 : 20_000),
      history: ['1'],
      releaseId: 'r-abc123',
      ...over,
    });
  });
  const req: AbortReleaseRequest = {
    releaseId: 'r-abc123',
    targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
    by: 'ann@laptop:9',
    reason: 'bad release',
    waitSeconds: 60,
  };
  const abort = () => abortRelease({ store, clock, random: () => 0.5 }, req);
  /** Plays the release's run: obeys a `sent` abort on any record, and every function rolls back. */
  const obeyAfter = (afterMs: number) =>
    clock.after(afterMs, () => {
      for (const fn of FNS) {
        const r = store.peek(fn, ALIAS);
        if (!r) continue;
        const command = r.command?.state === 'sent' ? { ...r.command, state: 'done' as const } : r.command;
        store.seed(fn, ALIAS, { ...r, phase: 'rolled-back', percent: 0, ...(command ? { command } : {}) });
      }
    });
  return { clock, store, abort, obeyAfter };
}

async function codeOf(run: Promise<unknown>): Promise<string | undefined> {
  try {
    await run;
  } catch (error) {
    return isLshiftError(error) ? error.code : String(error);
  }
  return undefined;
}

describe('abortRelease', () => {
  it('writes the abort on the record of the release command reader (the first running function by name)', async () => {
    const { store, abort, obeyAfter } = setup({ alpha: { phase: 'rolling-back' } });
    obeyAfter(5_000);
    const result = await abort();
    // alpha is rolling back already: beta is the first running one.
    expect(FNS.filter((fn) => store.peek(fn, ALIAS)?.command)).toEqual(['beta']);
    expect(result.sent).toMatchObject({ functionName: 'beta', answer: 'done' });
  });

  it('writes the abort on the record its runner reads at every poll (alpha); every function ends', async () => {
    const { store, abort, obeyAfter } = setup();
    obeyAfter(5_000);
    const result = await abort();
    const commanded = FNS.filter((fn) => store.peek(fn, ALIAS)?.command);
    expect(commanded).toEqual(['alpha']);
    expect(store.peek('alpha', ALIAS)?.command).toMatchObject({
      verb: 'abort',
      by: 'ann@laptop:9',
      reason: 'bad release',
    });
    expect(result.sent).toMatchObject({ functionName: 'alpha', answer: 'done' });
    expect(result.allEnded).toBe(true);
    expect(result.functions.map((f) => [f.functionName, f.phase])).toEqual(
      FNS.map((fn) => [fn, 'rolled-back']),
    );
  });

  it('names the functions that are not part of the release, and leaves them alone', async () => {
    const { store, abort, obeyAfter } = setup({ gamma: { releaseId: 'r-zzz999' } });
    obeyAfter(5_000);
    const result = await abort();
    expect(result.functions.find((f) => f.functionName === 'gamma')).toMatchObject({
      note: 'its record belongs to release r-zzz999',
    });
    expect(store.peek('gamma', ALIAS)?.command).toBeUndefined();
  });

  it.each([
    [
      'no record of the release',
      { alpha: null, beta: { releaseId: undefined }, gamma: null },
      'NO_RUNNING_DEPLOYMENT',
    ],
    [
      'every function ended',
      Object.fromEntries(FNS.map((fn) => [fn, { phase: 'rolled-back' as const }])),
      'NO_RUNNING_DEPLOYMENT',
    ],
    [
      'no heartbeat any more (its runner died)',
      Object.fromEntries(FNS.map((fn) => [fn, { heartbeatAt: -600_000 }])),
      'DEPLOYMENT_STALE',
    ],
  ])('refuses before any write: %s', async (_name, records, code) => {
    const { store, abort } = setup(records as Record<string, Partial<DeploymentRecord> | null>);
    const before = store.writes.length;
    expect(await codeOf(abort())).toBe(code);
    expect(store.writes.length).toBe(before);
  });
});
