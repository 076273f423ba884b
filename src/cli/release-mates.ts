/**
 * `lshift abort fnB` on one function of a release rolls the whole release back. fnB's record names
 * its release but not the release's other functions (the records are the only list), so to name
 * them the records in reach are listed, as `deploy … --resume` does before a resume
 * (release-resume-members.ts): ListFunctions, then ListTags of each. The listing only reads; one
 * that cannot be made (`lambda:ListFunctions` is only in the policy of `lshift check`) or is
 * stopped leaves the release's functions unnamed, and the answer points at `lshift status`.
 */
import { listRecords } from '../engine/tag-state-store.js';
import type { LambdaPort } from '../ports/lambda.js';

export const MATES_NOTICE =
  'abort: listing the functions in reach (ListFunctions, then ListTags of each) to name the release’s other functions';

/** `f4:live`, … of the release, the aborted function first; undefined when they cannot be listed. */
export async function findReleaseFunctions(
  lambda: LambdaPort,
  releaseId: string,
  aborted: { functionName: string; alias: string },
  signal?: AbortSignal,
): Promise<string[] | undefined> {
  try {
    const listed = await listRecords(lambda, { onError: () => {}, ...(signal ? { signal } : {}) });
    if (signal?.aborted) return undefined;
    // The abort may name its function by ARN; the listing gives names.
    const self = `${bareName(aborted.functionName)}:${aborted.alias}`;
    const others = listed
      .filter((l) => l.record.releaseId === releaseId)
      .map((l) => `${l.functionName}:${l.alias}`)
      .filter((name) => name !== self)
      .sort();
    return [self, ...others];
  } catch {
    return undefined;
  }
}

/** The function-name part of a name, ARN or partial ARN (`…:function:orders`). */
function bareName(functionName: string): string {
  const after = functionName.split(':function:')[1];
  return after === undefined ? functionName : (after.split(':')[0] ?? after);
}
