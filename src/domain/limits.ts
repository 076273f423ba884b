/**
 * Lambda service limits worth checking before a deploy, so a doomed upload fails in
 * milliseconds with a clear message instead of after a slow request.
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
import { UsageError } from './errors.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const LAMBDA_LIMITS = {
  memoryMinMb: 128,
  memoryMaxMb: 10_240,
  timeoutMaxSeconds: 900,
  /** Direct upload (UpdateFunctionCode ZipFile); larger archives must go through S3. */
  zipUploadBytes: 50 * MiB,
  /** Deployment package unzipped, layers included. */
  unzippedBytes: 250 * MiB,
  imageBytes: 10 * GiB,
  syncPayloadBytes: 6 * MiB,
  asyncPayloadBytes: 256 * 1024,
  ephemeralStorageDefaultMb: 512,
  ephemeralStorageMaxMb: 10_240,
} as const;

/** `52428800` → `50.0 MB` (binary megabytes, as the Lambda console and docs count them). */
export function formatBytes(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(1)} GB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** Throws UsageError `ZIP_TOO_LARGE` when a zip cannot be uploaded directly. */
export function checkZipSize(bytes: number, fileName = 'the zip'): void {
  if (bytes <= LAMBDA_LIMITS.zipUploadBytes) return;
  throw new UsageError(
    'ZIP_TOO_LARGE',
    `${fileName} is ${formatBytes(bytes)} (${bytes} bytes); Lambda accepts at most ` +
      `${formatBytes(LAMBDA_LIMITS.zipUploadBytes)} (${LAMBDA_LIMITS.zipUploadBytes} bytes) for a direct upload.`,
    { hint: 'Upload the zip to S3 and deploy with --s3-bucket and --s3-key instead of --zip.' },
  );
}

/** Returns a problem description, or undefined when the memory size is allowed. */
export function checkMemorySize(mb: number): string | undefined {
  if (Number.isInteger(mb) && mb >= LAMBDA_LIMITS.memoryMinMb && mb <= LAMBDA_LIMITS.memoryMaxMb) {
    return undefined;
  }
  return `memory ${mb} MB is outside ${LAMBDA_LIMITS.memoryMinMb}–${LAMBDA_LIMITS.memoryMaxMb} MB`;
}

/** Returns a problem description, or undefined when the timeout is allowed. */
export function checkTimeout(seconds: number): string | undefined {
  if (Number.isInteger(seconds) && seconds >= 1 && seconds <= LAMBDA_LIMITS.timeoutMaxSeconds) {
    return undefined;
  }
  return `timeout ${seconds} s is outside 1–${LAMBDA_LIMITS.timeoutMaxSeconds} s`;
}
