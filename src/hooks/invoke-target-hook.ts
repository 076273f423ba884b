/**
 * The built-in smoke hook `invoke-target:<payload file>[x<count>]`: invokes the NEW version
 * directly (qualifier = target version, not the alias, so the calls do not count toward the
 * alias's traffic metrics) `count` times, one after another, and fails on the first function error.
 */
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { echoInput } from '../domain/echo.js';
import { describeNotRegularFile } from '../domain/file-kind.js';
import { describeSyntaxError } from '../domain/file-syntax.js';
import type { HookPayload, HookSpec } from '../ports/hooks.js';
import { formatTimeout, runWithDeadline } from './deadline.js';
import { describeThrown } from './hook-output.js';
import type { HookLambda, HookOutcome, HookRunContext } from './hook-types.js';
import { describeFunctionError, isSuccessStatus, responseHead } from './lambda-response.js';
import { isReleasePayload } from './payload-kind.js';

/** Lambda's limit for a synchronous request payload. */
export const MAX_SYNC_PAYLOAD_BYTES = 6 * 1024 * 1024;

export type PayloadFileResult = { ok: true; body: string } | { ok: false; reason: string };

/** Reads and checks an invoke-target payload file (relative to `cwd`). Never throws. */
export async function readInvokeTargetPayload(payloadFile: string, cwd: string): Promise<PayloadFileResult> {
  const path = resolve(cwd, payloadFile);
  // Cut as every echoed input is (docs/exit-codes.md): a path of 120,000 characters was repeated whole.
  const named = echoInput(payloadFile);
  let read: BoundedRead;
  try {
    read = await readRegularFile(path, MAX_SYNC_PAYLOAD_BYTES);
  } catch (error) {
    return { ok: false, reason: describeReadError(named, echoInput(path), error) };
  }
  if (read.kind === 'not-a-file') {
    return {
      ok: false,
      reason: `payload file ${named} ${describeNotRegularFile(read.stats)}`,
    };
  }
  if (read.kind === 'too-large') {
    return {
      ok: false,
      reason: `payload file ${named} is larger than Lambda's 6 MB limit for a synchronous invoke`,
    };
  }
  // A byte order mark (Notepad's UTF-8) is no JSON token: Lambda gets the JSON without it.
  const body = read.body.replace(/^\uFEFF/, '');
  try {
    JSON.parse(body);
  } catch (error) {
    // Never JSON.parse's own message: it quotes the file, which may be a secret (/etc/passwd).
    return {
      ok: false,
      reason: `payload file ${named} is not valid JSON (${describeSyntaxError(body, error)}); Lambda accepts only JSON payloads`,
    };
  }
  return { ok: true, body };
}

export async function runInvokeTargetHook(
  spec: Extract<HookSpec, { kind: 'invoke-target' }>,
  payload: HookPayload,
  ctx: HookRunContext,
  deps: { cwd: string; getLambda: () => Promise<HookLambda> },
): Promise<HookOutcome> {
  const file = await readInvokeTargetPayload(spec.payloadFile, deps.cwd);
  if (!file.ok) return { ok: false, reason: file.reason };
  const targets = newVersionsOf(payload);
  let target = targets[0]!;
  let current = 0;
  const invokeAll = async (signal: AbortSignal): Promise<HookOutcome> => {
    const lambda = await deps.getLambda();
    for (target of targets) {
      for (current = 1; current <= spec.count; current++) {
        if (signal.aborted) return { ok: false, reason: 'aborted' };
        const which = describeCall(current, spec.count, formatVersion(target));
        const failure = await invokeOnce(lambda, target, file.body, which, ctx.mask);
        if (failure !== undefined) return failure;
      }
    }
    return { ok: true };
  };
  const shown = () => formatVersion(target);
  try {
    const outcome = await runWithDeadline(invokeAll, ctx.timeoutMs, ctx.signal);
    if (outcome.kind === 'done') return outcome.value;
    const during =
      spec.count > 1 && current >= 1 && current <= spec.count
        ? ` during invocation ${current} of ${spec.count}`
        : '';
    if (outcome.kind === 'aborted') return { ok: false, reason: `invoking ${shown()} was aborted${during}` };
    return {
      ok: false,
      reason: `invoking ${shown()} timed out after ${formatTimeout(ctx.timeoutMs)}${during}`,
    };
  } catch (error) {
    return { ok: false, reason: `could not invoke ${shown()}: ${describeThrown(error)}` };
  }
}

interface NewVersion {
  functionName: string;
  targetVersion: string;
}

/** The new versions to smoke-test: the function's, or, for a hook of a whole release, each function's in turn. */
function newVersionsOf(payload: HookPayload): NewVersion[] {
  return isReleasePayload(payload) ? payload.functions : [payload];
}

function formatVersion(v: NewVersion): string {
  return `${v.functionName}:${v.targetVersion}`;
}

async function invokeOnce(
  lambda: HookLambda,
  target: NewVersion,
  body: string,
  which: string,
  mask?: (line: string) => string,
): Promise<HookOutcome | undefined> {
  let result: Awaited<ReturnType<HookLambda['invoke']>>;
  try {
    result = await lambda.invoke(target.functionName, target.targetVersion, body);
  } catch (error) {
    return { ok: false, reason: `${which} failed: ${describeThrown(error)}` };
  }
  const outputTail = responseHead(result.payload, mask);
  if (result.functionError !== undefined && result.functionError !== '') {
    return { ok: false, reason: `${which} failed with a ${describeFunctionError(result, mask)}`, outputTail };
  }
  if (!isSuccessStatus(result.statusCode)) {
    return { ok: false, reason: `${which} answered with status code ${result.statusCode}`, outputTail };
  }
  return undefined;
}

/** `invocation 3 of 5 of my-fn:7`, or `invoking my-fn:7` when there is only one. */
function describeCall(index: number, count: number, target: string): string {
  return count === 1 ? `invoking ${target}` : `invocation ${index} of ${count} of ${target}`;
}

function describeReadError(payloadFile: string, path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return `payload file ${payloadFile} does not exist (looked for ${path})`;
  if (code === 'EISDIR') return `payload file ${payloadFile} is a directory, not a file`;
  if (code === 'EACCES' || code === 'EPERM')
    return `payload file ${payloadFile} is not readable (permission denied)`;
  return `payload file ${payloadFile} could not be read: ${describeThrown(error)}`;
}

type BoundedRead =
  | { kind: 'ok'; body: string }
  | { kind: 'not-a-file'; stats: Stats }
  | { kind: 'too-large' };

/**
 * Reads at most `limit` bytes of a regular file. A FIFO would block the read until someone writes
 * to it (lshift would hang before deploying), `/dev/zero` would never end: opened without blocking,
 * anything but a regular file is refused before a byte is read, and so is a file past the limit.
 */
async function readRegularFile(path: string, limit: number): Promise<BoundedRead> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'not-a-file', stats };
    if (stats.size > limit) return { kind: 'too-large' };
    // One byte over the limit tells a file that grew since the stat from one that fits exactly.
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit) return { kind: 'too-large' };
    return { kind: 'ok', body: buffer.subarray(0, length).toString('utf8') };
  } finally {
    await handle.close();
  }
}
