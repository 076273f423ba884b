/**
 * Errors where no AWS answer came back: the network failed, the endpoint did not answer in time
 * (src/aws/time-bounds.ts), or something other than AWS answered (an HTML error page).
 */
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

export function mapForeignResponse(s: ErrorShape, ctx: AwsErrorContext, error: unknown): LshiftError {
  const what = s.rawContentType ? ` (${s.rawContentType.split(';')[0]})` : '';
  return new OperationError(
    'AWS_ERROR',
    `${ctx.endpoint ?? 'The endpoint'} answered ${ctx.operation} on ${describeTarget(ctx)} with HTTP ${s.rawStatus} and a body that is not an AWS response${what}: something other than AWS answered (a proxy, a load balancer or a wrong --endpoint-url).`,
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
