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
import { LshiftError, OperationError, UnsafeError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import { describeAliasState } from './deploy-result.js';
import { describeError, logInfo } from './emit.js';
import { type ListedRecord, listRecords } from './record-listing.js';
import { isFinished, isSplit } from './record-view.js';

/** The error a wait ends with: about the record that names `id`, or CodeDeploy's own `error`. */
export async function forgottenDeploymentError(
  deps: { lambda: LambdaPort; clock: Clock; events: EventSink },
  id: string,
  error: unknown,
  /** Ctrl-C or SIGTERM: the search reads no further function. */
  signal?: AbortSignal,
): Promise<unknown> {
  logInfo(
    deps,
    `codedeploy: ${echoInput(id)} is not known to AWS CodeDeploy; looking for an lshift record that names it`,
  );
  const search = await findRecordNaming(deps, id, signal);
  const named = search.named;
  if (!named) return withUnreadFunctions(error, search);
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

/** Every this many functions read, the search says how far it is (an account may hold thousands). */
const PROGRESS_EVERY = 100;

interface Search {
  named?: ListedRecord;
  /** Functions whose tags could not be read, and the first reason: the record may be there. */
  unread: { count: number; total: number; first?: string };
  /** How many functions were read when a signal ended the search. */
  interruptedAt?: number;
}

/**
 * The record naming CodeDeploy deployment `id`, if any in reach. The listing stops at the first
 * (ListTags of the functions not yet begun are never made) and says how far it is; a listing that
 * fails finds none, and says how many functions it could not read.
 */
async function findRecordNaming(
  deps: { lambda: LambdaPort; clock: Clock; events: EventSink },
  id: string,
  signal?: AbortSignal,
): Promise<Search> {
  const unread: Search['unread'] = { count: 0, total: 0 };
  let read = 0;
  const names = (record: DeploymentRecord) => record.codeDeployId?.toUpperCase() === id.toUpperCase();
  try {
    const listed = await listRecords(deps.lambda, {
      stopAt: (l) => names(l.record),
      ...(signal ? { signal } : {}),
      onError: ({ functionName, alias, error }) => {
        // A record that does not decode names no deployment; a read the signal cut is not a failure.
        if (alias !== undefined || signal?.aborted) return;
        unread.count++;
        unread.first ??= `${functionName}: ${describeError(error)}`;
      },
      onProgress: (done, total) => {
        unread.total = total;
        if (!signal?.aborted) read = done;
        if (done === 0) {
          logInfo(
            deps,
            `codedeploy: looking for an lshift record naming ${echoInput(id)} in the tags of ${total} function${total === 1 ? '' : 's'}`,
          );
        } else if (!signal?.aborted && done % PROGRESS_EVERY === 0 && done < total) {
          logInfo(
            deps,
            `codedeploy: ${done} of ${total} functions read, no lshift record names ${echoInput(id)} yet`,
          );
        }
      },
    });
    const named = listed.find((l) => names(l.record));
    return {
      ...(named ? { named } : {}),
      unread,
      ...(signal?.aborted && !named ? { interruptedAt: read } : {}),
    };
  } catch (error) {
    // ListFunctions itself failed: no function could be read.
    return { unread: { count: 1, total: 1, first: `ListFunctions: ${describeError(error)}` } };
  }
}

/**
 * CodeDeploy's own error when no record names the id; when some functions could not be read it
 * says so, since the record may be on one of them (the id is then not necessarily mistyped).
 */
function withUnreadFunctions(error: unknown, search: Search): unknown {
  const { count, total, first } = search.unread;
  if (!(error instanceof LshiftError)) return error;
  if (search.interruptedAt !== undefined) {
    return new LshiftError(error.code, error.message, {
      exitCode: error.exitCode,
      context: error.context,
      cause: error,
      hint: `Interrupted while looking for an lshift record naming it, after ${search.interruptedAt} of ${total} functions: none of those names it. ${error.hint ?? ''}`.trim(),
    });
  }
  if (count === 0) return error;
  const which = first?.startsWith('ListFunctions:')
    ? `the functions could not be listed (${first})`
    : `the tags of ${count} of ${total} functions could not be read (${first}${count > 1 ? ', …' : ''})`;
  return new LshiftError(error.code, error.message, {
    exitCode: error.exitCode,
    context: error.context,
    cause: error,
    hint: `No lshift record in reach names it, but ${which}: a record naming it may be on one of them. ${error.hint ?? ''}`.trim(),
  });
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
