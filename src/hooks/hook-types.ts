import type { HookResult } from '../ports/hooks.js';
import type { LambdaPort } from '../ports/lambda.js';

/** What a runner decides; the dispatcher adds the duration. */
export type HookOutcome = Omit<HookResult, 'durationMs'>;

/** The one Lambda call hooks need. A full LambdaPort fits; tests pass a small object. */
export type HookLambda = Pick<LambdaPort, 'invoke'>;

/** Run-time settings every runner receives, with the per-hook timeout already resolved. */
export interface HookRunContext {
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (line: string) => void;
  /** Masks a line of a hook's response (the known function values, then the shapes). */
  mask?: (line: string) => string;
}
