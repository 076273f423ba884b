/**
 * Rollback is a plan the engine runs like any other (DESIGN.md §4): one step at 0% on the
 * target, i.e. FunctionVersion=stable with routing cleared, written through the same
 * `applyStep` as a forward shift. What differs is persistence: a rollback write that fails is
 * retried (after re-reading the alias), because giving up leaves users on a bad version.
 */
import { isLshiftError } from '../domain/errors.js';
import type { Plan } from '../domain/plan.js';
import type { Strategy } from '../domain/strategy.js';
import type { Clock } from '../ports/clock.js';
import type { LambdaPort } from '../ports/lambda.js';
import {
  type AliasCursor,
  type AliasState,
  applyStep,
  isOnStable,
  observeAlias,
  routesTo,
} from './alias-step.js';
import { describeError } from './emit.js';

/** Waits between rollback attempts; short so Ctrl-C still ends within a few seconds. */
export const ROLLBACK_RETRY_DELAYS_MS: readonly number[] = [500, 1000, 2000];

export function createRollbackPlan(strategy: Strategy): Plan {
  return { strategy, steps: [{ index: 0, percent: 0, holdSeconds: 0, offsetSeconds: 0 }], totalSeconds: 0 };
}

export type RollbackOutcome =
  | {
      kind: 'restored';
      attempts: number /** Someone else had already put everything on stable. */;
      alreadyStable: boolean;
    }
  | { kind: 'conflict'; message: string; aliasState?: AliasState }
  | { kind: 'unsafe'; message: string; attempts: number; aliasState: AliasState };

export interface RollbackPlanOptions {
  /** A 412 ends the rollback as a conflict instead of re-reading and retrying (`lshift rollback`). */
  stopOnConflict?: boolean;
  retryDelaysMs?: readonly number[];
}

export async function executeRollbackPlan(
  deps: { lambda: LambdaPort; clock: Clock },
  cursor: AliasCursor,
  plan: Plan,
  opts: RollbackPlanOptions = {},
): Promise<RollbackOutcome> {
  let outcome: RollbackOutcome = {
    kind: 'restored',
    attempts: 0,
    alreadyStable: isOnStable(cursor.aliasState, cursor.stableVersion),
  };
  for (const step of plan.steps) {
    outcome = await applyWithRetry(deps, cursor, step, opts);
    if (outcome.kind !== 'restored') return outcome;
  }
  return outcome;
}

async function applyWithRetry(
  deps: { lambda: LambdaPort; clock: Clock },
  cursor: AliasCursor,
  step: Plan['steps'][number],
  opts: RollbackPlanOptions,
): Promise<RollbackOutcome> {
  const delays = opts.retryDelaysMs ?? ROLLBACK_RETRY_DELAYS_MS;
  let lastError: unknown;
  for (let attempt = 0; ; attempt++) {
    try {
      await applyStep(deps.lambda, cursor, step);
      return { kind: 'restored', attempts: attempt + 1, alreadyStable: false };
    } catch (error) {
      lastError = error;
      if (opts.stopOnConflict && isAliasChanged(error)) {
        await rereadAlias(deps.lambda, cursor);
        return { kind: 'conflict', message: describeError(error), aliasState: cursor.aliasState };
      }
    }
    if (attempt >= delays.length) break;
    // No abort signal: a second Ctrl-C must not cut the rollback short.
    await deps.clock.sleep(delays[attempt] ?? 0);
    const seen = await rereadAlias(deps.lambda, cursor);
    if (seen === 'missing') {
      return { kind: 'conflict', message: `alias ${cursor.alias} was deleted during the rollback` };
    }
    if (seen === 'read') {
      if (isOnStable(cursor.aliasState, cursor.stableVersion)) {
        return { kind: 'restored', attempts: attempt + 1, alreadyStable: true };
      }
      if (!routesTo(cursor.aliasState, cursor.targetVersion)) {
        return {
          kind: 'conflict',
          message: `alias ${cursor.alias} was changed by someone else during the rollback and no longer routes to version ${cursor.targetVersion}; lshift did not overwrite it`,
          aliasState: cursor.aliasState,
        };
      }
    }
  }
  return {
    kind: 'unsafe',
    message: describeError(lastError),
    attempts: delays.length + 1,
    aliasState: cursor.aliasState,
  };
}

/** Refreshes the cursor from GetAlias; a failed read keeps what was last seen. */
async function rereadAlias(lambda: LambdaPort, cursor: AliasCursor): Promise<'read' | 'missing' | 'failed'> {
  try {
    const alias = await lambda.getAlias(cursor.functionName, cursor.alias);
    if (!alias) return 'missing';
    observeAlias(cursor, alias);
    return 'read';
  } catch {
    return 'failed';
  }
}

export function isAliasChanged(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'ALIAS_CHANGED';
}
