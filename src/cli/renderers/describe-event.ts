/** One human line per engine event, shared by the plain (CI) and listr2 (TTY) renderers. */

import { sharedAliasFlag } from '../../domain/alias-flag.js';
import { formatDuration, formatPercent } from '../../domain/duration.js';
import type { EngineEvent } from '../../domain/events.js';
import { condenseRepeats } from '../../domain/health-assessment.js';
import { describeSender, describeVerb, type OperatorVerb } from '../../domain/operator-command.js';
import { printable } from '../../domain/printable.js';
import { commandReaderOf, type ReleaseTarget } from '../../domain/release-program.js';
import { shortList } from '../../domain/short-list.js';
import type { Verdict } from '../../domain/verdict.js';
import { describeReason, eventReasonOptions } from '../describe-outcome.js';

/**
 * One line, printable: every renderer puts it on a line of its own (a timestamped CI line, a
 * TTY task's output), so a newline or an ESC in an outside value it quotes (an AWS message, an
 * alarm name, a hook's output) is shown as �, never acted on.
 */
export function describeEvent(event: EngineEvent): string | undefined {
  const text = describeAnyEvent(event);
  return text === undefined ? undefined : printable(text);
}

function describeAnyEvent(event: EngineEvent): string | undefined {
  switch (event.type) {
    case 'publish.started':
      return `publish: updating and publishing ${event.functionName}`;
    case 'publish.code-updated':
      return `publish: code updated (CodeSha256 ${event.codeSha256})`;
    case 'publish.completed':
      return event.created
        ? `publish: published version ${event.version}`
        : `publish: nothing changed since version ${event.version}; reusing it`;
    case 'preflight.started':
      return `preflight: checking ${event.functionName}:${event.alias}`;
    case 'preflight.check':
      return `preflight: ${event.ok ? 'ok' : 'FAILED'} ${event.check}: ${event.message}`;
    case 'preflight.stopped':
      return `preflight: stopped before the upload (stable ${event.stableVersion}; the checks that need the new version did not run)`;
    case 'preflight.completed':
      return `preflight: passed (stable ${event.stableVersion} → target ${event.targetVersion})`;
    case 'shift.started':
      return `shift: ${event.deploymentId} ${event.functionName}:${event.alias} ${event.stableVersion} → ${event.targetVersion}, ${event.plan.steps.length} step${event.plan.steps.length === 1 ? '' : 's'} over ${formatDuration(event.plan.totalSeconds)}`;
    case 'step.started':
      // Said as the weight write is sent, before it lands (docs/events.md): "50% on the new
      // version" was printed for a write that then failed (found by a hostile pass).
      return `step ${event.index + 1}/${event.total}: shifting to ${formatPercent(event.percent)} on the new version${event.holdSeconds > 0 ? `, then hold ${formatDuration(event.holdSeconds)}` : ''}`;
    case 'health.polled':
      return `health at ${formatPercent(event.percent)}: ${summarizeHealth(event.alarms.length, event.verdicts)}${event.remainingSeconds > 0 ? `, ${formatDuration(Math.round(event.remainingSeconds))} left` : ''}`;
    case 'health.error':
      return `health: unreadable (${event.consecutive}/${event.limit}): ${event.message}`;
    case 'step.completed':
      // The 100% step holds nothing (a --bake watches after it): "100% held, healthy" claimed a
      // health nobody read at 100% (found by a hostile pass, all-at-once with --alarm).
      return event.percent >= 100
        ? `step ${event.index + 1}: 100% reached`
        : `step ${event.index + 1}: ${formatPercent(event.percent)} held, ${event.unjudged ? UNJUDGED : 'healthy'}`;
    case 'bake.started':
      return `bake: watching at 100% for ${formatDuration(event.seconds)}`;
    case 'settle.started':
      return `settle: holding ${formatPercent(event.percent)} while waiting for metrics to arrive, at most ${formatDuration(event.maxSeconds)}`;
    case 'bake.completed':
      return event.endedEarly
        ? `bake: ended early by an operator's promote after ${formatDuration(event.endedEarly.afterSeconds)} of ${formatDuration(event.endedEarly.plannedSeconds)}, ${event.unjudged ? UNJUDGED : 'healthy until then'}`
        : `bake: completed, ${event.unjudged ? UNJUDGED : 'healthy'}`;
    case 'hook.started':
      return `hook ${event.phase}: running ${event.hook}`;
    case 'hook.output':
      return `hook ${event.phase} | ${event.line}`;
    case 'hook.completed':
      return describeHookCompleted(event);
    case 'rollback.started':
      return describeRollbackStart(event);
    case 'rollback.completed':
      // After `CLOSING its record as rolled back (… this check moved no traffic)`: nothing was rolled back.
      return event.closeOnly
        ? `rollback: none was needed; all traffic stays on version ${event.toVersion}`
        : `rollback: all traffic is on version ${event.toVersion}`;
    case 'rollback.failed':
      // Deleted: no rollback failed, there was nothing left to roll back (exit 1, not 4). A conflict:
      // nothing failed either, lshift left someone else's move (exit 5; "ROLLBACK FAILED" was said).
      if (event.deleted) return `rollback: nothing to roll back: ${event.message}`;
      return event.conflict
        ? `rollback stopped, someone else's move left: ${event.message}`
        : `ROLLBACK FAILED: ${event.message}`;
    case 'record.written':
      return undefined;
    case 'operator.command':
      return `operator: ${describeSender(event.by)} sent \`${describeVerb(event.verb)}\`${event.reason ? ` (${event.reason})` : ''}: ${event.obeyed ? OBEYED[event.verb] : 'refused, not in a state to obey it'}`;
    case 'log':
      return `${event.level === 'warn' ? 'warning: ' : ''}${event.message}`;
    case 'release.started':
      return describeReleaseStart(event);
    case 'deploy.finished': {
      const reason = describeReason(event.result, eventReasonOptions(event));
      return `result: ${event.result.status}${reason ? ` — ${reason}` : ''}`;
    }
  }
}

/**
 * The release id as soon as the release starts: `lshift abort --release` needs it, and a CI log
 * would otherwise show it only in the final summary.
 */
export function describeReleaseStart(event: Extract<EngineEvent, { type: 'release.started' }>): string {
  const { releaseId: id, functions } = event;
  const names = functions.map((f) => f.functionName);
  const count = `${names.length} function${names.length === 1 ? '' : 's'}`;
  return `release ${id}${event.resumed ? ' resumed' : ''} (${event.mode}, ${count}); abort it with ${describeReleaseAbort(id, functions)}`;
}

/**
 * Every function under one `--alias` when they share it. Over several aliases that command was
 * refused when copied away from the config file (ALIAS_NOT_FOUND of the functions not on `live`:
 * found by a hostile pass, session 61): one function at its own alias is enough then, since the
 * release's runner rolls every function back whichever of its records says abort — its command
 * reader's (commandReaderOf) is read at every poll, so that is the one named.
 */
function describeReleaseAbort(id: string, functions: readonly ReleaseTarget[]): string {
  const aliases = new Set(functions.map((f) => f.alias));
  const first = commandReaderOf(functions);
  if (aliases.size <= 1 || !first)
    return `\`lshift abort --release ${id} ${functions.map((f) => f.functionName).join(' ')}${sharedAliasFlag(aliases)}\``;
  const flag = first.alias === 'live' ? '' : ` --alias ${first.alias}`;
  return `\`lshift abort --release ${id} ${first.functionName}${flag}\` (one function is enough: its runner rolls every function of the release back, whatever their aliases)`;
}

const OBEYED: Record<OperatorVerb, string> = {
  promote: 'skipping the rest of this hold',
  'promote-full': 'skipping every remaining step, promoting now',
  pause: 'paused — the hold clock is stopped, health is still watched',
  resume: 'resumed — the hold counts down again',
  abort: 'rolling back',
};

/** "alarms ok; error-rate-increase inconclusive, latency-increase inconclusive: <reason>" — identical reasons once. */
export function summarizeHealth(alarmCount: number, verdicts: Verdict[]): string {
  if (verdicts.length === 0)
    return alarmCount > 0 ? `${alarmCount} alarm(s) OK` : 'no health signal configured';
  const passed = verdicts.filter((v) => v.outcome === 'pass').map((v) => v.gate);
  const byReason = new Map<string, string[]>();
  for (const v of verdicts.filter((x) => x.outcome !== 'pass')) {
    const key = v.summary;
    byReason.set(key, [...(byReason.get(key) ?? []), `${v.gate} ${v.outcome}`]);
  }
  const parts = passed.length > 0 ? [`${passed.join(', ')} ok${describeNoData(verdicts)}`] : [];
  // One unreachable endpoint or expired credential fails every gate alike: said once in full.
  const reasons = condenseRepeats([...byReason.keys()]);
  const failed = [...byReason.values()].map((gates, i) => `${gates.join(', ')}: ${reasons[i]}`);
  return [...parts, ...failed].join('; ');
}

/** "alarms ok", "latency-increase inconclusive" — one gate's outcome, for the short health lines. */
export function gateOutcomeWords(v: Verdict): string {
  if (v.outcome !== 'pass') return `${v.gate} ${v.outcome}`;
  return `${v.gate} ok${describeNoData([v])}`;
}

/**
 * " (orders-errors INSUFFICIENT_DATA)" when the alarm gate passed on alarms without data (they
 * count as not alarming): "alarms ok" alone read as if they had looked at the new version.
 */
export function describeNoData(verdicts: Verdict[]): string {
  const alarmGate = verdicts.find((v) => v.gate === 'alarms' && v.outcome === 'pass');
  const none = (alarmGate?.details as { insufficientData?: unknown } | undefined)?.insufficientData;
  if (!Array.isArray(none) || none.length === 0) return '';
  return ` (${shortList(none.map(String))} INSUFFICIENT_DATA)`;
}

/**
 * "from 0%" read as if traffic were coming back. An alias found already all on the stable version
 * (`alreadyThere`: a runner's own rollback write landed before it died) says so, and what its
 * record last said, never "carried no traffic". Nothing had moved only when no weight write was
 * ever sent (a pre-traffic hook); at 0% after one was sent (its answer never came, or a CodeDeploy
 * deployment that had shifted none, or had already put the alias back, when last polled) it is
 * only as last seen — never "no traffic had moved": a CodeDeploy post-traffic hook fails after
 * 100%, and CodeDeploy's own rollback has moved it back by lshift's next poll.
 */
function describeRollbackStart(event: Extract<EngineEvent, { type: 'rollback.started' }>): string {
  const to = event.toVersion;
  // Its function is gone: no traffic of it "stays on version 1", none is left anywhere.
  if (event.functionDeleted) return `stopped, nothing of it left to roll back: ${event.reason}`;
  if (event.trafficMoved === false)
    return `ROLLBACK: no traffic had moved to the new version; all of it stays on version ${to}: ${event.reason}`;
  if (event.alreadyThere) {
    const had = event.alreadyThere.recorded;
    const before =
      had === undefined
        ? ''
        : `; version ${had.version} had ${formatPercent(had.percent)} when its record was last written`;
    // A check that only closes the record rolls nothing back: said as its SKIPPED line says it
    // (check-rollback.ts), not "ROLLBACK to version 1" beside "SKIPPED … closed as rolled back".
    // Not "nothing was written": the same routing is written again (rollback.ts `fence`: a new
    // RevisionId, so a runner still alive stops at its next alias write), which moves no traffic.
    if (event.alreadyThere.closeOnly)
      return `CLOSING its record as rolled back (all traffic was already on version ${to}${before}; this check moved no traffic): ${event.reason}`;
    return `ROLLBACK to version ${to} (all traffic was already on it${before}): ${event.reason}`;
  }
  // A weight write the interrupt abandoned in flight may have landed since it was last seen: at any
  // weight last seen, not only 0% ("ROLLBACK from 10%" was said while a 20% write was in flight).
  const inFlight =
    event.writeInFlight === undefined
      ? ''
      : `; its weight write to ${formatPercent(event.writeInFlight)} was in flight and may have landed`;
  if (event.fromPercent === 0)
    return `ROLLBACK to version ${to} (as last seen, the new version carried no traffic${inFlight}): ${event.reason}`;
  const from = formatPercent(event.fromPercent);
  if (inFlight) return `ROLLBACK to version ${to} (from ${from} as last seen${inFlight}): ${event.reason}`;
  return `ROLLBACK from ${from} to version ${to}: ${event.reason}`;
}

/**
 * `hook post: passed …`, `FAILED …`, or — for a hook that did not fail but was stopped from
 * outside — `interrupted` (Ctrl-C) or `ended` (a takeover, a deleted function, the deployment's
 * health failing beside it: its reason `ended: …`, engine/hook-phase.ts).
 */
function describeHookCompleted(event: Extract<EngineEvent, { type: 'hook.completed' }>): string {
  const took = `(${(event.durationMs / 1000).toFixed(1)}s)`;
  const head = `hook ${event.phase}:`;
  if (event.ok) return `${head} passed ${event.hook} ${took}${event.reason ? `: ${event.reason}` : ''}`;
  if (event.reason === 'interrupted') return `${head} interrupted ${event.hook} ${took}`;
  const ended = event.reason?.match(/^ended: (.*)$/s);
  if (ended) return `${head} ended ${event.hook} ${took}: ${ended[1]}`;
  return `${head} FAILED ${event.hook} ${took}${event.reason ? `: ${event.reason}` : ''}`;
}

/**
 * A hold no gate judged (no alarm watched, every analysis gate inconclusive): said as such, never
 * "healthy" (found by a hostile pass, session 61).
 */
const UNJUDGED = 'not judged: no alarm watched and the canary analysis inconclusive';
