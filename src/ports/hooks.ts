/**
 * Traffic hooks (issue 4). Hook specs are parsed in src/domain/hook-spec.ts; runners live in
 * src/hooks/ and implement HookRunner.
 */
import type { HookPhase, HookSpec } from '../domain/hook-spec.js';

export type { HookPhase, HookSpec } from '../domain/hook-spec.js';

/**
 * The JSON document a hook receives (docs/hooks.md): a function's own hook is told about that
 * function; a hook of a whole release about the release and every function of it.
 */
export type HookPayload = FunctionHookPayload | ReleaseHookPayload;

/** The payload of a function's own hook (a single deploy, or a release hook with `{function}`). */
export interface FunctionHookPayload {
  deploymentId: string;
  phase: HookPhase;
  functionName: string;
  alias: string;
  stableVersion: string;
  targetVersion: string;
  /** Current traffic percentage on the target version. */
  weight: number;
  strategy: string;
  /** ISO-8601 start of the deployment. */
  startedAt: string;
}

/**
 * The payload of a hook of a whole release (a spec without `{function}`). It names no single
 * function at its top level: it runs inside the first function's run, but is about all of them,
 * and a hook reading `functionName` would act on one function of several.
 */
export interface ReleaseHookPayload {
  releaseId: string;
  phase: HookPhase;
  /** Every function of the release, in the order given. */
  functions: ReleaseHookFunction[];
  strategy: string;
  /** ISO-8601 start of the release (its earliest function's). */
  startedAt: string;
}

/** One function of a release, as its release hooks see it. */
export interface ReleaseHookFunction {
  functionName: string;
  alias: string;
  /** That function's own deployment (`lshift status`). */
  deploymentId: string;
  stableVersion: string;
  targetVersion: string;
  /** Its traffic percentage on the target version now (with `--stagger`, each its own). */
  weight: number;
}

export interface HookResult {
  ok: boolean;
  /** Why it failed (or the reason a Lambda hook gave), shown to the user. */
  reason?: string;
  /** The tail of the hook's output (command stdout/stderr, HTTP body), for failure messages. */
  outputTail?: string;
  durationMs: number;
}

export interface HookRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Streams output lines (command hooks) to the progress display. */
  onOutput?: (line: string) => void;
}

export interface HookRunner {
  run(spec: HookSpec, payload: HookPayload, opts: HookRunOptions): Promise<HookResult>;
  /**
   * The hook as lshift shows it (progress, events, reasons): formatHookSpec with, besides what
   * looks secret, the deployed functions' environment values masked — a value the runner knows
   * and a spec cannot be told to hide (a password written as a positional argument).
   */
  display?(spec: HookSpec): string;
}
