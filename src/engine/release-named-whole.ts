/**
 * Whether the functions a `lshift rollback --release R f…` named are the whole release, as the
 * release's own records say (`rf=` its function names, `rz=` its size; record-types.ts): then
 * there is no function of it left to look for, and the listing of every function in reach
 * (ListFunctions, then ListTags of each: minutes in a large account) is skipped. Before, a record
 * named neither, and the rollback listed every function in reach even when all were named (h3 F6,
 * session 62). Records of an older lshift name neither: the listing goes on, as before.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { ReleaseTarget } from '../domain/release-program.js';
import type { StateStore } from '../ports/state-store.js';

export async function namedWholeRelease(
  store: Pick<StateStore, 'read'>,
  releaseId: string,
  named: readonly ReleaseTarget[],
): Promise<boolean> {
  const records = await Promise.all(
    named.map((t) => store.read(t.functionName, t.alias).catch(() => undefined)),
  );
  return isWholeRelease(releaseId, named, records);
}

/**
 * The same for `deploy fa fb --resume`, whose release is the one the named functions' records
 * name: every record read, all of one release, and every function of it named. Anything else
 * (a record unreadable, none, of two releases, of an older lshift) is false: the resume lists.
 */
export async function namesWholeRelease(
  store: Pick<StateStore, 'read'>,
  named: readonly ReleaseTarget[],
): Promise<boolean> {
  const records = await Promise.all(
    named.map((t) => store.read(t.functionName, t.alias).catch(() => undefined)),
  );
  const releases = new Set(records.map((r) => r?.releaseId));
  const [releaseId] = releases;
  return releases.size === 1 && releaseId !== undefined && isWholeRelease(releaseId, named, records);
}

/** Pure: the records read at the named functions (undefined: none, or unreadable). */
export function isWholeRelease(
  releaseId: string,
  named: readonly ReleaseTarget[],
  records: readonly (DeploymentRecord | undefined)[],
): boolean {
  const ours = records.filter((r): r is DeploymentRecord => r?.releaseId === releaseId);
  const names = new Set(named.map((t) => t.functionName));
  const listed = ours.find((r) => r.releaseFunctions !== undefined)?.releaseFunctions;
  if (listed) return listed.every((name) => names.has(name));
  // Only its size: as many of the named functions hold a record of it (a release holds a
  // function once, FUNCTION_NAMED_TWICE), so none of it is left unnamed.
  const size = ours.find((r) => r.releaseSize !== undefined)?.releaseSize;
  return size !== undefined && ours.length >= size;
}
