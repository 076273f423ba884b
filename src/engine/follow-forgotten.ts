/**
 * `lshift wait <id>` when AWS CodeDeploy answers that it does not know the deployment
 * (DeploymentDoesNotExistException). Deleting an application or deployment group deletes its
 * deployments' details, and nothing in CodeDeploy moves the alias for them any more
 * (https://docs.aws.amazon.com/codedeploy/latest/userguide/applications-delete.html): the wait
 * could never end. The id alone names no function, so the lshift records in reach are listed
 * (ListFunctions, ListTags per function, as `lshift check` without names does) for one naming it:
 * then the error says what happened and where the alias is, and names `lshift check` (which
 * judges the record from the alias and its alarms, and closes it) and `lshift rollback` (which
 * writes the alias back itself) — exit 4, since nobody drives it. An id no record names keeps
 * CodeDeploy's error: most likely a mistyped one.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { echoInput } from '../domain/echo.js';
import { OperationError, UnsafeError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import { describeAliasState } from './deploy-result.js';
import { describeError, logInfo } from './emit.js';
import { isFinished, isSplit } from './record-view.js';
import { type ListedRecord, listRecords } from './tag-state-store.js';

/** The error a wait ends with: about the record that names `id`, or CodeDeploy's own `error`. */
export async function forgottenDeploymentError(
  deps: { lambda: LambdaPort; clock: Clock; events: EventSink },
  id: string,
  error: unknown,
): Promise<unknown> {
  logInfo(
    deps,
    `codedeploy: ${echoInput(id)} is not known to AWS CodeDeploy; looking for an lshift record that names it`,
  );
  const named = await findRecordNaming(deps.lambda, id);
  if (!named) return error;
  const alias = await readAlias(deps.lambda, named);
  const head = `${describeForgottenId(id)}, which lshift's deployment ${named.record.id} of ${named.functionName}:${named.alias} names`;
  const where = describeWhere(named.record, alias);
  const opts = { cause: error, context: { functionName: named.functionName, alias: named.alias } };
  if (isFinished(named.record)) {
    return new OperationError(
      'CODEDEPLOY_DEPLOYMENT_NOT_FOUND',
      `${head}; its record was already closed as ${named.record.phase}, and alias ${named.alias} ${where}. There is nothing to wait for.`,
      {
        ...opts,
        hint: `\`lshift status ${named.functionName} --alias ${named.alias}\` shows the alias and its history.`,
      },
    );
  }
  return new UnsafeError('CODEDEPLOY_DEPLOYMENT_FORGOTTEN', `${head}: ${describeUndriven(named, where)}`, {
    ...opts,
    hint: forgottenFix(named),
  });
}

/** `AWS CodeDeploy no longer knows deployment d-X (DeploymentDoesNotExistException: …)`: wait's and status's words. */
export function describeForgottenId(id: string): string {
  return `AWS CodeDeploy no longer knows deployment ${echoInput(id)} (DeploymentDoesNotExistException: its application or deployment group was deleted)`;
}

/** What follows from it for an unfinished record: nothing drives the alias; where it is. */
export function describeUndriven(named: { alias: string; record: DeploymentRecord }, where: string): string {
  return `nothing drives alias ${named.alias} any more, and it ${where}. Its record stays ${named.record.phase} until lshift check or lshift rollback closes it.`;
}

/** The fix `lshift wait` and `lshift status` name: check judges and closes it, rollback writes the alias back. */
export function forgottenFix(named: {
  functionName: string;
  alias: string;
  record: DeploymentRecord;
}): string {
  return (
    `\`lshift check ${named.functionName} --alias ${named.alias}\` (with the alarms it watches: --alarm) judges it from the alias and its alarms and closes the record; ` +
    `\`lshift rollback ${named.functionName} --alias ${named.alias}\` puts all traffic back on version ${named.record.stableVersion}.`
  );
}

/** The record naming CodeDeploy deployment `id`, if any in reach; a listing that fails finds none. */
async function findRecordNaming(lambda: LambdaPort, id: string): Promise<ListedRecord | undefined> {
  try {
    const listed = await listRecords(lambda, { onError: () => {} });
    return listed.find((l) => l.record.codeDeployId?.toUpperCase() === id.toUpperCase());
  } catch {
    return undefined;
  }
}

async function readAlias(lambda: LambdaPort, named: ListedRecord): Promise<AliasInfo | string> {
  try {
    return (await lambda.getAlias(named.functionName, named.alias)) ?? 'it does not exist';
  } catch (error) {
    return describeError(error);
  }
}

/** Where the alias is, against the record: `is left at …`, `routes all traffic to version 2, its target`. */
export function describeWhere(
  record: DeploymentRecord,
  alias: Pick<AliasInfo, 'functionVersion' | 'additionalWeights'> | string,
): string {
  if (typeof alias === 'string') return `could not be read (${alias})`;
  if (isSplit(alias.additionalWeights)) return `is left at ${describeAliasState(alias)}`;
  const version = alias.functionVersion;
  const which =
    version === record.targetVersion
      ? ', its target'
      : version === record.stableVersion
        ? ', its stable version'
        : '';
  return `routes all traffic to version ${version}${which}`;
}
