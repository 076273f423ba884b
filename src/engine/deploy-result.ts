/**
 * The wording shared by results: step labels, alias states and the command that repairs an alias.
 * (Exit codes are chosen in src/cli/exit-codes.ts.)
 */

import { UNFINISHED_DEPLOYMENT_STATUSES } from '../domain/codedeploy-run.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import {
  describeReleaseResumeFlags,
  describeResumeFlags,
  type MemberGuards,
} from '../domain/guard-fingerprint.js';
import type { Position } from '../domain/outcome.js';
import { shellQuote } from '../domain/shell-quote.js';
import { isHandSplitAfterRollbackDecision, WEIGHTS_BY_HAND } from './record-view.js';

/** `step 2 (20%)`: 1-based for people, with the weight. */
export function describeStep(index: number, percent: number): string {
  return `step ${index + 1} (${formatWeight(percent)})`;
}

/** `at step 2 (20%)`, `during the bake (100%)`: where a deployment is (events and results). */
const DURING: Record<NonNullable<Extract<Position, { kind: 'before-traffic' }>['during']> | 'none', string> =
  {
    none: '',
    'pre-hook': ', during the pre-traffic hook',
    'codedeploy-pre-hook': ': CodeDeploy had shifted none yet (its pre-traffic hook runs first)',
    'codedeploy-start': ': CodeDeploy had shifted none yet',
  };

export function describePosition(position: Position): string {
  switch (position.kind) {
    case 'before-traffic':
      return `before any traffic moved${DURING[position.during ?? 'none']}`;
    case 'step':
      return `at ${describeStep(position.index, position.percent)}${position.during ? ', during the settle wait' : ''}`;
    case 'after-step':
      return `after step ${position.index + 1} (${formatWeight(position.percent)})${position.during ? ', during the post-traffic hooks' : ''}`;
    case 'bake':
      return `during the bake (${formatWeight(position.percent)})`;
    case 'resuming':
      return `resuming deployment ${position.deploymentId} ${position.summary}`;
  }
}

/** `20%`, `0.5%`: no float noise. */
export function formatWeight(percent: number): string {
  return `${Math.round(percent * 1e6) / 1e6}%`;
}

/** `version 1 (100%)` or `version 1 (80%) + version 2 (20%)`. */
export function describeAliasState(state: {
  functionVersion: string;
  additionalWeights: Record<string, number>;
}): string {
  const extra = Object.entries(state.additionalWeights).filter(([, w]) => w > 0);
  const extraTotal = extra.reduce((sum, [, w]) => sum + w, 0);
  const primary = `version ${state.functionVersion} (${formatWeight((1 - extraTotal) * 100)})`;
  return [primary, ...extra.map(([v, w]) => `version ${v} (${formatWeight(w * 100)})`)].join(' + ');
}

/**
 * The exact AWS CLI line that puts all traffic on `version` and clears routing. It carries no
 * RevisionId on purpose: a human running it has looked at the alias and decided.
 */
export function buildFixCommand(functionName: string, alias: string, version: string): string {
  return (
    `aws lambda update-alias --function-name ${shellQuote(functionName)} --name ${shellQuote(alias)} ` +
    `--function-version ${shellQuote(version)} --routing-config '{"AdditionalVersionWeights":{}}'`
  );
}

/**
 * `lshift deploy <fn> --alias <a> --resume`, and the flags the resume needs again: the record
 * keeps only a fingerprint of the first run's guards, and a resume without them is refused
 * (resume-guards.ts). Finishing a rollback needs none of them. A function of a release is resumed
 * with the whole release (`lshift deploy a b c --resume`): its functions when the caller knows
 * them (`releaseFunctions`), else a placeholder naming the release — its record names only that.
 * A function of a `--stagger` release is resumed alone: its release is refused as one
 * (STAGGER_NOT_RESUMABLE, release-resume.ts). `releaseAliases`, the aliases of the release's
 * functions when the caller knows them: one `--alias` flag acts on every function named, so it
 * is left out when they differ; `--alias live` of the first function sent a release whose config
 * file put billing on `prod` to billing:live (NOT_IN_RELEASE; found by a docs pass, session 59).
 */
export function buildResumeCommand(
  functionName: string,
  alias: string,
  record: Pick<
    DeploymentRecord,
    'guards' | 'phase' | 'releaseId' | 'stagger' | 'engine' | 'codeDeployId' | 'releaseFunctions'
  >,
  releaseFunctions?: readonly string[],
  releaseAliases?: readonly string[],
  releaseGuards?: readonly MemberGuards[],
): string {
  // A CodeDeploy deployment is not resumed (CODEDEPLOY_NOT_RESUMABLE): CodeDeploy runs it on;
  // `lshift wait` follows it to its end and closes the record.
  if (record.engine === 'codedeploy') {
    return record.codeDeployId
      ? `\`lshift wait ${record.codeDeployId}\``
      : `\`lshift rollback ${functionName} --alias ${alias}\` (its CodeDeploy deployment id was never recorded, so it cannot be followed)`;
  }
  const othersUnknown = record.releaseId !== undefined && !record.stagger && releaseFunctions === undefined;
  // Only this record read: the release's names as its record keeps them (`rf=`), when it does.
  const functions =
    !record.releaseId || record.stagger
      ? functionName
      : ((releaseFunctions ?? record.releaseFunctions)?.join(' ') ??
        `${functionName} <the other functions of release ${record.releaseId}>`);
  // Functions on different aliases: no flag (each keeps its own, from the config file's entries).
  const mixed =
    record.releaseId !== undefined && !record.stagger && new Set(releaseAliases ?? [alias]).size > 1;
  const aliasFlag = mixed ? '' : ` --alias ${alias}`;
  const command = `\`lshift deploy ${functions}${aliasFlag} --resume\``;
  const rollingBack = record.phase === 'rolling-back' || record.phase === 'failed';
  if (rollingBack) return command;
  // A lockstep release's resume needs every function's guards again, not only this one's.
  const asOne = record.releaseId !== undefined && !record.stagger && releaseGuards !== undefined;
  const flags = asOne ? describeReleaseResumeFlags(releaseGuards) : describeResumeFlags(record.guards);
  return command + flags + (othersUnknown ? describeUnknownAliases(alias) : '');
}

/**
 * The release's other functions not known here (only this record read: a preflight refusal, a
 * one-function status), so neither are their aliases: one `--alias` reaches them only when they
 * share it. It said `lshift deploy ga <the other functions of release r-…> --alias prod --resume`
 * of a release whose others were on `live`, which NOT_IN_RELEASE refuses (found by a hostile
 * pass, session 59); a release on several aliases resumes from its config file (release-ways-out.ts).
 */
function describeUnknownAliases(alias: string): string {
  return ` (if they are all at alias ${alias}; a release on several aliases is resumed with \`lshift deploy --resume\` and the config file that gave each function its alias: one --alias applies to every function named)`;
}

/**
 * A record closed `rolled-back (weights changed by hand)` with its `y=` keeps that lshift decided
 * to roll it back and that someone split its alias, not which came first: a pre-traffic hook that
 * split the alias then failed, or a split made during a hold and met by the rollback's first
 * write, came before the decision; a rollback hook's split after it.
 */
export const SPLIT_ORDER_UNKNOWN = 'before or after that decision: its record does not say which';

/**
 * How to finish or undo one function's deployment nobody drives (its runner gone, or paused):
 * `lshift check` (STALLED, check-ownerless.ts describeOwnerless) and `lshift status` (its STALLED line)
 * say it alike (status said STALE and "abort with" where check said STALLED and "undo it with").
 * A function of a release is finished or undone with its release: describeReleaseWaysOut.
 */
export function describeWaysOut(
  functionName: string,
  alias: string,
  record: Pick<
    DeploymentRecord,
    | 'guards'
    | 'phase'
    | 'releaseId'
    | 'stagger'
    | 'engine'
    | 'codeDeployId'
    | 'releaseFunctions'
    | 'endReason'
    | 'cause'
    | 'stableVersion'
  >,
  releaseFunctions?: readonly string[],
): string {
  const rollback = `\`lshift rollback ${functionName} --alias ${alias}\``;
  // An older lshift's `paused (weights changed by hand)` that kept its `y=`: lshift had decided to
  // roll it back, and `deploy --resume` refuses it. `lshift check` offered that resume (session 67).
  // Not "then split": a pre-traffic hook's split, or one made during a hold, comes first (session 69).
  if (isHandSplitAfterRollbackDecision(record))
    return `lshift had decided to roll it back, and its alias was split by someone else (a hook, or a person), ${SPLIT_ORDER_UNKNOWN} (\`deploy --resume\` refuses it): put all traffic back on version ${record.stableVersion} with ${rollback}`;
  // lshift had decided to roll it back (its rollback failed, or stopped): "finish it with
  // \`deploy --resume\`" read as finishing the deployment, offered first (found by a hostile pass,
  // session 61: a rollback whose UpdateAlias was denied). A resume only rolls it back too.
  if (record.phase === 'failed' || record.phase === 'rolling-back')
    return `lshift had decided to roll it back: finish that rollback with ${rollback}`;
  const resume = buildResumeCommand(functionName, alias, record, releaseFunctions);
  // Its runner met a split someone made mid-shift and left it (settle.ts: unsafe, exit 4, its
  // fix the rollback): the rollback first, as the run said; the resume second — safe (it carries
  // the shift on from the person's weight under the first run's guards, RESUME_GUARDS_DIFFER
  // refusing others), but a person's call: they split it. It led with the resume (session 68).
  if (record.phase === 'paused' && record.endReason === WEIGHTS_BY_HAND)
    return `its alias was split by someone else while lshift shifted it, and its runner left it split: put all traffic back on version ${record.stableVersion} with ${rollback} (what the run offered), or carry the shift on from that weight under the first run's guards with ${resume}`;
  return `finish it with ${resume}, or undo it with ${rollback}`;
}

/**
 * How to finish or undo a release nobody drives: `lshift check` (STALLED, check-release.ts) and
 * `lshift status`'s release view (renderReleaseStatus) say it alike. `at`: the function whose
 * resume a `--stagger` release gives (each of its functions is resumed alone); `members`: the
 * functions to resume (undefined: not known here, a placeholder names them); `rollback`: the
 * quoted `lshift rollback --release …`; `after`: a condition on the resume.
 */
export function describeReleaseWaysOut(
  at: {
    functionName: string;
    alias: string;
    label?: string;
    releaseAliases?: readonly string[];
    /** The guards of the functions the resume names (undefined: this function's alone are known). */
    releaseGuards?: readonly MemberGuards[];
  },
  record: Pick<DeploymentRecord, 'guards' | 'phase' | 'releaseId' | 'stagger' | 'engine' | 'codeDeployId'>,
  members: readonly string[] | undefined,
  rollback: string,
  after = '',
): string {
  const resume = buildResumeCommand(
    at.functionName,
    at.alias,
    record,
    members,
    at.releaseAliases,
    at.releaseGuards,
  );
  return record.stagger
    ? `it runs its functions one after the other (--stagger) and is not resumed as a release: finish each function alone, in the order you want (${at.label ?? 'this one'}: ${resume}); or undo it with ${rollback}`
    : `finish it with ${resume}${after}, or undo it with ${rollback}`;
}

/** Stops a CodeDeploy deployment and lets CodeDeploy put the alias back (no alias write races it). */
export function buildStopCommand(deploymentId: string): string {
  return `aws deploy stop-deployment --deployment-id ${shellQuote(deploymentId)} --auto-rollback-enabled`;
}

/**
 * Stops a CodeDeploy deployment WITHOUT its rollback: a Lambda alias stays where it is (a person's
 * move that lshift keeps: codedeploy-hand-move.ts).
 */
export function buildStopKeepingCommand(deploymentId: string): string {
  return `aws deploy stop-deployment --deployment-id ${shellQuote(deploymentId)} --no-auto-rollback-enabled`;
}

/** Lists a group's unfinished deployments: whether CodeDeploy started one lshift could not confirm. */
export function buildListDeploymentsCommand(application: string, group: string): string {
  return (
    `aws deploy list-deployments --application-name ${shellQuote(application)} ` +
    `--deployment-group-name ${shellQuote(group)} --include-only-statuses ${UNFINISHED_DEPLOYMENT_STATUSES.join(' ')}`
  );
}

/**
 * The raw fix of a failed rollback: stop the CodeDeploy deployment still moving the alias, if
 * there is one (an alias written beside it would be moved again at its next step), else the alias.
 */
export function buildRestoreCommand(
  target: { functionName: string; alias: string; version: string },
  codeDeployRunning: string | undefined,
): string {
  return codeDeployRunning
    ? buildStopCommand(codeDeployRunning)
    : buildFixCommand(target.functionName, target.alias, target.version);
}

/** The CodeDeploy deployment a failed rollback left running: started, and never seen to end. */
export function runningDeploymentOf(cursor: {
  deploymentRef?: string;
  deploymentEnded?: boolean;
}): string | undefined {
  return cursor.deploymentRef && !cursor.deploymentEnded ? cursor.deploymentRef : undefined;
}

/**
 * The `lshift rollback` line that puts the alias back and also closes the deployment record
 * (the raw AWS line cannot); `to` only when the user chose the version (`--to`).
 */
export function buildRollbackCommand(functionName: string, alias: string, to?: string): string {
  const toFlag = to === undefined ? '' : ` --to ${shellQuote(to)}`;
  return `lshift rollback ${shellQuote(functionName)} --alias ${shellQuote(alias)}${toFlag}`;
}

/**
 * `lshift status <fn> --alias <a>`, each word quoted. Always with the alias: `lshift status fc`
 * of a deployment at alias prod read fc:live (ALIAS_NOT_FOUND when fc has none; found by a
 * hostile pass, F5 of session 60).
 */
export function buildStatusCommand(functionName: string, alias: string): string {
  return `lshift status ${shellQuote(functionName)} --alias ${shellQuote(alias)}`;
}

/**
 * The deploy `lshift codedeploy init` offers once the group is ready, each word quoted: names may
 * hold spaces, `;`, `$(…)` or `<b>` (a hostile pass pasted one that ran `$(…)` in its shell).
 */
export function buildCodeDeployDeployCommand(target: {
  functionName: string;
  alias: string;
  application: string;
  group: string;
}): string {
  const { functionName, alias, application, group } = target;
  return (
    `lshift deploy ${shellQuote(functionName)} --alias ${shellQuote(alias)} --engine codedeploy ` +
    `--application ${shellQuote(application)} --deployment-group ${shellQuote(group)}`
  );
}
