/**
 * `lshift rollback --release <id> [function…]` (issue 13): every function whose record names the
 * release goes back to its own stable version, each through the same rollback program as
 * `lshift rollback <function>` (so it is idempotent, RevisionId-guarded and closes the record).
 * After a crash mid-release this brings every function to one consistent state. A function
 * whose record does not name the release (never claimed before the crash, or another release
 * since) is left alone and reported.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { UsageError } from '../domain/errors.js';
import type { DeployStatus } from '../domain/events.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import { releaseStatus } from '../domain/release-result.js';
import { mapBounded } from './bounded.js';
import { keepClaimFresh } from './check-claim.js';
import { describeError, describeErrorWithHint } from './emit.js';
import { type PromotedBeforeClaim, promotedBeforeClaim } from './promoted-before-claim.js';
import { isSplit } from './record-view.js';
import { DEFAULT_RELEASE_CONCURRENCY, namedEvents } from './release.js';
import { type RollbackDeps, type RollbackResult, rollbackDeployment } from './rollback.js';

export interface ReleaseRollbackRequest {
  releaseId: string;
  /** The functions to look at (the release's: its records name it). */
  targets: ReleaseTarget[];
  reason: string;
  concurrency?: number;
  /** A person's Ctrl-C: each function not yet at its alias write stops there (rollback-interrupt.ts). */
  signal?: AbortSignal;
  /**
   * The claims this rollback holds (check-mates.ts: a check's, a person's `--release`): each
   * function's rollback keeps its own fresh, beside its calls and between its retries
   * (keepClaimFresh). Unbeaten, a rollback retried past the stale limit looked abandoned, and
   * another check or person finished it beside this one.
   */
  claimed?: readonly (ReleaseTarget & {
    claimed: DeploymentRecord;
    before?: DeploymentRecord;
    /** Its claim's heartbeat, when the caller beats it too (release-rollback-reads.ts): one beater. */
    beat?: () => Promise<void>;
  })[];
  /** A function's failure as its row says it (release-rollback-reads.ts: a claim kept says so). */
  explainFailure?: (t: ReleaseTarget, error: unknown) => unknown;
}

export interface ReleaseRollbackResult {
  releaseId: string;
  status: DeployStatus;
  functions: RollbackResult[];
  /** Functions whose record does not name the release: not touched. */
  skipped: SkippedMember[];
  /** Functions whose rollback was refused or failed before any write (e.g. an unreadable record). */
  errors: (ReleaseTarget & { code?: string; message: string })[];
}

export type SkippedMember = ReleaseTarget & {
  recordedRelease?: string;
  /**
   * The release's own records name this function (`rf=`), but its record is a later deployment's
   * now: it was in the release, and someone deployed it since. It was said "not part of it, or
   * never started" (h1's hostile pass, session 71).
   */
  takenBy?: { id: string; phase: DeploymentRecord['phase']; stableVersion: string; targetVersion: string };
};

/** Whether a record of the release names `fn` among its functions (`rf=`). */
function namedByRelease(records: (DeploymentRecord | undefined)[], releaseId: string, fn: string): boolean {
  return records.some((r) => r?.releaseId === releaseId && r.releaseFunctions?.includes(fn) === true);
}

function skippedMember(
  t: ReleaseTarget,
  record: DeploymentRecord | undefined,
  records: (DeploymentRecord | undefined)[],
  releaseId: string,
): SkippedMember {
  const taken =
    record && namedByRelease(records, releaseId, t.functionName)
      ? {
          takenBy: {
            id: record.id,
            phase: record.phase,
            stableVersion: record.stableVersion,
            targetVersion: record.targetVersion,
          },
        }
      : {};
  return { ...t, ...(record?.releaseId ? { recordedRelease: record.releaseId } : {}), ...taken };
}

export async function rollbackRelease(
  deps: RollbackDeps,
  req: ReleaseRollbackRequest,
): Promise<ReleaseRollbackResult> {
  const limit = req.concurrency ?? DEFAULT_RELEASE_CONCURRENCY;
  const reads = await mapBounded(limit, req.targets, (t) => readRecordOf(deps, t));
  const records = reads.map((r) => r?.record);
  const unreadable = req.targets.flatMap((t, i) =>
    reads[i]?.error === undefined ? [] : [{ target: t, error: reads[i]!.error }],
  );
  const members = req.targets.filter((_, i) => records[i]?.releaseId === req.releaseId);
  const skipped = req.targets.flatMap((t, i) =>
    records[i]?.releaseId === req.releaseId || reads[i]?.error !== undefined
      ? []
      : [skippedMember(t, records[i], records, req.releaseId)],
  );
  if (members.length === 0) {
    // A record that could not be read (expired credentials, a denied read) is not "no record":
    // saying the release does not exist would send the user hunting for the wrong function.
    if (unreadable.length > 0) throw unreadable[0]!.error;
    throw new UsageError(
      'RELEASE_NOT_FOUND',
      `No function of ${req.targets.map((t) => `${t.functionName}:${t.alias}`).join(', ')} has a deployment record of release ${req.releaseId}.`,
      {
        hint: 'Name the functions of the release (`lshift status <function>` shows the release of each record).',
      },
    );
  }
  const functions: RollbackResult[] = [];
  const errors: ReleaseRollbackResult['errors'] = unreadable.map(({ target, error }) => {
    const explained = req.explainFailure?.(target, error) ?? error;
    return {
      ...target,
      ...codeOf(error),
      message:
        explained === error
          ? `could not read the deployment record: ${describeError(error)}`
          : describeErrorWithHint(explained),
    };
  });
  await mapBounded(limit, members, async (t) => {
    try {
      const reason = `${req.reason} (release ${req.releaseId})`;
      functions.push(
        // Its events name it: a second Ctrl-C says which alias is back (cli/second-signal.ts).
        await rollbackDeployment(
          { ...deps, events: namedEvents(deps.events, t) },
          {
            functionName: t.functionName,
            alias: t.alias,
            reason,
            ...(req.signal ? { signal: req.signal } : {}),
            ...claimBeat(deps, req, t),
            ...promotedBeforeClaimOf(req, t),
          },
        ),
      );
    } catch (error) {
      // With its way out: a row that only says what is wrong leaves the person to guess the fix.
      errors.push({
        ...t,
        ...codeOf(error),
        message: describeErrorWithHint(req.explainFailure?.(t, error) ?? error),
      });
    }
  });
  const order = (t: ReleaseTarget) =>
    members.findIndex((m) => m.functionName === t.functionName && m.alias === t.alias);
  functions.sort((a, b) => order(a) - order(b));
  // A function left split by its refusal (moved by hand to a split of its own, NOTHING_TO_ROLL_BACK)
  // is not "failed, alias unchanged" (exit 1): a split nobody drives is exit 4 (found by a hostile
  // pass). Only that final refusal: an interrupted rollback or an unreadable record stays exit 1,
  // the alias as the crash left it, and running the command again goes on.
  const refusedForGood = errors.filter((e) => e.code === 'NOTHING_TO_ROLL_BACK');
  const splitLeft = refusedForGood.length > 0 && (await anySplit(deps, refusedForGood));
  const status = splitLeft
    ? 'unsafe'
    : errors.length > 0 && !functions.some((f) => f.status === 'unsafe')
      ? 'failed'
      : releaseStatus(functions);
  return { releaseId: req.releaseId, status, functions, skipped, errors };
}

async function readRecordOf(
  deps: RollbackDeps,
  t: ReleaseTarget,
): Promise<{ record?: DeploymentRecord; error?: unknown }> {
  if (!deps.store) return {};
  try {
    return { record: await deps.store.read(t.functionName, t.alias) };
  } catch (error) {
    return { error };
  }
}

function codeOf(error: unknown): { code?: string } {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? { code } : {};
}

async function anySplit(deps: RollbackDeps, targets: readonly ReleaseTarget[]): Promise<boolean> {
  const aliases = await mapBounded(DEFAULT_RELEASE_CONCURRENCY, targets, (t) =>
    deps.lambda.getAlias(t.functionName, t.alias).catch(() => undefined),
  );
  return aliases.some((a) => a !== undefined && a !== null && isSplit(a.additionalWeights));
}

/**
 * A function promoted when this rollback claimed it: its rollback reads its own claim
 * (`rolling-back`), and closes it as rolled back after its promotion, as `lshift rollback <fn>`
 * does (rollback-claim.ts). Closed as a shift stopped at its step, `status` said `rolled-back,
 * version 2 → 3, stopped at step 1` of a release promoted before `rollback --release` (h4's
 * hostile pass, session 69). So is one under an earlier run's stale claim (killed after its alias
 * write): the same reading as the single rollback's (promoted-before-claim.ts); only a `promoted`
 * one was read here, and it closed `stopped at step 1` (h4, session 70).
 */
function promotedBeforeClaimOf(req: ReleaseRollbackRequest, t: ReleaseTarget): PromotedBeforeClaim {
  const before = req.claimed?.find((c) => c.functionName === t.functionName && c.alias === t.alias)?.before;
  return promotedBeforeClaim(before);
}

/** The heartbeat of this rollback's claim on `t`, if it holds one (ReleaseRollbackRequest.claimed). */
function claimBeat(deps: RollbackDeps, req: ReleaseRollbackRequest, t: ReleaseTarget) {
  const claim = req.claimed?.find((c) => c.functionName === t.functionName && c.alias === t.alias);
  if (!claim || !deps.store) return {};
  return { onPoll: claim.beat ?? keepClaimFresh({ store: deps.store, clock: deps.clock }, t, claim.claimed) };
}
