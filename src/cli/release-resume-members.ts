/**
 * `deploy fa fb --resume` of a release that also had fc: a release's records name the release
 * (`rl=`), not its other functions, so the resume would take fa and fb over, promote them
 * ("Release r-… promoted: 2 functions", exit 0) and leave fc split with a stale record, driven
 * by nobody (seen against the sandbox: kill -9 at 40%, then `deploy fa fb --resume`). Before
 * anything is taken over, the records in reach are listed (as `lshift check` without names does)
 * and a function of the same release with an unfinished record that was not named refuses the
 * resume. The listing only reads; one that cannot be made (`lambda:ListFunctions` is only in the
 * policy of `lshift check`) lets the resume go on as before.
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import { UsageError } from '../domain/errors.js';
import { isFinished } from '../engine/record-view.js';
import { type ListedRecord, listRecords } from '../engine/tag-state-store.js';
import type { LambdaPort } from '../ports/lambda.js';

export interface NamedMember {
  functionName: string;
  alias: string;
}

export async function refuseUnnamedMembers(lambda: LambdaPort, named: readonly NamedMember[]): Promise<void> {
  let listed: ListedRecord[];
  try {
    listed = await listRecords(lambda, { onError: () => {} });
  } catch {
    return;
  }
  const key = (functionName: string, alias: string) => `${bareName(functionName)}:${alias}`;
  const wanted = new Set(named.map((m) => key(m.functionName, m.alias)));
  const releases = new Set(
    listed.flatMap((l) =>
      wanted.has(key(l.functionName, l.alias)) && l.record.releaseId ? [l.record.releaseId] : [],
    ),
  );
  const missing = listed.filter(
    (l) =>
      l.record.releaseId !== undefined &&
      releases.has(l.record.releaseId) &&
      !wanted.has(key(l.functionName, l.alias)) &&
      !isFinished(l.record),
  );
  const [first] = missing;
  if (!first) return;
  throw unnamedMembers(first.record.releaseId!, named, missing);
}

function unnamedMembers(
  releaseId: string,
  named: readonly NamedMember[],
  missing: ListedRecord[],
): UsageError {
  const mates = missing.filter((l) => l.record.releaseId === releaseId);
  const each = mates.map((l) => `${l.functionName}:${l.alias} (${l.record.phase} at ${l.record.percent}%)`);
  const names = [...named.map((m) => m.functionName), ...mates.map((l) => l.functionName)].join(' ');
  const aliasFlag = sharedAliasFlag([...named.map((m) => m.alias), ...mates.map((l) => l.alias)]);
  return new UsageError(
    'CONFLICTING_FLAGS',
    `Release ${releaseId} has ${mates.length === 1 ? 'another function' : `${mates.length} more functions`} with an unfinished record: ${each.join(', ')}. ` +
      'A resume naming only some of its functions would go on without the others and leave them where they are, with nobody driving them; nothing was taken over.',
    {
      hint: `Name every function of the release: \`lshift deploy ${names} --resume${aliasFlag}\` (with the first run's --alarm, hook and --bake flags), or roll it all back: \`lshift rollback --release ${releaseId} ${names}${aliasFlag}\`.`,
    },
  );
}

/** The function-name part of a name, ARN or partial ARN (`…:function:orders`). */
function bareName(functionName: string): string {
  const after = functionName.split(':function:')[1];
  return after === undefined ? functionName : (after.split(':')[0] ?? after);
}
