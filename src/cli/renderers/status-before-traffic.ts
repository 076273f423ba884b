/**
 * A deployment stopped before any traffic moved (interrupted or failed during its pre-traffic
 * hook, say): its record says step 1 at 0% as one stopped after its first weight does, and
 * `status` said "stopped at step 1" of a deployment that never wrote a weight (session 67). The
 * record keeps the alias's RevisionId from its start (`ar=`, domain/record-revision.ts): the
 * same one now means nothing — no weight, no rollback, no person — wrote the alias since, so no
 * traffic moved. Another, or an older record without it, says what it said before.
 */
import { aliasRevisionMark } from '../../domain/record-revision.js';
import type { AliasStatus } from '../../engine/status-types.js';

/**
 * Its pre-traffic hook failed (`y=HOOK_FAILED.pre`) at its first step: lshift wrote none of its
 * weights — the hook runs before the first — whatever moved the alias since (the hook itself, a
 * person: a split closed `weights changed by hand`). Status said "stopped at step 1" of it (h3's
 * pass, session 67); the RevisionId rule above cannot tell, the alias having been written.
 */
export function isStoppedBeforeOwnTraffic(record: NonNullable<AliasStatus['record']>): boolean {
  if (record.phase !== 'rolled-back' || record.engine === 'codedeploy' || record.stepIndex !== 0)
    return false;
  return record.cause?.code === 'HOOK_FAILED' && record.cause.phase === 'pre';
}

export function isStoppedBeforeTraffic(
  status: Pick<AliasStatus, 'revisionId'>,
  record: NonNullable<AliasStatus['record']>,
): boolean {
  if (record.phase !== 'rolled-back' || record.engine === 'codedeploy') return false;
  if (record.percent !== 0 || record.aliasRevision === undefined || !status.revisionId) return false;
  return aliasRevisionMark(status.revisionId) === record.aliasRevision;
}
