/**
 * After the canary analysis rolled a deployment back, or could not judge it: the flags a user
 * would change (docs/analysis.md). The verdict alone ("+23% > allowed 20%") named no flag, so
 * whoever found it too strict, or wanted it judged, had to search the docs for the knob.
 */
import type { DeployResult } from '../domain/events.js';
import type { ReleaseResult } from '../domain/release-result.js';
import { sayOnce } from './release-warnings.js';

/** The flag that sets what each analysis gate allows; `alarms` has none (its alarms decide). */
const GATE_FLAGS: Readonly<Record<string, string>> = {
  'error-rate-increase': '--max-error-rate-increase',
  'latency-increase': '--max-latency-increase',
  'max-error-rate': '--max-error-rate',
  'max-p50': '--max-p50',
  'max-p90': '--max-p90',
  'max-p99': '--max-p99',
  'max-throttles': '--max-throttles',
};

const RELATIVE = new Set(['error-rate-increase', 'latency-increase']);

const MORE_DATA =
  'longer or larger steps, or a --bake, give the analysis more calls; --min-invocations sets how many the relative gates need';

export function describeAnalysisHint(result: DeployResult): string | undefined {
  const cause = result.cause;
  if (result.status === 'rolled_back' && cause?.code === 'GATE_FAILED') {
    const gates = cause.data.gates.filter((g) => GATE_FLAGS[g] !== undefined);
    if (gates.length === 0) return undefined;
    const flags = gates.map((g) => GATE_FLAGS[g]).join(', ');
    const sure = gates.some((g) => RELATIVE.has(g)) ? '; --confidence, how sure a relative gate must be' : '';
    return `  If version ${result.toVersion} is fine and the gate too strict: ${flags} set${gates.length === 1 ? 's' : ''} what it allows${sure} (docs/analysis.md).`;
  }
  if (result.status === 'rolled_back' && cause?.code === 'INCONCLUSIVE') {
    return `  Too little data to judge: ${MORE_DATA}; --on-inconclusive continue lets a step end undecided (docs/analysis.md).`;
  }
  if (result.status === 'promoted' && result.verdicts.some((v) => v.outcome === 'inconclusive')) {
    return `    To have it judged: ${MORE_DATA}; --on-inconclusive fail rolls back instead of promoting undecided (docs/analysis.md).`;
  }
  return undefined;
}

/**
 * A release's, unindented: the hint of the function that rolled it back (the others, rolled back
 * for it, carry its cause), or of each promoted function the analysis could not judge — one
 * line for a hint every function has, the others naming their functions.
 */
export function describeReleaseAnalysisHints(result: Pick<ReleaseResult, 'functions' | 'failed'>): string[] {
  const failed = result.failed;
  const about = failed
    ? result.functions.filter((f) => f.functionName === failed.functionName && f.alias === failed.alias)
    : result.functions.filter((f) => f.status === 'promoted');
  const perFunction = about.map((f) => {
    const hint = describeAnalysisHint(f)?.trim();
    return { functionName: `${f.functionName}:${f.alias}`, warnings: hint ? [hint] : [] };
  });
  return sayOnce(perFunction, result.functions.length);
}
