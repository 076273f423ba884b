/**
 * The ways out for one function of a release whose alias someone moved by hand, while the
 * release's others still hold theirs: `deploy --resume` refuses it (ALIAS_MISMATCH,
 * ALIAS_AHEAD_OF_RECORD: resume-prepare.ts) and `lshift check` reports it (check-release.ts).
 * Their single-function advice — `lshift rollback fb --to 1`, "then deploy again" — left the
 * others split, and a new deployment of the release is refused while they hold their aliases
 * (found by a hostile pass over releases). Either the whole release goes back, or this function
 * is closed where it is and the others are finished without it (resume-closed-member.test.ts).
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { buildResumeCommand } from './deploy-result.js';

export interface MovedMember {
  functionName: string;
  alias: string;
  record: Pick<DeploymentRecord, 'guards' | 'phase' | 'releaseId' | 'stagger' | 'engine' | 'codeDeployId'>;
  /** The release's functions, all of them, when known (the command's, or the check's). */
  releaseFunctions?: readonly string[];
  /** Where the alias routes all its traffic now; undefined when it is split (nothing to keep). */
  keepVersion?: string;
}

export function describeMovedMemberWaysOut(m: MovedMember): string {
  const { functionName: fn, alias, record } = m;
  const release = record.releaseId ?? 'of this deployment';
  const all = m.releaseFunctions?.length ? m.releaseFunctions : [fn, '<its other functions>'];
  const others = all.filter((f) => f !== fn);
  const aliasFlag = sharedAliasFlag([alias]);
  const undo = `undo the whole release with \`lshift rollback --release ${release} ${all.join(' ')}${aliasFlag}\``;
  if (m.keepVersion === undefined || others.length === 0)
    return `${fn} is a function of release ${release}: ${undo}`;
  const resumeOthers = record.stagger
    ? `finish each of its other functions alone with \`lshift deploy <function> --alias ${alias} --resume\` (the first run’s flags)`
    : `resume its other functions with ${buildResumeCommand(others[0]!, alias, record, others)}`;
  return (
    `${fn} is a function of release ${release}: ${undo}; or keep ${fn} on version ${m.keepVersion} and close its ` +
    `deployment with \`lshift alias ${fn} ${alias} ${m.keepVersion}\`, then ${resumeOthers}`
  );
}
