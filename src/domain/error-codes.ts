/**
 * Every error code lshift reports, with the exit code(s) it comes with and what it means: the
 * one source of the `ErrorCode` type and of the table in docs/exit-codes.md
 * (`npm run docs:errors` writes it; test/unit/error-codes.test.ts fails when they drift).
 */
import type { ErrorCodeInfo } from './error-code-info.js';
import { RUN_ERROR_CODES } from './run-error-codes.js';
import { USAGE_ERROR_CODES } from './usage-error-codes.js';

export type { ErrorCodeInfo } from './error-code-info.js';

// The order is the docs table's: refusals first, then what a run that called AWS can end with.
export const ERROR_CODES = {
  ...USAGE_ERROR_CODES,
  ...RUN_ERROR_CODES,
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(text: string): text is ErrorCode {
  return Object.hasOwn(ERROR_CODES, text);
}
