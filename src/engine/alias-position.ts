/**
 * Where an alias routes relative to a deployment's two versions, and the readings of a record
 * that go with it (record-view.ts re-exports them). Pure.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';

/** True when some traffic goes to an additional version (a weight of exactly 0 routes nothing). */
export function isSplit(additionalWeights: Record<string, number>): boolean {
  return Object.values(additionalWeights).some((w) => w > 0);
}

/**
 * Nothing left to do for this deployment: it was promoted or rolled back. A `failed` rollback
 * or a `paused` deployment is ended (nobody drives it) but not finished: traffic may still be
 * on, or partly on, its target.
 */
export function isFinished(record: Pick<DeploymentRecord, 'phase'>): boolean {
  return record.phase === 'promoted' || record.phase === 'rolled-back';
}

/**
 * lshift decided to roll this deployment back and has not closed it: `rolling-back` (its runner's
 * Ctrl-C, a failed gate, a check's or a person's claim) or `failed` (that rollback failed). Under
 * AWS CodeDeploy the deployment may run on towards 100% meanwhile (a StopDeployment lost or
 * refused): such a record is never closed as promoted (found by a hostile pass, session 60:
 * `lshift wait` turned an operator's Ctrl-C into a promotion, exit 0).
 */
export function isRollbackDecided(record: DeploymentRecord): boolean {
  return !isFinished(record) && (record.phase === 'rolling-back' || record.phase === 'failed');
}

/**
 * Where an alias is relative to a deployment's two versions: all on the stable version, split
 * between stable (primary) and target only, all on the target — or anywhere else (someone else
 * moved it). `percent` is the target's share.
 */
export type AliasPosition =
  | { kind: 'stable'; percent: 0 }
  | { kind: 'split'; percent: number }
  | { kind: 'target'; percent: 100 }
  | { kind: 'elsewhere' };

export function locateAlias(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  versions: { stableVersion: string; targetVersion: string },
): AliasPosition {
  const extra = Object.entries(alias.additionalWeights).filter(([, w]) => w > 0);
  const { stableVersion: stable, targetVersion: target } = versions;
  if (extra.length === 0) {
    if (alias.functionVersion === stable) return { kind: 'stable', percent: 0 };
    if (alias.functionVersion === target) return { kind: 'target', percent: 100 };
    return { kind: 'elsewhere' };
  }
  const [only, ...more] = extra;
  if (alias.functionVersion !== stable || more.length > 0 || !only || only[0] !== target) {
    return { kind: 'elsewhere' };
  }
  return { kind: 'split', percent: weightToPercent(only[1]) };
}

/**
 * The version `lshift rollback` (no --to) puts a split alias on when the record does not place
 * the split (rollback-destination.ts), and what `status` says it will do: the split's primary, as
 * Lambda, CodeDeploy and lshift write a split (the alias points at the version traffic comes back
 * to, the weights carry the new one) — unless the primary is the record's new version, which a
 * rollback takes traffic away from (a split written the other way round by hand): then the
 * record's stable version. Found by a hostile pass: the primary alone put 100% on the new version
 * of an abandoned deployment and recorded it as rolled back.
 *
 * `undefined` — lshift will not guess — for a finished deployment's alias split since over a
 * version that is neither of its own, its primary not the deployment's stable version (a hand
 * canary of version 9 over promoted 8): the record says nothing of that split, and the stable
 * version undid the promoted release as well as the split — one release too far, the person's canary and the release before it gone at once
 * (found by a hostile pass, session 62: promoted 6 → 8, split by hand 8 + 7 at 50%, `lshift
 * rollback` put all on 6). `--to` chooses (rollback-destination.ts foreignSplitRefusal).
 */
export function splitRollbackVersion(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion' | 'phase'> | undefined,
): string | undefined {
  if (isGuess(alias, record)) return undefined;
  return record && alias.functionVersion === record.targetVersion
    ? record.stableVersion
    : alias.functionVersion;
}

/**
 * A finished deployment's split over a third version, whose primary is not the deployment's stable
 * version: the primary and the stable version are two answers, and nothing says which. On its
 * stable version (a hand canary over a rolled-back alias) both answers are that version.
 */
function isGuess(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion' | 'phase'> | undefined,
): boolean {
  if (!record || !isFinished(record) || alias.functionVersion === record.stableVersion) return false;
  return foreignSplitVersions(alias, record).length > 0;
}

/** The versions a split alias routes to that are neither the record's stable nor its new version. */
export function foreignSplitVersions(
  alias: { functionVersion: string; additionalWeights: Record<string, number> },
  record: Pick<DeploymentRecord, 'stableVersion' | 'targetVersion'>,
): string[] {
  const routed = [
    alias.functionVersion,
    ...Object.entries(alias.additionalWeights)
      .filter(([, weight]) => weight > 0)
      .map(([version]) => version),
  ];
  return routed.filter((version) => version !== record.stableVersion && version !== record.targetVersion);
}

/** 0.1 → 10, 0.005 → 0.5: the inverse of percentToWeight without float noise. */
export function weightToPercent(weight: number): number {
  return Math.round(weight * 1e8) / 1e6;
}
