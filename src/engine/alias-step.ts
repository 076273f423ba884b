/**
 * The single place that turns a plan step into an alias write. Forward shifts and rollbacks
 * both go through `applyStep`, so a rollback is just a plan whose one step is 0%.
 */
import type { PlanStep } from '../domain/plan.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import type { RoutingState, TrafficCursor } from '../ports/traffic-driver.js';

/** Alias routing as lshift sees it (the port's RoutingState). */
export type AliasState = RoutingState;

/** Where an alias is and which RevisionId the next write must carry. Mutated by `applyStep`. */
export type AliasCursor = TrafficCursor;

/**
 * The alias routing for `percent` on the target:
 * 0 → all on stable, routing cleared; 100 → all on target, routing cleared (DESIGN.md §2:
 * finishing a shift moves FunctionVersion, it never writes a weight of 1.0); otherwise stable
 * plus the exact decimal fraction on the target (10% → 0.1, 99.9% → 0.999).
 */
export function aliasStateForPercent(stable: string, target: string, percent: number): AliasState {
  if (percent <= 0) return { functionVersion: stable, additionalWeights: {} };
  if (percent >= 100) return { functionVersion: target, additionalWeights: {} };
  return { functionVersion: stable, additionalWeights: { [target]: percentToWeight(percent) } };
}

/** 10 → 0.1, 99.9 → 0.999 (not 0.9990000000000001): the decimal fraction a user means. */
export function percentToWeight(percent: number): number {
  return Math.round(percent * 1e7) / 1e9;
}

/** Writes one step with the last seen RevisionId and records what the write returned. */
export async function applyStep(
  lambda: LambdaPort,
  cursor: AliasCursor,
  step: Pick<PlanStep, 'percent'>,
): Promise<void> {
  const state = aliasStateForPercent(cursor.stableVersion, cursor.targetVersion, step.percent);
  const written = await lambda.updateAlias(cursor.functionName, cursor.alias, {
    functionVersion: state.functionVersion,
    additionalWeights: state.additionalWeights,
    revisionId: cursor.revisionId,
  });
  observeAlias(cursor, written);
  cursor.percent = step.percent;
}

/** Takes the alias as read or written into the cursor. */
export function observeAlias(cursor: AliasCursor, alias: AliasInfo): void {
  cursor.revisionId = alias.revisionId;
  cursor.aliasState = {
    functionVersion: alias.functionVersion,
    additionalWeights: { ...alias.additionalWeights },
  };
}

/** True when the target gets no traffic and everything is on the stable version. */
export function isOnStable(state: AliasState, stable: string): boolean {
  return state.functionVersion === stable && Object.values(state.additionalWeights).every((w) => w <= 0);
}

/** True when some traffic may still reach `version`. */
export function routesTo(state: AliasState, version: string): boolean {
  return state.functionVersion === version || (state.additionalWeights[version] ?? 0) > 0;
}
