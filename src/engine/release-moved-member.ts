/**
 * The ways out for one function of a release whose alias someone moved by hand, while the
 * release's others still hold theirs: `deploy --resume` refuses it (ALIAS_MISMATCH,
 * ALIAS_AHEAD_OF_RECORD: resume-prepare.ts) and `lshift check` reports it (check.ts). Their
 * single-function advice — `lshift rollback fb --to 1`, "then deploy again" — left the others
 * split, and a new deployment of the release is refused while they hold their aliases (found by
 * a hostile pass over releases). Either the whole release goes back, or this function is closed
 * where it is and the others are finished without it (resume-closed-member.test.ts). A function
 * moved to a version its deployment does not know is closed first: `rollback --release` leaves
 * it as it is (NOTHING_TO_ROLL_BACK, record-trust.ts), so "undo the whole release" alone would
 * loop (found by the next hostile pass).
 */
import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { releaseWaysOut } from '../domain/release-ways-out.js';
import { buildResumeCommand } from './deploy-result.js';
import type { MemberAt } from './records-in-reach.js';

/** Back on its stable version, past its record on the new version, or on versions it does not know. */
export type MemberMove = 'back' | 'ahead' | 'elsewhere';

export interface MovedMember {
  functionName: string;
  alias: string;
  record: Pick<
    DeploymentRecord,
    'guards' | 'phase' | 'releaseId' | 'stagger' | 'engine' | 'codeDeployId' | 'stableVersion'
  >;
  how: MemberMove;
  /** The release's functions, all of them, when known (the command's, or the check's). */
  releaseFunctions?: readonly string[];
  /**
   * The same at their aliases, when a listing of every record in reach found them (a check): on
   * different aliases, no one command line reaches them all, so each way out is given per alias.
   */
  releaseMembers?: readonly MemberAt[];
  /** Where the alias routes all its traffic now; undefined when it is split (nothing to keep). */
  keepVersion?: string;
  /** The release's other functions a resume would refuse, when the caller read them (`lshift check`). */
  unresumable?: UnresumableMates;
  /**
   * The release is being rolled back (a check's verdict, or one stopped midway that the next check
   * finishes): its others are offered their rollback only, never a resume.
   */
  undoOnly?: true;
}

/**
 * Closed already (NOTHING_TO_RESUME), or open and all on their stable versions (ALIAS_MISMATCH):
 * those must be closed too before the others are resumed (the resume refuses to leave a function
 * with an open record unnamed).
 */
export interface UnresumableMates {
  closed: readonly string[];
  back: readonly { functionName: string; version: string }[];
  /** Found by a listing, their aliases not read: offered only if they still carry the release's traffic. */
  unread?: readonly string[];
}

export function describeMovedMemberWaysOut(m: MovedMember): string {
  const { functionName: fn, alias, record } = m;
  const release = record.releaseId ?? 'of this deployment';
  // Only this function known (a check given its name alone): the others are a placeholder.
  const known = m.releaseFunctions?.some((f) => f !== fn) ? m.releaseFunctions : undefined;
  const all = known ?? [fn, '<its other functions>'];
  const others = all.filter((f) => f !== fn);
  const aliasFlag = sharedAliasFlag([alias]);
  const at = (names: readonly string[]) =>
    names.map((f) => m.releaseMembers?.find((r) => r.functionName === f) ?? { functionName: f, alias });
  const onAliases = new Set(m.releaseMembers?.map((r) => r.alias) ?? [alias]).size > 1;
  // The others unknown: naming none, the rollback finds each at its own alias by its record (it
  // offered `… fn <its other functions>`, a placeholder that fails when copied; session 62).
  const rollbackOf = (names: readonly string[]) =>
    known === undefined
      ? `\`lshift rollback --release ${release}\``
      : onAliases
        ? releaseWaysOut(release, at(names)).rollback
        : `\`lshift rollback --release ${release} ${names.join(' ')}${aliasFlag}\``;
  const keep =
    m.keepVersion === undefined
      ? undefined
      : `keep ${fn} on version ${m.keepVersion} and close its deployment with \`lshift alias ${fn} ${alias} ${m.keepVersion}\``;
  const left = m.unresumable;
  const resumable = others.filter(
    (f) => !left?.closed.includes(f) && !left?.back.some((b) => b.functionName === f),
  );
  const resumeOthers = record.stagger
    ? `finish each of its other functions alone with \`lshift deploy <function> --alias ${alias} --resume\` (the first run’s flags)`
    : onAliases
      ? `resume its other functions with ${releaseWaysOut(release, at(resumable)).resume}`
      : `resume its other functions with ${buildResumeCommand(resumable[0]!, alias, asOthers(record), resumable)}`;
  if (m.how === 'elsewhere') {
    const back = `put ${fn} back on its stable version ${record.stableVersion} with \`lshift rollback ${fn} --alias ${alias} --to ${record.stableVersion}\``;
    // A CodeDeploy record is left open by it (rollback-destination.ts trustRecord: RECORD_INVALID
    // with --to leaves it as it is); "it closes its deployment" was false of it (session 70).
    const close =
      record.engine === 'codedeploy'
        ? `${back} (it stops its AWS CodeDeploy deployment if that still runs, and leaves its record open: \`lshift status ${fn} --alias ${alias}\` then says what closes it)`
        : `${back}${keep ? `, or ${keep} (either closes its deployment)` : ' (it closes its deployment)'}`;
    const moved = `${fn} is a function of release ${release}, moved to versions its deployment does not know, which the release's rollback leaves as they are: `;
    // Its others all rolled back (by a check, say): nothing of theirs to resume or roll back. It
    // offered `lshift deploy  --alias live --resume` (no function) and their rollback again (found
    // in session 70: status after a check rolled the others back).
    const open = others.filter((f) => !left?.closed.includes(f));
    if (known !== undefined && open.length === 0)
      return `${moved}${close}; its other functions are rolled back already`;
    // None of them resumable (back on their stable versions), or the release is being undone:
    // their rollback only.
    if (resumable.length === 0 || m.undoOnly)
      return `${moved}first ${close}; then roll its other functions back with ${rollbackOf(open)}`;
    return `${moved}first ${close}; then ${resumeOthers}, or roll them back with ${rollbackOf(open)}`;
  }
  const undo = `undo the whole release with ${rollbackOf(all)}`;
  // None of the others left to resume (all back, or closed): the resume would be refused
  // (ALIAS_MISMATCH, NOTHING_TO_RESUME), so only the undo is offered.
  if (!keep || resumable.length === 0) return `${fn} is a function of release ${release}: ${undo}`;
  // Back on stable may be the release's own rollback, whose records never landed: then the others
  // are back too and their resume is refused as well (found by a hostile pass) — only the undo fits.
  // Said only when the others were not read (a check that read them names the ones to resume).
  const unread = resumable.filter((f) => left?.unread?.includes(f));
  const ifStill =
    m.how === 'back' && left === undefined
      ? ", if they still carry the release's traffic,"
      : unread.length > 0
        ? `, if ${unread.join(' and ')} still ${unread.length === 1 ? 'carries' : 'carry'} the release's traffic (${unread.length === 1 ? 'its alias was' : 'their aliases were'} not read),`
        : '';
  const alsoBack = (left?.back ?? []).map(
    (b) =>
      `, and ${b.functionName}'s (back on version ${b.version} too) with \`lshift alias ${b.functionName} ${alias} ${b.version}\``,
  );
  return `${fn} is a function of release ${release}: ${undo}; or ${keep}${alsoBack.join('')}, then${ifStill} ${resumeOthers}`;
}

/**
 * This function's record read as its others' for their resume: its engine is its own. A CodeDeploy
 * one's made it "resume its other functions with `lshift wait d-X`", this function's deployment
 * (found in session 71, round 2: the others are the release's native deployments).
 */
function asOthers(record: MovedMember['record']): MovedMember['record'] {
  const { engine: _own, codeDeployId: _ownId, ...rest } = record;
  return rest;
}
