/**
 * A 412 on the first weight write of a run that never moved the alias, no rival seen while held
 * (its own record was the last stored, or the winner's was stored over it after its last read):
 * the move is most likely another deployment's first write, not a person's. Before a stop calls
 * it "moved by hand" and says "nobody drives that split" (exit 4, its fix a rollback over that
 * deployment's shift), the record is read again, a bounded few times on the clock port.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { isEnded } from './record-view.js';
import type { ShiftContext } from './shift-context.js';

/** Reads of the record before deciding, and the clock time between two failed ones. */
export const FIRST_WRITE_READS = 3;
export const FIRST_WRITE_READ_GAP_MS = 1_000;

/** Another deployment holds the alias (`holder`), or one may while its record cannot be read (`unknown`). */
export type FirstWriteRace = { holder: DeploymentRecord } | { unknown: true };

export async function firstWriteRace(
  ctx: ShiftContext,
  aliasState: DeployResult['aliasState'],
): Promise<FirstWriteRace | undefined> {
  if (!ctx.recorder.aliasNeverMoved() || ctx.recorder.rivalBeforeMove() || ctx.recorder.lostReason())
    return undefined;
  if (!aliasState || !routesTargetAsDeployment(aliasState, ctx.cursor.targetVersion)) return undefined;
  const store = ctx.deps.store;
  if (!store) return undefined;
  for (let attempt = 1; attempt <= FIRST_WRITE_READS; attempt++) {
    try {
      const stored = await store.read(ctx.req.functionName, ctx.req.alias);
      const ours = ctx.recorder.current();
      if (!stored || stored.id === ours.id || isEnded(stored)) return undefined;
      return { holder: stored };
    } catch {
      if (attempt < FIRST_WRITE_READS) await ctx.deps.clock.sleep(FIRST_WRITE_READ_GAP_MS);
    }
  }
  return { unknown: true };
}

/**
 * The alias routes our target version at a whole percent, as a deployment's step writes it (a
 * linear or canary step, or all of it): another deployment of the same version may have written it.
 */
function routesTargetAsDeployment(
  aliasState: NonNullable<DeployResult['aliasState']>,
  target: string,
): boolean {
  if (aliasState.functionVersion === target) return Object.keys(aliasState.additionalWeights).length === 0;
  const weight = aliasState.additionalWeights[target];
  if (weight === undefined) return false;
  const percent = weight * 100;
  return Math.abs(percent - Math.round(percent)) < 1e-6;
}
