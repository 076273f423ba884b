/**
 * Traffic hooks (issue 4). Hook specs are parsed in src/domain/hook-spec.ts; runners live in
 * src/hooks/ and implement HookRunner.
 */
import type { HookPhase, HookSpec } from '../domain/hook-spec.js';

export type { HookPhase, HookSpec } from '../domain/hook-spec.js';

/** The JSON document every hook receives (docs/hooks.md). */
export interface HookPayload {
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
}
