/**
 * A deploy and an operator's `lshift rollback` of it on a manual clock, for the paths where the
 * deploy meets the rollback's alias write before it has seen the rollback's claim: a 412 on its
 * weight write, a hold's read of the alias (health-monitor.ts aliasMoved), the promotion read-back
 * (promotion-settle.ts) — conflict-meets-claim.test.ts. The deploy's reads of its record can be
 * made to fail (ListTags throttled) without touching the rollback's: each actor has its own view
 * of the one store, as two machines would.
 */
import type { DeployResult } from '../../src/domain/events.js';
import { type DeployRequest, runDeploy } from '../../src/engine/deploy.js';
import { type ClaimedRollbackResult, rollbackClaimed } from '../../src/engine/rollback-claim.js';
import type { StateStore } from '../../src/ports/state-store.js';
import { gate } from './promote-race.js';
import { runTogether } from './race.js';
import { ALIAS, createWorld, FN, request, type World } from './world.js';

export const DEPLOYER = 'tester@host:1';
export const OPERATOR = 'rollback:ops@desk:3';

export interface ConflictRace {
  w: World;
  /** Opened to let the operator's rollback start. */
  start: ReturnType<typeof gate>;
  /** Opened once the rollback has ended (its alias write and record close done). */
  rolledBack: ReturnType<typeof gate>;
  /** The deploy's reads of its record fail while this is true. */
  readsFail: boolean;
  /** This many more of the deploy's reads fail (after readsFail is turned off). */
  failingReads: number;
  /** The store as the rollback sees it (default: the one store, without the deploy's faults). */
  operatorStore?: StateStore;
}

export function createConflictRace(): ConflictRace {
  const w = createWorld({ auto: false });
  const race: ConflictRace = { w, start: gate(), rolledBack: gate(), readsFail: false, failingReads: 0 };
  const read = w.store.read.bind(w.store);
  w.store.read = async (fn, alias) => {
    if (race.readsFail || race.failingReads > 0) {
      if (!race.readsFail) race.failingReads -= 1;
      throw new Error('ThrottlingException: Rate exceeded');
    }
    return read(fn, alias);
  };
  return race;
}

/** The rollback's own view of the store: the deploy's failing reads are not its. */
function operatorStore(w: World): StateStore {
  return {
    read: async (fn, alias) => w.store.peek(fn, alias),
    write: (fn, alias, record) => w.store.write(fn, alias, record),
  };
}

/** Runs the deploy and, once `start` opens, the operator's rollback beside it; both to their end. */
export async function runConflictRace(
  race: ConflictRace,
  overrides: Partial<DeployRequest>,
): Promise<[DeployResult, ClaimedRollbackResult]> {
  const { w } = race;
  const deploy = runDeploy(w.deps, request({ ...overrides, owner: DEPLOYER }));
  const rollback = race.start.passed.then(async () => {
    const ended = await rollbackClaimed(
      { ...w.deps, store: race.operatorStore ?? operatorStore(w), owner: OPERATOR },
      { functionName: FN, alias: ALIAS, reason: 'bad dashboards' },
    );
    race.rolledBack.open();
    return ended;
  });
  return runTogether(w, deploy, rollback);
}

/** The warnings and notes the deploy logged, in order. */
export function deployLogs(w: World): string[] {
  return w.sink.ofType('log').map((e) => e.message);
}
