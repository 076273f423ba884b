/**
 * What `lshift check` says of a deployment whose alias someone moved by hand (check-decide.ts, when
 * its alarms are OK; check-rollback.ts, when one is in ALARM: the check does not overwrite a person's
 * move, and said "the record does not add up … delete it with untag-resource" there — found by a
 * hostile pass).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { isReversedSplit } from '../domain/reversed-split.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeProgress } from './check-classify.js';
import { describeAliasState } from './deploy-result.js';
import { aliasMovedAway, isFinished, isSplit } from './record-view.js';
import type { MemberAt } from './records-in-reach.js';
import {
  describeMovedMemberWaysOut,
  type MemberMove,
  type UnresumableMates,
} from './release-moved-member.js';
import { chooseResumePoint } from './resume-point.js';
import { readRecordedPlan } from './rollback-overtaken.js';

export interface MovedCandidate {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
  /** Every function of the record's release, when the check listed them all. */
  releaseFunctions?: string[];
  /** The functions of the record's release this check has records of. */
  releaseChecked?: string[];
  /**
   * Every function of the release the check knows of, at its alias, once its listing of every
   * record in reach ran (check-candidates.ts): the undo names them all, per alias if need be.
   */
  releaseMembers?: () => MemberAt[] | undefined;
  /**
   * A record of its release this check read holds an obeyed or sent `promote --full` (the
   * release's command reader's): all traffic on the new version is lshift's one write ahead.
   */
  releasePromotedFull?: true;
  /**
   * The release's other functions with nothing to resume: those this check read
   * (check-release-close.ts), and those its listing found, once it ran (check-listed-mates.ts).
   */
  releaseUnresumable?: () => UnresumableMates;
}

/**
 * An orphaned deployment whose alias was moved by hand has nothing to resume: say what closes
 * its record instead (undefined when the alias may still be the deployment's, or is unreadable).
 * "Moved" as `deploy --resume` judges it (resume-point.ts): back on its stable version, on
 * versions it does not know, or past the one step a crash can leave the alias ahead of its
 * record — which the check told to resume, and the resume refused (found by a hostile pass).
 */
export function describeMovedAway(c: MovedCandidate, alias: AliasInfo): string | undefined {
  const how = judgeMove(c.record, alias, c.releasePromotedFull === true);
  if (!how) return undefined;
  const { functionName: fn, alias: name, record } = c;
  const keepVersion = isSplit(alias.additionalWeights) ? undefined : alias.functionVersion;
  // Split between its own versions the other way round: both ways out, as `status` gives them
  // (it said "versions it does not know" and `lshift alias … <version>`; found by a hostile pass).
  const reversed = how === 'elsewhere' && isReversedSplit(alias, record);
  // A function of a release: the release's ways out, its others still split (release-moved-member.ts).
  // The listing's, when it ran: beyond a check without names too, which read one alias only.
  const members = c.releaseMembers?.();
  const fix = record.releaseId
    ? describeMovedMemberWaysOut({
        functionName: fn,
        alias: name,
        record,
        how,
        releaseFunctions: members?.map((m) => m.functionName) ?? c.releaseFunctions ?? c.releaseChecked,
        ...(members ? { releaseMembers: members } : {}),
        ...(keepVersion === undefined ? {} : { keepVersion }),
        ...(c.releaseUnresumable === undefined ? {} : { unresumable: c.releaseUnresumable() }),
      })
    : how === 'back'
      ? `\`lshift rollback ${fn} --alias ${name}\` records that (it moves nothing)`
      : how === 'ahead'
        ? `\`lshift rollback ${fn} --alias ${name} --to ${record.stableVersion}\` puts all traffic back on version ${record.stableVersion} and closes it${keepVersion ? `, or \`lshift alias ${fn} ${name} ${keepVersion}\` keeps version ${keepVersion} and closes it` : ''}`
        : reversed
          ? `\`lshift rollback ${fn} --alias ${name}\` puts all traffic back on version ${record.stableVersion}; \`lshift alias ${fn} ${name} ${record.targetVersion}\` finishes it (either closes the record)`
          : `\`lshift alias ${fn} ${name} <version>\` records where it should be and closes the record`;
  const deployment = `deployment ${record.id} (${describeProgress(record)})`;
  if (reversed)
    return `${deployment}: its alias routes between its versions the other way round (${describeAliasState(alias)}), a split lshift never writes, so someone moved it by hand and nobody will finish it: ${fix}`;
  const where = {
    back: 'back to its stable version',
    ahead: 'further than its record on the new version',
    elsewhere: 'to versions it does not know',
  }[how];
  // Back on its stable version: a rollback whose record writes never landed (they hung, then its
  // process exited) leaves the same, as `status` says (judgeRecordGap); "by hand" alone blamed a
  // person for lshift's own rollback (release-close-hang-left.test.ts).
  const by = how === 'back' ? 'by hand, or by a rollback stopped before it could record it,' : 'by hand';
  return `${deployment} was moved ${where} ${by} and nobody will finish it: ${fix}`;
}

/**
 * The alias gives the new version more than the one weight write a crash can leave it ahead of
 * its record: lshift never wrote that weight (it writes no next weight while its record lags), so
 * someone moved it further by hand. `status` asks this too, so both say the same (it said "a
 * crash, a lost answer" where `check` said "by hand").
 */
export function isMovedAheadByHand(
  record: DeploymentRecord,
  alias: Routing,
  releasePromotedFull = false,
): boolean {
  return judgeMove(record, alias, releasePromotedFull) === 'ahead';
}

/** How the alias was moved away from what the deployment can resume (undefined: it can resume). */
type Routing = Pick<AliasInfo, 'functionVersion' | 'additionalWeights'> & { revisionId?: string };

/**
 * How an alias giving the new version `percent` differs from its in-progress record's percent,
 * and what can have left it so. A step's record is written only once its weight write landed
 * (traffic-steps.ts: a release's behind it, never more than that one write). lshift lowers a
 * weight only to roll back, all at once to the stable version with the record marked
 * `rolling-back` first — or as a `deploy --resume` writes its recorded step's weight over one
 * someone set between steps, which its claim recorded (resume.ts). So `next-step` and
 * `resume-step` are lshift's own (the runner stopped between its weight write and the record
 * write after it, or that record write failed); `behind`, `between-steps` (a weight no step of
 * the plan has) and `further` (isMovedAheadByHand, as `check` judges it) were moved by hand or by
 * another tool. Undefined when they agree.
 */
export type RecordGap = 'next-step' | 'resume-step' | 'further' | 'behind' | 'between-steps';

export function judgeRecordGap(
  record: DeploymentRecord,
  alias: Routing,
  percent: number,
  /** Another record of its release holds an obeyed or sent `promote --full` (status-release-full.ts). */
  releasePromotedFull = false,
): RecordGap | undefined {
  if (Math.abs(percent - record.percent) < EPSILON) return undefined;
  if (isMovedAheadByHand(record, alias, releasePromotedFull)) return 'further';
  const plan = readRecordedPlan(record);
  if (!plan) return percent < record.percent ? 'behind' : 'next-step';
  const onPlan = (p: number) => plan.steps.some((s) => Math.abs(s.percent - p) < EPSILON);
  const recordedStep = plan.steps[record.stepIndex]?.percent;
  const resumeWrote = recordedStep !== undefined && Math.abs(recordedStep - percent) < EPSILON;
  // 0%: before the first step, no weight of anyone's.
  const handSetRecord = record.percent > EPSILON && !onPlan(record.percent);
  if (handSetRecord && resumeWrote) return 'resume-step';
  if (!onPlan(percent)) return 'between-steps';
  return percent < record.percent ? 'behind' : 'next-step';
}

const EPSILON = 1e-6;

function judgeMove(
  record: DeploymentRecord,
  alias: Routing,
  releasePromotedFull = false,
): MemberMove | undefined {
  const away = aliasMovedAway(record, alias);
  if (away) return away === 'back-on-stable' ? 'back' : 'elsewhere';
  if (isFinished(record) || record.phase === 'rolling-back' || record.phase === 'failed') return undefined;
  const plan = readRecordedPlan(record);
  if (!plan) return undefined;
  return chooseResumePoint(record, alias, plan, { releasePromotedFull }).kind === 'too-far-ahead'
    ? 'ahead'
    : undefined;
}
