/**
 * `deploy a b c --resume` after a crash while the release recorded its functions promoted (the
 * last step of its last level): a function whose record already says promoted, its alias all on
 * its new version, is done — the resume finishes the others and reports it promoted. Before, its
 * NOTHING_TO_RESUME (exit 2) refused the whole release, while `lshift check` pointed at that
 * very resume for the others left stalled. A promoted record over a split alias is not done
 * (promoted-split.ts: exit 4), and neither is one of another release.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError } from '../domain/errors.js';
import type { DeployResult } from '../domain/events.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { DeployDeps } from './deploy-types.js';
import { isSplit } from './record-view.js';
import type { Settled } from './release-refusals.js';

export interface DoneMember {
  result: DeployResult;
  /** Its record and alias as read: the resume takes it over with them (release-resume-promoted.ts). */
  record: DeploymentRecord;
  alias: AliasInfo;
  releaseId: string | undefined;
  /** The member's own refusal, thrown when it turns out not to belong to the resumed release. */
  error: unknown;
}

/** The members refused only because they are promoted and on their new version, by index. */
export async function findPromotedMembers<T>(
  deps: DeployDeps,
  members: readonly { functionName: string; alias: string }[],
  checked: readonly Settled<T>[],
): Promise<Map<number, DoneMember>> {
  const done = new Map<number, DoneMember>();
  for (const [i, c] of checked.entries()) {
    if (!('error' in c) || !isLshiftError(c.error) || c.error.code !== 'NOTHING_TO_RESUME') continue;
    const member = members[i]!;
    const read = await readDone(deps, member);
    if (read)
      done.set(i, {
        result: promotedResult(member, read.record),
        ...read,
        releaseId: read.record.releaseId,
        error: c.error,
      });
  }
  // Every member done: there is nothing to resume, as each refusal says.
  return done.size === checked.length ? new Map() : done;
}

async function readDone(
  deps: DeployDeps,
  member: { functionName: string; alias: string },
): Promise<{ record: DeploymentRecord; alias: AliasInfo } | undefined> {
  try {
    const [record, alias] = await Promise.all([
      deps.store?.read(member.functionName, member.alias),
      deps.lambda.getAlias(member.functionName, member.alias),
    ]);
    const onTarget =
      alias && !isSplit(alias.additionalWeights) && alias.functionVersion === record?.targetVersion;
    const done = record?.phase === 'promoted' && record.releaseId !== undefined && onTarget;
    return done ? { record, alias } : undefined;
  } catch {
    // Unreadable: its refusal stands.
    return undefined;
  }
}

function promotedResult(
  member: { functionName: string; alias: string },
  record: DeploymentRecord,
): DeployResult {
  return {
    status: 'promoted',
    deploymentId: record.id,
    functionName: member.functionName,
    alias: member.alias,
    fromVersion: record.stableVersion,
    toVersion: record.targetVersion,
    strategy: record.strategy,
    steps: [],
    verdicts: [],
    startedAt: record.startedAt,
    ...(record.endedAt === undefined ? {} : { endedAt: record.endedAt }),
  };
}
