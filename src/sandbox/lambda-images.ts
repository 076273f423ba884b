/**
 * Container images in the sandbox: a tiny registry (tag → digest, set by `POST /__lshift/images`
 * as a `docker push` would), resolving an ImageUri the way Lambda does when the code is set
 * (GetFunction's `Code.ResolvedImageUri`, https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html),
 * ImageConfig, and the optimisation a new image goes through: "After you upload a new or updated
 * container image, Lambda optimizes the image before the function can process invocations … The
 * function remains in the Pending state until the process completes"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-images.html). Here a published image
 * version is Pending until it is read once (one waiter poll) or IMAGE_OPTIMIZE_MS of simulated
 * time pass, whichever comes first: never a wall-clock race.
 */
import { createHash } from 'node:crypto';
import { lambdaErrors } from './api-error.js';
import { hasOwn, setOwn } from './own.js';
import type { Sandbox } from './sandbox.js';
import type { FunctionConfig, ImageConfigData } from './types.js';

/** Simulated ms a new image version stays Pending when nobody reads it. */
export const IMAGE_OPTIMIZE_MS = 8_000;

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>` then `:tag` or `@sha256:<hex>`. */
const ECR_URI =
  /^(\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/[a-z0-9._/-]+)(?::([\w.-]{1,128})|@(sha256:[0-9a-f]{64}))$/;

export interface ResolvedImage {
  imageUri: string;
  resolvedImageUri: string;
  /** Hex of the digest: Lambda's CodeSha256 of an image function. */
  digestHex: string;
}

export function resolveImage(sb: Sandbox, uri: string): ResolvedImage {
  const m = ECR_URI.exec(uri);
  if (!m) {
    throw lambdaErrors.invalidParameter(`Source image ${uri} is not valid. Provide a valid source image.`);
  }
  const [, repo, tag, digest] = m;
  const images = sb.data.images ?? {};
  // An unpushed tag resolves to a digest derived from its name: stable across runs.
  const resolved =
    digest ??
    (tag !== undefined && hasOwn(images, uri)
      ? images[uri]!
      : `sha256:${createHash('sha256').update(uri).digest('hex')}`);
  return { imageUri: uri, resolvedImageUri: `${repo}@${resolved}`, digestHex: resolved.slice(7) };
}

/** `POST /__lshift/images {"uri": "<repo>:<tag>", "digest": "sha256:<hex>"}`: point a tag at a digest. */
export function pushImage(sb: Sandbox, body: Record<string, unknown>): { uri: string; digest: string } {
  const { uri, digest } = body;
  if (typeof uri !== 'string' || !ECR_URI.exec(uri)?.[2])
    throw new Error(
      '`uri` must be an ECR image URI with a tag (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>)',
    );
  if (typeof digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new Error('`digest` must be sha256:<64 hex digits>');
  sb.data.images ??= {};
  setOwn(sb.data.images, uri, digest);
  sb.markDirty();
  return { uri, digest };
}

/** ImageConfig of CreateFunction / UpdateFunctionConfiguration (https://docs.aws.amazon.com/lambda/latest/api/API_ImageConfig.html). */
export function readImageConfig(raw: unknown): ImageConfigData {
  const input = (raw ?? {}) as Record<string, unknown>;
  const out: ImageConfigData = {};
  const list = (value: unknown, field: string): string[] => {
    if (!Array.isArray(value) || value.length > 1500)
      throw lambdaErrors.validation(
        `1 validation error detected: Value at 'imageConfig.${field}' failed to satisfy constraint: Member must have length less than or equal to 1500`,
      );
    return value.map(String);
  };
  if (input.EntryPoint !== undefined) out.EntryPoint = list(input.EntryPoint, 'entryPoint');
  if (input.Command !== undefined) out.Command = list(input.Command, 'command');
  if (input.WorkingDirectory !== undefined)
    out.WorkingDirectory = String(input.WorkingDirectory).slice(0, 1000);
  return out;
}

/** A version just published from an image starts Pending while Lambda optimises it. */
export function startOptimizing(sb: Sandbox, config: FunctionConfig): void {
  if (config.packageType === 'Image') config.optimizedAtMs = sb.simNow() + IMAGE_OPTIMIZE_MS;
}

/** Ends the optimisation when its simulated time has come, or on a read (a waiter poll). */
export function refreshOptimization(sb: Sandbox, config: FunctionConfig, read: boolean): void {
  if (config.optimizedAtMs === undefined) return;
  if (read || sb.simNow() >= config.optimizedAtMs) {
    delete config.optimizedAtMs;
    sb.markDirty();
  }
}
