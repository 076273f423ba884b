/**
 * The shape of an error thrown by an SDK call, read without importing the SDK, and the context
 * (operation, function, alias…) error messages are built from.
 */
import { echoAwsMessage, echoInput } from '../domain/echo.js';
import type { ErrorContext } from '../domain/errors.js';

export interface AwsErrorContext extends ErrorContext {
  /** The IAM action of the call, `service:Operation`, e.g. `lambda:UpdateAlias`, `cloudwatch:DescribeAlarms`. */
  operation: string;
  /** Endpoint label for network errors, e.g. `https://lambda.us-east-1.amazonaws.com`. */
  endpoint?: string;
  /** What the call was about when it is not a function, e.g. `alarms high-errors, p99`. */
  resource?: string;
}

export interface ErrorShape {
  name: string;
  message: string;
  status?: number;
  code?: string;
  attempts?: number;
  /** HTTP status of a raw response the SDK could not parse as an AWS answer (`$response`). */
  rawStatus?: number;
  rawContentType?: string;
}

export function readShape(error: unknown): ErrorShape {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: String(error) };
  }
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
    $response?: { statusCode?: unknown; headers?: Record<string, unknown> };
  };
  const raw = e.$response;
  const contentType = raw?.headers?.['content-type'] ?? raw?.headers?.['Content-Type'];
  // Both are printed (in an error report, an event, a result's reason): one printable line,
  // bounded, whatever the endpoint sent.
  return {
    name: typeof e.name === 'string' ? echoInput(e.name, 100) : 'Error',
    message: typeof e.message === 'string' ? echoAwsMessage(e.message) : '',
    status: typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    attempts: typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined,
    rawStatus: typeof raw?.statusCode === 'number' ? raw.statusCode : undefined,
    rawContentType: typeof contentType === 'string' ? contentType : undefined,
  };
}

/** `function my-fn alias live`, `function my-fn version 5`, or the ctx resource. */
export function describeTarget(ctx: AwsErrorContext): string {
  if (!ctx.functionName) return ctx.resource ?? 'the requested resource';
  let target = `function ${ctx.functionName}`;
  if (ctx.alias) target += ` alias ${ctx.alias}`;
  if (ctx.version) target += ` version ${ctx.version}`;
  return target;
}

export function contextOf(ctx: AwsErrorContext): ErrorContext {
  const out: ErrorContext = { action: ctx.operation };
  if (ctx.functionName) out.functionName = ctx.functionName;
  if (ctx.alias) out.alias = ctx.alias;
  if (ctx.version) out.version = ctx.version;
  return out;
}

export function withAwsMessage(text: string, s: ErrorShape): string {
  return s.message ? `${text} (AWS: ${s.message})` : text;
}
