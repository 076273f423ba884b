/**
 * A deploy still shifting when a person's `lshift rollback --to <its own new version>` claimed its
 * record and put all traffic on that version: the rollback closes the record `promoted (moved by
 * hand)` under its own owner (rollback-record.ts isSentToTarget), and the deploy, which stopped
 * for that claim, said "the alias was moved by someone else (`aws lambda update-alias`, the
 * console, another tool), and rollback:… met the move" — sending its operator looking for a
 * person who does not exist (h4, session 70). A claimer that met a move made outside lshift
 * closes the record the very same way, so the close says which it was: `rollbackTo` (`rt=`).
 *
 * It stays a conflict (exit 5), worded as what happened: the new version carries all traffic,
 * but not by this deploy's steps, whose remaining holds, alarms and post-traffic hooks never ran —
 * nothing this run judged says the version is good, so not exit 0 ("could not judge" is never
 * "passed"); nothing was rolled back (not 3), nothing is split (not 4). A pipeline's retry finds
 * the alias on that version ("nothing to deploy", exit 0). docs/exit-codes.md says so.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { DeployResult } from '../domain/events.js';
import { causeOf, type OutcomeCause } from '../domain/outcome.js';
import { isSplit } from './alias-position.js';

/** Who sent all traffic to the deployment's new version with `lshift rollback --to`, as its close says. */
export interface SentByRollbackTo {
  owner: string;
  to: string;
}

/** The close of `lshift rollback --to` its own new version (never another close that kept `rt=`). */
export function sentByRollbackTo(
  record: Pick<
    DeploymentRecord,
    'phase' | 'endedAt' | 'endReason' | 'rollbackTo' | 'targetVersion' | 'owner'
  >,
): SentByRollbackTo | undefined {
  if (record.phase !== 'promoted' || record.endedAt === undefined) return undefined;
  if (record.endReason !== 'moved by hand' || record.rollbackTo === undefined) return undefined;
  if (record.rollbackTo !== record.targetVersion) return undefined;
  return { owner: record.owner || 'an unknown owner', to: record.rollbackTo };
}

/**
 * "promoted by `lshift rollback --to 2` of rollback:ops@desk:3": how `lshift status` and history
 * say that close, which read "promoted (moved by hand)" as if someone outside lshift had moved it.
 */
export function describePromotedBy(sent: SentByRollbackTo): string {
  return `promoted by \`lshift rollback --to ${sent.to}\` of ${sent.owner}`;
}

/** "promoted by `lshift rollback --to 2` of rollback:ops@desk:3", as the loss and the result say it. */
export function describeSentBy(id: string, sent: SentByRollbackTo): string {
  return `deployment ${id} was promoted by \`lshift rollback --to ${sent.to}\` of ${sent.owner}, which put all traffic on version ${sent.to}`;
}

/**
 * The end of a deploy whose record `stored` is this deployment promoted by `lshift rollback --to`,
 * with the alias still all on that version (the alias is the truth: moved on since, it is
 * whatever else it is). Undefined otherwise.
 */
export function promotedByRollbackTo(
  ours: Pick<DeploymentRecord, 'id' | 'targetVersion'>,
  stored: DeploymentRecord | undefined,
  aliasState: DeployResult['aliasState'],
  rollingBack?: { for?: OutcomeCause; noAlarms?: boolean },
): OutcomeCause | undefined {
  if (!stored || stored.id !== ours.id || stored.targetVersion !== ours.targetVersion) return undefined;
  const sent = sentByRollbackTo(stored);
  if (!sent || !aliasState || isSplit(aliasState.additionalWeights)) return undefined;
  if (aliasState.functionVersion !== sent.to) return undefined;
  // Over this deploy's own rollback (its alarm fired, a hook failed): it had judged the version
  // bad, and a person overrode that — not "did not judge" (h1, session 70).
  const over =
    rollingBack === undefined
      ? {}
      : {
          overRollback: describeRollbackFor(rollingBack.for),
          ...(rollingBack.noAlarms ? { noAlarms: true as const } : {}),
        };
  return causeOf(
    'TAKEN_OVER',
    { promotedBy: sent.owner, to: sent.to, ...over },
    describeSentBy(stored.id, sent),
  );
}

/** What a rollback was for, in a few words: its cause's detail (`alarm demo-errors is in ALARM`), else its code. */
function describeRollbackFor(cause: OutcomeCause | undefined): string {
  if (cause === undefined) return '';
  return (cause.detail ?? cause.code).replace(/\.$/, '');
}

/**
 * What a runner stopped by a rollback's claim follows it until, as the claim says (`rt=`, written
 * by every claimer that knows where it sends the traffic): "alias live is all on version 2" for
 * `lshift rollback --to 2`, the deployment's own new version — it said its stable version, version
 * 1, beside that rollback (seen on the sandbox, session 70). A claim without it (an older
 * lshift's, a tag with no room left) does not say where it goes: "its rollback ends".
 */
export function describeFollowGoal(claim: Pick<DeploymentRecord, 'rollbackTo'>, alias: string): string {
  return claim.rollbackTo === undefined
    ? 'its rollback ends'
    : `alias ${alias} is all on version ${claim.rollbackTo}`;
}
