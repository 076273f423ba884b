/**
 * `lshift check`: the scheduled rollback check (cron, a scheduled CI job). It looks at the
 * deployment records (tags `lshift:<alias>`) and rolls back what went bad after nobody was
 * watching any more:
 *  - a deployment promoted within the window whose alarm fires now → back to the previous version;
 *  - a deployment whose runner died (heartbeat older than the staleness limit, or `paused`, or a
 *    `failed` rollback) with an alarm firing → back to its stable version;
 *  - a rollback whose runner died before it finished (`rolling-back`, stale) → finished, whatever
 *    the alarms say: its owner had already decided.
 * A deployment still driven by a live process is left to it. Unreadable alarms are never healthy:
 * the function gets `error` (exit 1), not a rollback — the check cannot tell, a human should look.
 */
import type { DeploymentPhase, DeploymentRecord } from '../domain/deployment-record.js';
import { UsageError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import { checkStaleAfter } from '../domain/poll-interval.js';
import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { AliasInfo, LambdaPort } from '../ports/lambda.js';
import type { AlarmState, MetricsPort } from '../ports/metrics.js';
import type { StateStore } from '../ports/state-store.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import { judgeAlarms } from './alarm-gate.js';
import { checkOwner, claimRollback, describeRivalCheck, markRollbackFailed } from './check-claim.js';
import {
  type CheckKind,
  classifyRecord,
  describeAge,
  describeProgress,
  expandAlarms,
  ownerOf,
  refuseRollback,
  rollbackTarget,
} from './check-classify.js';
import { describeError } from './emit.js';
import { describePromotedButSplit, isPromotedButSplit, promotedButSplitFix } from './promoted-split.js';
import { describeUntrustedRecord, untrustedRecordError } from './record-trust.js';
import { aliasMovedAway } from './record-view.js';
import { describeRollbackDone, rollbackDeployment } from './rollback.js';
import type { RollbackDeps } from './rollback-types.js';
import {
  DEFAULT_LIST_CONCURRENCY,
  type ListedRecord,
  listRecords,
  mapWithConcurrency,
} from './tag-state-store.js';

export interface CheckDeps {
  lambda: LambdaPort;
  metrics: MetricsPort;
  clock: Clock;
  events: EventSink;
  /**
   * Reads the named functions' records and re-reads one before each rollback. Without names, the
   * records are found by listing `lshift:*` tags through `lambda` (see listRecords).
   */
  store: StateStore;
  /** Moves traffic for the rollbacks (default: native alias weights over `lambda`). */
  traffic?: TrafficDriver;
  /**
   * Who runs this check, written into a record it claims before rolling back (check-claim.ts:
   * `check:<who>`). Two racing checks must have different owners. Default: `check:unknown`.
   */
  owner?: string;
  /** The driver for a record's engine (a CodeDeploy deployment is stopped with auto-rollback). */
  trafficFor?: RollbackDeps['trafficFor'];
  /**
   * Puts all traffic of the alias on `toVersion`. Default: the rollback program of
   * `rollbackDeployment` (same interpreter, RevisionId guard and record update as `lshift rollback`).
   */
  rollback?: (
    functionName: string,
    alias: string,
    toVersion: string,
    reason: string,
  ) => Promise<{ ok: boolean; message: string }>;
}

export interface CheckRequest {
  /** Functions to check; every function of the account/region with a record when absent. */
  functionNames?: string[];
  alias: string;
  /** How long after promotion a deployment is still watched. */
  windowSeconds: number;
  /**
   * Alarm names. `{function}` and `{alias}` are replaced per function (`{function}-errors`), so one
   * check over many functions reads each function's own alarms; a plain name applies to all.
   */
  alarms: string[];
  /** A record whose heartbeat is older than this has no live owner (default 120 s). */
  staleAfterSeconds?: number;
  /**
   * Functions with an alias or alarms of their own (a config file's `functions:` entries), by
   * function name (an ARN's name part): each is checked on them, the others on `alias`/`alarms`.
   * A Map, not an object: `__proto__` is a valid function name.
   */
  own?: ReadonlyMap<string, { alias?: string; alarms?: string[] }>;
  /**
   * A signal (SIGTERM from a scheduler, Ctrl-C): the function being decided is finished — its
   * rollback runs to the end, record included — and no other function is touched after it.
   * Not passed to the AWS clients, so a rollback in flight is never cut in half.
   */
  signal?: AbortSignal;
}

/** The alias and alarms one function is checked on: its own, else the request's. */
export function checkSettingsOf(
  req: CheckRequest,
  functionName: string,
): { alias: string; alarms: string[] } {
  const own = req.own?.get(functionKeyOf(functionName));
  return { alias: own?.alias ?? req.alias, alarms: own?.alarms ?? req.alarms };
}

export type CheckAction = 'healthy' | 'rolled_back' | 'rollback_failed' | 'skipped' | 'error';

export interface CheckResult {
  functionName: string;
  alias: string;
  deploymentId?: string;
  phase?: DeploymentPhase;
  action: CheckAction;
  reason: string;
  /** The version traffic was put back on (or should have been). */
  toVersion?: string;
  /** An unfinished deployment nobody drives any more (resume or roll it back). */
  stalled?: boolean;
  /** Not judged: the check was interrupted before its turn; nothing of it was changed. */
  interrupted?: boolean;
}

export interface CheckReport {
  /** Clock time of the check, epoch ms. */
  checkedAt: number;
  alias: string;
  windowSeconds: number;
  results: CheckResult[];
  /** The check was interrupted (the signal's reason): the results say what it did before. */
  interrupted?: string;
}

interface Candidate extends ListedRecord {
  kind: CheckKind;
  toVersion: string;
  alarmNames: string[];
}

export async function runCheck(deps: CheckDeps, req: CheckRequest): Promise<CheckReport> {
  validateCheckRequest(req);
  const now = deps.clock.now();
  const results: CheckResult[] = [];
  // Reported as decided, so a long check over many functions shows progress.
  const add = (r: CheckResult): void => {
    results.push(r);
    report(deps, r);
  };
  const candidates: Candidate[] = [];
  const gathered = await gatherRecords(deps, req, add);
  const splitPromoted = await findPromotedButSplit(deps, gathered);
  for (const listed of gathered) {
    const problem = describeUntrustedRecord(listed.record, now);
    if (problem !== undefined) {
      add(entry(listed, 'error', describeRefusal(listed, now, problem)));
      continue;
    }
    const split = splitPromoted.get(listed);
    if (split) {
      const why = `${describePromotedButSplit(listed, listed.record, split)}; left as it is, a human must decide. ${promotedButSplitFix(listed, listed.record)}`;
      add(entry(listed, 'skipped', why, { stalled: true }));
      continue;
    }
    const kind = classifyRecord(listed.record, now, req);
    if (typeof kind !== 'string') {
      add(entry(listed, 'skipped', kind.skip));
      continue;
    }
    const { alarms } = checkSettingsOf(req, listed.functionName);
    const alarmNames = expandAlarms(alarms, listed.functionName, listed.alias);
    candidates.push({ ...listed, kind, toVersion: rollbackTarget(listed.record), alarmNames });
  }
  const alarms = req.signal?.aborted ? { states: [] } : await readAlarms(deps.metrics, candidates);
  for (const c of candidates) {
    // Checked between functions only: one being rolled back is finished, record and all.
    add(req.signal?.aborted ? untouched(c, req.signal) : await decide(deps, c, alarms, now));
  }
  results.sort((a, b) => a.functionName.localeCompare(b.functionName) || a.alias.localeCompare(b.alias));
  return {
    checkedAt: now,
    alias: req.alias,
    windowSeconds: req.windowSeconds,
    results,
    ...(req.signal?.aborted ? { interrupted: describeInterrupt(req.signal) } : {}),
  };
}

/** A function the interrupted check did not get to: nothing read for it, nothing written. */
function untouched(c: Candidate, signal: AbortSignal): CheckResult {
  const why = `not checked: the check was ${describeInterrupt(signal)} before its turn; nothing was changed (run lshift check again)`;
  return { ...entry(c, 'skipped', why), interrupted: true };
}

/** `interrupted by SIGTERM`, from the signal's reason (src/cli/interrupts.ts), or `interrupted`. */
export function describeInterrupt(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : '';
  return /^interrupted by [A-Z]+$/.test(text) ? text : 'interrupted';
}

/** Usage errors of a check, before any AWS call (the command calls it before it builds clients). */
export function validateCheckRequest(req: CheckRequest): void {
  refuseMissingAlarms(req);
  if (req.staleAfterSeconds !== undefined) checkStaleAfter(req.staleAfterSeconds);
  if (!Number.isFinite(req.windowSeconds) || req.windowSeconds <= 0) {
    throw new UsageError(
      'CHECK_WINDOW_INVALID',
      `--window must be a positive duration, got ${req.windowSeconds}s`,
      {
        hint: 'Use e.g. --window 1h (how long after promotion a release is still watched).',
      },
    );
  }
}

/**
 * Every checked function needs an alarm. Without names, any function with a record may be
 * checked, so the request's own alarms must be there whatever the config file's entries have.
 */
function refuseMissingAlarms(req: CheckRequest): void {
  const named = req.functionNames ?? [];
  const bare = named.filter((f) => checkSettingsOf(req, f).alarms.length === 0);
  if (named.length > 0 && bare.length === 0) return;
  if (named.length === 0 && req.alarms.length > 0) return;
  const which =
    bare.length > 0 && req.own?.size
      ? ` (${bare.join(', ')} ${bare.length === 1 ? 'has' : 'have'} none)`
      : '';
  const unnamed =
    named.length === 0 && req.own?.size
      ? ' Without function names every function with a record is checked, so the top-level `alarms` (or --alarm) are needed too; or name the functions whose entries list alarms.'
      : '';
  throw new UsageError(
    'CHECK_NO_ALARMS',
    `lshift check needs at least one alarm to judge health by${which}`,
    {
      hint: `Pass --alarm <name> (repeatable; \`{function}\` stands for each function name) or list \`alarms\` in lshift.config (a \`functions:\` entry may list its own).${unnamed}`,
      context: { alias: req.alias },
    },
  );
}

async function gatherRecords(
  deps: CheckDeps,
  req: CheckRequest,
  add: (r: CheckResult) => void,
): Promise<ListedRecord[]> {
  const aliasOf = (functionName: string) => checkSettingsOf(req, functionName).alias;
  const unreadable = (functionName: string, error: unknown): CheckResult => ({
    functionName,
    alias: aliasOf(functionName),
    action: 'error',
    reason: `could not read the deployment record: ${describeError(error)}`,
  });
  if (req.functionNames === undefined || req.functionNames.length === 0) {
    return listRecords(deps.lambda, {
      alias: req.own?.size ? aliasOf : req.alias,
      onError: ({ functionName, error }) => add(unreadable(functionName, error)),
    });
  }
  const read = await mapWithConcurrency(req.functionNames, DEFAULT_LIST_CONCURRENCY, async (functionName) => {
    const alias = aliasOf(functionName);
    try {
      const record = await deps.store.read(functionName, alias);
      if (record) return { functionName, alias, record };
      add({ functionName, alias, action: 'skipped', reason: `no deployment record for alias ${alias}` });
    } catch (error) {
      add(unreadable(functionName, error));
    }
    return undefined;
  });
  return read.filter((r) => r !== undefined);
}

/**
 * The promoted records whose alias is still split (promoted-split.ts), with that alias: one
 * GetAlias per promoted record, within the window or not — a split nobody drives is stalled
 * whenever it was promoted. An alias that cannot be read leaves the record to the usual path.
 */
async function findPromotedButSplit(
  deps: CheckDeps,
  listed: readonly ListedRecord[],
): Promise<Map<ListedRecord, AliasInfo>> {
  const promoted = listed.filter((l) => l.record.phase === 'promoted');
  const aliases = await mapWithConcurrency(promoted, DEFAULT_LIST_CONCURRENCY, (l) =>
    deps.lambda.getAlias(l.functionName, l.alias).catch(() => undefined),
  );
  const found = new Map<ListedRecord, AliasInfo>();
  promoted.forEach((l, i) => {
    const alias = aliases[i];
    if (alias && isPromotedButSplit(l.record, alias)) found.set(l, alias);
  });
  return found;
}

type AlarmRead = { states: AlarmState[] } | { error: string };

/** One DescribeAlarms for every name any candidate needs (the adapter batches by 100). */
async function readAlarms(metrics: MetricsPort, candidates: Candidate[]): Promise<AlarmRead> {
  const names = [
    ...new Set(candidates.flatMap((c) => (c.kind === 'unfinished-rollback' ? [] : c.alarmNames))),
  ];
  if (names.length === 0) return { states: [] };
  try {
    return { states: await metrics.describeAlarms(names) };
  } catch (error) {
    return { error: describeError(error) };
  }
}

async function decide(deps: CheckDeps, c: Candidate, alarms: AlarmRead, now: number): Promise<CheckResult> {
  const { record } = c;
  const stalled = c.kind !== 'recent';
  if (c.kind === 'unfinished-rollback') {
    const why = `finishing the rollback of deployment ${record.id} that ${ownerOf(record)} started (no heartbeat for ${describeAge(now, record.heartbeatAt)})`;
    return rollBack(deps, c, why, stalled);
  }
  if ('error' in alarms) {
    return entry(c, 'error', `could not read alarms (${alarms.error}); health unknown, not rolled back`, {
      stalled,
    });
  }
  // One read serves every function: judge each on its own alarms only.
  const own = alarms.states.filter((s) => c.alarmNames.includes(s.name));
  const verdict = judgeAlarms(c.alarmNames, own, now);
  if (verdict.outcome === 'error') {
    return entry(c, 'error', `${verdict.summary}; health unknown, not rolled back`, { stalled });
  }
  if (verdict.outcome === 'fail') {
    const when =
      c.kind === 'recent'
        ? `after deployment ${record.id} promoted version ${record.targetVersion} ${describeAge(now, record.endedAt ?? record.heartbeatAt)} ago`
        : `during deployment ${record.id} (${describeProgress(record)}, no live owner)`;
    // An alarm's StateReason ends its sentence; `when` goes on with it.
    return rollBack(deps, c, `lshift check: ${verdict.summary.replace(/\.$/, '')} ${when}`, stalled);
  }
  if (c.kind === 'recent') return entry(c, 'healthy', verdict.summary);
  const moved = await describeMovedAway(deps, c);
  if (moved) return entry(c, 'healthy', `${verdict.summary}, but ${moved}`, { stalled });
  return entry(
    c,
    'healthy',
    `${verdict.summary}, but deployment ${record.id} (${describeProgress(record)}) has no live owner ` +
      `(heartbeat ${describeAge(now, record.heartbeatAt)} ago): finish it with \`lshift deploy ${c.functionName} --alias ${c.alias} --resume\` or undo it with \`lshift rollback ${c.functionName} --alias ${c.alias}\``,
    { stalled },
  );
}

/**
 * An orphaned deployment whose alias was moved by hand has nothing to resume: say what closes
 * its record instead (undefined when the alias may still be the deployment's, or is unreadable).
 */
async function describeMovedAway(deps: CheckDeps, c: Candidate): Promise<string | undefined> {
  const alias = await deps.lambda.getAlias(c.functionName, c.alias).catch(() => undefined);
  const how = alias && aliasMovedAway(c.record, alias);
  if (!alias || !how) return undefined;
  const fix =
    how === 'back-on-stable'
      ? `\`lshift rollback ${c.functionName} --alias ${c.alias}\` records that (it moves nothing)`
      : `\`lshift alias ${c.functionName} ${c.alias} <version>\` records where it should be and closes the record`;
  const where = how === 'back-on-stable' ? 'back to its stable version' : 'to versions it does not know';
  return `deployment ${c.record.id} (${describeProgress(c.record)}) was moved ${where} by hand and nobody will finish it: ${fix}`;
}

/**
 * Re-reads the record and the alias right before writing, so a deployment that started since, or
 * an alias somebody moved by hand, is left alone rather than overwritten.
 */
async function rollBack(
  deps: CheckDeps,
  c: Candidate,
  reason: string,
  stalled: boolean,
): Promise<CheckResult> {
  const base = { toVersion: c.toVersion, stalled };
  let current: DeploymentRecord | undefined;
  let alias: Awaited<ReturnType<LambdaPort['getAlias']>>;
  try {
    current = await deps.store.read(c.functionName, c.alias);
    alias = await deps.lambda.getAlias(c.functionName, c.alias);
  } catch (error) {
    return entry(
      c,
      'error',
      `${reason}; but could not re-read it before rolling back: ${describeError(error)}`,
      base,
    );
  }
  if (!alias) return entry(c, 'error', `${reason}; but alias ${c.alias} no longer exists`, base);
  const owner = deps.owner ?? checkOwner('unknown');
  const rival = describeRivalCheck(c.record, current, owner, deps.clock.now());
  // Not stalled: the other check drives it now.
  if (rival) return entry(c, 'skipped', `${reason}; ${rival}`, { toVersion: c.toVersion });
  const refusal = refuseRollback(c, current, alias);
  if (refusal !== undefined) return entry(c, 'skipped', `${reason}; ${refusal}`, base);
  const mismatch = current && describeUntrustedRecord(current, deps.clock.now(), alias);
  if (mismatch) return entry(c, 'error', describeRefusal(c, deps.clock.now(), mismatch), base);
  const claim = await claimOrExplain(deps, c, current!, owner, reason, base);
  if ('result' in claim) return claim.result;
  let result: CheckResult;
  try {
    const outcome = await (deps.rollback ?? rollBackWith(deps))(c.functionName, c.alias, c.toVersion, reason);
    result = entry(c, outcome.ok ? 'rolled_back' : 'rollback_failed', `${reason}: ${outcome.message}`, base);
  } catch (error) {
    result = entry(c, 'rollback_failed', `${reason}: rollback failed: ${describeError(error)}`, base);
  }
  // Not left `rolling-back` under this check's fresh heartbeat, which the next check would skip.
  if (result.action === 'rollback_failed') await markRollbackFailed(deps, c, claim.claimed);
  return result;
}

/**
 * The claim that makes this check the only one acting (check-claim.ts): the claimed record,
 * or the result to report — `skipped` when another check won, `error` when the store failed.
 */
async function claimOrExplain(
  deps: CheckDeps,
  c: Candidate,
  current: DeploymentRecord,
  owner: string,
  reason: string,
  base: Pick<CheckResult, 'toVersion' | 'stalled'>,
): Promise<{ claimed: DeploymentRecord } | { result: CheckResult }> {
  try {
    const end = await claimRollback(deps, c, current, owner);
    if (end.kind === 'claimed') return { claimed: end.record };
    // Not stalled: whoever won the claim drives it now.
    return { result: entry(c, 'skipped', `${reason}; ${end.why}`, { toVersion: base.toVersion }) };
  } catch (error) {
    const why = `${reason}; but could not claim its record before rolling back: ${describeError(error)}`;
    return { result: entry(c, 'error', why, base) };
  }
}

function entry(
  listed: ListedRecord,
  action: CheckAction,
  reason: string,
  extra: Pick<CheckResult, 'toVersion' | 'stalled'> = {},
): CheckResult {
  const { functionName, alias, record } = listed;
  return {
    functionName,
    alias,
    deploymentId: record.id,
    phase: record.phase,
    action,
    reason,
    ...(extra.toVersion === undefined ? {} : { toVersion: extra.toVersion }),
    ...(extra.stalled ? { stalled: true } : {}),
  };
}

/** The RECORD_INVALID message and hint (tag, how to clear it) as one line of the report. */
function describeRefusal(listed: ListedRecord, now: number, problem: string): string {
  const error = untrustedRecordError(
    { functionName: listed.functionName, alias: listed.alias, now },
    problem,
  );
  return `${error.message} ${error.hint ?? ''}`.trim();
}

function report(deps: CheckDeps, r: CheckResult): void {
  const level = r.action === 'healthy' || r.action === 'skipped' ? 'info' : 'warn';
  const message = `check ${r.functionName}:${r.alias}: ${r.action.replace('_', ' ')} — ${r.reason}`;
  deps.events.emit({ type: 'log', at: deps.clock.now(), level, message });
}

function rollBackWith(deps: CheckDeps): NonNullable<CheckDeps['rollback']> {
  return async (functionName, alias, to, reason) => {
    const result = await rollbackDeployment(deps, { functionName, alias, to, reason });
    const ok = result.status === 'rolled_back' || result.status === 'nothing_to_deploy';
    return { ok, message: describeRollbackDone(result) };
  };
}
