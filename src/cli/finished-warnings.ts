/**
 * A deploy's result carries every warning of the run (`warnings`): those said before the shift
 * (said-warnings.ts) and those only its end can tell — the canary analysis never judged the
 * promoted version, an alarm had no data at any poll. The result was given its warnings after
 * the engine had emitted it, so `--progress ndjson`'s `deploy.finished` line had none, and a
 * promotion the analysis never judged was said nowhere in the stream (found by a hostile pass and
 * a docs pass: docs/events.md promises `warnings` there). The warnings are now attached as
 * `deploy.finished` passes (a release's: each function's), so the stream, `--json` and the
 * summary carry the same list.
 */
import { describeNeverJudged } from '../domain/analysis/plan-check.js';
import type { DeployResult, EngineEvent } from '../domain/events.js';
import type { EventSink } from '../ports/event-sink.js';

/** Forwards every event to `next`; a `deploy.finished` result with the warnings `of` gives it. */
export function withResultWarnings(
  next: EventSink,
  of: (result: DeployResult) => readonly string[],
): EventSink {
  return {
    emit(e: EngineEvent) {
      if (e.type !== 'deploy.finished') return next.emit(e);
      const warnings = of(e.result);
      next.emit(warnings.length > 0 ? { ...e, result: { ...e.result, warnings: [...warnings] } } : e);
    },
  };
}

/**
 * What only the end of a promoted deployment tells: the analysis never judged its version, or an
 * alarm was INSUFFICIENT_DATA at every poll, so each step passed without data (`silent`).
 */
export function describeLateWarnings(
  result: DeployResult,
  silent: (version: string | undefined) => string | undefined,
): { neverJudged?: string; all: string[] } {
  if (result.status !== 'promoted') return { all: [] };
  const neverJudged = describeNeverJudged(result.verdicts, result.toVersion);
  const unheard = silent(result.toVersion);
  return {
    ...(neverJudged ? { neverJudged } : {}),
    all: [...(neverJudged ? [neverJudged] : []), ...(unheard ? [unheard] : [])],
  };
}
