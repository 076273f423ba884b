/**
 * `deploy fa fb fc --resume` where every function named has ended (promoted, rolled back, or
 * without a record): nothing of the release is left to resume. Before, the promoted ones were
 * taken as done (release-resume-done.ts) and left out, so the refusal named fa alone, with fa's
 * hint to resume or roll back "its other functions" — which had ended too. One refusal says every
 * function and how it ended, and a hint that fits: look, then deploy anew.
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isLshiftError, PreflightError, UnsafeError } from '../domain/errors.js';
import type { DeployDeps } from './deploy-types.js';
import type { Settled } from './release-refusals.js';

interface Member {
  functionName: string;
  alias: string;
}

/** Throws one NOTHING_TO_RESUME naming every member when each refused with it; returns otherwise. */
export async function refuseWhenNothingLeft<T>(
  deps: DeployDeps,
  members: readonly Member[],
  checked: readonly Settled<T>[],
): Promise<void> {
  if (members.length < 2 || !checked.every(isNothingToResume)) return;
  // One closed over a split nobody drives (exit 4): its own refusal is said, worst first
  // (release-resume-refusals.ts), not "every function named has ended … start a new deployment".
  if (checked.some((c) => 'error' in c && c.error instanceof UnsafeError)) return;
  const records = await Promise.all(members.map((m) => readQuietly(deps, m)));
  const releases = new Set(records.flatMap((r) => (r?.releaseId ? [r.releaseId] : [])));
  const [only] = releases;
  const what = releases.size === 1 ? `Nothing of release ${only}` : 'Nothing';
  const each = members.map((m, i) => `${m.functionName}:${m.alias}: ${describeEnded(records[i])}`);
  const names = members.map((m) => m.functionName).join(' ');
  const aliasFlag = sharedAliasFlag(members.map((m) => m.alias));
  throw new PreflightError(
    'NOTHING_TO_RESUME',
    `${what} is left to resume: every function named has ended (${each.join('; ')}).`,
    {
      hint: `See where each is with \`lshift status ${names}${aliasFlag}\`; start a new deployment without --resume to move them on.`,
    },
  );
}

function isNothingToResume<T>(c: Settled<T>): boolean {
  return 'error' in c && isLshiftError(c.error) && c.error.code === 'NOTHING_TO_RESUME';
}

function describeEnded(record: DeploymentRecord | undefined | null): string {
  if (record === null) return 'nothing to resume (its record could not be read again)';
  return record ? `deployment ${record.id} is ${record.phase}` : 'no deployment recorded';
}

/** Each refused already after reading its record: read again for the words only (null: unreadable). */
async function readQuietly(deps: DeployDeps, m: Member): Promise<DeploymentRecord | undefined | null> {
  try {
    return await deps.store?.read(m.functionName, m.alias);
  } catch {
    return null;
  }
}
