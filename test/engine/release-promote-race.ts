/**
 * A release of fa, fb, fc (linear 50% for 60 s, then 100%) and an operator's rollback — `lshift
 * rollback fb`, or `lshift rollback --release` — run together on a manual clock, with the
 * rollback let in at an exact point of the release's last writes (release-promote-claim.test.ts).
 * As in promote-race.ts, the fakes answer at once, so a write "in flight" is a call held until
 * the other actor got as far as the test says.
 */
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { ReleaseResult } from '../../src/domain/release-result.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import {
  type ClaimedReleaseRollbackResult,
  rollbackReleaseClaimed,
} from '../../src/engine/release-rollback-claim.js';
import { type ClaimedRollbackResult, rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { pacedStore } from './paced-store.js';
import { gate } from './promote-race.js';
import { runTogether } from './race.js';
import { FNS, TAKER } from './release-takeover-world.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

export { FNS, TAKER };
export const RUNNER = 'tester@host:1';

export interface ReleaseRace {
  w: World;
  /** The release's functions (FNS unless the race was made with others). */
  fns: readonly string[];
  /** The store the rollback uses: the world's, unless `paceRollback` slowed it. */
  rollbackStore: StateStore;
  /** Opened to let the rollback start. */
  start: ReturnType<typeof gate>;
  /** Opened once the rollback's claim landed on every function it was let claim. */
  claimed: ReturnType<typeof gate>;
  /** Resolves once the rollback's claim (`rolling-back` by TAKER) landed on `fn`. */
  claimLanded: (fn: string) => Promise<void>;
  /** Store writes held until something happened: `[which write, what it waits for]`. */
  holdWrites: [(fn: string, r: DeploymentRecord) => boolean, () => Promise<void>][];
  /** Alias writes held the same way. */
  holdAliasWrites: [(fn: string, a: AliasWrite) => boolean, () => Promise<void>][];
}

/** The release's own record write of `fn` in `phase` (at `percent`, when given). */
export const isRunnerWrite =
  (fn: string, phase: DeploymentRecord['phase'], percent?: number) =>
  (name: string, r: DeploymentRecord): boolean =>
    name === fn &&
    r.owner === RUNNER &&
    r.phase === phase &&
    (percent === undefined || r.percent === percent);

export const isClaim = (r: DeploymentRecord): boolean => r.owner === TAKER && r.phase === 'rolling-back';

export const isRestore = (a: AliasWrite): boolean =>
  a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0;

/**
 * `claimsExpected`: how many functions' claims must land before `claimed` opens; `fns`: the
 * release's functions (each as world.ts's FN: versions 1 and 2, the alias on 1).
 */
export function releaseRace(claimsExpected = 1, fns: readonly string[] = FNS): ReleaseRace {
  const w = createFleetWorld(fns, { auto: false });
  const race: ReleaseRace = {
    w,
    fns,
    rollbackStore: w.store,
    start: gate(),
    claimed: gate(),
    claimLanded: (fn) => landed(fn).passed,
    holdWrites: [],
    holdAliasWrites: [],
  };
  const gates = new Map<string, ReturnType<typeof gate>>();
  const landed = (fn: string) => gates.get(fn) ?? gates.set(fn, gate()).get(fn)!;
  const claimedFns = new Set<string>();
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record) => {
    const held = race.holdWrites.find(([which]) => which(fn, record));
    if (held) {
      race.holdWrites.splice(race.holdWrites.indexOf(held), 1);
      await held[1]();
    }
    await write(fn, alias, record);
    if (isClaim(record)) {
      claimedFns.add(fn);
      landed(fn).open();
    }
    if (claimedFns.size >= claimsExpected) race.claimed.open();
  };
  const update = w.lambda.updateAlias.bind(w.lambda);
  w.lambda.updateAlias = async (fn, alias, aliasWrite) => {
    const held = race.holdAliasWrites.find(([which]) => which(fn, aliasWrite));
    if (held) {
      race.holdAliasWrites.splice(race.holdAliasWrites.indexOf(held), 1);
      await held[1]();
    }
    return update(fn, alias, aliasWrite);
  };
  return race;
}

/** Lets the rollback start here and waits until its claim(s) landed. */
export function claimHere(race: ReleaseRace): () => Promise<void> {
  return async () => {
    race.start.open();
    await race.claimed.passed;
  };
}

/**
 * The rollback's record calls take `ms` of clock time each, one after the other, as a process's
 * Lambda rate limit paces them (15 a second: 67 ms) or a throttled endpoint slows them; the
 * release's own calls still answer at once.
 */
export function paceRollback(race: ReleaseRace, ms: number): void {
  race.rollbackStore = pacedStore(race.w, ms);
}

/** The release `r-hook01` of the race's functions (linear 50% for 60 s, then 100%), run by RUNNER. */
function startRelease(race: ReleaseRace): Promise<ReleaseResult> {
  const req: ReleaseRequest = {
    releaseId: 'r-hook01',
    members: race.fns.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...linear(50, 60),
        owner: RUNNER,
      }),
    ),
  };
  return runRelease(race.w.deps, req);
}

/** The release and, once `start` opens, `lshift rollback fb` beside it; both to their end. */
export function raceOneRollback(race: ReleaseRace): Promise<[ReleaseResult, ClaimedRollbackResult]> {
  const { w } = race;
  const rollback = race.start.passed.then(() =>
    rollbackClaimed(
      { ...w.deps, store: race.rollbackStore, owner: TAKER },
      { functionName: 'fb', alias: ALIAS, reason: 'ops asked for it' },
    ),
  );
  return runTogether(w, startRelease(race), rollback);
}

/** The release and, once `start` opens, `lshift rollback --release r-hook01` beside it. */
export function raceReleaseRollback(
  race: ReleaseRace,
): Promise<[ReleaseResult, ClaimedReleaseRollbackResult]> {
  const { w } = race;
  const rollback = race.start.passed.then(() =>
    rollbackReleaseClaimed(
      { ...w.deps, store: race.rollbackStore, owner: TAKER },
      {
        releaseId: 'r-hook01',
        targets: race.fns.map((functionName) => ({ functionName, alias: ALIAS })),
        reason: 'ops asked for it',
      },
    ),
  );
  return runTogether(w, startRelease(race), rollback);
}

/** The release alone, to its end (the test moves things through the holds). */
export async function runReleaseAlone(race: ReleaseRace): Promise<ReleaseResult> {
  const [result] = await runTogether<[ReleaseResult]>(race.w, startRelease(race));
  return result;
}

/** Where each function's traffic is at the end: `fa: 1`, `fb: 2`, or the split. */
export function finalAliases(w: World, fns: readonly string[] = FNS): Record<string, string> {
  return Object.fromEntries(
    fns.map((fn) => {
      const a = w.lambda.peekAlias(fn, ALIAS)!;
      const split = Object.entries(a.additionalWeights)
        .map(([v, weight]) => ` + ${v}@${weight}`)
        .join('');
      return [fn, `${a.functionVersion}${split}`];
    }),
  );
}
