/**
 * The first line of `lshift rollback --release`: how the release's rollback ended, in words
 * (the engine's status is data: `nothing_to_deploy` is no phrase to print).
 */
import type { DeployStatus } from '../domain/events.js';
import type { UnnamedMembers } from '../engine/release-rollback-open.js';

export function describeReleaseRollbackHeadline(
  releaseId: string,
  status: DeployStatus,
  /** The release's functions not named, as looked for (release-rollback-open.ts). */
  unnamed?: UnnamedMembers,
): string {
  const open = unnamed?.open ?? [];
  if (open.length > 0) {
    const them = open.length === 1 ? 'function of it not named is' : 'functions of it not named are';
    return `Release ${releaseId}: not rolled back as a whole: ${open.length} ${them} still open and ${open.length === 1 ? 'was' : 'were'} left as ${open.length === 1 ? 'it is' : 'they are'} (below); the functions named:`;
  }
  // Not "rolled back": the release may have other functions, still split, nobody looked for.
  if (unnamed?.kind === 'not-looked' && (status === 'rolled_back' || status === 'nothing_to_deploy')) {
    const done = status === 'rolled_back' ? 'rolled back' : 'already on their stable versions';
    return `Release ${releaseId}: the functions named are ${done}; its functions not named were not looked for (below)`;
  }
  return `Release ${releaseId}: ${describeStatus(status)}`;
}

/**
 * The lines under the rows of the functions named: each open function of the release not named,
 * with where it is and its command, or why the others were not looked for and how to let them be.
 */
export function describeUnnamedMembers(releaseId: string, unnamed: UnnamedMembers): string[] {
  const open = unnamed.open.map(
    (m) =>
      `✖ ${m.functionName}:${m.alias} of release ${releaseId}, not named: its record is ${m.phase} at ${m.percent}%, left as it is; \`${m.command}\` rolls it back`,
  );
  if (unnamed.kind === 'looked') return open;
  return [
    ...open,
    `! release ${releaseId}'s functions not named were not looked for: ${unnamed.why}. Any of them still split or on the new version was left as it is: ` +
      'allow lambda:ListFunctions ("Resource": "*"; `lshift iam-policy --list-functions`) to have them found, or name every function of the release (`lshift status <function>` shows the release of each record)',
  ];
}

function describeStatus(status: DeployStatus): string {
  // A second run (or a check that got there first) finds every function back already: each row
  // below says "Nothing to roll back", and so does the headline.
  if (status === 'nothing_to_deploy') {
    return 'nothing to roll back, every function named was already on its stable version';
  }
  return status.replaceAll('_', ' ');
}

/**
 * A function named whose record at its alias does not name the release. "Its record names no
 * release" was said of a function with no record there at all (found by a hostile pass).
 */
export function describeSkippedMember(
  releaseId: string,
  s: { functionName: string; alias: string; recordedRelease?: string },
): string {
  // Said first as for a function with no record: what matters is that none is of this release.
  const why = s.recordedRelease
    ? `no record of release ${releaseId} at this alias (its record belongs to release ${s.recordedRelease})`
    : `no record of release ${releaseId} at this alias (not part of it, or never started)`;
  return `– ${s.functionName}:${s.alias} left alone: ${why}`;
}
