/**
 * Preflight's refusal of an alias already split (SHIFT_IN_PROGRESS, exit 5). Over a split a
 * closed deployment met and left (split-left-closed.ts: a person's split, a CodeDeploy kept one,
 * one after a decided rollback) it said "a shift is in progress or was left unfinished" and
 * offered a plain `lshift rollback`, which refuses a split of other versions (it needs `--to`),
 * and `--supersede` to a release, which refuses it (h3's pass, session 68). It now reads the
 * record: which deployment left the split, that no lshift deployment drives it, and the rollback
 * status offers; `--supersede` only to a deploy of one function. A split another AWS CodeDeploy
 * deployment on the function's group drives (codedeploy-split-driver.ts: a hotfix, a SAM deploy) is
 * left to it, as status and check leave it: the refusal names it and offers no rollback and no
 * `--supersede`, which would write beside it (h3's s69 brief).
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { ConflictError } from '../domain/errors.js';
import type { AliasInfo } from '../ports/lambda.js';
import type { SplitAlias } from './codedeploy-split-driver.js';
import type { CheckDeps } from './preflight-checks.js';
import { pass, refuse } from './preflight-checks.js';
import {
  isClosedOverSplit,
  isFinished,
  isHandSplitAfterRollbackDecision,
  isSplit,
  locateAlias,
} from './record-view.js';
import { buildSplitRollbackCommand } from './split-left-commands.js';

interface SplitCheckRequest {
  functionName: string;
  alias: string;
  /** Its release, if any: a release refuses `--supersede`. */
  draftRecord?: { releaseId?: string };
}

type SplitDeps = CheckDeps & {
  codeDeploySplitDriver?: (split: SplitAlias) => Promise<string | undefined>;
};

export async function checkNotSplit(
  deps: SplitDeps,
  req: SplitCheckRequest,
  alias: AliasInfo,
  record?: DeploymentRecord,
): Promise<void> {
  const { functionName: fn, alias: name } = req;
  if (isSplit(alias.additionalWeights)) {
    const routing = Object.entries(alias.additionalWeights)
      .map(([v, w]) => `version ${v} at ${Math.round(w * 1e6) / 1e4}%`)
      .join(', ');
    const split = { functionName: fn, alias: name, routing: alias };
    // Best effort (no group, no permission, no answer: none): the refusal stands either way.
    const driver = await deps.codeDeploySplitDriver?.(split).catch(() => undefined);
    if (driver) refuseDriven(deps, req, routing, alias, driver);
    const closed = record && isFinished(record) ? record : undefined;
    // An unfinished record (a failed rollback, a dead runner) whose alias someone moved onto a split
    // of versions it never wrote: a plain `lshift rollback` refuses it (NOTHING_TO_ROLL_BACK, it
    // needs `--to`), which this hint offered; its rollback is the closed one's (session 69).
    const moved =
      !closed && record && record.engine !== 'codedeploy' && locateAlias(alias, record).kind === 'elsewhere'
        ? record
        : undefined;
    const what = closed
      ? `: ${describeWhoLeft(closed)}`
      : moved
        ? `: someone moved it onto versions deployment ${moved.id} (${moved.phase}) never wrote; no lshift deployment drives that split`
        : ': a shift is in progress or was left unfinished';
    refuse(
      deps,
      'alias-not-split',
      new ConflictError(
        'SHIFT_IN_PROGRESS',
        `Alias ${name} of function ${fn} is already split (version ${alias.functionVersion} plus ${routing})${what}.`,
        { hint: hintFor(req, alias, closed ?? moved), context: { functionName: fn, alias: name } },
      ),
    );
  }
  pass(deps, 'alias-not-split', `alias ${name} routes all traffic to version ${alias.functionVersion}`);
}

/** The split another CodeDeploy deployment drives: named, left to it, nothing offered that writes beside it. */
function refuseDriven(
  deps: SplitDeps,
  req: SplitCheckRequest,
  routing: string,
  alias: AliasInfo,
  driver: string,
): never {
  const { functionName: fn, alias: name } = req;
  const id = driver.split(' ')[0];
  return refuse(
    deps,
    'alias-not-split',
    new ConflictError(
      'SHIFT_IN_PROGRESS',
      `Alias ${name} of function ${fn} is already split (version ${alias.functionVersion} plus ${routing}), driven by another AWS CodeDeploy deployment on its group: ${driver}; lshift leaves it to that deployment.`,
      {
        hint: `Follow it with \`lshift wait ${id} --on-interrupt leave\` (or \`aws deploy get-deployment --deployment-id ${id}\`), and deploy once it has ended.`,
        context: { functionName: fn, alias: name },
      },
    ),
  );
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
