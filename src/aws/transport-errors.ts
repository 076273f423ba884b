/**
 * Errors where no AWS answer came back: the network failed, the endpoint did not answer in time
 * (src/aws/time-bounds.ts), or something other than AWS answered (an HTML error page).
 */
import { echoFirstBytes, echoInput } from '../domain/echo.js';
import { type LshiftError, OperationError } from '../domain/errors.js';
import {
  type AwsErrorContext,
  contextOf,
  describeTarget,
  type ErrorShape,
  readShape,
} from './error-shape.js';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
/** The connection broke after the request went out: the service may have acted on it. */
const CUT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'NetworkingError']);
/** `lambda:GetAlias`, `cloudwatch:DescribeAlarms`, `codedeploy:BatchGetDeployments`: they change nothing. */
const READ_OPERATION = /:(?:Get|List|Describe|BatchGet)[A-Z]/;

/** Whether the call only reads (whatever became of it, it changed nothing). */
export function isReadOperation(operation: string): boolean {
  return READ_OPERATION.test(operation);
}

/**
 * True when an endpoint answered with something that is not an AWS response (an HTML error
 * page from a proxy or load balancer): the SDK then throws its parser's SyntaxError with the
 * raw response in the hidden `$response` field.
 */
export function isForeignResponse(error: unknown): boolean {
  const s = readShape(error);
  return s.rawStatus !== undefined && (s.name === 'SyntaxError' || /deserialization error/i.test(s.message));
}

/**
 * True when what answered does not speak HTTP at all (an SSH or database port, a TCP server that
 * writes anything): Node's HTTP parser refuses the reply (`HPE_INVALID_CONSTANT`, "Parse Error:
 * Expected HTTP/"), and keeps its bytes in `rawPacket`. It read as an AWS_ERROR, "Read the AWS
 * message above" (found by a garbage-input pass).
 */
export function isNotHttp(error: unknown): boolean {
  const s = readShape(error);
  return s.status === undefined && s.code !== undefined && s.code.startsWith('HPE_');
}

/** Whether a mapped message should name the endpoint (set `endpoint` in the context then). */
export function needsEndpoint(error: unknown): boolean {
  return isNetworkError(error) || isForeignResponse(error);
}

/** True for errors where the request never got an HTTP answer (refused, DNS, reset, timeout, TLS, proxy). */
export function isNetworkError(error: unknown): boolean {
  const s = readShape(error);
  if (s.status !== undefined) return false;
  return (
    (s.code !== undefined && NETWORK_CODES.has(s.code)) ||
    isNotHttp(error) ||
    NETWORK_NAMES.has(s.name) ||
    isNameRefused(s) ||
    tlsFailure(s) !== undefined ||
    proxyRefusal(s) !== undefined
  );
}

/**
 * The resolver refused the endpoint's host name before any lookup (`getaddrinfo EINVAL`): longer
 * than DNS allows (253 characters, 63 a label). A hostile pass saw it reported as an AWS error
 * ("read the AWS message above") with a 100,000-character --endpoint-url.
 */
function isNameRefused(s: ErrorShape): boolean {
  return s.code === 'EINVAL' && s.message.startsWith('getaddrinfo ');
}

/**
 * Node.js's codes for a TLS handshake that failed: the certificate (a proxy or gateway that
 * inspects TLS shows its own), or no TLS at all (EPROTO: an http:// endpoint written https://).
 * https://nodejs.org/api/tls.html#x509-certificate-error-codes
 */
const CERTIFICATE_CODE =
  /^(?:ERR_TLS_CERT_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/;

function tlsFailure(s: ErrorShape): 'certificate' | 'protocol' | undefined {
  if (s.code === undefined) return undefined;
  if (CERTIFICATE_CODE.test(s.code)) return 'certificate';
  if (s.code === 'EPROTO' || s.code.startsWith('ERR_SSL_')) return 'protocol';
  return undefined;
}

/** hpagent's error when the proxy answers CONNECT with anything but 200 (src/aws/proxy-agent.ts). */
function proxyRefusal(s: ErrorShape): number | undefined {
  const match = /^Bad response: (\d{3})$/.exec(s.message);
  return s.code === undefined && match ? Number(match[1]) : undefined;
}

/** OpenSSL's reason (`wrong version number`) out of its long line, or Node.js's message. */
function tlsReason(s: ErrorShape): string {
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(s.message);
  return openssl ? openssl[1]!.trim() : s.message;
}

function mapTlsOrProxy(
  s: ErrorShape,
  ctx: AwsErrorContext,
  error: unknown,
  endpoint: string,
): LshiftError | undefined {
  const base = { context: contextOf(ctx), cause: error };
  const tls = tlsFailure(s);
  if (tls === 'certificate')
    return new OperationError(
      'NETWORK_ERROR',
      `The TLS certificate of ${endpoint} was not trusted for ${ctx.operation} on ${describeTarget(ctx)}: ${s.code} (${s.message}); nothing was sent.`,
      {
        ...base,
        hint: 'A proxy or gateway that inspects TLS shows its own certificate: give Node.js its CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem. Otherwise check --endpoint-url / AWS_ENDPOINT_URL.',
      },
    );
  if (tls === 'protocol')
    return new OperationError(
      'NETWORK_ERROR',
      `The TLS handshake with ${endpoint} failed for ${ctx.operation} on ${describeTarget(ctx)}: ${tlsReason(s)} (${s.code}); nothing was sent.`,
      {
        ...base,
        hint: 'An endpoint that does not speak TLS answers so: an http:// endpoint (LocalStack, a sandbox) written https://, or a proxy given as https:// that is http://. Check --endpoint-url / AWS_ENDPOINT_URL and HTTPS_PROXY.',
      },
    );
  const status = proxyRefusal(s);
  if (status === undefined) return undefined;
  return new OperationError(
    'NETWORK_ERROR',
    `Could not reach ${endpoint} for ${ctx.operation} on ${describeTarget(ctx)}: the proxy answered HTTP ${status} to its CONNECT; nothing was sent.`,
    {
      ...base,
      hint:
        status === 407
          ? "The proxy wants credentials: add the user name and password to the proxy's URL in HTTPS_PROXY / HTTP_PROXY, as curl and the AWS CLI take them (lshift never prints them)."
          : 'Check HTTPS_PROXY / HTTP_PROXY, or add the endpoint to NO_PROXY if it is reached without the proxy.',
    },
  );
}

/** What happened, in words, for the codes whose Node.js text alone does not say it. */
const CAUSES: Record<string, string> = {
  ECONNRESET: 'the endpoint reset it before answering',
  EPIPE: 'the endpoint closed it while the request was being sent',
  ECONNABORTED: 'it was aborted before an answer came',
  ECONNREFUSED: 'the endpoint refused the connection',
  // Only a resolver's (isNameRefused): no other EINVAL is a network error.
  EINVAL: 'its host name is not one DNS can look up (at most 253 characters, 63 between dots)',
};

/** `the endpoint refused the connection (ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1; 3 attempts made)`. */
function describeCause(s: ErrorShape, code: string): string {
  const attempts = s.attempts !== undefined && s.attempts > 1 ? `${s.attempts} attempts made` : '';
  const cause = CAUSES[code];
  if (cause)
    return `${cause} (${[`${code}${s.message ? `: ${s.message}` : ''}`, attempts].filter(Boolean).join('; ')})`;
  const detail = [s.message, attempts].filter(Boolean).join('; ');
  return detail ? `${code} (${detail})` : code;
}

export function mapNetwork(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  const endpoint = ctx.endpoint ?? 'the AWS endpoint';
  const detail = s.code ?? s.name;
  const refused = mapTlsOrProxy(s, ctx, error, endpoint);
  if (refused) return refused;
  if (isNotHttp(error)) return mapNotHttp(s, ctx, error, endpoint);
  // Before the timeout test: the SDK names a reset `TimeoutError` (so that it is retried) but
  // keeps its code; a reset is not a timeout, and a hint about LSHIFT_AWS_TIMEOUT would mislead.
  if (s.code !== undefined && CUT_CODES.has(s.code)) {
    const cut = `The connection to ${endpoint} was cut during ${ctx.operation} on ${describeTarget(ctx)}: ${describeCause(s, s.code)}`;
    // A read changed nothing, whatever became of it.
    if (READ_OPERATION.test(ctx.operation)) {
      return new OperationError('NETWORK_ERROR', `${cut}.`, {
        context: contextOf(ctx),
        cause: error,
        hint: 'Check the network and proxy, and retry.',
      });
    }
    // The request was sent, or partly: unlike a refused connection, it may have been carried out.
    return new OperationError('NETWORK_ERROR', `${cut}; the request may have been carried out or not.`, {
      context: contextOf(ctx),
      cause: error,
      hint: 'Check the network and proxy; `lshift status` shows where the alias is now (a write cut this way may have landed).',
    });
  }
  if (s.name === 'TimeoutError' || s.code === 'ETIMEDOUT') {
    return new OperationError(
      'NETWORK_ERROR',
      `${endpoint} did not answer ${ctx.operation} on ${describeTarget(ctx)} in time (${s.message || detail}).`,
      {
        context: contextOf(ctx),
        cause: error,
        hint: 'The endpoint accepted the connection but did not answer. Check the network, proxy, --endpoint-url / AWS_ENDPOINT_URL and --region; LSHIFT_AWS_TIMEOUT sets how long one request may take (default 10s, docs/exit-codes.md#time-bounds).',
      },
    );
  }
  return new OperationError(
    'NETWORK_ERROR',
    `Could not reach ${endpoint} for ${ctx.operation} on ${describeTarget(ctx)}: ${describeCause(s, detail)}.`,
    {
      context: contextOf(ctx),
      cause: error,
      hint: 'Check the network, proxy, --endpoint-url / AWS_ENDPOINT_URL and --region.',
    },
  );
}

/**
 * NETWORK_ERROR, as no AWS answer came back: a write may have been passed on (a proxy that
 * answered for it), so the engine re-reads as after a cut connection (src/engine/write-answer.ts).
 */
function mapNotHttp(s: ErrorShape, ctx: AwsErrorContext, error: unknown, endpoint: string): LshiftError {
  const raw = (error as { rawPacket?: unknown }).rawPacket;
  const began = raw instanceof Uint8Array && raw.length > 0 ? `; it began \`${echoFirstBytes(raw)}\`` : '';
  const sent = isReadOperation(ctx.operation)
    ? ''
    : ' If a proxy passed the request on, it may have been carried out: `lshift status` shows where the alias is.';
  return new OperationError(
    'NETWORK_ERROR',
    `${endpoint} did not answer ${ctx.operation} on ${describeTarget(ctx)} like AWS: its reply is not HTTP (${s.code}${began}).`,
    {
      context: contextOf(ctx),
      cause: error,
      hint: `Something other than an HTTP server listens there (an SSH or database port, another program). Check the URL and port in --endpoint-url / AWS_ENDPOINT_URL (or LSHIFT_SANDBOX: \`lshift sandbox\` prints its own).${sent}`,
    },
  );
}

/**
 * The start of the body, as the SDK's JSON parser quotes it (`Unexpected token '<', "<html><hea"…
 * is not valid JSON`): the body itself is gone by then.
 */
function quotedBodyStart(message: string): string | undefined {
  const quoted = /Unexpected token .*?, "([\s\S]*?)"(\.\.\.)? is not valid JSON/.exec(message);
  return quoted ? `${echoInput(quoted[1]!, 40)}${quoted[2] ? '…' : ''}` : undefined;
}

export function mapForeignResponse(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  const what = s.rawContentType ? ` ${echoInput(s.rawContentType.split(';')[0]!, 60)}` : '';
  const start = quotedBodyStart(s.message);
  const began = start ? ` starting \`${start}\`` : '';
  return new OperationError(
    'NETWORK_ERROR',
    `${ctx.endpoint ?? 'The endpoint'} did not answer ${ctx.operation} on ${describeTarget(ctx)} like AWS: it sent HTTP ${s.rawStatus} with a${what} body that is not an AWS response${began}. Something other than AWS answered (a proxy, a load balancer or a wrong --endpoint-url).`,
    {
      context: contextOf(ctx),
      cause: error,
      hint:
        s.rawStatus !== undefined && s.rawStatus >= 500
          ? 'Retry shortly; if it persists, check the proxy and --endpoint-url / AWS_ENDPOINT_URL.'
          : 'Check --endpoint-url / AWS_ENDPOINT_URL, HTTPS_PROXY and --region.',
    },
  );
}
