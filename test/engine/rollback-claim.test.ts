/**
 * `lshift rollback <function>` run by a person while a scheduled `lshift check` rolls the same
 * function back: the person's rollback claims the record the way a check does (check-claim.ts),
 * so the function is rolled back once, by one of them, and neither reports a failure (exit 4, a
 * 412 conflict exit 5) for the other's work.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForCheck, exitCodeForRollback } from '../../src/cli/exit-codes.js';
import { type CheckDeps, runCheck } from '../../src/engine/check.js';
import { isFreshRivalClaim } from '../../src/engine/check-mates.js';
import { isSameOperator, rollbackOwner } from '../../src/engine/owner-kinds.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import { aliasWriteDenied, failingAliasWrites, slowAliasWrites } from '../helpers/fake-lambda.js';
import { runTogether } from './race.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

const PERSON = 'rollback:ann@laptop:41';
const CHECK = 'check:cron@host-b:2';

/** FN at 25% on version 2 with a dead runner; its alarm fires. */
function abandonedDeploy(opts: { auto?: boolean } = {}): World {
  const w = createWorld(opts);
  w.lambda.addFunction(FN);
  w.lambda.addVersion(FN);
  w.lambda.addVersion(FN);
  w.lambda.addAlias(FN, ALIAS, '1');
  w.store.seed(FN, ALIAS, deadRecord(w, { id: 'd-1', strategy: 'linear:25%:1m' }));
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
  w.metrics.setAlarm(`${FN}-errors`, 'ALARM', { reason: 'errors over 3' });
  return w;
}

async function scheduledCheck(w: World, delayMs: number, opts: { failing?: boolean } = {}) {
  await w.clock.sleep(delayMs);
  const lambda = opts.failing ? failingAliasWrites(w.lambda) : w.lambda;
  const deps: CheckDeps = { ...w.deps, lambda, store: w.store, owner: CHECK };
  return runCheck(deps, {
    functionNames: [FN],
    alias: ALIAS,
    windowSeconds: 3600,
    alarms: ['{function}-errors'],
  });
}

async function personRollback(w: World, delayMs: number, owner = PERSON, opts: { slowMs?: number } = {}) {
  await w.clock.sleep(delayMs);
  const lambda = opts.slowMs ? slowAliasWrites(w.lambda, w.clock, opts.slowMs) : w.lambda;
  return rollbackClaimed(
    { ...w.deps, lambda, store: w.store, owner },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
}

const restores = (w: World) =>
  w.lambda
    .callsOf('updateAlias')
    .filter((c) => c.args[0] === FN)
    .map((c) => c.args[2] as { functionVersion: string; additionalWeights: object })
    .filter((a) => a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0);

describe('a person’s rollback <function> racing a scheduled check on the same function', () => {
  // The check starts `checkFirstBy` ms before the person (negative: after): before either
  // claims, while one waits on its claim, after one finished.
  it.each([0, 300, -300, 500, -500, 1500, -1500, 2900, -2900, 3100, -3100, 6000, -6000, 20_000, -20_000])(
    'check %i ms ahead: rolled back once, neither fails',
    async (checkFirstBy) => {
      // A manual clock: the two interleave by virtual time, as two processes would.
      const w = abandonedDeploy({ auto: false });
      const [check, person] = await runTogether(
        w,
        scheduledCheck(w, Math.max(0, -checkFirstBy)),
        personRollback(w, Math.max(0, checkFirstBy)),
      );

      const story = JSON.stringify({ check: check.results, person }, null, 1);
      expect(restores(w), story).toHaveLength(1);
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(FN, ALIAS)?.phase, story).toBe('rolled-back');
      // Each says rolled back only what it rolled back itself.
      const byCheck = check.results.filter((r) => r.action === 'rolled_back').length;
      const byPerson = person.status === 'rolled_back' ? 1 : 0;
      expect(byCheck + byPerson, story).toBe(1);
      if (byCheck === 1 && person.byOther)
        expect(person.byOther, story).toMatchObject({ owner: CHECK, done: true });
      expect(
        check.results.filter((r) => r.action === 'rollback_failed' || r.action === 'error'),
        story,
      ).toEqual([]);
      expect([0, 3], story).toContain(exitCodeForCheck(check));
      expect(exitCodeForRollback(person.status), story).toBe(0);
    },
  );
});

/**
 * The moment the check's claim is written: a check first watches a runner's stale-looking record
 * for --stale-after (heartbeat-watch.ts) before it claims, so "while the claim is fresh" is
 * counted from here, not from the check's start.
 */
async function checkClaimed(w: World): Promise<number> {
  while (w.store.peek(FN, ALIAS)?.owner !== CHECK) await w.clock.sleep(100);
  return w.clock.now();
}

async function personAfterCheckClaims(w: World, personAfter: number) {
  await checkClaimed(w);
  return personRollback(w, personAfter);
}

describe('a person’s rollback <function> starting while a scheduled check holds its claim', () => {
  it.each([0, 300, 2900, 3100, 6000])(
    'person %i ms after the check claims: the check rolls it back, the person reports it (exit 0)',
    async (personAfter) => {
      const w = abandonedDeploy({ auto: false });
      const [check, person] = await runTogether(
        w,
        scheduledCheck(w, 0),
        personAfterCheckClaims(w, personAfter),
      );

      const story = JSON.stringify({ check: check.results, person }, null, 1);
      expect(restores(w), story).toHaveLength(1);
      expect(
        check.results.map((r) => r.action),
        story,
      ).toEqual(['rolled_back']);
      expect(person.status, story).toBe('nothing_to_deploy');
      // Inside the check's 3-s read-back the person finds its claim and waits for it; later the
      // check has finished (instant alias writes here): nothing to roll back, said as such.
      if (personAfter < 3000) expect(person.byOther, story).toMatchObject({ owner: CHECK, done: true });
      else expect(person.cause?.code, story).toBe('NOTHING_TO_DO');
      expect(exitCodeForRollback(person.status), story).toBe(0);
    },
  );
});

describe('rollback <function> waiting on a check whose own rollback fails', () => {
  // The person starts while the check's claim is fresh (before its read-back, after it, while it
  // rolls back).
  it.each([0, 500, 1500, 2900, 3000, 3100, 6000])(
    'person %i ms after the check claims: the check gives its claim up, the person rolls back itself (exit 0)',
    async (personAfter) => {
      const w = abandonedDeploy({ auto: false });
      let claimedAt = Number.NaN;
      void checkClaimed(w).then((at) => {
        claimedAt = at;
      });
      const [check, person] = await runTogether(
        w,
        scheduledCheck(w, 0, { failing: true }),
        personAfterCheckClaims(w, personAfter),
      );

      const story = JSON.stringify({ check: check.results, person }, null, 1);
      expect(restores(w), story).toHaveLength(1);
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      expect(w.store.peek(FN, ALIAS)?.phase, story).toBe('rolled-back');
      expect(
        check.results.map((r) => r.action),
        story,
      ).toEqual(['rollback_failed']);
      expect(person.status, story).toBe('rolled_back');
      expect(person.byOther, story).toBeUndefined();
      expect(exitCodeForRollback(person.status), story).toBe(0);
      // Within the documented wait (60 s) and one claim's settle, from the check's claim.
      expect(w.clock.now() - claimedAt, story).toBeLessThan(70_000);
    },
  );

  it('its own rollback failing too: its own failure (exit 4), not the check’s', async () => {
    const w = abandonedDeploy({ auto: false });
    // Every alias write fails, the person's too (their Lambda is the fake itself).
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY, error: aliasWriteDenied() });
    const [check, person] = await runTogether(
      w,
      scheduledCheck(w, 0, { failing: true }),
      personAfterCheckClaims(w, 500),
    );

    const story = JSON.stringify({ check: check.results, person }, null, 1);
    expect(
      check.results.map((r) => r.action),
      story,
    ).toEqual(['rollback_failed']);
    expect(person.byOther, story).toBeUndefined();
    expect(person.status, story).toBe('unsafe');
    expect(person.cause?.code, story).not.toBe('ROLLBACK_UNFINISHED');
    expect(exitCodeForRollback(person.status), story).toBe(4);
    // Tried once by each, and its claim put back as well.
    expect(w.store.peek(FN, ALIAS)?.phase, story).not.toBe('rolling-back');
  });

  it('a check’s claim gone stale while waited for (its check died): finished here', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    // Fresh by 10 s when the person starts; abandoned (120 s + 60 s skew) 10 s later.
    const heartbeatAt = w.clock.now() - 170_000;
    w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', owner: CHECK, heartbeatAt });

    const person = await personRollback(w, 0);

    expect(person.status).toBe('rolled_back');
    expect(person.byOther).toBeUndefined();
    expect(restores(w)).toHaveLength(1);
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });
});

describe('two people’s rollback <function> racing on the same function', () => {
  const OTHER = 'rollback:bob@desk:77';
  it.each(
    [0, 300, -300, 1500, -1500, 2900, -2900, 3100, -3100, 6000, -6000, 10_000, -10_000].flatMap(
      (annFirstBy) => [0, 4000].map((slowMs) => [annFirstBy, slowMs]),
    ),
  )(
    'Ann %i ms ahead, alias writes taking %i ms: rolled back once, neither fails',
    async (annFirstBy, slowMs) => {
      const w = abandonedDeploy({ auto: false });
      const [ann, bob] = await runTogether(
        w,
        personRollback(w, Math.max(0, -annFirstBy), PERSON, { slowMs }),
        personRollback(w, Math.max(0, annFirstBy), OTHER, { slowMs }),
      );

      const story = JSON.stringify({ ann, bob }, null, 1);
      expect(restores(w), story).toHaveLength(1);
      expect(w.store.peek(FN, ALIAS)?.phase, story).toBe('rolled-back');
      expect(
        [ann, bob].filter((p) => p.status === 'rolled_back'),
        story,
      ).toHaveLength(1);
      // The other waited for it (and says who did it), or came after it closed: nothing to roll back.
      const other = ann.status === 'rolled_back' ? bob : ann;
      expect(other.status, story).toBe('nothing_to_deploy');
      if (other.byOther) expect(other.byOther.done, story).toBe(true);
      for (const p of [ann, bob]) expect(exitCodeForRollback(p.status), story).toBe(0);
    },
  );

  it('the same person’s own claim, left by an interrupted run (another pid): rolled back at once', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    const earlier = 'rollback:ann@laptop:12';
    w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', owner: earlier, heartbeatAt: w.clock.now() });

    const person = await personRollback(w, 0);

    expect(person.byOther).toBeUndefined();
    expect(person.status).toBe('rolled_back');
    expect(w.clock.now() - w.start).toBeLessThan(10_000);
  });

  it('an owner longer than a record keeps (a CI job’s): its claim is still found its own', async () => {
    const w = abandonedDeploy();
    const owner = rollbackOwner(`gha:some-organisation/a-rather-long-repository-name/${'9'.repeat(20)}`);

    const person = await personRollback(w, 0, owner);

    expect(person.byOther).toBeUndefined();
    expect(person.status).toBe('rolled_back');
    expect(w.clock.now() - w.start).toBeLessThan(10_000);
  });
});

describe('rollback <function> and another actor’s claim', () => {
  it('a check’s fresh claim: waits for it, reports the function rolled back by that check (exit 0)', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', owner: CHECK, heartbeatAt: w.clock.now() });
    w.clock.after(10_000, () => {
      w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: {} });
      w.store.seed(FN, ALIAS, { ...record, phase: 'rolled-back', owner: CHECK, endedAt: w.clock.now() });
    });

    const person = await personRollback(w, 0);

    expect(restores(w)).toHaveLength(0);
    expect(person.byOther).toEqual({ functionName: FN, alias: ALIAS, owner: CHECK, done: true });
    expect(person.status).toBe('nothing_to_deploy');
    expect(exitCodeForRollback(person.status)).toBe(0);
  });

  it('a check’s claim that never finishes: says so and exits 4, the alias untouched', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', owner: CHECK, heartbeatAt: w.clock.now() });

    const person = await personRollback(w, 0);

    expect(restores(w)).toHaveLength(0);
    expect(person.byOther).toEqual({
      functionName: FN,
      alias: ALIAS,
      owner: CHECK,
      done: false,
      phase: 'rolling-back',
    });
    expect(exitCodeForRollback(person.status)).toBe(4);
  });

  it('a deploy runner’s own fresh rolling-back mark (it died rolling back): rolled back at once', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', heartbeatAt: w.clock.now() });

    const person = await personRollback(w, 0);

    expect(person.byOther).toBeUndefined();
    expect(person.status).toBe('rolled_back');
    expect(w.store.peek(FN, ALIAS)?.phase).toBe('rolled-back');
  });

  it('already rolled back: nothing to roll back (exit 0), no claim written', async () => {
    const w = abandonedDeploy();
    await personRollback(w, 0);
    const writes = w.store.writes.length;

    const again = await personRollback(w, 0);

    expect(again.status).toBe('nothing_to_deploy');
    expect(exitCodeForRollback(again.status)).toBe(0);
    expect(restores(w)).toHaveLength(1);
    expect(w.store.writes.length).toBe(writes);
  });

  it('a rollback that fails puts the record back as it was (not left claimed for a check to skip)', async () => {
    const w = abandonedDeploy();
    const before = w.store.peek(FN, ALIAS)!;
    w.lambda.fail({ op: 'updateAlias', times: Number.POSITIVE_INFINITY });

    const person = await personRollback(w, 0);

    expect(person.status).toBe('unsafe');
    expect(w.store.phases()).toEqual(['rolling-back', before.phase]);
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
  });

  it('a person’s fresh claim is left alone by a check (skipped: being rolled back by them)', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, { ...record, phase: 'rolling-back', owner: PERSON, heartbeatAt: w.clock.now() });

    const check = await scheduledCheck(w, 1000);

    expect(check.results.map((r) => r.action)).toEqual(['skipped']);
    expect(check.results[0]?.reason).toContain(`being rolled back by ${PERSON}`);
    expect(restores(w)).toHaveLength(0);
    expect(exitCodeForCheck(check)).toBe(0);
  });
});

describe('whose fresh rolling-back claim a person’s rollback waits for', () => {
  const w = createWorld();
  const record = deadRecord(w, { phase: 'rolling-back', heartbeatAt: w.clock.now() });
  it.each([
    ['a check’s', CHECK, true],
    ['another person’s', 'rollback:bob@desk:77', true],
    ['another person’s on the same host', 'rollback:bob@laptop:41', true],
    ['its own earlier run’s (another pid)', 'rollback:ann@laptop:12', false],
    ['a deploy runner’s own mark', 'ann@laptop:12', false],
    ['a CI job’s rollback', 'rollback:gha:org/repo/123', true],
  ])('%s: %s', (_, owner, waits) => {
    expect(isFreshRivalClaim({ ...record, owner }, PERSON, w.clock.now(), 120_000, 'claims')).toBe(waits);
  });

  // Same person, same host, two terminals: this machine's processes say whether the other pid runs.
  const running = (pids: number[]) => ({ isRunning: (pid: number) => pids.includes(pid) });
  it.each([
    ['its own earlier run’s, that pid gone', 'rollback:ann@laptop:12', [], false],
    ['the same person’s other terminal, that pid still running', 'rollback:ann@laptop:12', [12], true],
    ['another person’s on the same host, whatever runs', 'rollback:bob@laptop:12', [], true],
    ['a CI job’s rollback (no pid)', 'rollback:gha:org/repo/123', [123], true],
  ])('%s: %s', (_, owner, pids, waits) => {
    const fresh = { ...record, owner };
    expect(isFreshRivalClaim(fresh, PERSON, w.clock.now(), 120_000, 'claims', running(pids))).toBe(waits);
  });

  // The machine token (`/3f9a1c2e`): where a pid can be judged. Another container with this
  // hostname (another token) is a rival whatever this machine's process table says.
  const TOKENED = 'rollback:ann@laptop:41/3f9a1c2e';
  it.each([
    ['its own earlier run’s in this container, that pid gone', 'rollback:ann@laptop:12/3f9a1c2e', [], false],
    [
      'the same user@host in another container, that pid absent here',
      'rollback:ann@laptop:12/0badcafe',
      [],
      true,
    ],
    ['an older record without a token, that pid absent here', 'rollback:ann@laptop:12', [], true],
    [
      'a check of this user in another container, that pid absent here',
      'check:ann@laptop:12/0badcafe',
      [],
      true,
    ],
    ['a check of this user in this container, that pid gone', 'check:ann@laptop:12/3f9a1c2e', [], false],
  ])('with machine tokens, %s: %s', (_, owner, pids, waits) => {
    const fresh = { ...record, owner };
    expect(isFreshRivalClaim(fresh, TOKENED, w.clock.now(), 120_000, 'claims', running(pids))).toBe(waits);
  });

  it.each([
    ['rollback:ann@laptop:41', 'rollback:ann@laptop:12', true],
    ['rollback:ann@laptop:41', 'rollback:ann@desk:41', false],
    ['rollback:gha:org/repo/123', 'rollback:gha:org/repo/124', false],
    ['rollback:gha:org/repo/123', 'rollback:gha:org/repo/123', true],
    ['check:ann@laptop:41', 'check:ann@laptop:12', false],
    // The token says where the pid lives, not who the person is.
    ['rollback:ann@laptop:41/3f9a1c2e', 'rollback:ann@laptop:12/0badcafe', true],
    ['rollback:ann@laptop:41/3f9a1c2e', 'rollback:ann@laptop:12', true],
  ])('isSameOperator(%s, %s) is %s', (a, b, same) => {
    expect(isSameOperator(a, b)).toBe(same);
  });
});

describe('the same person rolling back from two terminals', () => {
  it('the second waits for the first while its process runs, instead of taking its claim over', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    // Terminal 1 (pid 12) claimed it a moment ago and is still rolling back.
    w.store.seed(FN, ALIAS, {
      ...record,
      phase: 'rolling-back',
      owner: 'rollback:ann@laptop:12',
      heartbeatAt: w.clock.now(),
    });
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON, processes: { isRunning: (pid) => pid === 12 } },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    expect(result.byOther?.owner).toBe('rollback:ann@laptop:12');
    expect(restores(w)).toHaveLength(0);
    expect(w.store.writes.map((x) => x.record.owner)).not.toContain(PERSON);
  });

  it('a claim its own killed run left (that pid gone) is taken over at once, as before', async () => {
    const w = abandonedDeploy();
    const record = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, {
      ...record,
      phase: 'rolling-back',
      owner: 'rollback:ann@laptop:12',
      heartbeatAt: w.clock.now(),
    });
    const result = await rollbackClaimed(
      { ...w.deps, store: w.store, owner: PERSON, processes: { isRunning: () => false } },
      { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
    );
    expect(result.status).toBe('rolled_back');
    expect(result.byOther).toBeUndefined();
    expect(restores(w)).toHaveLength(1);
  });
});
