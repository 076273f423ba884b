/**
 * Health as a pure assessment, the way Argo Rollouts' `assessMetricStatus` judges a metric's
 * measurements against its failure/inconclusive/consecutive-error limits
 * (https://argo-rollouts.readthedocs.io/en/stable/features/analysis/): the engine gathers the
 * gates' verdicts poll by poll and acts on what this returns; it decides nothing itself.
 *
 * - any `fail` verdict in the latest poll fails the hold;
 * - `error` polls count consecutively (across steps and the bake: a flaky API does not reset by
 *   moving on) and fail at `healthErrorLimit`, unless health errors are ignored — unreadable
 *   health is never healthy, it is only tolerated for a while;
 * - `inconclusive` fails only at the end of a step under `onInconclusive: 'fail'`.
 */
import type { Verdict } from './verdict.js';

export interface HealthPoll {
  verdicts: readonly Verdict[];
  /** The poll that ends a hold (a step's, or the bake's). */
  endOfStep: boolean;
}

export interface HealthLimits {
  healthErrorLimit: number;
  ignoreHealthErrors: boolean;
  onInconclusive: 'continue' | 'fail';
}

export type HealthCause =
  | { code: 'GATE_FAILED'; data: { gates: string[] } }
  | { code: 'STOPPED_IN_CODEDEPLOY'; data: { deploymentId: string } }
  | { code: 'HOOK_FAILED'; data: { phase: string; hooks: string[] } }
  | { code: 'HEALTH_UNREADABLE'; data: { consecutive: number; limit: number } }
  | { code: 'INCONCLUSIVE'; data: { gates: string[] } };

export type HealthAssessment = {
  /** The latest poll had `error` verdicts: how many polls in a row, for the `health.error` event. */
  errors?: { message: string; consecutive: number; limit: number };
} & ({ status: 'continue' } | { status: 'failed'; reason: string; cause: HealthCause });

/**
 * Clauses joined by '; ', each without its own closing period: an AWS error's message ends with
 * one, and "(3 attempts of 10 s each timed out).; analysis: …" was printed (found by a hostile
 * pass, session 61).
 */
function joinClauses(clauses: readonly string[]): string {
  return clauses.map((c) => c.replace(/\.+$/, '')).join('; ');
}

export function assessHealth(history: readonly HealthPoll[], limits: HealthLimits): HealthAssessment {
  const latest = history.at(-1);
  if (!latest) return { status: 'continue' };
  const failed = latest.verdicts.filter((v) => v.outcome === 'fail');
  if (failed.length > 0) {
    return {
      status: 'failed',
      reason: joinClauses(failed.map(describeVerdict)),
      cause: causeOfFailed(failed),
    };
  }
  const errorVerdicts = latest.verdicts.filter((v) => v.outcome === 'error');
  let errors: HealthAssessment['errors'];
  if (errorVerdicts.length > 0) {
    const limit = limits.healthErrorLimit;
    const consecutive = countConsecutiveErrorPolls(history);
    const message = joinClauses(condenseRepeats(errorVerdicts.map(describeVerdict)));
    errors = { message, consecutive, limit };
    if (consecutive >= limit && !limits.ignoreHealthErrors) {
      return {
        status: 'failed',
        errors,
        reason: `health unreadable: ${consecutive} consecutive polls failed (limit ${limit}): ${message}`,
        cause: { code: 'HEALTH_UNREADABLE', data: { consecutive, limit } },
      };
    }
  }
  const inconclusive = latest.verdicts.filter((v) => v.outcome === 'inconclusive');
  if (latest.endOfStep && inconclusive.length > 0 && limits.onInconclusive === 'fail') {
    return {
      status: 'failed',
      errors,
      reason: `inconclusive at the end of the step (--on-inconclusive fail): ${joinClauses(inconclusive.map(describeVerdict))}`,
      cause: { code: 'INCONCLUSIVE', data: { gates: inconclusive.map((v) => v.gate) } },
    };
  }
  return { status: 'continue', errors };
}

/**
 * The `codedeploy` gate's verdict on a deployment someone stopped from outside this run
 * (engine/codedeploy-gate.ts marks it `stoppedFromOutside`, with CodeDeploy's `id`).
 */
function stoppedDeploymentId(v: Verdict): string | undefined {
  if (v.gate !== 'codedeploy' || v.details?.stoppedFromOutside !== true) return undefined;
  return typeof v.details.id === 'string' ? v.details.id : undefined;
}

/**
 * The `codedeploy` gate's verdict on a deployment CodeDeploy ended because a hook it ran failed
 * (engine/codedeploy-gate.ts marks it `hookFailed`): a hook's failure, as in a native deploy.
 */
function failedCodeDeployHook(v: Verdict): { phase: string; hooks: string[] } | undefined {
  const hook = v.gate === 'codedeploy' ? v.details?.hookFailed : undefined;
  if (typeof hook !== 'object' || hook === null) return undefined;
  const { phase, hooks } = hook as { phase?: unknown; hooks?: unknown };
  if (typeof phase !== 'string' || !Array.isArray(hooks)) return undefined;
  return { phase, hooks: hooks.filter((h): h is string => typeof h === 'string') };
}

/**
 * Failed verdicts that are all a stop from outside of the CodeDeploy deployment: no health gate
 * of this run failed, so it is not GATE_FAILED (a CI job would read its own gate failing).
 * Anything else that failed beside it — lshift's alarm, CodeDeploy's own alarm — still is.
 */
function causeOfFailed(failed: readonly Verdict[]): HealthCause {
  const stopped = failed.map(stoppedDeploymentId);
  const [first] = stopped;
  if (first !== undefined && stopped.every((id) => id !== undefined)) {
    return { code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: first } };
  }
  const hooks = failed.map(failedCodeDeployHook);
  const [hook] = hooks;
  if (hook !== undefined && hooks.every((h) => h !== undefined)) return { code: 'HOOK_FAILED', data: hook };
  return { code: 'GATE_FAILED', data: { gates: failed.map((v) => v.gate) } };
}

function countConsecutiveErrorPolls(history: readonly HealthPoll[]): number {
  let count = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (!history[i]!.verdicts.some((v) => v.outcome === 'error')) break;
    count++;
  }
  return count;
}

export function describeVerdict(v: Verdict): string {
  return v.gate === 'alarms' ? v.summary : `${v.gate}: ${v.summary}`;
}

/** Shortest repeat worth condensing: shorter tails read better than a back-reference. */
const MIN_REPEAT = 40;
const SAME = '(the same error)';

/**
 * Gates that read the same CloudWatch call fail with the same error (expired credentials:
 * analysis, async delivery and spillover share one GetMetricData): each later summary keeps
 * its own "could not read …:" and says `(the same error)` for a tail, from a `: `, that an
 * earlier summary ended with — the longest such tail. An unreachable endpoint fails every call
 * alike: the alarms' DescribeAlarms shares only the last words with the metrics' GetMetricData,
 * which the other metric gates repeat whole.
 */
export function condenseRepeats(summaries: readonly string[]): string[] {
  return summaries.map((summary, i) => {
    const starts = summaries
      .slice(0, i)
      .map((earlier) => repeatedTailStart(earlier, summary))
      .filter((at): at is number => at !== undefined);
    return starts.length === 0 ? summary : `${summary.slice(0, Math.min(...starts))}${SAME}`;
  });
}

/**
 * Where in `text` a tail starts that `earlier` ends with too: right after a `: ` outside any
 * parentheses (not inside `(AWS: …)`, which only repeats AWS's words), and long enough.
 */
function repeatedTailStart(earlier: string, text: string): number | undefined {
  let common = 0;
  while (common < earlier.length && common < text.length && earlier.at(-1 - common) === text.at(-1 - common))
    common++;
  for (let at = text.length - common; at <= text.length - MIN_REPEAT; at++) {
    if (text.slice(at - 2, at) === ': ' && isBalanced(text.slice(0, at))) return at;
  }
  return undefined;
}

function isBalanced(text: string): boolean {
  let depth = 0;
  for (const c of text) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
  return depth === 0;
}
