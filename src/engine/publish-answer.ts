/**
 * PublishVersion whose answer was lost. Lambda applies a PublishVersion and gives `$LATEST` a new
 * RevisionId; when the answer never comes (a timeout, a connection cut mid-request), the SDK sends
 * it again with the old RevisionId and Lambda answers 412 (FUNCTION_CHANGED_ON_RETRY), or every
 * attempt goes unanswered (NETWORK_ERROR). Neither means someone else changed the function (found
 * by a hostile pass: exit 5, "Someone else changed function demo", after lshift's own publish).
 *
 * The versions tell: PublishVersion makes a new version only when `$LATEST`'s code or
 * configuration changed since the newest one, and otherwise returns that newest one
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html). So when the newest
 * version holds exactly the code, settings and description lshift was publishing, it is the
 * version this publish gave (or would give, run again), and the deploy goes on with it. When it
 * does not, or the versions cannot be read, nobody knows: PUBLISH_UNANSWERED (exit 1) says a
 * version may have been published and no alias was touched.
 */
import { isLshiftError, OperationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { FunctionInfo, LambdaPort, PublishedVersion } from '../ports/lambda.js';
import { describeError, logInfo } from './emit.js';
import { differentSettings, readNewestVersion } from './publish-forecast.js';
import { mayHaveLanded } from './write-answer.js';

export interface PublishAnswerDeps {
  lambda: LambdaPort;
  clock: Clock;
  events: EventSink;
}

/** PublishVersion pinned to `latest` (its CodeSha256 and RevisionId); a lost answer is settled by reads. */
export async function publishConfirmed(
  deps: PublishAnswerDeps,
  latest: FunctionInfo,
  description: string | undefined,
): Promise<PublishedVersion> {
  const functionName = latest.functionName;
  try {
    return await deps.lambda.publishVersion(functionName, {
      codeSha256: latest.codeSha256,
      revisionId: latest.revisionId,
      description,
    });
  } catch (error) {
    if (!isPublishUnanswered(error)) throw error;
    const found = await findOwnVersion(deps.lambda, latest, description).catch(
      (read: unknown) => `the versions could not be read (${describeError(read)})`,
    );
    if (typeof found === 'string') throw publishUnanswered(functionName, error, found);
    logInfo(
      deps,
      `PublishVersion on ${functionName} got no answer (${describeError(error)}); version ${found.version}, the newest, holds exactly the code and configuration lshift published: going on with it.`,
    );
    // A 412 to the retry: `$LATEST`'s RevisionId moved, so the lost attempt made that version.
    const created = isRetried412(error) || (await revisionMoved(deps.lambda, latest));
    return { functionName, version: found.version, codeSha256: found.codeSha256, created };
  }
}

/**
 * PublishVersion's own error whose answer never came, not a read's (the adapter lists the
 * versions first) nor a refusal AWS made before acting. A Ctrl-C (INTERRUPTED) stays what it is:
 * the person asked to stop, not to be told about versions.
 */
function isPublishUnanswered(error: unknown): boolean {
  if (isRetried412(error)) return true;
  if (!mayHaveLanded(error) || (isLshiftError(error) && error.code === 'INTERRUPTED')) return false;
  const action = isLshiftError(error) ? error.context.action : undefined;
  return action === undefined || action === 'lambda:PublishVersion';
}

function isRetried412(error: unknown): boolean {
  return isLshiftError(error) && error.code === 'FUNCTION_CHANGED_ON_RETRY';
}

/** The newest version when it is the one publishing `latest` gives; else why not (a sentence part). */
async function findOwnVersion(
  lambda: LambdaPort,
  latest: FunctionInfo,
  description: string | undefined,
): Promise<FunctionInfo | string> {
  const newest = await readNewestVersion({ lambda }, latest.functionName);
  if (!newest) return 'the function has no published version';
  const what = `the newest version, ${newest.version},`;
  if (newest.codeSha256 !== latest.codeSha256) return `${what} holds other code`;
  const settings = differentSettings(latest, newest);
  if (settings.length > 0) return `${what} differs in ${settings.join(', ')}`;
  // PublishVersion's Description, else the function's (limits.ts checkVersionDescription).
  if ((newest.description ?? '') !== (description ?? latest.description ?? ''))
    return `${what} has another description`;
  return newest;
}

/** `$LATEST`'s RevisionId moved since `latest`: a version was published from it. Unreadable: false. */
async function revisionMoved(lambda: LambdaPort, latest: FunctionInfo): Promise<boolean> {
  const now = await lambda.getFunction(latest.functionName).catch(() => undefined);
  return now !== undefined && now.revisionId !== latest.revisionId;
}

function publishUnanswered(functionName: string, error: unknown, why: string): OperationError {
  return new OperationError(
    'PUBLISH_UNANSWERED',
    `PublishVersion on function ${functionName} got no answer (${describeError(error)}), so it may have published a version all the same, and lshift cannot tell which: ${why}. No alias was touched.`,
    {
      context: { functionName, action: 'lambda:PublishVersion' },
      hint: `Run the same command again: Lambda returns the version already published when the code and configuration have not changed, so no second version is made. \`aws lambda list-versions-by-function --function-name ${functionName}\` lists the versions.`,
      cause: error,
    },
  );
}
