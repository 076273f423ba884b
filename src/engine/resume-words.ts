/**
 * What `deploy --resume` (resume-prepare.ts) says around a record it will not resume, or resumes
 * paused: the ways out it offers, each a command that runs as printed where lshift knows the
 * release's functions.
 */

import { sharedAliasFlag } from '../domain/alias-flag.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { PreflightError, UnsafeError } from '../domain/errors.js';
import { describeSender } from '../domain/operator-command.js';
import type { AliasInfo } from '../ports/lambda.js';
import { describeAliasState, SPLIT_ORDER_UNKNOWN } from './deploy-result.js';
import type { DeployDeps, DeployRequest } from './deploy-types.js';
import { logWarn } from './emit.js';
import { isSplit } from './record-view.js';
import { describeMovedMemberWaysOut, type MemberMove } from './release-moved-member.js';
import { describeSplitLeftClosed } from './split-left-closed.js';

/** The resumed function, and its release's functions when the command knows them. */
type ResumeTarget = Pick<DeployRequest, 'functionName' | 'alias' | 'releaseFunctions' | 'releaseAliases'>;

/** The pause stands (shift-context.ts): say whose it is and what lets the deployment go on. */
export function warnResumedPaused(deps: DeployDeps, req: ResumeTarget, record: DeploymentRecord): void {
  // The run's own functions, named: a placeholder fails when copied (session 62). A lone resume
  // of a release's function does not know the others.
  const names = req.releaseFunctions?.join(' ') ?? '<its functions>';
  const aliasFlag = sharedAliasFlag(req.releaseAliases ?? [req.alias]);
  const verb = record.releaseId
    ? `lshift resume --release ${record.releaseId} ${names}${req.releaseFunctions ? aliasFlag : ''}`
    : `lshift resume ${req.functionName} --alias ${req.alias}`;
  const by = describeSender(record.command?.by ?? '');
  logWarn(
    deps,
    `deployment ${record.id} was paused by ${by} when its runner stopped: it resumes paused — its weight held, its hold clock stopped, its health still watched — until \`${verb}\``,
    'record',
  );
}

/**
 * A deployment lshift decided to roll back whose alias was then split by someone else (record-view.ts
 * isHandSplitAfterRollbackDecision): closed, never resumed forward — the resume skipped the gate
 * that had failed and promoted the version it failed (found by a hostile pass, session 66). The
 * way out is the rollback; the split is left where it is until a person runs it.
 */
export function rollbackDecidedSplit(
  req: ResumeTarget,
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>,
): PreflightError | UnsafeError {
  const { functionName: fn, alias: name } = req;
  const release = record.releaseId ? ` (a function of release ${record.releaseId})` : '';
  // A release may have met the split first and rolled its other functions back for it (settle.ts
  // closeMovedByHand): "then split" would tell the wrong order.
  const decided = record.releaseId
    ? `lshift decided to roll it back (release ${record.releaseId}'s verdict was a rollback), and its alias was split by someone else (a hook, or a person), before or after that verdict`
    : `lshift decided to roll it back, and its alias was split by someone else (a hook, or a person), ${SPLIT_ORDER_UNKNOWN}`;
  const where = isSplit(alias.additionalWeights)
    ? `it routes ${describeAliasState(alias)}`
    : `it routes all traffic to version ${alias.functionVersion} now`;
  return new (refusalOver(alias))(
    'NOTHING_TO_RESUME',
    `Deployment ${record.id} of ${fn} alias ${name}${release} is closed: ${decided} — ${where}. lshift never resumes a deployment it decided to roll back, and it leaves that split as it is; nothing was written.`,
    {
      hint: `\`lshift status ${fn} --alias ${name}\` says why it was rolled back. To put all traffic back on version ${record.stableVersion}: \`lshift rollback ${fn} --alias ${name}\`; then deploy again without --resume.`,
      context: { functionName: fn, alias: name },
    },
  );
}

/** A function of a release moved by hand: the release's ways out, not one function's (release-moved-member.ts). */
export function releaseMemberHint(
  req: ResumeTarget,
  record: DeploymentRecord,
  alias: AliasInfo,
  how: MemberMove,
): string {
  const ways = describeMovedMemberWaysOut({
    functionName: req.functionName,
    alias: req.alias,
    record,
    how,
    ...(req.releaseFunctions ? { releaseFunctions: req.releaseFunctions } : {}),
    ...(isSplit(alias.additionalWeights) ? {} : { keepVersion: alias.functionVersion }),
  });
  return `Decide where traffic should be. ${ways}.`;
}

/**
 * A function of a release closed alone: resume or roll back the others without it — named when
 * the command named them (a placeholder read as if lshift did not know them: a hostile pass).
 */
export function leaveOutHint(fn: string, release: string, named: readonly string[] | undefined): string {
  const others = named?.filter((f) => f !== fn) ?? [];
  const list = others.length > 0 ? others.join(' ') : '<its other functions>';
  // Unknown, the rollback names none: it finds each at its own alias by its record (a
  // placeholder failed when copied; session 62).
  const rollback =
    others.length > 0
      ? `\`lshift rollback --release ${release} ${list}\``
      : `\`lshift rollback --release ${release}\` (naming no function, it finds each function of the release at its own alias by its record)`;
  return `Leave ${fn} out: resume the release’s other functions with \`lshift deploy ${list} --resume\` (the first run’s flags), or roll them back too with ${rollback}; \`lshift status ${fn} ${list}\` shows where each is.`;
}

/**
 * A deployment closed over a person's split it met and left (split-left-closed.ts: of versions it
 * does not place, or a CodeDeploy one stopped to keep it): `lshift status` and `lshift check` call
 * it STALLED (exit 4) with the rollback. The resume said "is rolled-back: there is nothing to
 * resume … start a new deployment without --resume" — which preflight then refuses over that split
 * (session 68's LOW). It says what status says, and the same rollback.
 */
export function splitLeftClosedRefusal(
  req: ResumeTarget,
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>,
): PreflightError | UnsafeError {
  const { functionName: fn, alias: name } = req;
  const { what, fix } = describeSplitLeftClosed({ functionName: fn, alias: name }, record, alias);
  const it = what.replace(`deployment ${record.id} met`, 'it met');
  const release = record.releaseId ? ` (a function of release ${record.releaseId})` : '';
  return new (refusalOver(alias))(
    'NOTHING_TO_RESUME',
    `Deployment ${record.id} of ${fn} alias ${name}${release} is closed (${record.phase}: ${record.endReason ?? 'moved by hand'}): ${it} — \`lshift status ${fn} --alias ${name}\` calls it STALLED. There is nothing to resume; nothing was written.`,
    {
      hint: `${fix.charAt(0).toUpperCase()}${fix.slice(1)}; then deploy again without --resume.`,
      context: { functionName: fn, alias: name },
    },
  );
}

/**
 * One rule for a resume refused because the alias is split and nobody drives it: exit 4 (a human
 * must look; `lshift status` and `lshift check` say STALLED), whatever the code — as ALIAS_MISMATCH
 * over a split, ALIAS_AHEAD_OF_RECORD and PROMOTED_BUT_SPLIT are. A deployment closed over such a
 * split was refused exit 2 (NOTHING_TO_RESUME) while an overtaken rollback's was 4 (session 70).
 * All on one version, nothing is split: the plain refusal (exit 2) stands.
 */
function refusalOver(
  alias: Pick<AliasInfo, 'additionalWeights'>,
): typeof PreflightError | typeof UnsafeError {
  return isSplit(alias.additionalWeights) ? UnsafeError : PreflightError;
}
