/**
 * A release's functions the check rolls back with the release (check-release.ts rollBackMates)
 * whose own rollback had stopped (`rolling-back` stale, or `failed`) and whose alias someone has
 * since moved further towards the new version than that rollback could have left it — a person
 * promoting by hand after the crash (rollback-overtaken.ts). A check of the function alone leaves
 * it STALLED (session 66, F2); the release path rolled it back over that move all the same (found
 * in session 67: `lshift check fa fb` put fb back on version 1 after a person had put it all on
 * version 2). These are left out of the release's rollback, each STALLED with the rollback that
 * puts it back anyway.
 */
import type { CheckDeps, CheckResult } from './check-types.js';
import { describeRollbackOvertaken } from './rollback-overtaken.js';

type Target = { functionName: string; alias: string };

/** Each mate overtaken so, with the words that say it (`the alias was moved since …`). */
export async function findOvertakenMates(
  deps: Pick<CheckDeps, 'store' | 'lambda'>,
  mates: readonly Target[],
): Promise<(Target & { words: string })[]> {
  const found = await Promise.all(mates.map((m) => describeOvertakenMate(deps, m)));
  return mates.flatMap((m, i) => (found[i] === undefined ? [] : [{ ...m, words: found[i] }]));
}

/** Undefined when it is not overtaken, or its record or alias cannot be read (judged as before). */
async function describeOvertakenMate(
  deps: Pick<CheckDeps, 'store' | 'lambda'>,
  mate: Target,
): Promise<string | undefined> {
  try {
    const record = await deps.store.read(mate.functionName, mate.alias);
    if (!record || (record.phase !== 'rolling-back' && record.phase !== 'failed')) return undefined;
    const alias = await deps.lambda.getAlias(mate.functionName, mate.alias);
    return alias ? describeRollbackOvertaken(record, alias) : undefined;
  } catch {
    return undefined;
  }
}

/** Its line: STALLED (exit 4), the move left, its own rollback offered. */
export function leaveOvertakenMate(r: CheckResult, why: string, words: string): CheckResult {
  const rollback = `\`lshift rollback ${r.functionName} --alias ${r.alias}\``;
  return {
    ...r,
    action: 'stalled',
    stalled: true,
    movedByHand: true,
    reason: `${why}, but ${words}; the check does not write over that move. To put all traffic back on its stable version anyway: ${rollback}`,
  };
}
