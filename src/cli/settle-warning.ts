/**
 * A settle wait that was given but does nothing: it awaits the per-version metrics only the
 * canary analysis reads, and with every gate of it off (`--no-analysis`, no `--max-*` limit)
 * there are none, so the deploy drops it (deploy-options.ts). It used to be dropped in silence
 * (found by a docs pass, session 59). A warning, not a refusal: a config file that sets `settle`
 * for every function and a one-off `--no-analysis` at the terminal is a fair thing to run.
 * Said before the first write by `deploy`, `deploy --dry-run` and a release (when none of its
 * functions settles), and by `lshift plan` (docs/analysis.md#the-settle-wait).
 */
import { formatDuration } from '../domain/duration.js';
import type { IgnoredSettle } from './deploy-options.js';

export function describeIgnoredSettle(ignored: IgnoredSettle | undefined): string | undefined {
  if (!ignored) return undefined;
  const given = ignored.settleSource.startsWith('--')
    ? `${ignored.settleSource} ${formatDuration(ignored.seconds)}`
    : `${ignored.settleSource} (${formatDuration(ignored.seconds)})`;
  // All at once with no bake: no step below 100% to settle behind, limit or not (found by a
  // hostile pass: "add a --max-* limit to have one" was false there).
  const fix = ignored.nothingToSettle
    ? 'drop the settle: all traffic moves at once and there is no --bake, so there is nothing to settle behind either'
    : 'drop the settle, or add a --max-* limit to have one';
  return (
    `${given} does nothing with ${ignored.analysisSource} and no --max-* limit: the settle wait awaits ` +
    `the per-version metrics only the canary analysis reads, so none is held before 100% (${fix})`
  );
}
