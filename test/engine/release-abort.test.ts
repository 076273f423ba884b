import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isLshiftError, OperationError } from '../../src/domain/errors.js';
import { type AbortReleaseRequest, abortRelease, type ReleaseVerb } from '../../src/engine/release-abort.js';
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

  describe('a function named that is not part of the release: refused before any write (NOT_IN_RELEASE)', () => {
    /** abort|pause|resume|promote --release r-abc123 alpha beta gamma, plus `nosuchfn`, which Lambda does not know. */
    function withStranger(records: Parameters<typeof setup>[0], verb: ReleaseVerb = 'abort') {
      const world = setup(records);
      const store = {
        read: (fn: string, alias: string) =>
          fn === 'nosuchfn'
            ? Promise.reject(new OperationError('FUNCTION_NOT_FOUND', `Function ${fn} not found.`))
            : world.store.read(fn, alias),
        write: world.store.write.bind(world.store),
      };
      const run = (names: string[]) =>
        abortRelease(
          { store, clock: world.clock, random: () => 0.5 },
          {
            releaseId: 'r-abc123',
            verb,
            targets: names.map((functionName) => ({ functionName, alias: ALIAS })),
            by: 'ann@laptop:9',
            waitSeconds: 60,
          },
        );
      return { ...world, run };
    }

    async function refusal(run: Promise<unknown>) {
      const error = await run.catch((e: unknown) => e);
      if (!isLshiftError(error)) throw new Error(`expected a refusal, got ${String(error)}`);
      return error;
    }

    it.each(['abort', 'pause', 'promote', 'promote-full'] as const)(
      '%s: a function Lambda does not know (a typo) names it and the release’s functions named',
      async (verb) => {
        const { store, run } = withStranger({}, verb);
        const error = await refusal(run(['nosuchfn', 'alpha', 'beta']));
        expect(error.code).toBe('NOT_IN_RELEASE');
        expect(error.message).toBe(
          'nosuchfn:live (no such function) is not a function of release r-abc123; of the functions named, alpha:live, beta:live are. Nothing was sent.',
        );
        expect(error.hint).toContain(`--release r-abc123 alpha beta\``);
        expect(store.writes).toEqual([]);
      },
    );

    it('resume: a function without a record, and one of another release', async () => {
      const { store, run } = withStranger(
        {
          alpha: { command: { verb: 'pause', nonce: 'p1', state: 'done', by: 'ann@x:1' } },
          gamma: { releaseId: 'r-zzz999' },
        },
        'resume',
      );
      store.seed('delta', ALIAS, { ...store.peek('beta', ALIAS)!, releaseId: undefined });
      const error = await refusal(run(['alpha', 'beta', 'gamma', 'delta', 'omega']));
      expect(error.code).toBe('NOT_IN_RELEASE');
      expect(error.message).toContain(
        'gamma:live (its record belongs to release r-zzz999), delta:live (its record names no release), omega:live (no deployment record) are not functions of release r-abc123',
      );
      expect(store.writes).toEqual([]);
    });

    it('a record that cannot be read for another reason is that error, with nothing sent', async () => {
      const { store, run } = withStranger({});
      store.failReads(new OperationError('ACCESS_DENIED', 'not allowed: lambda:ListTags'), 1);
      expect((await refusal(run(['alpha', 'beta']))).code).toBe('ACCESS_DENIED');
      expect(store.writes).toEqual([]);
    });
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
