/**
 * Move-alias use-case (`lshift alias <function> <alias> <version>`): point an alias at one
 * published version right now, clearing any weighted routing. The write carries the alias
 * RevisionId, so a concurrent change is a ConflictError (exit 5), never an overwrite.
 *
 * The move is a one-step program (`planMoveAlias`: a `restore` to the version) run by the
 * interpreter through the TrafficDriver, once: the same confirmed write as a shift, so a lost
 * answer to our own write is not a conflict, and no other code path writes an alias.
 *
 * An operator who moves an alias by hand ends whatever deployment was on it. Its record is
 * closed honestly (ended, `moved by hand`, history kept), so a later deploy is not refused as
 * "in progress" and `status` does not offer `--resume` for a deployment nobody will finish.
 */

import type { DeploymentRecord } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import { ConflictError, isLshiftError, PreflightError, UsageError } from '../domain/errors.js';
import { planMoveAlias } from '../domain/release-program.js';
import { isPublishedVersionNumber } from '../domain/version-number.js';
import type { Clock } from '../ports/clock.js';
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { AliasInfo, FunctionInfo, LambdaPort } from '../ports/lambda.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficCursor, TrafficDriver } from '../ports/traffic-driver.js';
import { isForgottenByCodeDeploy } from './codedeploy-status.js';
import { describeError } from './emit.js';
import { runProgram } from './interpreter.js';
import { trafficDriverOf } from './native-traffic-driver.js';
import { closedByHand, isFinished } from './record-view.js';

export interface MoveAliasRequest {
  functionName: string;
  alias: string;
  version: string;
  /** Create the alias when it does not exist. */
  create?: boolean;
  /** Only used when creating the alias. */
  description?: string;
}

export interface MoveAliasResult {
  alias: AliasInfo;
  /** The alias's primary version before the move (absent when it was created). */
  previousVersion?: string;
  /** Its whole routing before the move: a split alias was more than its primary version. */
  previousRouting?: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'>;
  created: boolean;
  /** false when the alias already pointed at the version with no routing: nothing was written. */
  changed: boolean;
  /** The unfinished deployment this move ended, as now recorded. */
  endedDeployment?: DeploymentRecord;
  /** The CodeDeploy deployment of that record, which CodeDeploy no longer knows (the move went ahead). */
  forgottenCodeDeploy?: string;
  /** The alias moved, but its deployment record could not be read or closed: why. */
  recordWarning?: string;
}

export interface MoveAliasDeps {
  lambda: LambdaPort;
  /** With a store (and clock), an unfinished deployment record on the alias is closed. */
  store?: StateStore;
  clock?: Clock;
  /** Moves the traffic (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
  /**
   * Asked whether an unfinished CodeDeploy record's deployment still exists; without it such a
   * record always refuses the move.
   */
  codedeploy?: CodeDeployPort;
}

/** The version's shape, checked again by moveAlias; the command checks it before resolving a region. */
export function checkVersionArgument(req: MoveAliasRequest): void {
  const context = { functionName: req.functionName, alias: req.alias, version: req.version };
  if (req.version === '$LATEST') {
    throw new UsageError('ALIAS_TARGET_LATEST', `Alias ${req.alias} cannot point at $LATEST with lshift.`, {
      context,
      hint: `Publish a version first (\`lshift publish ${req.functionName}\`) and move the alias to its number.`,
    });
  }
  if (!isPublishedVersionNumber(req.version)) {
    throw new UsageError(
      'VERSION_INVALID',
      `"${echoInput(req.version)}" is not a published version number.`,
      {
        context,
        hint: 'Pass a version number such as 7.',
      },
    );
  }
}

/** The version must exist (exit 2 when it does not) and must not be in State Failed. */
async function readTargetVersion(lambda: LambdaPort, req: MoveAliasRequest): Promise<FunctionInfo> {
  let info: FunctionInfo;
  try {
    info = await lambda.getFunction(req.functionName, req.version);
  } catch (error) {
    if (isLshiftError(error) && error.code === 'VERSION_NOT_FOUND') {
      // A 404 on a qualified read does not say whether the function or the version is missing;
      // a missing function is FUNCTION_NOT_FOUND (exit 1) on every path (docs/exit-codes.md).
      await lambda.getFunction(req.functionName);
      throw new PreflightError('VERSION_NOT_FOUND', error.message, {
        hint: error.hint,
        context: { functionName: req.functionName, version: req.version },
        cause: error,
      });
    }
    throw error;
  }
  if (info.version !== req.version) {
    throw new PreflightError(
      'VERSION_NOT_FOUND',
      `Version ${req.version} of function ${req.functionName} is not a published version (Lambda returned ${info.version}).`,
      {
        context: { functionName: req.functionName, version: req.version },
        hint: 'Pass a published version number.',
      },
    );
  }
  if (info.state === 'Failed') {
    throw new PreflightError(
      'VERSION_NOT_ACTIVE',
      `Version ${req.version} of function ${req.functionName} is in State Failed and cannot serve traffic.`,
      {
        context: { functionName: req.functionName, version: req.version },
        hint: 'Publish a working version.',
      },
    );
  }
  return info;
}

function isAlreadyThere(alias: AliasInfo, version: string): boolean {
  return alias.functionVersion === version && Object.keys(alias.additionalWeights).length === 0;
}

export async function moveAlias(deps: MoveAliasDeps, req: MoveAliasRequest): Promise<MoveAliasResult> {
  checkVersionArgument(req);
  await readTargetVersion(deps.lambda, req);
  const current = await deps.lambda.getAlias(req.functionName, req.alias);
  if (!current) {
    if (!req.create) {
      throw new PreflightError(
        'ALIAS_NOT_FOUND',
        `Alias ${req.alias} of function ${req.functionName} does not exist.`,
        {
          context: { functionName: req.functionName, alias: req.alias },
          hint: `Add --create to create it: \`lshift alias ${req.functionName} ${req.alias} ${req.version} --create\`.`,
        },
      );
    }
    const created = await deps.lambda.createAlias(req.functionName, req.alias, req.version, req.description);
    return { alias: created, created: true, changed: true };
  }
  if (isAlreadyThere(current, req.version)) {
    const unchanged = {
      alias: current,
      previousVersion: current.functionVersion,
      created: false,
      changed: false,
    };
    return { ...unchanged, ...(await closeForgottenInPlace(deps, req)) };
  }
  const forgotten = await refuseBesideCodeDeploy(deps, req);
  const alias = await runMoveProgram(deps, req, current);
  return {
    alias,
    previousVersion: current.functionVersion,
    previousRouting: {
      functionVersion: current.functionVersion,
      additionalWeights: current.additionalWeights,
    },
    created: false,
    changed: true,
    ...forgotten,
    ...(await endRecord(deps, req)),
  };
}

/**
 * lshift never writes an alias AWS CodeDeploy may still move (docs/codedeploy.md): CodeDeploy
 * keeps its own schedule and would shift the alias again at its next step, leaving the record
 * "moved by hand" over an alias CodeDeploy promoted. An unfinished CodeDeploy record on the alias
 * (a `--detach`ed deployment, one whose follower died) refuses the move; `lshift rollback` stops
 * it with auto-rollback, `lshift wait` follows it to its end and closes the record. A record that
 * cannot be read is left to the move as before (endRecord warns about it).
 *
 * Except when CodeDeploy answers that it does not know the deployment (DeploymentDoesNotExistException:
 * its application or deployment group was deleted, which deletes its deployments' details —
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html): nothing
 * will move that alias again, and once it is on a third version nothing else can close the record
 * (`check` skips it), so the move goes ahead and closes it by hand, as a native record's (the
 * result names the deployment). Any other answer, or none (GetDeployment failing), still refuses.
 */
async function refuseBesideCodeDeploy(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
): Promise<Pick<MoveAliasResult, 'forgottenCodeDeploy'>> {
  const record = await deps.store?.read(req.functionName, req.alias).catch(() => undefined);
  if (record?.engine !== 'codedeploy' || isFinished(record)) return {};
  const id = record.codeDeployId;
  const asked = id && deps.codedeploy ? await askCodeDeploy(deps.codedeploy, id) : undefined;
  if (id && asked?.kind === 'forgotten') return { forgottenCodeDeploy: id };
  const unread =
    asked?.kind === 'unreadable'
      ? ` Whether CodeDeploy still knows it could not be read: ${asked.reason}.`
      : '';
  const target = `${req.functionName} --alias ${req.alias}`;
  throw new ConflictError(
    'CODEDEPLOY_DEPLOYMENT_RUNNING',
    `Deployment ${record.id} on alias ${req.alias} of function ${req.functionName} runs on AWS CodeDeploy (${id ?? 'its deployment id was never recorded'}, ${record.phase}): CodeDeploy moves the alias on its own schedule and would undo a move by hand; nothing was written.${unread}`,
    {
      hint: `Stop it and put all traffic back with \`lshift rollback ${target}\`${id ? `, or follow it to its end with \`lshift wait ${id}\`` : ''}; then move the alias.`,
      context: { functionName: req.functionName, alias: req.alias },
    },
  );
}

/**
 * The alias already where it is asked to be (moved there by other means: the console, the AWS
 * CLI) under an unfinished CodeDeploy record whose deployment CodeDeploy no longer knows: nothing
 * is written to the alias, but the record is closed by hand as a move would close it — else
 * nothing ever would (`check` skips an alias on a third version). A native record, or a CodeDeploy
 * one CodeDeploy still knows (or that could not be asked about), is left as it is.
 */
async function closeForgottenInPlace(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
): Promise<Pick<MoveAliasResult, 'forgottenCodeDeploy' | 'endedDeployment' | 'recordWarning'>> {
  const record = await deps.store?.read(req.functionName, req.alias).catch(() => undefined);
  const id = record?.engine === 'codedeploy' && !isFinished(record) ? record.codeDeployId : undefined;
  if (!id || !deps.codedeploy) return {};
  if ((await askCodeDeploy(deps.codedeploy, id)).kind !== 'forgotten') return {};
  return { forgottenCodeDeploy: id, ...(await endRecord(deps, req)) };
}

/** What CodeDeploy says of deployment `id`: it knows it, it does not, or it could not be asked. */
async function askCodeDeploy(
  codedeploy: CodeDeployPort,
  id: string,
): Promise<{ kind: 'known' } | { kind: 'forgotten' } | { kind: 'unreadable'; reason: string }> {
  try {
    await codedeploy.getDeployment(id);
    return { kind: 'known' };
  } catch (error) {
    if (isForgottenByCodeDeploy(error)) return { kind: 'forgotten' };
    return { kind: 'unreadable', reason: describeError(error) };
  }
}

/** The one-step program through the driver; a failed write throws its own error (exit 5 on a 412). */
async function runMoveProgram(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
  current: AliasInfo,
): Promise<AliasInfo> {
  const target = { functionName: req.functionName, alias: req.alias };
  const cursor: TrafficCursor = {
    ...target,
    stableVersion: req.version,
    targetVersion: current.functionVersion,
    revisionId: current.revisionId,
    aliasState: {
      functionVersion: current.functionVersion,
      additionalWeights: { ...current.additionalWeights },
    },
    percent: 100,
  };
  const ended = await runProgram(
    { traffic: trafficDriverOf(deps), clock: deps.clock, cursor, restore: { once: true } },
    planMoveAlias(target, req.version),
  );
  if (ended.kind !== 'done') throw new Error(`the alias program ended ${ended.kind}`);
  return { ...current, ...cursor.aliasState, revisionId: cursor.revisionId };
}

/** Closes an unfinished deployment record after the move; failures are reported, not thrown. */
async function endRecord(
  deps: MoveAliasDeps,
  req: MoveAliasRequest,
): Promise<Pick<MoveAliasResult, 'endedDeployment' | 'recordWarning'>> {
  const { store, clock } = deps;
  if (!store || !clock) return {};
  const where = `the deployment record of ${req.functionName} alias ${req.alias}`;
  let record: DeploymentRecord | undefined;
  try {
    record = await store.read(req.functionName, req.alias);
  } catch (error) {
    return { recordWarning: `the alias moved, but ${where} could not be read: ${describeError(error)}` };
  }
  if (!record || isFinished(record)) return {};
  const now = clock.now();
  const ended: DeploymentRecord = {
    ...record,
    ...closedByHand(record, { functionVersion: req.version, additionalWeights: {} }),
    heartbeatAt: Math.max(now, record.startedAt),
    endedAt: Math.max(now, record.startedAt),
  };
  try {
    await store.write(req.functionName, req.alias, ended);
  } catch (error) {
    return {
      recordWarning: `the alias moved, but ${where} could not be closed (it still says ${record.phase}): ${describeError(error)}`,
    };
  }
  return { endedDeployment: ended };
}
