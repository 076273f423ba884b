/**
 * Publish use-case: optionally upload code, wait until Lambda has applied it, publish an
 * immutable version pinned to exactly that code (CodeSha256 + RevisionId) and wait until the
 * version is Active. Ports only; the adapter maps AWS errors.
 */
import { isLshiftError, OperationError, UsageError, withHint } from '../domain/errors.js';
import { checkVersionDescription, checkZipSize } from '../domain/limits.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { CodeSource, FunctionInfo, LambdaPort, PublishedVersion } from '../ports/lambda.js';
import { updateCodeConfirmed } from './code-answer.js';
import { publishConfirmed } from './publish-answer.js';

export interface PublishDeps {
  lambda: LambdaPort;
  clock: Clock;
  events: EventSink;
}

export interface PublishRequest {
  functionName: string;
  source?: CodeSource;
  description?: string;
  /** Runs once the code is applied, before PublishVersion: a last check that may refuse. */
  beforePublish?: () => Promise<void>;
  /**
   * `lshift publish`'s Ctrl-C/SIGTERM: checked before each call (the call in flight is abandoned
   * by the AWS adapter), so an interrupt stops the publish with INTERRUPTED saying what changed.
   */
  signal?: AbortSignal;
  /** How far the publish got, kept up to date for whoever reads it (a second signal's lines). */
  changes?: PublishChanges;
}

/** Follows a publish of `functionName` from its start (publishFunction's `changes`). */
export function startPublishChanges(functionName: string, rerun: 'deploy' | 'publish'): PublishChanges {
  return { functionName, step: 'reading', rerun };
}

/** Checks that need no AWS call (zip size), run before the first request. Throws UsageError. */
export function checkSource(source: CodeSource | undefined): void {
  if (source?.kind === 'zip') checkZipSize(source.zipFile.byteLength, source.fileName);
}

/** An image can only replace an image, a zip/S3 archive only a zip (Lambda's PackageType is fixed). */
export function checkPackageType(latest: FunctionInfo, source: Pick<CodeSource, 'kind'>): void {
  const wanted = source.kind === 'image' ? 'Image' : 'Zip';
  if (latest.packageType === wanted) return;
  const flag =
    source.kind === 'image' ? '--image-uri' : source.kind === 'zip' ? '--zip' : '--s3-bucket/--s3-key';
  throw new UsageError(
    'PACKAGE_TYPE_MISMATCH',
    `Function ${latest.functionName || 'the function'} is ${latest.packageType === 'Image' ? 'an' : 'a'} ${latest.packageType} function; ${flag} gives ${wanted} code.`,
    {
      context: { functionName: latest.functionName },
      hint: latest.packageType === 'Image' ? 'Use --image-uri.' : 'Use --zip or --s3-bucket/--s3-key.',
    },
  );
}

async function uploadCode(
  deps: PublishDeps,
  functionName: string,
  source: CodeSource,
  changed: PublishChanges,
  signal: AbortSignal | undefined,
): Promise<void> {
  let latest = await deps.lambda.getFunction(functionName);
  checkPackageType(latest, source);
  // UpdateFunctionCode is refused (409) while an earlier update is still being applied.
  if (latest.lastUpdateStatus === 'InProgress') latest = await deps.lambda.waitUntilUpdated(functionName);
  stopIfInterrupted(signal, changed);
  changed.step = 'uploading';
  // A lost answer is its own upload, not someone else's change, when `$LATEST` says so.
  const updated = await updateCodeConfirmed(deps, functionName, latest, source);
  changed.codeSha256 = updated.codeSha256;
  changed.step = 'uploaded';
  deps.events.emit({
    type: 'publish.code-updated',
    at: deps.clock.now(),
    functionName,
    codeSha256: updated.codeSha256,
  });
}

export async function publishFunction(deps: PublishDeps, req: PublishRequest): Promise<PublishedVersion> {
  const { functionName, source } = req;
  checkSource(source);
  checkVersionDescription(req.description);
  deps.events.emit({ type: 'publish.started', at: deps.clock.now(), functionName });
  const changed = req.changes ?? startPublishChanges(functionName, 'deploy');
  const { signal } = req;
  const published = await sayWhatChanged(changed, async () => {
    stopIfInterrupted(signal, changed);
    if (source) await uploadCode(deps, functionName, source, changed, signal);
    stopIfInterrupted(signal, changed);
    await deps.lambda.waitUntilUpdated(functionName);
    await req.beforePublish?.();
    stopIfInterrupted(signal, changed);
    // Read $LATEST after the wait: CodeSha256 + RevisionId pin the version to exactly this code
    // and config; if someone changes the function in between, PublishVersion fails with 412.
    const latest = await deps.lambda.getFunction(functionName);
    stopIfInterrupted(signal, changed);
    changed.step = 'publishing';
    // A lost answer is its own publish, not someone else's change, when the versions say so.
    const version = await publishConfirmed(deps, { ...latest, functionName }, req.description);
    changed.step = 'published';
    changed.version = version.version;
    await deps.lambda.waitUntilActive(functionName, version.version);
    return version;
  });
  deps.events.emit({
    type: 'publish.completed',
    at: deps.clock.now(),
    functionName,
    version: published.version,
    created: published.created,
  });
  return published;
}

/** How far a publish got, for what an interrupt leaves changed (sayWhatChanged). */
export interface PublishChanges {
  functionName: string;
  step: 'reading' | 'uploading' | 'uploaded' | 'publishing' | 'published';
  codeSha256?: string;
  version?: string;
  /** The command to run again, named in the hint. */
  rerun: 'deploy' | 'publish';
}

/**
 * An interrupt that came between two calls (the adapter abandons only a call in flight): the
 * publish stops before its next call, as INTERRUPTED; sayWhatChanged says what had changed.
 */
function stopIfInterrupted(signal: AbortSignal | undefined, changed: PublishChanges): void {
  if (!signal?.aborted) return;
  const why = signal.reason instanceof Error ? signal.reason.message : 'interrupted';
  throw new OperationError(
    'INTERRUPTED',
    `${why}: lshift stopped publishing function ${changed.functionName} before its next call.`,
    { context: { functionName: changed.functionName }, hint: READ_ONLY_HINT },
  );
}

export const READ_ONLY_HINT = 'It only read: nothing was changed.';

/**
 * A publish interrupted once it may have changed the function: the abandoned call's own hint ("It
 * only read: nothing was changed", "run `lshift status` to see the alias") is replaced by what
 * had changed — the code of `$LATEST` (unqualified invokes run it), maybe a version — and that
 * no alias moved. Found by a hostile pass: SIGHUP after "publish: code updated" said nothing was
 * changed, and one during the upload pointed at the alias. One before the upload keeps its hint.
 * Only an abandoned call (a signal): every other error's hint says what went wrong and what to
 * do (a 412: someone changed the function).
 */
async function sayWhatChanged<T>(changed: PublishChanges, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isLshiftError(error) || error.code !== 'INTERRUPTED' || changed.step === 'reading') throw error;
    throw withHint(error, describeWhatChanged(changed));
  }
}

/** What an interrupted publish may have changed, in one sentence (a second signal's line too). */
export function describePublishChanges(changed: PublishChanges): string {
  return changed.step === 'reading' ? READ_ONLY_HINT : describeWhatChanged(changed);
}

function describeWhatChanged(changed: PublishChanges): string {
  const fn = changed.functionName;
  const code =
    changed.step === 'uploading'
      ? `The code of function ${fn} ($LATEST) may have been replaced: unqualified invokes would run it. `
      : changed.codeSha256
        ? `lshift had already replaced the code of function ${fn} ($LATEST, CodeSha256 ${changed.codeSha256}): unqualified invokes run it. `
        : '';
  const version =
    changed.version !== undefined
      ? `Version ${changed.version} of ${fn} was published, and no alias routes to it; `
      : changed.step === 'publishing'
        ? `A version of ${fn} may have been published (\`aws lambda list-versions-by-function --function-name ${fn}\` lists them); `
        : 'No version was published; ';
  const again =
    changed.rerun === 'deploy'
      ? 'Run the same deploy again: it reuses the code and any version already published.'
      : `Run the same publish again: ${changed.step === 'uploading' || changed.codeSha256 ? 'it uploads the same code, and ' : ''}Lambda returns the version already published when nothing changed since.`;
  return `${code}${version}no alias moved. ${again}`;
}
