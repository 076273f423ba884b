/**
 * `lshift status fnA fnB …`: one listing of every record in reach (records-in-reach.ts), made
 * only when a release line offers ways out (STALLED, ROLLBACK STOPPED), so that its resume and
 * rollback name the release's functions the status was not given or read at another alias
 * (renderers/status-release-reach.ts). A status with no such line lists nothing: a listing is
 * one ListTags per function in reach.
 */
import { describeError } from '../engine/emit.js';
import { findOtherOpenMembers, listRecordsInReach } from '../engine/records-in-reach.js';
import type { AliasStatus } from '../engine/status.js';
import type { LambdaPort } from '../ports/lambda.js';
import type { ReleaseReach } from './renderers/status-release-reach.js';

export async function listReleaseReach(
  lambda: LambdaPort,
  statuses: readonly AliasStatus[],
  releaseIds: readonly string[],
): Promise<Map<string, ReleaseReach>> {
  const answers = new Map<string, ReleaseReach>();
  if (releaseIds.length === 0) return answers;
  const reach = await listRecordsInReach(lambda);
  for (const id of releaseIds) {
    if (reach.kind === 'unlisted') {
      answers.set(id, {
        kind: 'unlisted',
        why: `the functions in reach could not be listed (${describeError(reach.error)})`,
      });
      continue;
    }
    const others = findOtherOpenMembers(reach.records, id, statuses);
    const unread = reach.unread.length;
    answers.set(id, {
      kind: 'listed',
      others,
      ...(unread > 0 ? { unreadWhy: `${unread} of the records in reach could not be read` } : {}),
    });
  }
  return answers;
}
