/**
 * The single place that turns a plan step into an alias write. Forward shifts and rollbacks
 * both go through `applyStep`, so a rollback is just a plan whose one step is 0%.
 */
import { ConflictError, isLshiftError, type LshiftError } from '../domain/errors.js';
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
  const written = await updateAliasConfirmed(
    lambda,
    cursor.functionName,
    cursor.alias,
    state,
    cursor.revisionId,
  );
  observeAlias(cursor, written);
  cursor.percent = step.percent;
}

/**
 * UpdateAlias with `revisionId`, telling our own lost write from someone else's change. When
 * UpdateAlias was applied but its answer lost (reset, timeout), the SDK sends it again with the
 * now stale RevisionId and Lambda answers 412: the adapter reports that as
 * `ALIAS_CHANGED_ON_RETRY`, and the alias is read again. If it holds exactly what we wrote, the
 * write succeeded and its RevisionId is the one to carry on with. A 412 to a first attempt
 * (`ALIAS_CHANGED`) is always someone else — even when they wrote the same weights (a
 * concurrent deploy of the same version). A conflict says what the alias holds now.
 * Every lshift alias write should go through here (`lshift alias` included).
 */
export async function updateAliasConfirmed(
  lambda: LambdaPort,
  functionName: string,
  alias: string,
  state: AliasState,
  revisionId: string,
): Promise<AliasInfo> {
  try {
    return await lambda.updateAlias(functionName, alias, {
      functionVersion: state.functionVersion,
      additionalWeights: state.additionalWeights,
      revisionId,
    });
  } catch (error) {
    if (!isLshiftError(error) || !ALIAS_412.has(error.code)) throw error;
    let seen: AliasInfo | undefined;
    try {
      seen = await lambda.getAlias(functionName, alias);
    } catch {
      throw asAliasChanged(error, error.message, error.hint);
    }
    if (seen && error.code === 'ALIAS_CHANGED_ON_RETRY' && sameRouting(seen, state)) return seen;
    const now = seen ? `the alias now routes ${describeRouting(seen)}` : 'the alias no longer exists';
    throw asAliasChanged(
      error,
      `Someone else changed alias ${alias} of function ${functionName} (RevisionId mismatch on lambda:UpdateAlias); lshift was writing ${describeRouting(state)} and overwrote nothing; ${now}.`,
      `Run \`lshift status ${functionName} --alias ${alias}\` to see who holds it, then \`lshift rollback ${functionName} --alias ${alias}\` or retry.`,
    );
  }
}

const ALIAS_412: ReadonlySet<string> = new Set(['ALIAS_CHANGED', 'ALIAS_CHANGED_ON_RETRY']);

/** The conflict the rest of the engine acts on (`ALIAS_CHANGED`, exit 5). */
function asAliasChanged(error: LshiftError, message: string, hint: string | undefined): ConflictError {
  return new ConflictError('ALIAS_CHANGED', message, { context: error.context, cause: error, hint });
}

/** Same primary version and the same weights (weights compared exactly: we wrote them). */
export function sameRouting(a: AliasState, b: AliasState): boolean {
  if (a.functionVersion !== b.functionVersion) return false;
  const positive = (w: Record<string, number>) =>
    Object.entries(w)
      .filter(([, weight]) => weight > 0)
      .sort(([x], [y]) => x.localeCompare(y));
  return JSON.stringify(positive(a.additionalWeights)) === JSON.stringify(positive(b.additionalWeights));
}

export function describeRouting(s: AliasState): string {
  const extra = Object.entries(s.additionalWeights).filter(([, w]) => w > 0);
  if (extra.length === 0) return `all traffic to version ${s.functionVersion}`;
  return `version ${s.functionVersion} + ${extra.map(([v, w]) => `version ${v} at ${Math.round(w * 1e6) / 1e4}%`).join(', ')}`;
}

/**
 * Why the alias no longer routes as lshift last wrote it (a read during a hold: health-monitor.ts
 * aliasMoved), or undefined: unchanged, the same routing under a new RevisionId, unreadable or
 * deleted (the next weight write finds out, as before).
 */
export async function describeAliasMovedSince(
  lambda: Pick<LambdaPort, 'getAlias'>,
  cursor: AliasCursor,
): Promise<string | undefined> {
  const seen = await lambda.getAlias(cursor.functionName, cursor.alias).catch(() => undefined);
  if (!seen || seen.revisionId === cursor.revisionId || sameRouting(seen, cursor.aliasState))
    return undefined;
  return `a read during the hold found it routing ${describeRouting(seen)}, not ${describeRouting(cursor.aliasState)} as lshift last wrote it`;
}

/**
 * Why a function's alias is no longer as lshift last wrote (or, before the release moved its
 * traffic, read) it, read just before a lockstep level's weight writes or a `--stagger` turn
 * (fleet-steps.ts), or undefined: unchanged, unreadable or deleted (its own write finds out, as
 * before). Any new RevisionId counts, the same routing written again too: its write would meet
 * a 412 anyway — after the level's other writes had moved every other function of the release
 * one step further (found by a hostile pass). `before`: what the read came before ("the
 * release's weight writes of step 2 (50%)"); `unmoved`: the release has not written this alias.
 */
export async function describeAliasMovedBefore(
  lambda: Pick<LambdaPort, 'getAlias'>,
  cursor: AliasCursor,
  before: string,
  unmoved = false,
): Promise<string | undefined> {
  const seen = await lambda.getAlias(cursor.functionName, cursor.alias).catch(() => undefined);
  if (!seen || seen.revisionId === cursor.revisionId) return undefined;
  const basis = unmoved ? 'as lshift last read it' : 'as lshift last wrote it';
  const found = sameRouting(seen, cursor.aliasState)
    ? `it written again by someone else with the same routing (${describeRouting(seen)}, a new RevisionId)`
    : `it routing ${describeRouting(seen)}, not ${describeRouting(cursor.aliasState)} ${basis}`;
  return `a read before ${before} found ${found}`;
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
