/**
 * `deploy --resume` takes a deployment over only once its runner is gone. Its heartbeat's age
 * cannot say so: the timestamp is the runner's clock, and a resume whose clock runs minutes
 * ahead took a live runner for dead — two processes then drove one alias. So the resume watches
 * the record (heartbeat-watch.ts): a live runner writes its heartbeat more often than the stale
 * limit, and a record unchanged for that long on this machine's clock has nobody writing it,
 * whatever the clocks say. The last check before anything is written; it costs up to the stale
 * limit (2 minutes), the price of not trusting two clocks.
 */
import type { DeploymentRecord } from '../domain/deployment-record.js';
import { formatDuration } from '../domain/duration.js';
import { ConflictError, OperationError, UnsafeError } from '../domain/errors.js';
import { clockWords } from '../domain/heartbeat-age.js';
import { parseProcessOwner } from '../domain/owner-mark.js';
import { describeAge, isAbandoned, ownerOf } from './check-classify.js';
import { buildResumeCommand } from './deploy-result.js';
import { DEFAULT_STALE_AFTER_SECONDS, type DeployDeps } from './deploy-types.js';
import { logInfo } from './emit.js';
import { watchHeartbeat } from './heartbeat-watch.js';
import { checkOwner, deadPidHere } from './owner-kinds.js';
import { pass, refuse } from './preflight-checks.js';
import { isEnded, isPromoteUnconfirmed } from './record-view.js';
import { isRunnerKnownGone } from './status-stalled.js';

const CHECK = 'runner-gone';

/** Refuses (DEPLOYMENT_IN_PROGRESS, exit 5) when the record changes while watched. */
export async function confirmRunnerGone(
  deps: DeployDeps,
  req: {
    functionName: string;
    alias: string;
    owner: string;
    staleAfterSeconds?: number;
    signal?: AbortSignal;
  },
  record: DeploymentRecord,
): Promise<void> {
  // Paused, failed, or a promote its runner gave up on: the runner itself said it stopped.
  if (!deps.store || isEnded(record) || isPromoteUnconfirmed(record)) return;
  const { functionName: fn, alias: name } = req;
  const staleSeconds = req.staleAfterSeconds ?? DEFAULT_STALE_AFTER_SECONDS;
  const limit = formatDuration(staleSeconds);
  const dead = deadRunnerHere(deps, req, record, staleSeconds * 1000);
  if (dead) {
    pass(
      deps,
      CHECK,
      `deployment ${record.id} of ${fn} alias ${name} is ${record.phase}, its heartbeat ${describeAge(deps.clock.now(), record.heartbeatAt)} old, and its runner (${dead}) no longer runs on this machine: taken over without watching its record`,
    );
    return;
  }
  logInfo(
    deps,
    `deployment ${record.id} of ${fn} alias ${name} is ${record.phase} (heartbeat ${describeAge(deps.clock.now(), record.heartbeatAt)} ago by ${clockWords(deps.clock.followsSandbox)}): making sure its runner stopped — it is taken over once its record has not changed for ${limit}`,
  );
  const context = { functionName: fn, alias: name };
  let end: Awaited<ReturnType<typeof watchHeartbeat>>;
  try {
    end = await watchHeartbeat(
      { store: deps.store, clock: deps.clock, ...(req.signal ? { signal: req.signal } : {}) },
      context,
      record,
      staleSeconds * 1000,
    );
  } catch (error) {
    if (!req.signal?.aborted) throw error;
    throw interruptedBeforeTakeover(req.signal, record, context);
  }
  if (end.kind === 'unreadable') {
    refuse(
      deps,
      CHECK,
      new OperationError(
        'STATE_UNREADABLE',
        `Could not read the deployment record of ${fn} alias ${name} while making sure its runner stopped: ${end.error}`,
        { hint: 'Nothing was written; run the command again.', context },
      ),
    );
  }
  if (end.kind === 'alive') {
    const now = end.record
      ? `now ${end.record.phase}, deployment ${end.record.id} by ${ownerOf(end.record)}`
      : 'now gone';
    refuse(
      deps,
      CHECK,
      new ConflictError(
        'DEPLOYMENT_IN_PROGRESS',
        sameRunner(record, end.record)
          ? `Deployment ${record.id} by ${ownerOf(record)} of ${fn} alias ${name} is still running (${record.phase}): its record changed while this resume watched it (${now}); only a deployment whose runner stopped can be resumed.`
          : // Another lshift (a check, a rollback) took it while this resume watched: "still running
            // (rolling-back) … (now rolled-back)" said the opposite of what happened (hostile pass).
            `The record of deployment ${record.id} on ${fn} alias ${name} changed while this resume made sure its runner had stopped (${now}): someone else acted on it, and this resume wrote nothing.`,
        {
          hint: `Wait for it; \`lshift status ${fn} --alias ${name}\` shows it. A resume takes a deployment over once its record has not changed for ${limit}.`,
          context,
        },
      ),
    );
  }
  pass(deps, CHECK, `deployment ${record.id}'s record did not change for ${limit}: its runner stopped`);
}

/** The record seen changing is still the deployment's own runner's: same deployment, same owner, not ended. */
function sameRunner(watched: DeploymentRecord, now: DeploymentRecord | undefined): boolean {
  return now !== undefined && now.id === watched.id && now.owner === watched.owner && !isEnded(now);
}

/**
 * `process 41 of cron@host-a` when the record's runner is this user's on this machine, its pid no
 * longer runs here, and it is abandoned by the rule `lshift check` and `lshift status` use
 * (check-classify.ts isAbandoned: a heartbeat older than the stale limit — one clock, this
 * machine's — or a rollback claim whose pid is gone), or its owner carries this machine's token.
 * Its pid alone, with a fresh heartbeat and no token, is not enough: a runner in another
 * container with this hostname has pids this one cannot see.
 */
function deadRunnerHere(
  deps: DeployDeps,
  req: { owner: string },
  record: DeploymentRecord,
  staleMs: number,
): string | undefined {
  // As a check run by this process would see it: the same user@host, this machine's processes.
  const here = { owner: checkOwner(req.owner), processes: deps.processes };
  const pid = deadPidHere(record.owner, here.owner, here.processes);
  if (pid === undefined) return undefined;
  // Its owner carries this machine's token (status-stalled.ts isRunnerKnownGone): no runner of
  // another container, so a fresh heartbeat changes nothing — as `lshift status` says STALLED and
  // the operator verbs refuse at once. The resume watched for 2 minutes, while a `lshift pause`
  // meanwhile was told "has no runner" and offered a second resume (found by a hostile pass).
  if (!isAbandoned(record, deps.clock.now(), staleMs, here) && !isRunnerKnownGone(record, pid))
    return undefined;
  return `process ${pid} of ${parseProcessOwner(record.owner)?.operator ?? record.owner}`;
}

/**
 * Ctrl-C before the takeover: lshift wrote nothing, but the alias is where the dead run left it.
 * Split, nobody runs it: exit 4 with the state and both ways out, not "unchanged" (exit 1) under a
 * notice that every function goes back (found by a hostile pass: three aliases left 50/50).
 */
function interruptedBeforeTakeover(
  signal: AbortSignal,
  record: DeploymentRecord,
  context: { functionName: string; alias: string },
): OperationError {
  const why = signal.reason instanceof Error ? signal.reason.message : 'interrupted';
  const before = `${why} while making sure deployment ${record.id}'s runner stopped, before any write`;
  if (record.percent <= 0 || record.percent >= 100)
    return new OperationError(
      'INTERRUPTED',
      `${before}; alias ${context.alias} and its record are unchanged.`,
      {
        hint: 'Run the resume again when ready.',
        context,
      },
    );
  // Naming no function, it finds the release's records on every alias; named, each would need
  // its own alias flag (a `<its functions…>` placeholder failed when copied).
  const rollback = record.releaseId
    ? `\`lshift rollback --release ${record.releaseId}\``
    : `\`lshift rollback ${context.functionName} --alias ${context.alias}\``;
  return new UnsafeError(
    'INTERRUPTED',
    `${before}: lshift changed nothing, and alias ${context.functionName}:${context.alias} is where that deployment left it, ${record.percent}% on version ${record.targetVersion}, with nobody running it.`,
    {
      hint: `Resume it with ${buildResumeCommand(context.functionName, context.alias, record)}, or put all traffic back on version ${record.stableVersion} with ${rollback}.`,
      context,
    },
  );
}
