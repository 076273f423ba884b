/**
 * A deploy and a person's `lshift rollback` of it, run together on a manual clock, with the
 * rollback let in at an exact point of the deploy's last writes (promote-claim-race.test.ts).
 * The store and the alias answer at once in the fakes, so a write "in flight" is modelled by
 * holding the call until the other actor got as far as the test says.
 */
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { DeployResult } from '../../src/domain/events.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { DeployRequest } from '../../src/engine/deploy-types.js';
import { type ClaimedRollbackResult, rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { runTogether } from './race.js';
import { ALIAS, createWorld, FN, linear, request, type World } from './world.js';

export const DEPLOYER = 'tester@host:1';
export const TAKER = 'rollback:ops@desk:3';

/** A promise and its resolver: a point one actor reached, that the other waits for. */
export function gate(): { open: () => void; passed: Promise<void>; isOpen: () => boolean } {
  let open!: () => void;
  let opened = false;
  const passed = new Promise<void>((resolve) => {
    open = () => {
      opened = true;
      resolve();
    };
  });
  return { open, passed, isOpen: () => opened };
}

export interface RaceWorld {
  w: World;
  /** The store the rollback uses: the world's, unless a test slowed it (paced-store.ts). */
  rollbackStore: StateStore;
  /** Opened to let the rollback start. */
  start: ReturnType<typeof gate>;
  /** Opened once the rollback's claim (`rolling-back` by TAKER) landed in the store. */
  claimed: ReturnType<typeof gate>;
  /** Opened once the deploy's 100% alias write landed. */
  promotedAlias: ReturnType<typeof gate>;
  /** Opened once the deploy's `promoted` record landed. */
  promotedRecord: ReturnType<typeof gate>;
  /** Store writes that wait for something before they land: `[which write, what it waits for]`. */
  holdWrites: [(r: DeploymentRecord) => boolean, () => Promise<void>][];
  /** Alias writes that wait for something before they are sent. */
  holdAliasWrites: [(a: AliasWrite) => boolean, () => Promise<void>][];
}

export const isDeployWrite =
  (phase: DeploymentRecord['phase'], percent?: number) =>
  (r: DeploymentRecord): boolean =>
    r.owner === DEPLOYER && r.phase === phase && (percent === undefined || r.percent === percent);

export const isClaim = (r: DeploymentRecord): boolean => r.owner === TAKER && r.phase === 'rolling-back';

export const isRestore = (a: AliasWrite): boolean =>
  a.functionVersion === '1' && Object.keys(a.additionalWeights).length === 0;

export const isFullWrite = (a: AliasWrite): boolean =>
  a.functionVersion === '2' && Object.keys(a.additionalWeights).length === 0;

/** linear:50%:60s (50% held 60 s, then 100%): the 100% write comes at 60 s. */
export function createRaceWorld(): RaceWorld {
  const w = createWorld({ auto: false });
  const race: RaceWorld = {
    w,
    rollbackStore: w.store,
    start: gate(),
    claimed: gate(),
    promotedAlias: gate(),
    promotedRecord: gate(),
    holdWrites: [],
    holdAliasWrites: [],
  };
  const write = w.store.write.bind(w.store);
  w.store.write = async (fn, alias, record) => {
    const held = race.holdWrites.find(([which]) => which(record));
    if (held) {
      race.holdWrites.splice(race.holdWrites.indexOf(held), 1);
      await held[1]();
    }
    await write(fn, alias, record);
    if (isClaim(record)) race.claimed.open();
    if (isDeployWrite('promoted')(record)) race.promotedRecord.open();
  };
  const update = w.lambda.updateAlias.bind(w.lambda);
  w.lambda.updateAlias = async (fn, alias, aliasWrite) => {
    const held = race.holdAliasWrites.find(([which]) => which(aliasWrite));
    if (held) {
      race.holdAliasWrites.splice(race.holdAliasWrites.indexOf(held), 1);
      await held[1]();
    }
    const written = await update(fn, alias, aliasWrite);
    if (isFullWrite(aliasWrite)) race.promotedAlias.open();
    return written;
  };
  return race;
}

/** Lets the rollback start here and waits until its claim landed (it lands in this window). */
export function claimHere(race: RaceWorld): () => Promise<void> {
  return async () => {
    race.start.open();
    await race.claimed.passed;
  };
}

function startDeploy(w: World, over: Partial<DeployRequest> = {}): Promise<DeployResult> {
  return runDeploy(w.deps, request({ ...linear(50, 60), owner: DEPLOYER, ...over }));
}

/** The deploy alone, to its end (someone else moves the alias through the hooks); `over`: its request's own. */
export async function runDeployAlone(
  race: RaceWorld,
  over: Partial<DeployRequest> = {},
): Promise<DeployResult> {
  const [deploy] = await runTogether<[DeployResult]>(race.w, startDeploy(race.w, over));
  return deploy;
}

/** Runs the deploy and, once `start` opens, the rollback beside it; both to their end. */
export async function runRace(race: RaceWorld): Promise<[DeployResult, ClaimedRollbackResult]> {
  const { w } = race;
  const deploy = startDeploy(w);
  const rollback = race.start.passed.then(() =>
    rollbackClaimed(
      { ...w.deps, store: race.rollbackStore, owner: TAKER },
      { functionName: FN, alias: ALIAS, reason: 'ops asked for it' },
    ),
  );
  return runTogether(w, deploy, rollback);
}

/** Where traffic is at the end. */
export function finalAlias(w: World): { functionVersion: string; additionalWeights: Record<string, number> } {
  const alias = w.lambda.peekAlias(FN, ALIAS)!;
  return { functionVersion: alias.functionVersion, additionalWeights: alias.additionalWeights };
}
