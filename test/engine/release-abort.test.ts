import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isLshiftError, OperationError } from '../../src/domain/errors.js';
import { abortRelease } from '../../src/engine/release-abort.js';
import type {
  AbortReleaseRequest,
  AbortReleaseResult,
  ReleaseVerb,
} from '../../src/engine/release-members.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

/** `lshift abort --release`: one running function's record carries the abort; the release answers. */
const FNS = ['alpha', 'beta', 'gamma'];
const ALIAS = 'live';

function setup(
  records: Partial<Record<string, Partial<DeploymentRecord> | null>> = {},
  clockOptions: { auto?: boolean } = {},
) {
  const clock = new FakeClock(clockOptions);
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
  /** `random` makes the command's nonce: two operators' commands differ. */
  const abort = (random = () => 0.5) => abortRelease({ store, clock, random }, req);
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
        readWithdrawals: world.store.readWithdrawals.bind(world.store),
        writeWithdrawals: world.store.writeWithdrawals.bind(world.store),
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
          'nosuchfn:live (no such function: mistyped, or deleted since the release started) is not a function of release r-abc123; of the functions named, alpha:live, beta:live are. Nothing was sent.',
        );
        expect(error.hint).toBe(
          "Correct or drop nosuchfn (`lshift status <functions…>` shows the release each record names); the release's functions named here: alpha beta.",
        );
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
      // As `rollback --release` answers a release id no function named carries.
      'no record of the release',
      { alpha: null, beta: { releaseId: undefined }, gamma: null },
      'RELEASE_NOT_FOUND',
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

  // It read "(alpha:live no deployment record, beta:live its record names no release, …)".
  it('names what each function holds instead, one readable clause each', async () => {
    const { abort } = setup({
      alpha: null,
      beta: { releaseId: undefined },
      gamma: { releaseId: 'r-zzz999' },
    });
    const error = await abort().catch((e: unknown) => e);
    expect(isLshiftError(error) && error.message).toBe(
      'None of the functions named has a deployment record of release r-abc123 (alpha:live: no deployment record, beta:live: its record names no release, gamma:live: its record belongs to release r-zzz999).',
    );
  });

  // Found by a hostile pass: `pause --release <id> demo -a nope` answered RELEASE_NOT_FOUND ("no
  // deployment record") where `pause demo -a nope` says ALIAS_NOT_FOUND.
  it.each<ReleaseVerb>(['pause', 'abort'])(
    '%s: an alias that does not exist is ALIAS_NOT_FOUND (exit 2) naming each, nothing written',
    async (verb) => {
      const clock = new FakeClock();
      const store = new FakeStore({ roundTrip: true });
      const asked: string[] = [];
      const aliases = {
        getAlias: async (fn: string, alias: string) => {
          asked.push(`${fn}:${alias}`);
          return fn === 'gamma' ? { functionVersion: '1' } : undefined;
        },
      };
      const error = await abortRelease(
        { store, clock, random: () => 0.5, aliases: aliases as never },
        {
          releaseId: 'r-abc123',
          verb,
          targets: FNS.map((functionName) => ({ functionName, alias: 'nope' })),
          by: 'ann@laptop:9',
          waitSeconds: 60,
        },
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'ALIAS_NOT_FOUND',
        exitCode: 2,
        message:
          'Alias nope of function alpha and alias nope of function beta do not exist; nothing was sent.',
      });
      expect(asked.sort()).toEqual(['alpha:nope', 'beta:nope', 'gamma:nope']);
      expect(store.writes).toEqual([]);
    },
  );

  it('an alias that exists but holds no record reads as before; a record present reads no alias', async () => {
    const { store, clock } = setup({ alpha: null });
    let reads = 0;
    const aliases = {
      getAlias: async () => {
        reads++;
        return { functionVersion: '1' };
      },
    };
    const req: AbortReleaseRequest = {
      releaseId: 'r-abc123',
      targets: ['alpha', 'beta'].map((functionName) => ({ functionName, alias: ALIAS })),
      by: 'ann@laptop:9',
      waitSeconds: 60,
    };
    const error = await abortRelease(
      { store, clock, random: () => 0.5, aliases: aliases as never },
      req,
    ).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('NOT_IN_RELEASE');
    expect(reads).toBe(1);
  });

  /** The loser of the race, whichever moment it met the release in. */
  const MESSAGE_ROLLING_BACK = expect.stringMatching(
    /^Release r-abc123 was already rolling back \(aborted by ann@laptop:9: bad release\) when this abort arrived \(alpha:live (rolling|rolled)-back, beta:live (shifting|rolled-back), gamma:live (shifting|rolled-back)\): nothing more to do\.$/,
  );

  describe('a second abort racing the first: it joins the first, or says the release was already rolling back (not COMMAND_NOT_ANSWERED)', () => {
    /**
     * The release's run as the engine plays it: the command reader (alpha) reads its record every
     * 10 s and obeys a `sent` command (answers it on its own copy); 1 s later its mark says
     * `rolling-back`, 3 s later every function is `rolled-back`, each written from the runner's
     * own copy of its record (a command it never read is dropped, as the recorder does).
     */
    function playRelease(w: ReturnType<typeof setup>) {
      const copies = new Map(FNS.map((fn) => [fn, w.store.peek(fn, ALIAS)!]));
      const poll = () => {
        const read = w.store.peek('alpha', ALIAS)!;
        if (read.command?.state !== 'sent') return w.clock.after(10_000, poll);
        const answered = { ...read, command: { ...read.command, state: 'done' as const } };
        w.store.seed('alpha', ALIAS, answered);
        copies.set('alpha', answered);
        w.clock.after(1_000, () => {
          w.store.seed('alpha', ALIAS, { ...answered, phase: 'rolling-back' });
          w.clock.after(3_000, () => {
            for (const [fn, copy] of copies)
              w.store.seed(fn, ALIAS, { ...copy, phase: 'rolled-back', percent: 0 });
          });
        });
      };
      w.clock.after(10_000, poll);
    }

    type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

    /** Moves the manual clock a second at a time until every run has settled. */
    async function settle(w: ReturnType<typeof setup>, runs: Promise<unknown>[]): Promise<Outcome[]> {
      let pending = runs.length;
      const outcomes = runs.map((run) =>
        run
          .then(
            (value): Outcome => ({ ok: true, value }),
            (error: unknown): Outcome => ({ ok: false, error }),
          )
          .finally(() => {
            pending -= 1;
          }),
      );
      while (pending > 0) await w.clock.advance(1_000);
      return Promise.all(outcomes);
    }

    function refusalsOf(outcomes: Outcome[]): { code: string; message: string }[] {
      return outcomes.flatMap((o) =>
        o.ok
          ? []
          : [
              isLshiftError(o.error)
                ? { code: o.error.code, message: o.error.message }
                : { code: 'not an lshift error', message: String(o.error) },
            ],
      );
    }

    it('both sent at once: one is obeyed, the other waits for that answer and reports it (both exit 0)', async () => {
      const w = setup({}, { auto: false });
      playRelease(w);
      const outcomes = await settle(w, [w.abort(() => 0.1), w.abort(() => 0.9)]);
      expect(refusalsOf(outcomes)).toEqual([]);
      const results = outcomes.map((o) => (o.ok ? (o.value as AbortReleaseResult) : undefined));
      expect(results.map((r) => [r?.sent.answer, r?.allEnded])).toEqual([
        ['done', true],
        ['done', true],
      ]);
      expect(results.filter((r) => r?.sent.joined)).toEqual([
        expect.objectContaining({
          sent: expect.objectContaining({ joined: { by: 'ann@laptop:9', reason: 'bad release' } }),
        }),
      ]);
      for (const fn of FNS) expect(w.store.peek(fn, ALIAS)?.phase).toBe('rolled-back');
    });

    it('sent after the first was obeyed (to the next running function): the same answer', async () => {
      const w = setup({}, { auto: false });
      playRelease(w);
      const first = w.abort();
      // alpha obeys at 10 s and is marked rolling-back at 11 s; the second abort comes at 12 s,
      // when beta is the first running function, and beta ends (at 14 s) before it reads it.
      let second: Promise<unknown> | undefined;
      w.clock.after(12_000, () => {
        second = w.abort(() => 0.9);
      });
      while (!second) await w.clock.advance(1_000);
      const outcomes = await settle(w, [first, second]);
      expect(outcomes[0]).toMatchObject({ ok: true });
      expect(refusalsOf(outcomes)).toEqual([
        { code: 'NO_RUNNING_DEPLOYMENT', message: MESSAGE_ROLLING_BACK },
      ]);
    });
  });
});

describe('abortRelease from a machine whose clock runs ahead of the release’s runner', () => {
  it.each([2, 5])(
    '%i minutes ahead: every heartbeat looks stale here, but they change: the abort is sent',
    async (minutes) => {
      const skew = minutes * 60_000;
      const start = new FakeClock().now();
      const stamped = (fn: string) => ({ heartbeatAt: start - skew - (fn === 'beta' ? 2_000 : 20_000) });
      const { clock, store, abort, obeyAfter } = setup(
        Object.fromEntries(FNS.map((fn) => [fn, stamped(fn)])),
      );
      // The runner writes each function's heartbeat every 30 s, by its own clock.
      for (let t = 30_000; t <= 600_000; t += 30_000)
        clock.after(t, () => {
          for (const fn of FNS)
            store.seed(fn, ALIAS, { ...store.peek(fn, ALIAS)!, heartbeatAt: start + t - skew });
        });
      obeyAfter(45_000);

      const result = await abort();

      expect(result.sent).toMatchObject({ verb: 'abort', answer: 'done', functionName: 'alpha' });
      expect(result.allEnded).toBe(true);
    },
  );
});

describe('abortRelease of a release whose heartbeats are from the future (more than 5 minutes ahead)', () => {
  const AHEAD = 100 * 3600_000;

  it('is no sign of a runner: every record is watched as a stale one, then DEPLOYMENT_STALE saying how far ahead, nothing written', async () => {
    const start = new FakeClock().now();
    const { clock, store, abort } = setup(
      Object.fromEntries(FNS.map((fn) => [fn, { heartbeatAt: start + AHEAD }])),
    );
    const before = store.writes.length;
    const error = await abort().catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE' });
    const message = (error as Error).message;
    expect(message).toContain(
      "alpha:live (shifting): heartbeat 4d 3h 54m ahead of this machine's clock; beta:live (shifting): heartbeat 4d 3h 54m ahead",
    );
    expect(message).toContain(
      'more than 5 minutes ahead, further than AWS lets two clocks differ, is no sign of a live runner',
    );
    // `rollback --release` refuses such a record too (RECORD_INVALID): the hint is `status`, which names the `--to`.
    expect((error as { hint?: string }).hint).toContain('lshift status alpha beta gamma');
    expect(message).not.toContain('has no heartbeat any more');
    // No runner died: the record was edited or written by a wrong clock.
    expect(message).not.toContain('runner seems to have died');
    // Watched for the stale period first, as a stale heartbeat is: a record seen changing gets the command.
    expect(clock.now() - start).toBeGreaterThanOrEqual(120_000);
    expect(store.writes.length).toBe(before);
  });

  // Following a sandbox's clock (LSHIFT_SANDBOX, --sandbox), the heartbeats were compared with the
  // sandbox's clock: the message said "ahead of this machine's clock" (found by a docs audit).
  it("following a sandbox's clock, DEPLOYMENT_STALE says each heartbeat is ahead of the sandbox's clock", async () => {
    const start = new FakeClock().now();
    const { clock, abort } = setup(Object.fromEntries(FNS.map((fn) => [fn, { heartbeatAt: start + AHEAD }])));
    (clock as { followsSandbox?: true }).followsSandbox = true;
    const error = await abort().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE' });
    const message = (error as Error).message;
    expect(message).toContain(
      "alpha:live (shifting): heartbeat 4d 3h 54m ahead of the sandbox's clock; beta:live (shifting): heartbeat 4d 3h 54m ahead of the sandbox's clock",
    );
    expect(message).not.toContain("this machine's clock");
  });

  it('one whose record changes while watched is alive whatever its heartbeat says: the abort is sent to it', async () => {
    const start = new FakeClock().now();
    const { clock, store, abort, obeyAfter } = setup(
      Object.fromEntries(FNS.map((fn) => [fn, { heartbeatAt: start + AHEAD }])),
    );
    for (let t = 30_000; t <= 600_000; t += 30_000)
      clock.after(t, () => {
        for (const fn of FNS)
          store.seed(fn, ALIAS, { ...store.peek(fn, ALIAS)!, heartbeatAt: start + AHEAD + t });
      });
    obeyAfter(45_000);

    const result = await abort();

    expect(result.sent).toMatchObject({ verb: 'abort', answer: 'done', functionName: 'alpha' });
    expect(result.allEnded).toBe(true);
  });

  it('beside a live function: sent to the live one, never to the one from the future', async () => {
    const start = new FakeClock().now();
    const { store, abort, obeyAfter } = setup({ alpha: { heartbeatAt: start + AHEAD } });
    obeyAfter(5_000);

    const result = await abort();

    expect(result.sent).toMatchObject({ functionName: 'beta', answer: 'done' });
    expect(store.peek('alpha', ALIAS)?.command).toBeUndefined();
  });
});
