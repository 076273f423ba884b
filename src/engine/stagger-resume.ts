/**
 * The resume a STALLED `--stagger` release's line offers, in `lshift status`'s release view
 * (status-release-text.ts) and on `lshift check`'s lines (check-release.ts) alike. Such a release
 * is not resumed as one (`deploy a b c --resume` refuses it: STAGGER_NOT_RESUMABLE), so each
 * function is resumed alone; the line named one function's resume — the first record read (a1,
 * already all on its new version) — and after that one ran, the next (a3), while a6 (split at
 * 50%) and a7 were never named until the operator had iterated (found by a hostile pass, F14 of
 * session 61; check kept naming one function's until 5 December 2026). It gives one command line
 * resuming every open function in turn, the function mid-walk first, `&&` stopping the chain at
 * the first resume that does not end promoted.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { describeReleaseResumeFlags, type MemberGuards } from '../domain/guard-fingerprint.js';
import type { CheckResult } from './check-types.js';

/** One open function of the release: where its alias is, and its record. */
export interface StaggerMember {
  functionName: string;
  alias: string;
  record: Pick<DeploymentRecord, 'percent' | 'guards'>;
  /** Its alias is split (its turn was under way); undefined: not read here (found by the listing). */
  split?: boolean;
}

/**
 * The order the resumes run in: the function whose turn was under way (split) first, then those
 * whose traffic has not moved, in the order given here (a record keeps no place in the release),
 * then those all on their new version (their resume only closes the record: `no step left to run`).
 */
function walkRank(m: StaggerMember): number {
  if (m.split === true || (m.record.percent > 0 && m.record.percent < 100)) return 0;
  return m.record.percent === 0 ? 1 : 2;
}

export function describeStaggerResume(members: readonly StaggerMember[]): string {
  const ordered = members
    .map((m, i) => ({ m, i }))
    .sort((a, b) => walkRank(a.m) - walkRank(b.m) || a.i - b.i)
    .map(({ m }) => m);
  const chain = ordered
    .map((m) => `lshift deploy ${m.functionName} --alias ${m.alias} --resume`)
    .join(' && ');
  const guards: MemberGuards[] = ordered.map((m) => ({
    functionName: m.functionName,
    guards: m.record.guards,
  }));
  const walking = ordered.filter((m) => walkRank(m) === 0).map((m) => m.functionName);
  const done = ordered.filter((m) => walkRank(m) === 2).map((m) => m.functionName);
  const notes = [
    ...(walking.length > 0 ? [`${walking.join(' and ')} first, its turn under way`] : []),
    ...(done.length > 0
      ? [`${done.join(' and ')} last, already all on the new version: its resume only closes its record`]
      : []),
  ];
  const why = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `it runs its functions one after the other (--stagger) and is not resumed as a release: resume each function in turn with \`${chain}\`${describeReleaseResumeFlags(guards)}${why}`;
}

/**
 * The open functions of a `--stagger` release, for the one command line that resumes each in turn
 * (stagger-resume.ts), as `lshift status` gives it: it named this function's resume alone, and
 * the operator learnt of the next one only after running it (found in session 61). One promoted
 * has nothing to resume. The check reads no routing here: a record's percent places it.
 */
export function staggerMembers(
  checked: readonly CheckResult[],
  records: readonly (DeploymentRecord | undefined)[],
  all: readonly CheckResult[],
  members: readonly string[],
): StaggerMember[] {
  return checked.flatMap((o) => {
    const record = records[all.indexOf(o)];
    if (!record || record.phase === 'promoted' || !members.includes(o.functionName)) return [];
    return [{ functionName: o.functionName, alias: o.alias, record }];
  });
}
