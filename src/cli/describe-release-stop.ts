/**
 * The release's reason when an operator's abort stopped it: the same for every function, so it is
 * made from the abort itself (who, why) and where the release was — not from one function's reason,
 * which names the abort in words that depend on whose record carried it ("aborted by …" on that
 * one, "the release was aborted by …" on the others).
 */
import type { DeployResult } from '../domain/events.js';
import type { OutcomeCause } from '../domain/outcome.js';
import { printable } from '../domain/printable.js';
import { describePosition } from '../engine/deploy-result.js';

type Aborted = Extract<OutcomeCause, { code: 'OPERATOR_ABORTED' }>;

export function describeReleaseAbort(cause: Aborted, functions: readonly DeployResult[]): string {
  const moved = functions.find((f) => f.trafficMoved ?? true);
  const where = !moved
    ? 'before any traffic moved'
    : moved.position
      ? describePosition(moved.position)
      : 'while deploying';
  const why = cause.data.reason ? `: ${cause.data.reason}` : '';
  return printable(`the release was aborted ${where} by ${cause.data.by}${why}`);
}
