/**
 * `lshift check fa fb` checks fa and fb only. When they belong to a release, its other functions
 * were neither judged nor rolled back with them, and a record names its release (`rl=`) but not
 * the release's other functions: the report says so, and which commands cover them.
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { CheckResult } from './check-types.js';

/**
 * Adds the note to every function of a release this check acted on or judged (not one it
 * skipped). `releases[i]` is the release of `results[i]`, if any.
 */
export function noteUncheckedMates(
  results: readonly CheckResult[],
  releases: readonly (string | undefined)[],
): CheckResult[] {
  return results.map((r, i) => {
    const id = releases[i];
    // A promote over a split alias is stalled with nothing judged: skipped, as before it had a word.
    const skipped = r.action === 'skipped' || (r.action === 'stalled' && r.phase === 'promoted');
    if (id === undefined || skipped) return r;
    const members = results.filter((_, j) => releases[j] === id);
    return { ...r, reason: `${r.reason}; ${describeUnchecked(id, members)}` };
  });
}

function describeUnchecked(releaseId: string, members: readonly CheckResult[]): string {
  const names = members.map((m) => m.functionName);
  const aliasFlag = sharedAliasFlag(members.map((m) => m.alias));
  const rolled = members.some((m) => m.action === 'rolled_back' || m.action === 'rollback_failed');
  // The record names its release, not the release's functions: lshift cannot tell whether every
  // one was named, so it says which were checked and what holds for any other, not "only".
  const checked = `${names.join(' ')} of it ${names.length === 1 ? 'was' : 'were'} checked`;
  const others = rolled
    ? `any other function of it was not checked nor rolled back with ${names.length === 1 ? 'it' : 'them'}`
    : 'any other function of it was not checked';
  const check = `\`lshift check${aliasFlag}\` without names checks every function with a record, or name them: \`lshift check ${names.join(' ')} <its other functions>${aliasFlag}\``;
  const rollback = rolled
    ? `; to roll them back too: \`lshift rollback --release ${releaseId} <its other functions>${aliasFlag}\``
    : '';
  return `release ${releaseId}: ${checked}; its records do not list the release's functions, so ${others}: ${check}${rollback}`;
}
