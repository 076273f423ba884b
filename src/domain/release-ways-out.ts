/**
 * The resume and the rollback a refused `deploy <functions…> --resume` names for a release, as
 * commands that work where they are typed. One `--alias` applies to every function named, so a
 * release whose functions are on different aliases (an entry's `alias:` in the config file:
 * billing on `prod`, orders on `live`) has no command line that resumes it: only the config file
 * that gave each function its alias does, and the hint says so. Its rollback is given once per
 * alias. Before (found by a hostile pass, session 59) the hints named `lshift deploy orders billing
 * --resume` and `lshift rollback --release r-… orders billing` without an alias: run without the
 * config file, the first was refused again and the second looked for billing at `live`.
 */
import { sharedAliasFlag } from './alias-flag.js';

export interface MemberAt {
  functionName: string;
  alias: string;
}

const FIRST_RUN_FLAGS = "(with the first run's --alarm, hook and --bake flags)";

export function releaseWaysOut(
  releaseId: string,
  members: readonly MemberAt[],
): { resume: string; rollback: string } {
  const names = members.map((m) => m.functionName).join(' ');
  const aliases = [...new Set(members.map((m) => m.alias))];
  if (aliases.length <= 1) {
    const aliasFlag = sharedAliasFlag(aliases);
    return {
      resume: `\`lshift deploy ${names} --resume${aliasFlag}\` ${FIRST_RUN_FLAGS}`,
      rollback: `\`lshift rollback --release ${releaseId} ${names}${aliasFlag}\``,
    };
  }
  const each = members.map((m) => `${m.functionName}:${m.alias}`).join(', ');
  const perAlias = aliases.map((alias) => {
    const of = members.filter((m) => m.alias === alias).map((m) => m.functionName);
    return `\`lshift rollback --release ${releaseId} ${of.join(' ')} --alias ${alias}\``;
  });
  return {
    resume:
      `\`lshift deploy ${names} --resume\` ${FIRST_RUN_FLAGS} with the config file that gave each function its alias (${each}), in its directory or with --config <file>: ` +
      'one --alias applies to every function named, so no command line without that file resumes them together',
    rollback: perAlias.join(' and '),
  };
}

/**
 * The release's rollback as one command that works where it is typed: functions on different
 * aliases are not named at all (one `--alias` applies to every function named, and a function
 * named without one is looked for at `live`) — `rollback --release <id>` naming none finds each by
 * its record at its own alias. `lshift status` and `lshift check` offered `lshift rollback
 * --release r fa fb` of a release with fb on `prod`: NOT_IN_RELEASE (F7, session 61).
 */
export function describeReleaseRollbackCommand(releaseId: string, members: readonly MemberAt[]): string {
  if (new Set(members.map((m) => m.alias)).size > 1)
    return `\`lshift rollback --release ${releaseId}\` (naming no function, it finds each function of the release at its own alias by its record)`;
  const names = members.map((m) => m.functionName).join(' ');
  return `\`lshift rollback --release ${releaseId} ${names}${sharedAliasFlag(members.map((m) => m.alias))}\``;
}

/** What a resume of functions on different aliases needs besides its command: the config file. */
export function describeConfigFileNeeded(members: readonly MemberAt[]): string {
  if (new Set(members.map((m) => m.alias)).size <= 1) return '';
  const each = members.map((m) => `${m.functionName}:${m.alias}`).join(', ');
  return `, with the config file that gave each function its alias (${each}), in its directory or with --config <file>`;
}
