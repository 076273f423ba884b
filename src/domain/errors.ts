/**
 * One error hierarchy with stable codes. Every user-facing error says what happened,
 * to which function/alias, and what to do (`hint`). The CLI maps `exitCode` straight to
 * the process exit code (docs/exit-codes.md); nothing else decides exit codes. Codes are the
 * `ErrorCode` union of error-codes.ts, the one source of the docs' table.
 */
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode } from './error-codes.js';

export const ExitCode = {
  Success: 0,
  Failed: 1,
  Usage: 2,
  RolledBack: 3,
  Unsafe: 4,
  Conflict: 5,
  /** `lshift check` stopped by a signal between functions (128 + SIGINT's 2, as shells report it). */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorContext {
  functionName?: string;
  alias?: string;
  version?: string;
  /** AWS operation or IAM action involved, e.g. `lambda:UpdateAlias`. */
  action?: string;
  /**
   * AWS refused the request before acting on it (rejected credentials, denied permission) on
   * its only attempt, or it was never sent: a write that failed so was certainly not applied.
   */
  notApplied?: boolean;
  /** The SDK had sent the request more than once (an earlier attempt got no answer): a conflict may be its own. */
  retried?: boolean;
  /** The CodeDeploy deployment a refused CreateDeployment named as already active on the group. */
  activeDeploymentId?: string;
  /** A CodeDeploy deployment this run followed was ended by someone's StopDeployment (MANUAL_STOP). */
  stoppedFromOutside?: boolean;
  /**
   * RECORD_CORRUPT of a record in a newer format than this lshift reads (`v2 …`): a newer lshift
   * wrote it, and may still be running that deployment (`lshift check` words a split alias so).
   */
  newerRecord?: boolean;
  /**
   * Why a CodeDeploy deployment this run followed ended on its own, when CodeDeploy says: its
   * alarm, or the hook of a phase (engine/codedeploy-end-cause.ts, the reading `lshift wait` records).
   */
  codeDeployEnd?: { code: 'GATE_FAILED'; gates: string[] } | { code: 'HOOK_FAILED'; phase: 'pre' | 'post' };
}

export class LshiftError extends Error {
  /** Stable, documented, machine-readable code such as `STRATEGY_INVALID`. */
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  /** What the user should do next. */
  readonly hint?: string;
  readonly context: ErrorContext;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { exitCode?: ExitCode; hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = opts.exitCode ?? ExitCode.Failed;
    this.hint = opts.hint;
    this.context = opts.context ?? {};
  }
}

/** Bad flag, argument, config or strategy. Nothing was changed. Exit 2. */
export class UsageError extends LshiftError {
  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, { ...opts, exitCode: ExitCode.Usage });
  }
}

/** A check before any write refused the deployment (missing alias, role mismatch…). Exit 2 unless given. */
export class PreflightError extends LshiftError {
  constructor(
    code: ErrorCode,
    message: string,
    opts: { exitCode?: ExitCode; hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, { ...opts, exitCode: opts.exitCode ?? ExitCode.Usage });
  }
}

/** AWS (or another dependency) failed before traffic moved. Exit 1. */
export class OperationError extends LshiftError {
  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, { ...opts, exitCode: ExitCode.Failed });
  }
}

/** Someone else moved the alias (HTTP 412) or holds it. Nothing was overwritten. Exit 5. */
export class ConflictError extends LshiftError {
  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, { ...opts, exitCode: ExitCode.Conflict });
  }
}

/** The alias may be split or in an unknown state; a human must look. Exit 4. */
export class UnsafeError extends LshiftError {
  constructor(
    code: ErrorCode,
    message: string,
    opts: { hint?: string; context?: ErrorContext; cause?: unknown } = {},
  ) {
    super(code, message, { ...opts, exitCode: ExitCode.Unsafe });
  }
}

export function isLshiftError(error: unknown): error is LshiftError {
  return error instanceof LshiftError;
}

/**
 * The same error (class, code, exit code, message) with another hint: for a caller that knows
 * what its command had already changed when one call failed, which the call's own hint cannot
 * ("It only read: nothing was changed" after the function's code was replaced).
 */
export function withHint<E extends LshiftError>(error: E, hint: string): E {
  const copy = Object.create(Object.getPrototypeOf(error)) as E;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  Object.defineProperty(copy, 'hint', { value: hint, enumerable: true, configurable: true });
  return copy;
}
