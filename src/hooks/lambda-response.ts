/**
 * Reading what a Lambda invocation returned: a function error (X-Amz-Function-Error) and the
 * error document Lambda puts in the payload, or a hook's own `{"status":"Failed"}` verdict.
 */
import type { InvokeResult } from '../ports/lambda.js';
import { firstLineOf, headOf } from './hook-output.js';

/** A hook runner's masker (HookRunContext.mask); the shapes only when none is given. */
type Mask = (line: string) => string;

/** `function error (Unhandled): TypeError: boom`, from `{errorType, errorMessage}` when present. */
export function describeFunctionError(result: InvokeResult, mask?: Mask): string {
  const doc = parseJson(result.payload);
  const type = stringField(doc, 'errorType');
  const message = stringField(doc, 'errorMessage');
  const detail = [type, message].filter((part) => part !== undefined).join(': ');
  const shown = firstLineOf(detail === '' ? result.payload : detail, undefined, mask);
  return `function error (${result.functionError})${shown === '' ? '' : `: ${shown}`}`;
}

/**
 * A hook's verdict: undefined when it passed, else the reason. `status` is compared without case
 * (`FAILED`, `failed`); any other answer, JSON or not, passes.
 */
export function findHookFailure(payload: string, mask?: Mask): string | undefined {
  const doc = parseJson(payload);
  const status = stringField(doc, 'status');
  if (status === undefined || status.toLowerCase() !== 'failed') return undefined;
  const why = stringField(doc, 'reason') ?? stringField(doc, 'message');
  return why === undefined || why.trim() === ''
    ? 'the hook returned status Failed'
    : `the hook returned status Failed: ${firstLineOf(why, 500, mask)}`;
}

/** The response for outputTail: bounded, and absent when empty. */
export function responseHead(payload: string, mask?: Mask): string | undefined {
  return payload.trim() === '' ? undefined : headOf(payload, mask);
}

export function isSuccessStatus(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringField(doc: unknown, key: string): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const value = (doc as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}
