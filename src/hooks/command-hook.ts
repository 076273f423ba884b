/**
 * `cmd:` hooks: `/bin/sh -c <command>` in the working directory. Deployment facts reach the
 * command only as LSHIFT_* environment variables, never spliced into the command text, so a
 * value such as `$(rm -rf ~)` stays a string. The child runs in its own process group so a
 * timeout or abort kills everything it started, not just the shell.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { createOutputMasker, type KnownSecrets } from '../domain/output-secrets.js';
import type { HookPayload, HookSpec } from '../ports/hooks.js';
import { formatTimeout } from './deadline.js';
import { describeThrown, OutputTail } from './hook-output.js';
import type { HookOutcome, HookRunContext } from './hook-types.js';
import { isReleasePayload } from './payload-kind.js';

export interface CommandHookDeps {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL of the process group. */
  killGraceMs: number;
  /** The deployed functions' environment values lshift read: masked in the output too. */
  known?: KnownSecrets;
}

export const DEFAULT_KILL_GRACE_MS = 2000;
// After the shell exits, a background child may keep stdout open; read what is buffered, then move on.
const DRAIN_MS = 200;
const GROUP_POLL_MS = 50;

/** The LSHIFT_* variables a command hook receives (docs/hooks.md). */
export function buildHookEnv(payload: HookPayload): Record<string, string> {
  const common = {
    LSHIFT_PHASE: payload.phase,
    LSHIFT_STRATEGY: payload.strategy,
    LSHIFT_STARTED_AT: payload.startedAt,
  };
  if (isReleasePayload(payload)) {
    return {
      LSHIFT_RELEASE_ID: payload.releaseId,
      LSHIFT_FUNCTIONS: payload.functions.map((f) => `${f.functionName}:${f.alias}`).join(','),
      LSHIFT_FUNCTIONS_JSON: JSON.stringify(
        payload.functions.map((f) => ({ ...f, weight: roundWeight(f.weight) })),
      ),
      ...common,
    };
  }
  return {
    LSHIFT_FUNCTION: payload.functionName,
    LSHIFT_ALIAS: payload.alias,
    LSHIFT_STABLE_VERSION: payload.stableVersion,
    LSHIFT_TARGET_VERSION: payload.targetVersion,
    LSHIFT_WEIGHT: String(roundWeight(payload.weight)),
    LSHIFT_DEPLOYMENT_ID: payload.deploymentId,
    ...common,
  };
}

/** Every variable either kind of hook may be given. */
const HOOK_VARIABLES = [
  'LSHIFT_FUNCTION',
  'LSHIFT_ALIAS',
  'LSHIFT_STABLE_VERSION',
  'LSHIFT_TARGET_VERSION',
  'LSHIFT_WEIGHT',
  'LSHIFT_DEPLOYMENT_ID',
  'LSHIFT_RELEASE_ID',
  'LSHIFT_FUNCTIONS',
  'LSHIFT_FUNCTIONS_JSON',
  'LSHIFT_PHASE',
  'LSHIFT_STRATEGY',
  'LSHIFT_STARTED_AT',
];

/**
 * The command's environment: lshift's own with the hook's variables, and without those of the
 * other kind of hook. lshift run inside another lshift's hook inherits that hook's variables; a
 * release hook must not see an outer `LSHIFT_FUNCTION` as if it named a function of its release.
 */
export function commandHookEnv(base: NodeJS.ProcessEnv, payload: HookPayload): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const name of HOOK_VARIABLES) delete env[name];
  return { ...env, ...buildHookEnv(payload) };
}

/** A weight as a short decimal (`0.5`, not `0.49999999999`). */
function roundWeight(weight: number): number {
  return Math.round(weight * 1e9) / 1e9;
}

type Ending =
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'spawn-error'; error: Error };

export async function runCommandHook(
  spec: Extract<HookSpec, { kind: 'cmd' }>,
  payload: HookPayload,
  ctx: HookRunContext,
  deps: CommandHookDeps,
): Promise<HookOutcome> {
  const env = commandHookEnv(deps.env, payload);
  // The command may print what its environment holds (`env`, `set -x`, a tool's debug log): the
  // values of its secret-looking variables, and every value of the deployed function's own
  // environment (`aws lambda get-function-configuration`), are masked in every line lshift keeps
  // or shows.
  const tail = new OutputTail(ctx.onOutput, createOutputMasker(env, deps.known));
  const graceSeconds = String(Math.max(1, Math.ceil(deps.killGraceMs / 1000)));
  const child = spawn('/bin/sh', ['-c', LIFELINE_SCRIPT, 'lshift-hook', spec.command, graceSeconds], {
    cwd: deps.cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const lifeline = holdLifeline(child);
  const closed = pipeOutput(child, tail);
  const untrack = trackGroup(child.pid);
  let stoppedBy: 'timeout' | 'aborted' | undefined;
  const stop = (why: 'timeout' | 'aborted'): void => {
    if (stoppedBy !== undefined) return;
    stoppedBy = why;
    killGroup(child, deps.killGraceMs);
  };
  const timer = setTimeout(() => stop('timeout'), Math.min(Math.max(0, ctx.timeoutMs), 2_147_483_647));
  const onAbort = (): void => stop('aborted');
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal?.aborted) onAbort();
  try {
    const ending = await waitForEnding(child);
    await Promise.race([closed, delay(DRAIN_MS)]);
    child.stdout?.destroy();
    child.stderr?.destroy();
    const outcome = describeEnding(deps.cwd, ending, stoppedBy, ctx.timeoutMs, tail);
    // Not after an abort: a signal or a takeover ended it, its output is not why it failed.
    if (!outcome.ok && stoppedBy !== 'aborted') tail.showHiddenTail();
    return outcome;
  } finally {
    clearTimeout(timer);
    ctx.signal?.removeEventListener('abort', onAbort);
    if (stoppedBy === undefined) lifeline.release('done');
    else {
      // A child that ignores SIGTERM may outlive the stopped command: the watcher stays to send the
      // grace period's SIGKILL, should lshift die before its own (kill -9 in the grace, found by a
      // hostile pass), and lshift need not stay up for it.
      lifeline.release('grace');
      if (child.pid !== undefined) handOverGroup(child.pid);
    }
    untrack();
  }
}

/**
 * How the command's process group ends when lshift dies without a chance to end it (kill -9, the
 * OOM killer, a crash of node): the shell lshift starts forks a watcher, then becomes the command
 * (`exec /bin/sh -c "$1"`: the same process, pid, exit code and signal as a plain `sh -c`). The
 * watcher blocks reading fd 3, a pipe whose other end only lshift holds (the command gets no fd
 * 3). When lshift's hook ends it writes a line there: the watcher leaves quietly, and whatever the
 * command left running in the background is left as before — unless lshift had stopped the group
 * (`grace`): the command's shell may have died of the SIGTERM while a child ignoring it lives on,
 * so the watcher stays to send the grace period's SIGKILL in case lshift dies before it does
 * (lshift's own SIGKILL, sent first while it lives, ends the watcher too). When lshift dies the kernel closes
 * its end: the read meets end-of-file with no line, and the watcher ends the group as lshift's own
 * stop would — SIGTERM, the grace period ($2, whole seconds), SIGKILL. The watcher ignores
 * SIGTERM from its birth (`sleep` inherits that): a stop of lshift's (timeout, abort, Ctrl-C) signals the whole
 * group, and should lshift die within that stop's grace period, before its SIGKILL, the watcher
 * is still there to send it; the command ended, lshift's line sends the watcher away, and the
 * group is gone. It costs one fork of the shell (no new program) per hook.
 * The command is "$1", never spliced into the script.
 */
const LIFELINE_SCRIPT = [
  // Ignored before the fork, so the watcher is born ignoring it (a subshell keeps ignored signals:
  // POSIX, Shell Command Language 2.12), then restored for the command. Set inside the watcher,
  // a stop's SIGTERM right after the start could reach it before its trap ran, under load: it
  // died, and with lshift killed in the grace period a command ignoring SIGTERM outlived both
  // (seen once in a loaded CI run).
  'trap "" TERM',
  '{ if read -r line <&3; then [ "$line" = grace ] || exit 0; else kill -TERM 0; fi; sleep "$2"; kill -KILL 0; } </dev/null >/dev/null 2>&1 &',
  'trap - TERM',
  'exec /bin/sh -c "$1" 3<&-',
].join('\n');

/**
 * lshift's end of the command's lifeline (LIFELINE_SCRIPT), released once the hook has ended:
 * `done` sends the watcher away; `grace` (the group was stopped) leaves it to send SIGKILL after
 * the grace period, which lshift's own poll sends first while lshift lives.
 */
function holdLifeline(child: ChildProcess): { release: (how: 'done' | 'grace') => void } {
  const line = child.stdio[3] as Writable | null | undefined;
  // The watcher is gone already when the group was stopped: a write then fails (EPIPE), harmlessly.
  line?.on('error', () => undefined);
  return {
    release: (how) => {
      if (!line) return;
      line.end(`${how}\n`);
      // After `grace` the watcher keeps its end open for the grace period: not a reason for lshift
      // to stay up (its end of the socket would keep the event loop alive).
      (line as Writable & { unref?: () => void }).unref?.();
    },
  };
}

/**
 * Process groups of commands still running or not yet confirmed dead. lshift may exit before a
 * group's SIGKILL is due (a second Ctrl-C exits at once, in the 2 s grace): a group that ignores
 * SIGTERM would then outlive lshift. On exit, whatever is left is killed; `process.kill` is
 * synchronous, so it works in an 'exit' listener.
 */
const liveGroups = new Set<number>();

function trackGroup(pgid: number | undefined): () => void {
  if (pgid === undefined) return () => undefined;
  if (liveGroups.size === 0) process.on('exit', killLiveGroups);
  liveGroups.add(pgid);
  return () => {
    // Still alive after the command ended: a stop is in its grace period; the poll releases it.
    if (signalGroup(pgid, 0) && pendingKills.has(pgid)) return;
    releaseGroup(pgid);
  };
}

function releaseGroup(pgid: number): void {
  if (!liveGroups.delete(pgid)) return;
  if (liveGroups.size === 0) process.off('exit', killLiveGroups);
}

/** The grace-period polls of groups lshift stopped (killGroup), by process group. */
const pendingKills = new Map<number, NodeJS.Timeout>();

/**
 * The stopped command ended and its watcher now holds the grace period's SIGKILL (`grace` on the
 * lifeline): lshift's own poll no longer keeps it running, nor does its exit kill the group early.
 */
function handOverGroup(pgid: number): void {
  pendingKills.get(pgid)?.unref();
  releaseGroup(pgid);
}

function killLiveGroups(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

function pipeOutput(child: ChildProcess, tail: OutputTail): Promise<void> {
  const streams = [child.stdout, child.stderr].flatMap((s) => (s ? [s] : []));
  return Promise.all(
    streams.map((stream) => {
      const splitter = tail.createSplitter();
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => splitter.push(chunk));
      return new Promise<void>((resolve) => {
        stream.once('close', () => {
          splitter.flush();
          resolve();
        });
      });
    }),
  ).then(() => undefined);
}

function waitForEnding(child: ChildProcess): Promise<Ending> {
  return new Promise((resolve) => {
    // `on`, not `once`: a second 'error' without a listener would crash the process.
    child.on('error', (error) => resolve({ kind: 'spawn-error', error }));
    child.once('exit', (code, signal) => resolve({ kind: 'exit', code, signal }));
  });
}

function describeEnding(
  cwd: string,
  ending: Ending,
  stoppedBy: 'timeout' | 'aborted' | undefined,
  timeoutMs: number,
  tail: OutputTail,
): HookOutcome {
  const outputTail = tail.text() === '' ? undefined : tail.text();
  if (ending.kind === 'spawn-error') {
    const missing =
      (ending.error as { code?: unknown }).code === 'ENOENT' ? ' (does the directory exist?)' : '';
    return {
      ok: false,
      reason: `could not start /bin/sh in ${cwd}: ${describeThrown(ending.error)}${missing}`,
      outputTail,
    };
  }
  if (stoppedBy === 'timeout') {
    return {
      ok: false,
      reason: `timed out after ${formatTimeout(timeoutMs)}; the command was killed`,
      outputTail,
    };
  }
  if (stoppedBy === 'aborted') return { ok: false, reason: 'aborted; the command was killed', outputTail };
  if (ending.code === 0) return { ok: true };
  const how = ending.signal !== null ? `was killed by ${ending.signal}` : `exited with code ${ending.code}`;
  return { ok: false, reason: `the command ${how}`, outputTail };
}

/**
 * SIGTERM to the whole process group, then SIGKILL after the grace period unless the group is
 * already gone. A negative pid addresses the group, which `detached: true` made the child lead.
 */
function killGroup(child: ChildProcess, graceMs: number): void {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const done = (): void => {
    clearInterval(poll);
    pendingKills.delete(pgid);
    releaseGroup(pgid);
  };
  // Counts poll ticks instead of reading the clock: hooks never read the time (only the clock
  // adapter does), and a tick late under load only lengthens the grace.
  let waitedMs = 0;
  const poll = setInterval(() => {
    waitedMs += GROUP_POLL_MS;
    if (!signalGroup(pgid, 0)) {
      done();
    } else if (waitedMs >= graceMs) {
      signalGroup(pgid, 'SIGKILL');
      done();
    }
  }, GROUP_POLL_MS);
  pendingKills.set(pgid, poll);
}

/** false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
