/**
 * `lshift status` of a function of a release whose alias is all on the new version, further ahead
 * of its record than a crash leaves it: `lshift promote --full --release` is answered in one
 * record of the release (its command reader's, release-promoted-full.ts), and the runner's 100%
 * writes may have landed while their records did not. Status read only the function's own record
 * and called it "moved by hand — or a promote --full … which status does not read"; given the
 * release's other functions (`lshift status fa fb fc`, the config file's `functions:`), it reads
 * their records — one ListTags each, only for such a record — as `deploy --resume` and `check` do.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import { isMovedAheadByHand } from './check-moved.js';
import { DEFAULT_RELEASE_CONCURRENCY } from './deploy-types.js';
import { readFullReleases } from './release-promoted-full.js';
import { promotedFull } from './resume-point.js';

export async function readReleasePromotedFull(
  store: StateStore | undefined,
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights' | 'revisionId'>,
  mates: readonly { functionName: string; alias: string }[] | undefined,
): Promise<boolean> {
  const { releaseId } = record;
  if (!store || releaseId === undefined || !mates || mates.length === 0 || promotedFull(record)) return false;
  if (!isMovedAheadByHand(record, alias)) return false;
  const full = await readFullReleases({ store }, mates, DEFAULT_RELEASE_CONCURRENCY);
  // Only ahead by the release's own 100% write, as the resume judges it (resume-point.ts).
  return full.has(releaseId) && !isMovedAheadByHand(record, alias, true);
}
