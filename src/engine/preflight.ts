/**
 * Checks before the first write (DESIGN.md §6). Reads only; each check emits a
 * `preflight.check` event, and the first refusal throws with a code, the values involved and
 * what to do. The order puts "is someone else on this alias" before "is there anything to do".
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { PreflightError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AliasInfo, FunctionInfo, LambdaPort } from '../ports/lambda.js';
import type { LocalProcesses } from '../ports/local-processes.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { SplitAlias } from './codedeploy-split-driver.js';
import type { DeployHooks } from './deploy-types.js';
import { emitEvent } from './emit.js';
import { readKeptMoveDeployment } from './kept-move-hint.js';
import { warnStableMovedOverRollback } from './kept-over-rollback.js';
import { checkAsyncSettings } from './preflight-async.js';
import {
  type CheckDeps,
  checkAlarms,
  checkSameConfig,
  codeOf,
  guard,
  notFound,
  pass,
  refuse,
} from './preflight-checks.js';
import { checkEventSources } from './preflight-event-sources.js';
import { checkDeployHooks } from './preflight-hooks.js';
import { checkRunSettings, type ImageReport } from './preflight-image.js';
import { checkProvisionedConcurrency } from './preflight-provisioned.js';
import { checkRecordFits, checkRecordState, readRecord } from './preflight-record.js';
import { checkNotSplit } from './preflight-split.js';
import { checkWarmPossible } from './warm.js';

export interface PreflightDeps {
  lambda: LambdaPort;
  metrics: MetricsPort;
  clock: Clock;
  events: EventSink;
  store?: StateStore;
  /**
   * Reads a kept move's CodeDeploy deployment (kept-move-hint.ts) where a refusal already reads
   * the alias: one GetDeployment, for such a record only.
   */
  deployments?: Pick<CodeDeployPort, 'getDeployment'>;
  /** The CodeDeploy deployment that drives a split alias, if any (preflight-split.ts). */
  codeDeploySplitDriver?: (split: SplitAlias) => Promise<string | undefined>;
  /** This machine's processes: a holder whose runner is known gone here is not "in progress". */
  processes?: LocalProcesses;
}

export interface PreflightRequest {
  functionName: string;
  alias: string;
  targetVersion: string;
  alarms: string[];
  ignoreInitialAlarms?: boolean;
  staleAfterSeconds?: number;
  /** Who deploys (user@host…): a holder's dead pid is judged on this machine (preflight-record.ts). */
  owner?: string;
  /** Its `lambda:` hooks must exist (preflight-hooks.ts). */
  hooks?: DeployHooks;
  /** Hooks the traffic engine runs (CodeDeploy's AppSpec): they must exist too. */
  engineHooks?: DeployHooks;
  /** The record this deployment will write (largest form): preflight checks it fits in a tag. */
  draftRecord?: Omit<DeploymentRecord, 'stableVersion' | 'history'>;
  /** `--warm`: the stable version must have provisioned concurrency to match (warm.ts). */
  warm?: boolean;
}

export interface PreflightResult {
  /** The alias already routes everything to the target: the caller exits 0, "nothing to deploy". */
  nothingToDeploy: boolean;
  stableVersion: string;
  /** The alias RevisionId the first write must carry. */
  aliasRevisionId: string;
  alias: AliasInfo;
  stable: FunctionInfo;
  /** The target's configuration (equal to `stable` when there is nothing to deploy). */
  target: FunctionInfo;
  alarms: AlarmState[];
  /** The alias's previous deployment record, if a store was given and one exists. */
  record?: DeploymentRecord;
  /** Image function: the digests of both versions. */
  image?: ImageReport;
  /** `--warm`: the stable version's provisioned concurrency, which the warm-up matches. */
  warmFrom?: number;
}

type Deps = CheckDeps;

export async function runPreflight(deps: PreflightDeps, req: PreflightRequest): Promise<PreflightResult> {
  const { functionName: fn, alias: aliasName } = req;
  emitEvent(deps, { type: 'preflight.started', functionName: fn, alias: aliasName });
  await guard(deps, 'function', () => deps.lambda.getFunction(fn), notFound(fn));
  pass(deps, 'function', `function ${fn} exists`);
  const alias = await readAlias(deps, req);
  const record = await readRecord(deps, req);
  checkRecordState(deps, req, record, alias, await readKeptMoveDeployment(deps.deployments, record));
  await checkNotSplit(deps, req, alias, record);
  const stableVersion = alias.functionVersion;
  if (req.targetVersion === stableVersion) {
    const stable = await guard(deps, 'stable-version', () => deps.lambda.getFunction(fn, stableVersion));
    pass(
      deps,
      'target-differs',
      `alias ${aliasName} already points at version ${stableVersion}: nothing to deploy`,
    );
    return complete(deps, req, { nothingToDeploy: true, alias, stable, target: stable, alarms: [], record });
  }
  checkRecordFits(deps, req.draftRecord, stableVersion, record);
  warnStableMovedOverRollback(deps, req, record, alias);
  const target = await readTarget(deps, req);
  const stable = await guard(deps, 'stable-version', () => deps.lambda.getFunction(fn, stableVersion));
  pass(deps, 'stable-version', `stable version ${stableVersion} is readable`);
  checkSameConfig(deps, req, stable, target);
  const where = { functionName: fn, alias: aliasName, stableVersion };
  const image = await checkRunSettings(deps, where, stable, target);
  await checkAsyncSettings(deps, where, stable, target);
  await checkEventSources(deps, where);
  await checkProvisionedConcurrency(deps, where, target.version);
  const alarms = await checkAlarms(deps, req);
  await checkDeployHooks(deps, req);
  const warmFrom = req.warm ? await checkWarmPossible(deps, where, stableVersion) : undefined;
  return complete(deps, req, {
    nothingToDeploy: false,
    alias,
    stable,
    target,
    alarms,
    record,
    image,
    ...(warmFrom === undefined ? {} : { warmFrom }),
  });
}

export async function readAlias(
  deps: PreflightDeps,
  req: Pick<PreflightRequest, 'functionName' | 'alias'>,
): Promise<AliasInfo> {
  const { functionName: fn, alias: name } = req;
  const alias = await guard(deps, 'alias', () => deps.lambda.getAlias(fn, name));
  if (!alias) {
    refuse(
      deps,
      'alias',
      new PreflightError('ALIAS_NOT_FOUND', `Alias ${name} of function ${fn} does not exist.`, {
        hint: `Create it with \`lshift alias ${fn} ${name} <version> --create\`, or pass another --alias.`,
        context: { functionName: fn, alias: name },
      }),
    );
  }
  pass(deps, 'alias', `alias ${name} exists (version ${alias.functionVersion})`);
  if (alias.functionVersion === '$LATEST') {
    refuse(
      deps,
      'alias-not-latest',
      new PreflightError(
        'ALIAS_ON_LATEST',
        `Alias ${name} of function ${fn} points at $LATEST, which cannot take weighted routing.`,
        {
          hint: `Point it at a published version first: \`lshift alias ${fn} ${name} <version>\`.`,
          context: { functionName: fn, alias: name, version: '$LATEST' },
        },
      ),
    );
  }
  pass(deps, 'alias-not-latest', `alias ${name} points at a published version`);
  return alias;
}

export async function readTarget(
  deps: PreflightDeps,
  req: Pick<PreflightRequest, 'functionName' | 'targetVersion'>,
): Promise<FunctionInfo> {
  const { functionName: fn, targetVersion: version } = req;
  const context = { functionName: fn, version };
  if (version === '$LATEST' || !/^[0-9]+$/.test(version)) {
    refuse(
      deps,
      'target-version',
      new PreflightError(
        'TARGET_NOT_PUBLISHED',
        `Target ${version} of function ${fn} is not a published version.`,
        {
          hint: 'Deploy a published version number (lshift publishes one when you pass --zip, --s3-key or --image-uri).',
          context,
        },
      ),
    );
  }
  const target = await guard(
    deps,
    'target-version',
    () => deps.lambda.getFunction(fn, version),
    (error) =>
      codeOf(error) === 'VERSION_NOT_FOUND'
        ? new PreflightError('VERSION_NOT_FOUND', `Version ${version} of function ${fn} does not exist.`, {
            hint: `List the published versions with \`aws lambda list-versions-by-function --function-name ${fn}\`.`,
            context,
            cause: error,
          })
        : undefined,
  );
  if (target.state !== undefined && target.state !== 'Active') {
    refuse(
      deps,
      'target-version',
      new PreflightError(
        'VERSION_NOT_ACTIVE',
        `Version ${version} of function ${fn} is ${target.state}, not Active.`,
        {
          hint:
            target.state === 'Pending'
              ? 'Wait until it is Active (a few seconds after publishing) and retry.'
              : `Lambda says: ${target.lastUpdateStatusReason ?? 'no reason given'}. Publish a working version.`,
          context,
        },
      ),
    );
  }
  pass(deps, 'target-version', `version ${version} is published and Active`);
  return target;
}

function complete(
  deps: Deps,
  req: PreflightRequest,
  parts: Omit<PreflightResult, 'stableVersion' | 'aliasRevisionId'>,
): PreflightResult {
  emitEvent(deps, {
    type: 'preflight.completed',
    functionName: req.functionName,
    alias: req.alias,
    stableVersion: parts.alias.functionVersion,
    targetVersion: req.targetVersion,
  });
  return { ...parts, stableVersion: parts.alias.functionVersion, aliasRevisionId: parts.alias.revisionId };
}
