/** What a Lambda operation handler receives and answers (restJson1). */
import type { IncomingHttpHeaders } from 'node:http';
import { lambdaErrors } from './api-error.js';
import type { Sandbox } from './sandbox.js';

export interface LambdaCall {
  sb: Sandbox;
  /** Decoded path labels: FunctionName, Name, Resource. */
  labels: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface LambdaReply {
  status: number;
  json?: unknown;
  raw?: Buffer;
  headers?: Record<string, string>;
}

export type LambdaHandler = (call: LambdaCall) => LambdaReply;

/** The JSON body as an object; `{}` when empty. */
export function jsonBody(call: LambdaCall): Record<string, unknown> {
  if (call.body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(call.body.toString('utf8'));
  } catch {
    throw lambdaErrors.badJson();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw lambdaErrors.badJson();
  return parsed as Record<string, unknown>;
}

export function label(call: LambdaCall, name: string): string {
  return call.labels[name] ?? '';
}
