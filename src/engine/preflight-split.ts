/**
 * Preflight's refusal of an alias already split (SHIFT_IN_PROGRESS, exit 5). Over a split a
 * closed deployment met and left (split-left-closed.ts: a person's split, a CodeDeploy kept one,
 * one after a decided rollback) it said "a shift is in progress or was left unfinished" and
 * offered a plain `lshift rollback`, which refuses a split of other versions (it needs `--to`),
 * and `--supersede` to a release, which refuses it (h3's pass, session 68). It now reads the
 * record: which deployment left the split, that no lshift deployment drives it, and the rollback
 * status offers; `--supersede` only to a deploy of one function.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError } from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { CheckDeps } from './preflight-checks.js';
import { pass, refuse } from './preflight-checks.js';
import { isClosedOverSplit, isFinished, isHandSplitAfterRollbackDecision, isSplit } from './record-view.js';
import { buildSplitRollbackCommand } from './split-left-commands.js';

interface SplitCheckRequest {
  functionName: string;
  alias: string;
  /** Its release, if any: a release refuses `--supersede`. */
  draftRecord?: { releaseId?: string };
}

export function checkNotSplit(
  deps: CheckDeps,
  req: SplitCheckRequest,
  alias: AliasInfo,
  record?: DeploymentRecord,
): void {
  const { functionName: fn, alias: name } = req;
  if (isSplit(alias.additionalWeights)) {
    const routing = Object.entries(alias.additionalWeights)
      .map(([v, w]) => `version ${v} at ${Math.round(w * 1e6) / 1e4}%`)
      .join(', ');
    const closed = record && isFinished(record) ? record : undefined;
    refuse(
      deps,
      'alias-not-split',
      new ConflictError(
        'SHIFT_IN_PROGRESS',
        `Alias ${name} of function ${fn} is already split (version ${alias.functionVersion} plus ${routing})${closed ? `: ${describeWhoLeft(closed)}` : ': a shift is in progress or was left unfinished'}.`,
        { hint: hintFor(req, alias, closed), context: { functionName: fn, alias: name } },
      ),
    );
  }
  pass(deps, 'alias-not-split', `alias ${name} routes all traffic to version ${alias.functionVersion}`);
}

function describeWhoLeft(record: DeploymentRecord): string {
  const ended = `${record.phase}${record.endReason ? `: ${record.endReason}` : ''}`;
  const left = isClosedOverSplit(record) || isHandSplitAfterRollbackDecision(record);
  return left
    ? `deployment ${record.id} met it split by someone else and left it (closed ${ended}); no lshift deployment drives that split`
    : `its last deployment, ${record.id}, is closed (${ended}) and someone split it since; no lshift deployment drives that split`;
}

function hintFor(req: SplitCheckRequest, alias: AliasInfo, closed: DeploymentRecord | undefined): string {
  const { functionName: fn, alias: name } = req;
  const see = `See it with \`lshift status ${fn} --alias ${name}\``;
  const supersede = req.draftRecord?.releaseId
    ? ''
    : closed
      ? `, or put all traffic on version ${alias.functionVersion} and deploy from it in one go with \`--supersede\``
      : ', or roll it back and deploy in one go with `--supersede`';
  if (!closed)
    return `${see}; put all traffic back with \`lshift rollback ${fn} --alias ${name}\`${supersede}.`;
  const rollback = buildSplitRollbackCommand({ functionName: fn, alias: name }, closed, alias);
  return `${see}; put all traffic back on version ${closed.stableVersion} with \`${rollback}\`${supersede}.`;
}
