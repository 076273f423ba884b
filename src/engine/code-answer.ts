/**
 * UpdateFunctionCode whose answer was lost. lshift sends it with `$LATEST`'s RevisionId; when
 * Lambda applies it and the answer never comes (a timeout, a connection cut mid-request), the
 * SDK sends it again with that RevisionId, which lshift's own first attempt has just replaced:
 * the retry meets a 412 (FUNCTION_CHANGED_ON_RETRY), or a 409 while Lambda is still applying the
 * first (a retried FUNCTION_BUSY), or every attempt goes unanswered (NETWORK_ERROR). None of
 * these means someone else changed the function (it was exit 5, "another update is in
 * progress" or a RevisionId mismatch, after lshift's own upload).
 *
 * `$LATEST` tells: when it moved on from the RevisionId lshift sent, holds exactly the code
 * lshift uploaded (a zip's CodeSha256; an image's ImageUri and digest) and nothing else differs
 * from before (settings, role, description: UpdateFunctionCode changes none of them), the update
 * is lshift's own and the publish goes on. Otherwise nobody knows: CODE_UPDATE_UNANSWERED
 * (exit 1) says the code may have been updated, and that no version was published and no alias
 * touched. S3 code cannot be told: lshift never sees the object, so not its CodeSha256 either.
 */
import { isLshiftError, OperationError } from '../domain/errors.js';
import { digestOf } from '../domain/image.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { CodeSource, FunctionInfo, LambdaPort } from '../ports/lambda.js';
import { describeError, logInfo } from './emit.js';
import { differentSettings } from './publish-forecast.js';
import { mayHaveLanded } from './write-answer.js';

export interface CodeAnswerDeps {
  lambda: LambdaPort;
  clock: Clock;
  events: EventSink;
}

/** UpdateFunctionCode pinned to `before`'s RevisionId; a lost answer is settled by reading `$LATEST`. */
export async function updateCodeConfirmed(
  deps: CodeAnswerDeps,
  functionName: string,
  before: FunctionInfo,
  source: CodeSource,
): Promise<FunctionInfo> {
  try {
    return await deps.lambda.updateCode(functionName, source, before.revisionId || undefined);
  } catch (error) {
    if (!isUpdateUnanswered(error)) throw error;
    const found = await findOwnCode(deps.lambda, functionName, before, source).catch(
      (read: unknown) => `$LATEST could not be read (${describeError(read)})`,
    );
    if (typeof found === 'string') throw codeUpdateUnanswered(functionName, error, found);
    logInfo(
      deps,
      `UpdateFunctionCode on ${functionName} got no answer${describeUnanswered(error)}; $LATEST holds exactly the code lshift uploaded (${describeSource(source)}) and nothing else changed: it was lshift's own update, going on.`,
    );
    return found;
  }
}

/**
 * UpdateFunctionCode's own error after which it may have been applied: a 412 or 409 to the SDK's
 * retry, or no answer. A 412 or 409 to the only attempt is someone else's (nothing was applied),
 * and a Ctrl-C (INTERRUPTED) stays what it is: the person asked to stop.
 */
function isUpdateUnanswered(error: unknown): boolean {
  // Not mapped by the adapter: nothing says it was not applied (write-answer.ts).
  if (!isLshiftError(error)) return true;
  if (error.code === 'FUNCTION_CHANGED_ON_RETRY') return true;
  if (error.code === 'FUNCTION_BUSY') return error.context.retried === true;
  if (!mayHaveLanded(error) || error.code === 'INTERRUPTED') return false;
  const action = error.context.action;
  return action === undefined || action === 'lambda:UpdateFunctionCode';
}

/** `$LATEST` when it is exactly what lshift's upload makes of `before`; else why not (a sentence part). */
async function findOwnCode(
  lambda: LambdaPort,
  functionName: string,
  before: FunctionInfo,
  source: CodeSource,
): Promise<FunctionInfo | string> {
  if (source.kind === 's3')
    return `the code came from ${describeSource(source)}, whose CodeSha256 lshift does not know`;
  const now = await lambda.getFunction(functionName);
  // Unchanged: no attempt has landed yet, and one may still (a request AWS has not applied yet).
  if (now.revisionId === before.revisionId)
    return `$LATEST still has the RevisionId it had before the update (${now.revisionId}), so the update may yet be applied`;
  const code = await differentCode(lambda, functionName, now, source);
  if (code) return code;
  const settings = differentSettings(before, now);
  if (settings.length > 0)
    return `$LATEST holds that code but differs in ${settings.join(', ')} from before the update, which UpdateFunctionCode does not change`;
  if ((now.description ?? '') !== (before.description ?? ''))
    return '$LATEST holds that code but has another description than before the update';
  return now;
}

/** Why `$LATEST` does not hold the code of `source`, or undefined when it does. */
async function differentCode(
  lambda: LambdaPort,
  functionName: string,
  now: FunctionInfo,
  source: Exclude<CodeSource, { kind: 's3' }>,
): Promise<string | undefined> {
  if (source.kind === 'zip') {
    if (source.codeSha256 === undefined) return 'lshift does not know the CodeSha256 of the package';
    return now.codeSha256 === source.codeSha256
      ? undefined
      : `$LATEST holds other code (CodeSha256 ${now.codeSha256}, lshift uploaded ${source.codeSha256})`;
  }
  // An image: GetFunction's Code has the URI as given; a digest URI must have resolved to itself.
  const location = await lambda.getCodeLocation(functionName);
  const wanted = digestOf(source.imageUri);
  if (location.imageUri === source.imageUri && (!wanted || wanted === digestOf(location.resolvedImageUri)))
    return undefined;
  return `$LATEST holds other code (image ${location.resolvedImageUri ?? location.imageUri ?? 'unknown'}, lshift uploaded ${source.imageUri})`;
}

function describeSource(source: CodeSource): string {
  if (source.kind === 's3') return `s3://${source.bucket}/${source.key}`;
  if (source.kind === 'image') return `image ${source.imageUri}`;
  return `${source.fileName}, CodeSha256 ${source.codeSha256 ?? 'unknown'}`;
}

/** How the answer went missing, to follow "got no answer": the retry's 412/409 are not conflicts. */
function describeUnanswered(error: unknown): string {
  if (isLshiftError(error) && error.code === 'FUNCTION_CHANGED_ON_RETRY')
    return " and the SDK's retry met a RevisionId mismatch (412)";
  if (isLshiftError(error) && error.code === 'FUNCTION_BUSY')
    return " and the SDK's retry found an update in progress (409)";
  return ` (${describeError(error)})`;
}

function codeUpdateUnanswered(functionName: string, error: unknown, why: string): OperationError {
  return new OperationError(
    'CODE_UPDATE_UNANSWERED',
    `UpdateFunctionCode on function ${functionName} got no answer${describeUnanswered(error)}, so it may have updated the code all the same, and lshift cannot tell: ${why}. No version was published and no alias was touched.`,
    {
      context: { functionName, action: 'lambda:UpdateFunctionCode' },
      hint: `Run the same command again: it reads $LATEST afresh and uploads the code again. \`aws lambda get-function-configuration --function-name ${functionName}\` shows what $LATEST holds now.`,
      cause: error,
    },
  );
}
