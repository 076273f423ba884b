/**
 * Publish use-case: optionally upload code, wait until Lambda has applied it, publish an
 * immutable version pinned to exactly that code (CodeSha256 + RevisionId) and wait until the
 * version is Active. Ports only; the adapter maps AWS errors.
 */
import { UsageError } from '../domain/errors.js';
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

async function uploadCode(deps: PublishDeps, functionName: string, source: CodeSource): Promise<void> {
  let latest = await deps.lambda.getFunction(functionName);
  checkPackageType(latest, source);
  // UpdateFunctionCode is refused (409) while an earlier update is still being applied.
  if (latest.lastUpdateStatus === 'InProgress') latest = await deps.lambda.waitUntilUpdated(functionName);
  // A lost answer is its own upload, not someone else's change, when `$LATEST` says so.
  const updated = await updateCodeConfirmed(deps, functionName, latest, source);
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
  if (source) await uploadCode(deps, functionName, source);
  await deps.lambda.waitUntilUpdated(functionName);
  await req.beforePublish?.();
  // Read $LATEST after the wait: CodeSha256 + RevisionId pin the version to exactly this code
  // and config; if someone changes the function in between, PublishVersion fails with 412.
  const latest = await deps.lambda.getFunction(functionName);
  // A lost answer is its own publish, not someone else's change, when the versions say so.
  const published = await publishConfirmed(deps, { ...latest, functionName }, req.description);
  await deps.lambda.waitUntilActive(functionName, published.version);
  deps.events.emit({
    type: 'publish.completed',
    at: deps.clock.now(),
    functionName,
    version: published.version,
    created: published.created,
  });
  return published;
}
