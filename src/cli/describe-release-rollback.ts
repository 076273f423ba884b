/**
 * The first line of `lshift rollback --release`: how the release's rollback ended, in words
 * (the engine's status is data: `nothing_to_deploy` is no phrase to print).
 */
import type { DeployStatus } from '../domain/events.js';
import type { SkippedMember } from '../engine/release-rollback.js';
import type { NotLookedCause, OpenMember, UnnamedMembers } from '../engine/release-rollback-open.js';

export function describeReleaseRollbackHeadline(
  releaseId: string,
  status: DeployStatus,
  /** The release's functions not named, as looked for (release-rollback-open.ts). */
  unnamed?: UnnamedMembers,
  /**
   * False when no function was named and the release's were found by their records: "every
   * function named" was then said of functions nobody named.
   */
  named = true,
): string {
  const open = unnamed?.open ?? [];
  if (open.length > 0) {
    const them = open.length === 1 ? 'function of it not named is' : 'functions of it not named are';
    return `Release ${releaseId}: not rolled back as a whole: ${open.length} ${them} still open and ${open.length === 1 ? 'was' : 'were'} left as ${open.length === 1 ? 'it is' : 'they are'} (below); the functions named:`;
  }
  // Not "rolled back": the release may have other functions, still split, nobody looked for.
  if (unnamed?.kind === 'not-looked' && (status === 'rolled_back' || status === 'nothing_to_deploy')) {
    const done = status === 'rolled_back' ? 'rolled back' : 'already on their stable versions';
    return `Release ${releaseId}: the functions ${named ? 'named' : 'found'} are ${done}; its functions not named were not looked for (below)`;
  }
  return `Release ${releaseId}: ${describeStatus(status, named ? 'named' : 'found')}`;
}

/**
 * The lines under the rows of the functions named: each open function of the release not named,
 * with where it is, and one command per alias naming every open function there (one command per
 * function left the next still open: exit 4 again, found by a hostile pass, session 60, F2); or
 * why the others were not looked for and what to do, per cause (a Ctrl-C was told to allow
 * lambda:ListFunctions: F1).
 */
export function describeUnnamedMembers(releaseId: string, unnamed: UnnamedMembers): string[] {
  const open = describeOpenMembers(releaseId, unnamed.open);
  if (unnamed.kind === 'looked') return open;
  return [
    ...open,
    `! release ${releaseId}'s functions not named were not looked for: ${unnamed.why}. Any of them still split or on the new version was left as it is: ${NOT_LOOKED_ADVICE[unnamed.cause]}`,
  ];
}

const NAME_THEM =
  'name every function of the release (`lshift status <function>` shows the release of each record)';

const NOT_LOOKED_ADVICE: Record<NotLookedCause, string> = {
  // The functions named are back: a second run finds them so and looks for the others.
  interrupted: 'run the same command again to have them looked for',
  unread: `run the same command again (a read that failed may pass then), or ${NAME_THEM}`,
  unlisted: `allow lambda:ListFunctions ("Resource": "*"; \`lshift iam-policy --list-functions\`) to have them found, or ${NAME_THEM}`,
};

function describeOpenMembers(releaseId: string, open: readonly OpenMember[]): string[] {
  const lines: string[] = [];
  for (const command of new Set(open.map((m) => m.command))) {
    const here = open.filter((m) => m.command === command);
    const where = here.map(
      (m) =>
        `✖ ${m.functionName}:${m.alias} of release ${releaseId}, not named: its record is ${m.phase} at ${m.percent}%, left as it is`,
    );
    if (here.length === 1) lines.push(`${where[0]}; \`${command}\` rolls it back`);
    else lines.push(...where, `  \`${command}\` rolls these ${here.length} back`);
  }
  return lines;
}

function describeStatus(status: DeployStatus, how: 'named' | 'found'): string {
  // A second run (or a check that got there first) finds every function back already: each row
  // below says "Nothing to roll back", and so does the headline.
  if (status === 'nothing_to_deploy') {
    return `nothing to roll back, every function ${how} was already on its stable version`;
  }
  return status.replaceAll('_', ' ');
}

/**
 * A function named whose record at its alias does not name the release. "Its record names no
 * release" was said of a function with no record there at all (found by a hostile pass).
 */
export function describeSkippedMember(releaseId: string, s: SkippedMember): string {
  // Its release's records name it: it was in the release, and a later deployment took its alias.
  if (s.takenBy) {
    const t = s.takenBy;
    const of = s.recordedRelease ? ` of release ${s.recordedRelease}` : '';
    return `– ${s.functionName}:${s.alias} left alone: it was in release ${releaseId}, but its record is now deployment ${t.id}'s${of} (${t.phase}, version ${t.stableVersion} → ${t.targetVersion}), which took the alias since: a release's rollback does not undo a later deployment (\`lshift status ${s.functionName} --alias ${s.alias}\` shows it)`;
  }
  // Said first as for a function with no record: what matters is that none is of this release.
  const why = s.recordedRelease
    ? `no record of release ${releaseId} at this alias (its record belongs to release ${s.recordedRelease})`
    : `no record of release ${releaseId} at this alias (not part of it, or never started)`;
  return `– ${s.functionName}:${s.alias} left alone: ${why}`;
}
