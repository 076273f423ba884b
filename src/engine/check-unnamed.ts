/**
 * `lshift check fa fb` checks fa and fb only. When they belong to a release, its other functions
 * were neither judged nor rolled back with them, and a record names its release (`rl=`) but not
 * the release's other functions: the report says so, and which commands cover them.
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { releaseWaysOut } from '../domain/release-ways-out.js';
import type { CheckResult } from './check-types.js';
import { findOtherOpenMembers, type RecordsInReach } from './records-in-reach.js';

/**
 * Adds the note to every function of a release this check acted on or judged (not one it
 * skipped). `releases[i]` is the release of `results[i]`, if any.
 */
export function noteUncheckedMates(
  results: readonly CheckResult[],
  releases: readonly (string | undefined)[],
  /** The check's listing of every record in reach, when a close asked for it (records-in-reach.ts). */
  reach?: RecordsInReach,
  /** What each release's records say of its functions: their names (`rf=`), or their count (`rz=`). */
  known: ReadonlyMap<string, ReleaseKnown> = new Map(),
  /** The check's own flags besides `--alias`, as typed (` --alarm x`): its commands run as printed. */
  flags = '',
): CheckResult[] {
  return results.map((r, i) => {
    const id = releases[i];
    // A promote over a split alias is stalled with nothing judged: skipped, as before it had a word.
    const skipped = r.action === 'skipped' || (r.action === 'stalled' && r.phase === 'promoted');
    if (id === undefined || skipped) return r;
    const members = results.filter((_, j) => releases[j] === id);
    const listed = reach?.kind === 'listed' ? describeListed(id, members, reach, flags) : undefined;
    const { names, size } = known.get(id) ?? {};
    const note =
      listed ??
      (names ? describeNamed(id, members, names, flags) : describeUnchecked(id, members, flags, size));
    return { ...r, reason: `${r.reason}; ${note}` };
  });
}

/**
 * `size`: how many functions the release has, when its records say (`rz=`) without naming them
 * (`rf=` did not fit): said as a count, where it said "its records do not list the release's
 * functions" (found by a hostile pass, session 63).
 */
function describeUnchecked(
  releaseId: string,
  members: readonly CheckResult[],
  flags: string,
  size?: number,
): string {
  const names = members.map((m) => m.functionName);
  const aliasFlag = sharedAliasFlag(members.map((m) => m.alias));
  const rolled = members.some((m) => m.action === 'rolled_back' || m.action === 'rollback_failed');
  // The record names its release, not the release's functions: lshift cannot tell whether every
  // one was named, so it says which were checked and what holds for any other, not "only".
  const checked = `${names.join(' ')} of it ${names.length === 1 ? 'was' : 'were'} checked`;
  const others = rolled
    ? `any other function of it was not checked nor rolled back with ${names.length === 1 ? 'it' : 'them'}`
    : 'any other function of it was not checked';
  const check = `\`lshift check${aliasFlag}${flags}\` without names checks every function with a record, or name them: \`lshift check ${names.join(' ')} <its other functions>${aliasFlag}${flags}\``;
  const rollback = rolled
    ? `; to roll them back too: \`lshift rollback --release ${releaseId} <its other functions>${aliasFlag}\``
    : '';
  if (size === undefined)
    return `release ${releaseId}: ${checked}; its records do not list the release's functions, so ${others}: ${check}${rollback}`;
  const left = size - names.length;
  if (left <= 0) return `release ${releaseId}: ${checked}, all ${size} of its functions`;
  const notWith = rolled ? ` nor rolled back with ${names.length === 1 ? 'it' : 'them'}` : '';
  const count = left === 1 ? 'the other 1 of it was' : `the other ${left} of it were`;
  return `release ${releaseId}: ${checked}; its records say it has ${size} functions, not which, so ${count} not checked${notWith}: ${check}${rollback}`;
}

/**
 * No listing to go by, but the records name the release's functions (`rf=`): the others by name,
 * where the words above could only say "any other function" and `<its other functions>` (h3 F6,
 * session 62). Their aliases are not known here: the commands use the checked ones' alias.
 */
function describeNamed(
  releaseId: string,
  members: readonly CheckResult[],
  all: readonly string[],
  flags: string,
): string {
  const names = members.map((m) => m.functionName);
  const checked = `${names.join(' ')} of it ${names.length === 1 ? 'was' : 'were'} checked`;
  const others = all.filter((name) => !names.includes(name));
  if (others.length === 0) return `release ${releaseId}: ${checked}, every function its records name`;
  const aliasFlag = sharedAliasFlag(members.map((m) => m.alias));
  const rolled = members.some((m) => m.action === 'rolled_back' || m.action === 'rollback_failed');
  const one = others.length === 1;
  const notWith = rolled ? ` nor rolled back with ${names.length === 1 ? 'it' : 'them'}` : '';
  const where = aliasFlag ? ` (if ${one ? 'it is' : 'they are'} at that alias too)` : '';
  const rollback = rolled
    ? `; to roll ${one ? 'it' : 'them'} back too: \`lshift rollback --release ${releaseId} ${others.join(' ')}${aliasFlag}\``
    : '';
  return `release ${releaseId}: ${checked}; its records name ${others.join(' ')} besides, not checked${notWith}: \`lshift check ${[...names, ...others].join(' ')}${aliasFlag}${flags}\`${rollback}${where}`;
}

/**
 * What the listing of every record in reach found of the release beyond the functions checked.
 * It said "its records do not list the release's functions, so any other function of it was not
 * checked" though the listing had run and found fc split (found by a hostile pass, session 59,
 * F8). Undefined (the words above) when some records could not be read and none was found.
 */
function describeListed(
  releaseId: string,
  members: readonly CheckResult[],
  reach: Extract<RecordsInReach, { kind: 'listed' }>,
  flags: string,
): string | undefined {
  const names = members.map((m) => m.functionName);
  const checked = `${names.join(' ')} of it ${names.length === 1 ? 'was' : 'were'} checked`;
  const others = findOtherOpenMembers(reach.records, releaseId, members);
  if (others.length === 0) {
    return reach.unread.length === 0
      ? `release ${releaseId}: ${checked}; a listing of every record in reach found no other function of it with an open record`
      : undefined;
  }
  const rolled = members.some((m) => m.action === 'rolled_back' || m.action === 'rollback_failed');
  const each = others.map((l) => `${l.functionName}:${l.alias} (${l.record.phase} at ${l.record.percent}%)`);
  const one = others.length === 1;
  const all = [...members, ...others].map((m) => ({ functionName: m.functionName, alias: m.alias }));
  const aliases = [...new Set(all.map((m) => m.alias))];
  const check = aliases
    .map((alias) => {
      const of = all.filter((m) => m.alias === alias).map((m) => m.functionName);
      return `\`lshift check ${of.join(' ')}${aliases.length > 1 ? ` --alias ${alias}` : sharedAliasFlag([alias])}${flags}\``;
    })
    .join(' and ');
  const notWith = rolled ? ` nor rolled back with ${names.length === 1 ? 'it' : 'them'}` : '';
  const rollback = rolled
    ? `; to roll ${one ? 'it' : 'them'} back too: ${releaseWaysOut(releaseId, others).rollback}`
    : '';
  return `release ${releaseId}: ${checked}; a listing of every record in reach found its other ${one ? 'function' : 'functions'} ${each.join(', ')}, not checked${notWith}: ${check}${rollback}`;
}

/** What a release's records say of its functions: their names (`rf=`), or only how many (`rz=`). */
export interface ReleaseKnown {
  names?: readonly string[];
  size?: number;
}

/** Each release's functions as the first of its records that names them (`rf=`) or counts them (`rz=`) says. */
export function releaseKnownOf(
  records: readonly (DeploymentRecord | undefined)[],
): Map<string, ReleaseKnown> {
  const known = new Map<string, ReleaseKnown>();
  for (const r of records) {
    if (!r?.releaseId) continue;
    const had = known.get(r.releaseId) ?? {};
    known.set(r.releaseId, {
      names: had.names ?? r.releaseFunctions,
      size: had.size ?? r.releaseSize,
    });
  }
  return known;
}

/**
 * The release's functions its record names (`rf=`) that the check was not given, at the checked
 * ones' alias (not known here: the commands say so where the note on them does). Without them
 * `lshift check g4` offered `lshift deploy g4 --alias live --resume`, which the resume refuses as
 * copied (CONFLICTING_FLAGS: name every function of the release), and a rollback of g4 alone
 * (found by a hostile pass, session 63).
 */
export function uncheckedNamed(
  record: Pick<DeploymentRecord, 'releaseFunctions' | 'stagger'>,
  checked: readonly CheckResult[],
): CheckResult[] {
  if (record.stagger || !record.releaseFunctions) return [];
  const alias = checked[0]?.alias;
  if (alias === undefined) return [];
  return record.releaseFunctions
    .filter((name) => !checked.some((o) => o.functionName === name))
    .map((functionName) => ({ functionName, alias, action: 'skipped', reason: '' }));
}

/** The record counts more functions of its release (`rz=`) than were checked, and names none (`rf=`). */
export function hasUnnamedOthers(
  record: Pick<DeploymentRecord, 'releaseFunctions' | 'releaseSize' | 'stagger'>,
  checked: readonly CheckResult[],
): boolean {
  if (record.stagger || record.releaseFunctions || record.releaseSize === undefined) return false;
  return record.releaseSize > new Set(checked.map((o) => o.functionName)).size;
}
