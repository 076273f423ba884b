/**
 * `cmd:` hooks: `/bin/sh -c <command>` in the working directory. Deployment facts reach the
 * command only as LSHIFT_* environment variables, never spliced into the command text, so a
 * value such as `$(rm -rf ~)` stays a string. The child runs in its own process group so a
 * timeout or abort kills everything it started, not just the shell.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createOutputMasker, type KnownSecrets } from '../domain/output-secrets.js';
import type { HookPayload, HookSpec } from '../ports/hooks.js';
import { formatTimeout } from './deadline.js';
import { describeThrown, OutputTail } from './hook-output.js';
import type { HookOutcome, HookRunContext } from './hook-types.js';
import { isReleasePayload } from './payload-kind.js';
import { handOverGroup, holdLifeline, killGroup, LIFELINE_SCRIPT, trackGroup } from './process-group.js';

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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
