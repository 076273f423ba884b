/** `lshift status`'s line for a deployment whose alias gives its new version another weight than its record. */
import { judgeRecordGap } from '../../engine/check-moved.js';
import { locateAlias } from '../../engine/record-view.js';
import type { AliasStatus } from '../../engine/status.js';
import { describeBeat, describeRunnerMeets, isRunnerBeating } from './status-moved-text.js';

/**
 * A native deployment in progress whose alias gives its new version another weight than its record
 * says, and what can have left it so (check-moved.ts judgeRecordGap): the one weight write that
 * came next landed and the record write after it did not; or, lshift never writing a record ahead
 * of its weight nor a weight between its plan's steps or below its record, someone moved it (until
 * 5 December 2026 those were said "a crash, a lost answer" too). Said beside the record line
 * (found by a hostile pass: `started, step 1 at 0%` under a 10% routing line, as if they agreed).
 */
export function describeRecordLag(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string | undefined {
  // Moved by hand (back on stable, elsewhere, or further than a crash leaves it): its own lines.
  if (
    record.endedAt !== undefined ||
    record.engine === 'codedeploy' ||
    record.phase === 'rolling-back' ||
    record.movedAway
  )
    return undefined;
  const position = locateAlias(status, record);
  if (position.kind === 'elsewhere') return undefined;
  const percent = position.percent;
  if (Math.abs(percent - record.percent) < 1e-6) return undefined;
  const gives = `the alias gives version ${record.targetVersion} ${percent}%`;
  const side = percent > record.percent ? 'ahead of' : 'behind';
  // A move by hand beside a runner that still beats: it meets the move itself; a resume offered
  // here raced it (h3's pass F5, session 67), as the whole-move case's did (status-moved-text.ts).
  const again = isRunnerBeating(record)
    ? `this deployment may still run (${describeBeat(record)}); ${describeRunnerMeets(status, record)}`
    : `\`deploy --resume\` writes ${record.percent}% again`;
  const releaseFull = record.releasePromotedFull === true;
  // Its release's `promote --full`, answered in another function's record read with it: lshift's
  // own 100% write, its record write not landed (status-release-full.ts).
  if (releaseFull && percent >= 100)
    return `${gives}, ahead of this record's ${record.percent}% by the \`promote --full\` of release ${record.releaseId} (answered in another function's record): its 100% write landed and the record write after it did not; \`deploy … --resume\` of the release finishes it`;
  switch (judgeRecordGap(record, status, percent, releaseFull)) {
    case undefined:
      return undefined;
    case 'further':
      // All on the new version in a release: its `promote --full` may be answered in another
      // function's record (release-promoted-full.ts), which status does not read (found by a hostile pass).
      return record.releaseId !== undefined && percent >= 100
        ? `${gives}, further ahead of this record's ${record.percent}% than the one weight write a crash can leave it: someone moved it by hand — or a \`promote --full\` of release ${record.releaseId}, answered in another function's record, which \`status\` reads only of the functions it is given (\`lshift status\` with the release's functions, \`lshift check\` of them and \`deploy … --resume\` do)`
        : `${gives}, further ahead of this record's ${record.percent}% than the one weight write a crash can leave it: lshift never wrote that weight, so someone moved it further by hand, and \`deploy --resume\` will not pick it up from there${isRunnerBeating(record) ? `; ${again}` : ''}`;
    case 'between-steps':
      return `${gives}, ${side} this record's ${record.percent}%, a weight no step of its plan (${record.strategy}) has: lshift never writes one, so it was moved by hand or by another tool; ${again}`;
    case 'behind':
      return `${gives}, behind this record's ${record.percent}%: lshift writes a step's record only once its weight landed, and lowers a weight only to roll back (all at once to version ${record.stableVersion}), so it was moved by hand or by another tool; ${again}`;
    case 'resume-step':
      return isRunnerBeating(record)
        ? `${gives}, ${side} this record's ${record.percent}%, a weight no step of its plan (${record.strategy}) has, recorded by a \`deploy --resume\` that took over someone's move: ${describeNextUnderLiveRunner(status, record)}`
        : `${gives}, ${side} this record's ${record.percent}%, a weight no step of its plan (${record.strategy}) has, recorded by a \`deploy --resume\` that took over someone's move: its write of its step's ${percent}% landed and the record write after it did not (the runner stopped between the two, or its record write failed)`;
    case 'next-step':
      if (isRunnerBeating(record))
        return `${gives}, ahead of this record's ${record.percent}%: ${describeNextUnderLiveRunner(status, record)}`;
      return record.percent === 0
        ? describeFirstWeightUnknown(gives)
        : `${gives}, ahead of this record's ${record.percent}% by the one weight write that came next: it landed and the record write after it did not (the runner stopped between the two, or its record write failed)`;
  }
}

/**
 * The alias at exactly the weight the next step writes, beside a runner that still beats: its own
 * write that landed a moment before its record write, or a person's move to that same weight — the
 * alias alone cannot tell. A move is met at the runner's next read, as any other (measured on the
 * fake clock: a hold's 30 s read stops it, exit 4 over the split). "The runner stopped between the
 * two" said of a live runner what the evidence does not show (h4's F3, session 68).
 */
function describeNextUnderLiveRunner(
  status: AliasStatus,
  record: NonNullable<AliasStatus['record']>,
): string {
  return `the weight its next step writes — its runner's own write, landed a moment before the record write that follows it, or someone's move to that same weight (the alias alone cannot tell them apart); this deployment may still run (${describeBeat(record)}); its runner's own write: its record says so a moment later; someone's move: ${describeRunnerMeets(status, record)}`;
}

/**
 * Its first weight, over a record at 0%: its own first write whose record write did not land — or
 * the write of another deployment of the same versions that raced it for the alias, whose record
 * this one's was stored over when this one's reads failed (race-held-first-writes.ts
 * 'winner-first-then-unreadable'), that other then dead before its next write. Status explained
 * the split as this one's own write (h3's s71 round 2); the RevisionId (`ar=`) changed since it
 * started either way, and no record keeps who wrote it: said so.
 */
function describeFirstWeightUnknown(gives: string): string {
  return `${gives}, ahead of this record's 0% by the weight its first step writes: its own first write, the record write after it not landed (the runner stopped between the two, or its record write failed) — or the first write of another deployment of the same versions that raced it for the alias, whose record this one's was stored over (that one then stopped before its next write, which would have put its own record back); the alias cannot tell them apart (it was written since this deployment started either way, and no record keeps by whom)`;
}
