/**
 * Two people's `lshift rollback <function>` at once, the first one's alias write hung for
 * minutes (test/e2e/twin-rollback.test.ts holds it at the fault proxy). The first run's claim
 * beats beside the hung write (beating-driver.ts besideBeat, rollback.ts claimBeat), so the
 * second one waits for it and writes nothing (exit 4, run it again): one writer. Only a claim
 * that truly went stale — its record writes failing — is taken over; then the hung write, once it
 * lands, meets the twin's RevisionId (412), reads the alias back and says it was already there
 * (exit 0), and the twin's closed record stays closed.
 *
 * Before the beat beside a held call (cdac781a), the e2e passed only because the hold outlasted
 * the stale limit on the sandbox's 600× clock: the second run took a live run's claim over.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForRollback } from '../../src/cli/exit-codes.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { runTogether } from './race.js';
import { ALIAS, createWorld, deadRecord, FN, type World } from './world.js';

const ANN = 'rollback:ann@laptop:41';
const BOB = 'rollback:bob@desk:7';
/** Ann's alias write answers this long after the start: past the stale limit and skew (180 s). */
const HELD_MS = 600_000;
/** Bob starts when Ann's claim, unbeaten, would be stale. */
const BOB_AT_MS = 300_000;

/** FN at 25% on version 2, its runner dead: both people roll it back to version 1. */
function splitWorld(): World {
  const w = createWorld({ auto: false });
  w.lambda.addFunction(FN);
  w.lambda.addVersion(FN);
  w.lambda.addVersion(FN);
  w.lambda.addAlias(FN, ALIAS, '1');
  w.store.seed(FN, ALIAS, deadRecord(w, { id: 'd-1', strategy: 'linear:25%:1m' }));
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.25 } });
  return w;
}

/** The Lambda whose UpdateAlias is sent at once but reaches it (RevisionId checked) at `atMs`. */
function heldAliasWrites(w: World, atMs: number): LambdaPort {
  const lambda = w.lambda;
  return new Proxy(lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'updateAlias')
        return async (...args: Parameters<LambdaPort['updateAlias']>) => {
          const left = w.start + atMs - w.clock.now();
          if (left > 0) await w.clock.sleep(left);
          return target.updateAlias(...args);
        };
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The store whose writes fail once `owner`'s claim is in it (its heartbeats do not land), until
 * `recoversAtMs` after the start if given.
 */
function failingAfterClaim(w: World, owner: string, recoversAtMs = Number.POSITIVE_INFINITY): StateStore {
  const store = w.store;
  let claimed = false;
  return {
    read: (fn, alias) => store.read(fn, alias),
    async write(fn: string, alias: string, record: DeploymentRecord, opts) {
      if (claimed && w.clock.now() < w.start + recoversAtMs) throw new Error('TagResource: connection reset');
      await store.write(fn, alias, record, opts);
      if (record.owner === owner && record.phase === 'rolling-back') claimed = true;
    },
  };
}

async function rollbackBy(
  w: World,
  owner: string,
  opts: { lambda?: LambdaPort; store?: StateStore; atMs?: number },
) {
  if (opts.atMs) await w.clock.sleep(opts.atMs);
  return rollbackClaimed(
    { ...w.deps, lambda: opts.lambda ?? w.lambda, store: opts.store ?? w.store, owner },
    { functionName: FN, alias: ALIAS, reason: 'manual rollback' },
  );
}

describe('two people’s rollback of one function, the first one’s alias write hung for minutes', () => {
  it('the hung run’s claim stays fresh: the second waits, writes nothing (exit 4); the first rolls back', async () => {
    const w = splitWorld();
    const [ann, bob] = await runTogether(
      w,
      rollbackBy(w, ANN, { lambda: heldAliasWrites(w, HELD_MS) }),
      rollbackBy(w, BOB, { atMs: BOB_AT_MS }),
    );
    const story = JSON.stringify({ ann, bob, record: w.store.peek(FN, ALIAS) }, null, 1);
    expect(bob, story).toMatchObject({ status: 'unsafe', cause: { code: 'ROLLBACK_UNFINISHED' } });
    expect(bob.byOther, story).toMatchObject({ owner: ANN, done: false });
    expect(exitCodeForRollback(bob.status)).toBe(4);
    expect(ann.status, story).toBe('rolled_back');
    // One writer: Bob's rollback never wrote the alias.
    expect(w.lambda.callsOf('updateAlias'), story).toHaveLength(1);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS), story).toMatchObject({ phase: 'rolled-back', owner: ANN });
  });

  // Ann's record writes fail for good, or work again once Bob has closed the record: her beats
  // beside the hung write go on then, and must not put her claim back over his close.
  it.each([
    ['for good', undefined],
    ['until Bob closed it', BOB_AT_MS + 60_000],
  ])(
    'its claim gone stale (record writes failing %s): the second takes it over; the hung write meets 412 and says the alias was already there (exit 0)',
    async (_, recoversAtMs) => {
      const w = splitWorld();
      const [ann, bob] = await runTogether(
        w,
        rollbackBy(w, ANN, {
          lambda: heldAliasWrites(w, HELD_MS),
          store: failingAfterClaim(w, ANN, recoversAtMs),
        }),
        rollbackBy(w, BOB, { atMs: BOB_AT_MS }),
      );
      const story = JSON.stringify({ ann, bob, record: w.store.peek(FN, ALIAS) }, null, 1);
      expect(bob.status, story).toBe('rolled_back');
      // Closed before Ann's writes work again, long before her hung write lands.
      expect((bob.endedAt ?? Number.POSITIVE_INFINITY) - w.start, story).toBeLessThan(BOB_AT_MS + 60_000);
      expect(ann.status, story).toBe('nothing_to_deploy');
      expect(exitCodeForRollback(ann.status)).toBe(0);
      // Named since session 71 (it said "the alias had already been put there (an earlier write of
      // this rollback, or another rollback)"): who rolled the deployment back meanwhile.
      expect(describeReason(ann), story).toBe(
        `deployment d-1 was rolled back by ${BOB} while this rollback's alias write waited: all traffic of alias live is on version 1; this rollback's write was then refused (412) and overwrote nothing`,
      );
      expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
      // Bob's close stands: nothing of Ann's landed over it.
      expect(w.store.peek(FN, ALIAS), story).toMatchObject({ phase: 'rolled-back', owner: BOB });
    },
  );
});
