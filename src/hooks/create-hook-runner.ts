/**
 * The HookRunner the CLI hands to the engine: dispatches on the hook kind, applies a hook's own
 * timeout over the run option, and turns every failure into a HookResult (it never throws).
 * The Lambda port is created only when a `lambda:`/`invoke-target:` hook actually runs, so a
 * deploy with only command hooks does not pay for an SDK client it does not use.
 */
import { formatHookSpec } from '../domain/hook-spec.js';
import { createKnownMasker, type KnownSecrets, maskForms } from '../domain/output-secrets.js';
import type { HookPayload, HookResult, HookRunner, HookRunOptions, HookSpec } from '../ports/hooks.js';
import { type CommandHookDeps, DEFAULT_KILL_GRACE_MS, runCommandHook } from './command-hook.js';
import { describeThrown } from './hook-output.js';
import type { HookLambda, HookOutcome, HookRunContext } from './hook-types.js';
import { runHttpHook } from './http-hook.js';
import { runInvokeTargetHook } from './invoke-target-hook.js';
import { runLambdaHook } from './lambda-hook.js';

export type { HookLambda } from './hook-types.js';

export interface HookRunnerDeps {
  /** Creates the Lambda client on first use. A full LambdaPort fits. */
  lambda?: () => Promise<HookLambda> | HookLambda;
  /** Working directory for `cmd:` hooks and `invoke-target:` payload files. Default: process.cwd(). */
  cwd?: string;
  /** Base environment of `cmd:` hooks (LSHIFT_* variables are added). Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Time between SIGTERM and SIGKILL when a command hook is killed. Default 2 s. */
  killGraceMs?: number;
  /**
   * Reads elapsed real milliseconds for each hook's `durationMs` (hooks never read the time
   * themselves; the CLI passes `readElapsedMs` from src/cli/clocks.ts). Without it durations are 0.
   */
  now?: () => number;
  /**
   * The deployed functions' environment values, as lshift reads them (the CLI's Lambda client
   * adds each it sees): masked in everything a hook prints or answers, and in its reason.
   */
  known?: KnownSecrets;
}

export function createHookRunner(deps: HookRunnerDeps = {}): HookRunner {
  const getLambda = memoizeLambda(deps.lambda);
  const commandDeps = (): CommandHookDeps => ({
    cwd: deps.cwd ?? process.cwd(),
    env: deps.env ?? process.env,
    killGraceMs: deps.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    known: deps.known,
  });
  const mask = createKnownMasker(deps.known);
  const dispatch = (spec: HookSpec, payload: HookPayload, ctx: HookRunContext): Promise<HookOutcome> => {
    switch (spec.kind) {
      case 'cmd':
        return runCommandHook(spec, payload, ctx, commandDeps());
      case 'http':
        return runHttpHook(spec, payload, ctx);
      case 'lambda':
        return runLambdaHook(spec, payload, ctx, getLambda);
      case 'invoke-target':
        return runInvokeTargetHook(spec, payload, ctx, { cwd: deps.cwd ?? process.cwd(), getLambda });
    }
  };
  return {
    display: (spec) =>
      deps.known ? maskForms(formatHookSpec(spec), deps.known.forms()) : formatHookSpec(spec),
    async run(spec: HookSpec, payload: HookPayload, opts: HookRunOptions): Promise<HookResult> {
      const now = deps.now ?? (() => 0);
      const started = now();
      const ctx: HookRunContext = { ...opts, timeoutMs: resolveTimeoutMs(spec, opts.timeoutMs), mask };
      let outcome: HookOutcome;
      if (opts.signal?.aborted) {
        outcome = { ok: false, reason: 'aborted before it started' };
      } else {
        try {
          outcome = await dispatch(spec, payload, ctx);
        } catch (error) {
          outcome = { ok: false, reason: `the hook could not run: ${describeThrown(error)}` };
        }
      }
      return toResult(maskKnownValues(outcome, deps.known), Math.round(now() - started));
    },
  };
}

/** A hook's own `timeoutSeconds` (config file) wins over the run-wide `--hook-timeout`. */
export function resolveTimeoutMs(spec: HookSpec, fallbackMs: number): number {
  return spec.timeoutSeconds !== undefined ? spec.timeoutSeconds * 1000 : fallbackMs;
}

/**
 * The reason of any hook, masked once more with the known function values: an error a hook could
 * not run with (`could not invoke …: <the SDK's message>`) may quote what the function answered.
 */
function maskKnownValues(outcome: HookOutcome, known: KnownSecrets | undefined): HookOutcome {
  if (known === undefined || known.values().length === 0) return outcome;
  const forms = known.forms();
  return {
    ...outcome,
    ...(outcome.reason === undefined ? {} : { reason: maskForms(outcome.reason, forms) }),
    ...(outcome.outputTail === undefined ? {} : { outputTail: maskForms(outcome.outputTail, forms) }),
  };
}

/** Leaves out fields without a value, so results compare and serialize cleanly. */
function toResult(outcome: HookOutcome, durationMs: number): HookResult {
  return {
    ok: outcome.ok,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(outcome.outputTail === undefined ? {} : { outputTail: outcome.outputTail }),
    durationMs,
  };
}

function memoizeLambda(factory: HookRunnerDeps['lambda']): () => Promise<HookLambda> {
  let pending: Promise<HookLambda> | undefined;
  return () => {
    if (factory === undefined) {
      return Promise.reject(new Error('no Lambda client is configured for Lambda hooks'));
    }
    if (pending === undefined) {
      const created = Promise.resolve().then(factory);
      // A failed creation (e.g. no region) is retried by the next hook rather than cached.
      created.catch(() => {
        if (pending === created) pending = undefined;
      });
      pending = created;
    }
    return pending;
  };
}
