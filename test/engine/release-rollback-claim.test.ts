/**
 * `lshift rollback --release` run by a person while a scheduled `lshift check` rolls the same
 * release back: the person's rollback claims each record the way a check does (check-claim.ts),
 * so each function is rolled back once, by one of them, and neither reports a failure (exit 4,
 * a 412 conflict exit 5) for the other's work.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck, exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { rollbackReleaseClaimed } from '../../src/engine/release-rollback-claim.js';
import { aliasWriteDenied, failingAliasWrites, slowAliasWrites } from '../helpers/fake-lambda.js';
import { runTogether } from './race.js';
import { abandonedRelease, NAMES, RELEASE } from './release-world.js';
import { ALIAS, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';
const CHECK = 'check:cron@host-b:2';

async function scheduledCheck(w: World, delayMs: number, opts: { failing?: boolean } = {}) {
  await w.clock.sleep(delayMs);
  const lambda = opts.failing ? failingAliasWrites(w.lambda) : w.lambda;
  const deps: CheckDeps = { ...w.deps, lambda, store: w.store, owner: CHECK };
  const req = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, req), { named: true });
}

async function personRollback(
  w: World,
  delayMs: number,
  owner = PERSON,
  opts: { slowMs?: number; failing?: boolean } = {},
) {
  await w.clock.sleep(delayMs);
  const lambda = opts.failing
    ? failingAliasWrites(w.lambda)
    : opts.slowMs
      ? slowAliasWrites(w.lambda, w.clock, opts.slowMs)
      : w.lambda;
  return rollbackReleaseClaimed(
    { ...w.deps, lambda, store: w.store, owner },
    {
      releaseId: RELEASE,
      targets: NAMES.map((functionName) => ({ functionName, alias: ALIAS })),
      reason: 'manual rollback',
    },
  );
}

const restoresOf = (w: World, fn: string) =>
  w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.args[0] === fn)
    .map((c) => c.args[2] as { functionVersion: string; additionalWeights: object })
    .filter((a) => a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0);

describe('a person’s rollback --release racing a scheduled check on the same release', () => {
  // The check starts `checkFirstBy` ms before the person (negative: after): before either
  // claims, while one waits on its claim, after one finished.
  it.each([0, 500, -500, 1500, -1500, 2900, -2900, 3100, -3100, 6000, -6000, 20_000, -20_000])(
    'check %i ms ahead: every function rolled back once, neither fails',
    async (checkFirstBy) => {
      // A manual clock: the two interleave by virtual time, as two processes would.
      const w = abandonedRelease({ auto: false });
      const [check, person] = await runTogether(
        w,
        scheduledCheck(w, Math.max(0, -checkFirstBy)),
        personRollback(w, Math.max(0, checkFirstBy)),
      );

      const story = JSON.stringify({ check: check.results, person }, null, 1);
      for (const fn of NAMES) {
        expect(restoresOf(w, fn), `${fn}: ${story}`).toHaveLength(1);
        expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
        expect(w.store.peek(fn, ALIAS)?.phase, story).toBe('rolled-back');
        // Each says rolled back only what it rolled back itself.
        const byCheck = check.results.filter((r) => r.functionName === fn && r.action === 'rolled_back');
        const byPerson = person.functions.filter((f) => f.functionName === fn && f.status === 'rolled_back');
        expect(byCheck.length + byPerson.length, `${fn}: ${story}`).toBe(1);
      }
      expect(
        check.results.filter((r) => r.action === 'rollback_failed' || r.action === 'error'),
        story,
      ).toEqual([]);
      expect([0, 3], story).toContain(exitCodeForCheck(check));
      expect(person.errors, story).toEqual([]);
      expect(exitCodeForRollback(person.status), story).toBe(0);
    },
  );
});

describe('two people’s rollback --release racing on the same release', () => {
  const OTHER = 'rollback:bob@desk:77';
  // Ann starts `annFirstBy` ms before Bob: before either claims, while one waits on its claim,
  // after one finished.
  // `slowMs`: each alias write takes that long (Lambda's latency, throttling): a rollback under way.
  it.each(
    [0, 300, -300, 1500, -1500, 2900, -2900, 3000, 3100, -3100, 6000, -6000, 10_000, -10_000].flatMap(
      (annFirstBy) => [0, 4000].map((slowMs) => [annFirstBy, slowMs]),
    ),
  )(
    'Ann %i ms ahead, alias writes taking %i ms: every function rolled back once, by one of them; the other waits and says so',
    async (annFirstBy, slowMs) => {
      const w = abandonedRelease({ auto: false });
      const [ann, bob] = await runTogether(
        w,
        personRollback(w, Math.max(0, -annFirstBy), PERSON, { slowMs }),
        personRollback(w, Math.max(0, annFirstBy), OTHER, { slowMs }),
      );

      const story = JSON.stringify({ ann, bob }, null, 1);
      for (const fn of NAMES) {
        expect(restoresOf(w, fn), `${fn}: ${story}`).toHaveLength(1);
        expect(w.store.peek(fn, ALIAS)?.phase, `${fn}: ${story}`).toBe('rolled-back');
        const by = [ann, bob].filter((p) =>
          p.functions.some((f) => f.functionName === fn && f.status === 'rolled_back'),
        );
        expect(by, `${fn}: ${story}`).toHaveLength(1);
        // The other one waited for it and says who rolled it back.
        const waiter = by[0] === ann ? bob : ann;
        const doer = by[0] === ann ? PERSON : OTHER;
        expect(
          waiter.byOthers.filter((o) => o.functionName === fn),
          `${fn}: ${story}`,
        ).toEqual([expect.objectContaining({ owner: expect.stringContaining(doer), done: true })]);
      }
      for (const p of [ann, bob]) {
        expect(p.errors, story).toEqual([]);
        expect(exitCodeForRollback(p.status), story).toBe(0);
      }
    },
  );
});

describe('rollback --release and another person’s claim', () => {
  const OTHER = 'rollback:bob@desk:77';

  it('Bob’s rollback fails: Ann, waiting on his claims, rolls the release back herself (exit 0)', async () => {
    const w = abandonedRelease({ auto: false });
    const [bob, ann] = await runTogether(
      w,
      personRollback(w, 0, OTHER, { failing: true }),
      personRollback(w, 500, PERSON),
    );

    const story = JSON.stringify({ ann, bob }, null, 1);
    for (const fn of NAMES) expect(restoresOf(w, fn), `${fn}: ${story}`).toHaveLength(1);
    expect(
      ann.functions.map((f) => [f.functionName, f.status]),
      story,
    ).toEqual(NAMES.map((fn) => [fn, 'rolled_back']));
    expect(ann.byOthers, story).toEqual([]);
    expect(exitCodeForRollback(ann.status), story).toBe(0);
    expect(exitCodeForRollback(bob.status), story).toBe(4);
  });

  it('her own claims, left by an interrupted run (another pid): rolled back at once', async () => {
    const w = abandonedRelease();
    for (const fn of NAMES) {
      const r = w.store.peek(fn, ALIAS)!;
      w.store.seed(fn, ALIAS, {
        ...r,
        phase: 'rolling-back',
        owner: 'rollback:ann@laptop:12',
        heartbeatAt: w.clock.now(),
      });
    }

    const ann = await personRollback(w, 0);

    expect(ann.byOthers).toEqual([]);
    expect(ann.functions.map((f) => f.status)).toEqual(['rolled_back', 'rolled_back', 'rolled_back']);
    expect(w.clock.now() - w.start).toBeLessThan(10_000);
  });
});

describe('rollback --release waiting on a check whose own rollback fails', () => {
  // The check claims fa at once, then fb and fc once fa's rollback failed; the person starts
  // while a claim of the check's is fresh.
  it.each([0, 500, 1500, 2900, 3100, 4500, 6000])(
    'person %i ms after the check: what the check gave up, the person rolls back itself (exit 0)',
    async (personAfter) => {
      const w = abandonedRelease({ auto: false });
      const [check, person] = await runTogether(
        w,
        scheduledCheck(w, 0, { failing: true }),
        personRollback(w, personAfter),
      );

      const story = JSON.stringify({ check: check.results, person }, null, 1);
      for (const fn of NAMES) {
        expect(restoresOf(w, fn), `${fn}: ${story}`).toHaveLength(1);
        expect(w.lambda.peekAlias(fn, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
        expect(w.store.peek(fn, ALIAS)?.phase, `${fn}: ${story}`).toBe('rolled-back');
      }
      expect(
        person.functions.map((f) => [f.functionName, f.status]),
        story,
      ).toEqual(NAMES.map((fn) => [fn, 'rolled_back']));
      expect(person.byOthers, story).toEqual([]);
      expect(person.errors, story).toEqual([]);
      expect(exitCodeForRollback(person.status), story).toBe(0);
      expect(w.clock.now() - w.start, story).toBeLessThan(80_000);
    },
  );

  it('its own rollback of what the check gave up failing too: its own failure, not the check’s', async () => {
    const w = abandonedRelease({ auto: false });
    w.lambda.fail({
      op: 'updateAlias',
      match: (args) => args[0] === 'fa',
      times: Number.POSITIVE_INFINITY,
      error: aliasWriteDenied(),
    });
    const [, person] = await runTogether(w, scheduledCheck(w, 0, { failing: true }), personRollback(w, 500));

    const story = JSON.stringify(person, null, 1);
    expect(person.byOthers, story).toEqual([]);
    expect(
      person.functions.map((f) => [f.functionName, f.status]),
      story,
    ).toEqual([
      ['fa', 'unsafe'],
      ['fb', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(exitCodeForRollback(person.status), story).toBe(4);
    expect(w.store.peek('fa', ALIAS)?.phase, story).not.toBe('rolling-back');
  });
});

describe('rollback --release leaves a function another actor is rolling back to it', () => {
  it('a check’s fresh claim: waits for it, reports the function rolled back by that check', async () => {
    const w = abandonedRelease();
    const fb = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, { ...fb, phase: 'rolling-back', owner: CHECK, heartbeatAt: w.clock.now() });
    // The check finishes fb 10 s later.
    w.clock.after(10_000, () => {
      w.lambda.moveAlias('fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
      w.store.seed('fb', ALIAS, { ...fb, phase: 'rolled-back', owner: CHECK, endedAt: w.clock.now() });
    });

    const person = await personRollback(w, 0);

    expect(restoresOf(w, 'fb')).toHaveLength(0);
    expect(person.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(person.byOthers).toEqual([{ functionName: 'fb', alias: ALIAS, owner: CHECK, done: true }]);
    expect(exitCodeForRollback(person.status)).toBe(0);
  });

  it('one that never finishes: the person’s rollback says so and exits 4 (a human must look)', async () => {
    const w = abandonedRelease();
    const fb = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, { ...fb, phase: 'rolling-back', owner: CHECK, heartbeatAt: w.clock.now() });

    const person = await personRollback(w, 0);

    expect(restoresOf(w, 'fb')).toHaveLength(0);
    expect(person.byOthers).toEqual([
      { functionName: 'fb', alias: ALIAS, owner: CHECK, done: false, phase: 'rolling-back' },
    ]);
    expect(exitCodeForRollback(person.status)).toBe(4);
  });

  it('a release’s own fresh rolling-back mark (its runner died rolling back): rolled back at once, as before', async () => {
    const w = abandonedRelease();
    const fb = w.store.peek('fb', ALIAS)!;
    w.store.seed('fb', ALIAS, { ...fb, phase: 'rolling-back', heartbeatAt: w.clock.now() });

    const person = await personRollback(w, 0);

    expect(person.byOthers).toEqual([]);
    expect(person.functions.map((f) => [f.functionName, f.status])).toEqual([
      ['fa', 'rolled_back'],
      ['fb', 'rolled_back'],
      ['fc', 'rolled_back'],
    ]);
    expect(w.clock.now() - w.start).toBeLessThan(30_000);
  });

  it('a person’s fresh claim is left alone by a check (skipped: being rolled back by them)', async () => {
    const w = abandonedRelease();
    for (const fn of NAMES) {
      const r = w.store.peek(fn, ALIAS)!;
      w.store.seed(fn, ALIAS, { ...r, phase: 'rolling-back', owner: PERSON, heartbeatAt: w.clock.now() });
    }

    const check = await scheduledCheck(w, 1000);

    expect(check.results.map((r) => r.action)).toEqual(['skipped', 'skipped', 'skipped']);
    expect(check.results[0]?.reason).toContain(`being rolled back by ${PERSON}`);
    for (const fn of NAMES) expect(restoresOf(w, fn)).toHaveLength(0);
    expect(exitCodeForCheck(check)).toBe(0);
  });
});
