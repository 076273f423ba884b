/**
 * `http(s)://` hooks: POST the JSON payload; a 2xx status passes. Redirects are not followed
 * (a 302 after a POST would silently turn into a GET), so a 3xx fails and says so.
 */
import { redactUrl } from '../domain/hook-spec.js';
import type { HookPayload, HookSpec } from '../ports/hooks.js';
import { type DeadlineOutcome, formatTimeout, runWithDeadline } from './deadline.js';
import { describeThrown, firstLineOf, HEAD_CHARS, headOf } from './hook-output.js';
import type { HookOutcome, HookRunContext } from './hook-types.js';
import { isReleasePayload } from './payload-kind.js';

interface HttpReply {
  status: number;
  statusText: string;
  bodyHead: string;
}

export async function runHttpHook(
  spec: Extract<HookSpec, { kind: 'http' }>,
  payload: HookPayload,
  ctx: HookRunContext,
): Promise<HookOutcome> {
  const shown = redactUrl(spec.url);
  let outcome: DeadlineOutcome<HttpReply>;
  try {
    outcome = await runWithDeadline(
      (signal) => postPayload(spec.url, payload, signal),
      ctx.timeoutMs,
      ctx.signal,
    );
  } catch (error) {
    return { ok: false, reason: `POST ${shown} failed: ${describeThrown(error)}` };
  }
  if (outcome.kind === 'timeout') {
    return { ok: false, reason: `POST ${shown} timed out after ${formatTimeout(ctx.timeoutMs)}` };
  }
  if (outcome.kind === 'aborted') return { ok: false, reason: `POST ${shown} was aborted` };
  return describeReply(outcome.value, ctx.mask);
}

async function postPayload(url: string, payload: HookPayload, signal: AbortSignal): Promise<HttpReply> {
  const { target, authorization } = splitCredentials(url);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/plain;q=0.9, */*;q=0.8',
    'user-agent': 'lshift-hook',
    'x-lshift-phase': payload.phase,
    ...(isReleasePayload(payload)
      ? { 'x-lshift-release-id': payload.releaseId }
      : { 'x-lshift-deployment-id': payload.deploymentId }),
  };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(target, {
    method: 'POST',
    headers,
    body: JSON.stringify(payload),
    redirect: 'manual',
    signal,
  });
  const ok = response.status >= 200 && response.status < 300;
  const bodyHead = ok ? '' : await readBodyHead(response, HEAD_CHARS * 2);
  if (ok) await response.body?.cancel().catch(() => undefined);
  return { status: response.status, statusText: response.statusText, bodyHead };
}

/**
 * fetch refuses URLs with userinfo; `https://user:pw@host/` becomes a Basic Authorization
 * header, the usual meaning of such a URL.
 */
function splitCredentials(url: string): { target: string; authorization?: string } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { target: parsed.href };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  const token = Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
  return { target: parsed.href, authorization: `Basic ${token}` };
}

/** Reads at most `limit` bytes of the body, then lets the rest go. */
async function readBodyHead(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  while (bytes < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel().catch(() => undefined);
  return text + decoder.decode();
}

function describeReply(reply: HttpReply, mask?: (line: string) => string): HookOutcome {
  if (reply.status >= 200 && reply.status < 300) return { ok: true };
  const status = `HTTP ${reply.status}${reply.statusText === '' ? '' : ` ${reply.statusText}`}`;
  const redirect =
    reply.status >= 300 && reply.status < 400 ? ' (redirects are not followed; use the final URL)' : '';
  const excerpt = firstLineOf(reply.bodyHead, undefined, mask);
  const reason = `the endpoint answered ${status}${redirect}${excerpt === '' ? '' : `: ${excerpt}`}`;
  const outputTail = reply.bodyHead.trim() === '' ? undefined : headOf(reply.bodyHead, mask);
  return { ok: false, reason, outputTail };
}
