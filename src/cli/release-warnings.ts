/**
 * What a release says before its first write: each function's warnings, as a single deploy says
 * them (deploy-warnings.ts: nothing watches its health, holds no poll sees, what the analysis
 * cannot judge with its plan at its traffic). A warning every function shares is said once, the
 * others name the functions they are about. Every function's recent traffic is read in one
 * GetMetricData call per 500 functions (batchMetricReads), not one call per function.
 */
import type { WarningTopic } from '../domain/events.js';
import { batchMetricReads } from '../engine/metric-batch.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { DeployOptions } from './deploy-options.js';
import {
  describePlanWarnings,
  describeUnwatched,
  emitWarnings,
  messagesOf,
  type SaidWarning,
} from './deploy-warnings.js';
import { describeIgnoredSettle } from './settle-warning.js';

export interface WarnedMember {
  functionName: string;
  options: DeployOptions;
  /** What its deployment will watch (a sandbox's own alarm when none was given). */
  alarms: readonly string[];
  /** The release's own hooks: their waits are watched too. */
  releaseHooks?: Pick<DeployOptions['hooks'], 'step' | 'post'>;
}

export interface ReleaseWarnings {
  /** As said: each distinct warning once, prefixed with its functions unless all have it. */
  lines: string[];
  /** Each function's own, for its result. */
  byFunction: Map<string, string[]>;
  /** What each of them is about (as said, lines are prefixed: their events do not key these). */
  topics: Map<string, WarningTopic>;
  /** The lines with their topics, as `log` warnings say them. */
  said: SaidWarning[];
}

/** describeReleaseWarnings, emitted as `log` warnings at once (a dry run's). */
export async function warnBeforeRelease(
  deps: { metrics: MetricsPort; clock: Clock; events: EventSink },
  members: readonly WarnedMember[],
  resume = false,
): Promise<ReleaseWarnings> {
  const warnings = await describeReleaseWarnings(deps, members, resume);
  emitWarnings(deps.events, deps.clock.now(), warnings.said);
  return warnings;
}

/**
 * A resumed release says only what is still true of it: that nothing watches a function, that
 * its settle wait does nothing (its plan's checks were said when it started).
 */
export async function describeReleaseWarnings(
  deps: { metrics: MetricsPort; clock: Clock },
  members: readonly WarnedMember[],
  resume = false,
): Promise<ReleaseWarnings> {
  const metrics = batchMetricReads(deps.metrics);
  // A release settles while any of its functions reads metrics (release-program-plan.ts): a
  // settle dropped from some functions' plans is still held for the others.
  const settleIgnored = members.every((m) => m.options.settleIgnored);
  const perMember = await Promise.all(
    members.map(async (m) => {
      const unwatched = describeUnwatched(m.alarms, m.options, m.releaseHooks);
      const ignored = settleIgnored ? describeIgnoredSettle(m.options.settleIgnored) : undefined;
      const plan = resume
        ? []
        : await describePlanWarnings({ metrics, clock: deps.clock }, m.functionName, m.options);
      const said = [
        ...(unwatched ? [{ message: unwatched, about: 'health' as const }] : []),
        ...(ignored ? [{ message: ignored, about: 'analysis' as const }] : []),
        ...plan,
      ];
      return { functionName: m.functionName, said };
    }),
  );
  const topics = new Map(perMember.flatMap((m) => m.said.map((w) => [w.message, w.about] as const)));
  const byFunction = new Map(perMember.map((m) => [m.functionName, messagesOf(m.said)]));
  const lines = linesSaidOnce(
    perMember.map((m) => ({ functionName: m.functionName, warnings: byFunction.get(m.functionName)! })),
    members.length,
  );
  const said = lines.map((line) => ({ message: line.text, about: topics.get(line.warning)! }));
  return { lines: lines.map((l) => l.text), byFunction, topics, said };
}

/** One line per distinct warning, in first-seen order: bare when every function has it. */
export function sayOnce(
  perMember: readonly { functionName: string; warnings: string[] }[],
  count: number,
): string[] {
  return linesSaidOnce(perMember, count).map((l) => l.text);
}

/** sayOnce's lines (`text`), each with the warning it says (`warning`: what its topic is kept by). */
function linesSaidOnce(
  perMember: readonly { functionName: string; warnings: string[] }[],
  count: number,
): { text: string; warning: string }[] {
  const about = new Map<string, string[]>();
  for (const { functionName, warnings } of perMember) {
    for (const w of new Set(warnings)) about.set(w, [...(about.get(w) ?? []), functionName]);
  }
  return [...about].map(([warning, names]) => ({
    text: names.length === count ? warning : `${names.join(', ')}: ${warning}`,
    warning,
  }));
}
