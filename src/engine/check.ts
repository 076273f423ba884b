/**
 * `lshift check`: the scheduled rollback check (cron, a scheduled CI job). It looks at the
 * deployment records (tags `lshift:<alias>`) and rolls back what went bad after nobody was
 * watching any more:
 *  - a deployment promoted within the window whose alarm fires now, or went to ALARM and back
 *    since its last alarm poll before the promotion (check-flaps.ts) → back to the previous version;
 *  - a deployment whose runner died (heartbeat older than the staleness limit, or `paused`, or a
 *    `failed` rollback) with an alarm firing → back to its stable version;
 *  - a rollback whose runner died before it finished (`rolling-back`, stale) → finished, whatever
 *    the alarms say: its owner had already decided.
 * A deployment still driven by a live process is left to it. Unreadable alarms are never healthy:
 * the function gets `error` (exit 1), not a rollback — the check cannot tell, a human should look.
 * This file runs the passes: check-candidates.ts sorts the records read, check-decide.ts decides
 * on each candidate once watched, check-rollback.ts carries out a rollback decided.
 */

import { readAlarms } from './check-alarms.js';
import { type Candidate, collectCandidates } from './check-candidates.js';
import { type CodeDeployDecision, decideWithoutAlarms } from './check-codedeploy.js';
import { decideDrivenBeforeWatch, readCodeDeployViews } from './check-codedeploy-reads.js';
import { act, decide } from './check-decide.js';
import { entry, report } from './check-entry.js';
import { findCheckFlaps } from './check-flaps.js';
import { holdReports, targetKey } from './check-held-reports.js';
import { gatherRecords } from './check-records.js';
import { validateCheckRequest } from './check-request.js';
import type { CheckDeps, CheckReport, CheckRequest, CheckResult } from './check-types.js';
import { watchCandidates } from './check-watch.js';
import { DEFAULT_STALE_AFTER_SECONDS } from './deploy-types.js';
import { shareListing } from './records-in-reach.js';

export { checkSettingsOf, validateCheckRequest } from './check-request.js';
export type { CheckAction, CheckDeps, CheckReport, CheckRequest, CheckResult } from './check-types.js';

export async function runCheck(given: CheckDeps, req: CheckRequest): Promise<CheckReport> {
  const deps: CheckDeps = {
    ...given,
    rollbackPersist: given.rollbackPersist ?? {},
    releaseListing: given.releaseListing ?? shareListing(given.lambda),
  };
  validateCheckRequest(req);
  const now = deps.clock.now();
  const results: CheckResult[] = [];
  // Reported as decided, so a long check over many functions shows progress; a release's
  // functions once its verdict is in (check-held-reports.ts).
  const inRelease = new Set<string>();
  const reads = readingPhases(deps, req.signal);
  const add = (given: CheckResult): void => {
    const r = reads.taken(given);
    results.push(r);
    if (!inRelease.has(targetKey(r))) report(deps, r);
  };
  const unread: string[] = [];
  reads.only(true);
  const gathered = await gatherRecords(deps, req, add, (fn) => unread.push(fn));
  for (const listed of gathered) if (listed.record.releaseId) inRelease.add(targetKey(listed));
  const unreadable = results.filter((r) => r.action === 'error').length;
  const candidates = await collectCandidates(deps, req, now, gathered, unreadable, unread, add);
  try {
    await judgeCandidates(deps, req, now, candidates, add, reads.only);
  } finally {
    reads.only(false);
  }
  results.sort((a, b) => a.functionName.localeCompare(b.functionName) || a.alias.localeCompare(b.alias));
  return holdReports(
    {
      checkedAt: now,
      alias: req.alias,
      windowSeconds: req.windowSeconds,
      results,
      ...(req.signal?.aborted ? { interrupted: describeInterrupt(req.signal) } : {}),
    },
    inRelease,
  );
}

/**
 * Watches the candidates for the stale limit, reads what decides them (CodeDeploy, then the alarms
 * in one read) and decides each in turn; after a signal, those not reached are left untouched.
 */
async function judgeCandidates(
  deps: CheckDeps,
  req: CheckRequest,
  now: number,
  candidates: Candidate[],
  add: (r: CheckResult) => void,
  readsOnly: (on: boolean) => void,
): Promise<void> {
  // A stale record AWS CodeDeploy still drives, alarms OK: nothing to act on, no watch needed.
  const driven = req.signal?.aborted
    ? new Map<Candidate, CodeDeployDecision>()
    : await decideDrivenBeforeWatch(deps, candidates, now);
  readsOnly(false);
  for (const [c, d] of driven) add(await act(deps, c, d));
  readsOnly(true);
  const toWatch = candidates.filter((c) => !driven.has(c));
  // Acted on only once seen unchanged for the stale limit (the heartbeat is another machine's clock).
  const watched = await watchCandidates(deps, toWatch, req, (c, w) =>
    add(
      w.kind === 'interrupted'
        ? untouched(c, req.signal!)
        : entry(c, w.kind === 'alive' ? 'skipped' : 'error', w.why),
    ),
  );
  // One GetDeployment per CodeDeploy record; some are decided by it alone (no alarms read for them).
  const views = req.signal?.aborted ? [] : await readCodeDeployViews(deps, watched);
  readsOnly(false);
  const judged: Candidate[] = [];
  for (const [i, c] of watched.entries()) {
    const view = views[i];
    if (view) c.codeDeploy = view;
    const early = view && decideWithoutAlarms(c, view, now, req.windowSeconds);
    // Closing a record is a write too: none after a signal.
    if (early) add(req.signal?.aborted ? untouched(c, req.signal) : await act(deps, c, early));
    else judged.push(c);
  }
  readsOnly(true);
  const alarms = req.signal?.aborted ? { states: [] } : await readAlarms(deps.metrics, judged);
  // Alarms that went to ALARM and back since the window began (check-flaps.ts).
  const flaps = req.signal?.aborted
    ? []
    : await findCheckFlaps(deps.metrics, judged, alarms, now, req.signal);
  readsOnly(false);
  for (const [i, c] of judged.entries()) {
    // Checked between functions only: one being rolled back is finished, record and all.
    const staleMs = (req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS) * 1000;
    add(
      req.signal?.aborted ? untouched(c, req.signal) : await decide(deps, c, alarms, now, flaps[i], staleMs),
    );
  }
}

/**
 * The stretches in which the check only reads (deps.reading). A signal there abandons the reads
 * in flight (cli/check-reads.ts): what such a read's failure made an `error` is a function the
 * check did not get to, reported so — not "could not read", not checked before it stopped.
 */
function readingPhases(
  deps: CheckDeps,
  signal: AbortSignal | undefined,
): { only: (on: boolean) => void; taken: (r: CheckResult) => CheckResult } {
  let reading = false;
  return {
    only: (on) => {
      reading = on;
      deps.reading?.(on);
    },
    taken: (r) =>
      reading && signal?.aborted && r.action === 'error' && !r.interrupted
        ? {
            functionName: r.functionName,
            alias: r.alias,
            ...(r.deploymentId ? { deploymentId: r.deploymentId } : {}),
            ...(r.phase ? { phase: r.phase } : {}),
            action: 'skipped',
            reason: notCheckedWhy(signal),
            interrupted: true,
          }
        : r,
  };
}

function notCheckedWhy(signal: AbortSignal): string {
  return `not checked: the check was ${describeInterrupt(signal)} before its turn; nothing was changed (run lshift check again)`;
}

/** A function the interrupted check did not get to: nothing read for it, nothing written. */
function untouched(c: Candidate, signal: AbortSignal): CheckResult {
  return { ...entry(c, 'skipped', notCheckedWhy(signal)), interrupted: true };
}

/** `interrupted by SIGTERM`, from the signal's reason (src/cli/interrupts.ts), or `interrupted`. */
export function describeInterrupt(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  const text = reason instanceof Error ? reason.message : '';
  return /^interrupted by [A-Z]+$/.test(text) ? text : 'interrupted';
}
