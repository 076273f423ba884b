/**
 * Why a resume is refused when its alias is not where its record left it (resume-prepare.ts): moved
 * elsewhere by someone (exit 5, 4 when split), ahead of any weight lshift wrote (exit 4), moved over
 * an unfinished rollback, or all back on stable by someone else's hand.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError, UnsafeError } from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import { buildFixCommand, describeAliasState, formatWeight } from './deploy-result.js';
import type { DeployRequest } from './deploy-types.js';
import { refuseUnconfirmedResume } from './promote-unconfirmed.js';
import { isPromoteUnconfirmed, isSplit } from './record-view.js';
import type { ResumeDecision } from './resume-point.js';
import { releaseMemberHint } from './resume-words.js';
import { describeOvertaking } from './rollback-overtaken.js';

/** What these refusals read of the resume asked for (resume-prepare.ts ResumeRequest). */
type Resumed = Pick<DeployRequest, 'functionName' | 'alias' | 'releaseFunctions' | 'releaseAliases'>;

export function mismatch(
  req: Resumed,
  record: DeploymentRecord,
  alias: AliasInfo,
  decision: Extract<ResumeDecision, { kind: 'mismatch' }>,
  live?: string,
): UnsafeError | ConflictError {
  const { functionName: fn, alias: name } = req;
  if (isPromoteUnconfirmed(record)) return refuseUnconfirmedResume(req, record, describeAliasState(alias));
  const message =
    `Alias ${name} of function ${fn} routes ${describeAliasState(alias)}, which does not match deployment ${record.id} ` +
    `(version ${record.stableVersion} → ${record.targetVersion}, ${record.phase}): someone else moved it, so lshift will not resume; a human must look.`;
  const hint = live
    ? live
    : record.releaseId
      ? releaseMemberHint(req, record, alias, 'elsewhere')
      : `Decide where traffic should be. To put it all on version ${record.stableVersion} and close the deployment: ` +
        `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` (or by hand: \`${buildFixCommand(fn, name, record.stableVersion)}\`).`;
  const context = { functionName: fn, alias: name };
  return decision.split
    ? new UnsafeError('ALIAS_MISMATCH', message, { hint, context })
    : new ConflictError('ALIAS_MISMATCH', message, { hint, context });
}

/** Exit 4: lshift did not write that weight (it is more than one step past the record). */
export function tooFarAhead(
  req: Resumed,
  record: DeploymentRecord,
  alias: AliasInfo,
  decision: Extract<ResumeDecision, { kind: 'too-far-ahead' }>,
  live?: string,
): UnsafeError {
  const { functionName: fn, alias: name } = req;
  const next =
    decision.nextPercent === undefined
      ? 'the record is already at its last step'
      : `the next step it could have written is ${formatWeight(decision.nextPercent)}`;
  return new UnsafeError(
    'ALIAS_AHEAD_OF_RECORD',
    `Alias ${name} of function ${fn} routes ${formatWeight(decision.aliasPercent)} to version ${record.targetVersion}, but deployment ${record.id} recorded ${formatWeight(decision.recordPercent)} (step ${record.stepIndex + 1}); ${next}. ` +
      'A crash leaves the alias at most one step ahead of its record, so someone else moved it; lshift will not resume from a weight it never wrote; a human must look.',
    {
      hint: live
        ? live
        : record.releaseId
          ? releaseMemberHint(req, record, alias, 'ahead')
          : `Decide where traffic should be. To put it all on version ${record.stableVersion} and close the deployment: ` +
            `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` (or by hand: \`${buildFixCommand(fn, name, record.stableVersion)}\`), then deploy again.`,
      context: { functionName: fn, alias: name },
    },
  );
}

/**
 * Exit 5 (4 when split): an unfinished rollback whose alias someone moved since, further towards the new version
 * than its runner could have left it (rollback-overtaken.ts): finishing it would write over that
 * move unsaid (session 66, F2). `lshift rollback` is the person's to run.
 */
export function rollbackOvertaken(
  req: Resumed,
  record: DeploymentRecord,
  alias: AliasInfo,
): ConflictError | UnsafeError {
  const { functionName: fn, alias: name } = req;
  // Exit 4 when the alias is split, as ALIAS_MISMATCH is (docs/exit-codes.md).
  const Refusal = isSplit(alias.additionalWeights) ? UnsafeError : ConflictError;
  return new Refusal(
    'ALIAS_MISMATCH',
    // A `failed` record's rollback failed; its runner did not just stop (status: ROLLBACK FAILED).
    `Deployment ${record.id} of ${fn} alias ${name} ${record.phase === 'failed' ? 'could not roll back' : 'was rolling back when its runner stopped'}, and ${describeOvertaking(record, alias)}. lshift will not finish the rollback over that move; nothing was written.`,
    {
      hint: `Decide where traffic should be. To put it all back on version ${record.stableVersion} anyway and close the deployment: \`lshift rollback ${fn} --alias ${name}\`.`,
      context: { functionName: fn, alias: name },
    },
  );
}

/** Exit 5: all traffic back on stable by someone else's hand; a resume would undo it. */
export function movedBack(req: Resumed, record: DeploymentRecord, alias: AliasInfo): ConflictError {
  const { functionName: fn, alias: name } = req;
  // Its record shows no weight, but the alias was written since it started (record-revision.ts).
  const what =
    record.percent === 0
      ? `and deployment ${record.id} recorded no weight, but the alias was written since the deployment started (its RevisionId changed): version ${record.targetVersion} may have had traffic that was put back — by a rollback whose record writes did not land, or by hand — so lshift will not resume it from the first step; a human must look.`
      : `but deployment ${record.id} recorded ${formatWeight(record.percent)} (step ${record.stepIndex + 1}): someone moved it back, so lshift will not resume and undo that; a human must look.`;
  return new ConflictError(
    'ALIAS_MISMATCH',
    `Alias ${name} of function ${fn} routes all traffic to its stable version ${record.stableVersion}, ${what}`,
    {
      hint: record.releaseId
        ? releaseMemberHint(req, record, alias, 'back')
        : `To close the deployment where it is: \`lshift rollback ${fn} --alias ${name}\` (it moves nothing), then deploy again.`,
      context: { functionName: fn, alias: name },
    },
  );
}
