/**
 * A HookRunner whose results are scripted per hook `raw` string. Each `script` call queues
 * results; the last one repeats. Unscripted hooks pass. Every call is logged with its payload.
 */
import { isReleasePayload } from '../../src/hooks/payload-kind.js';
import type {
  FunctionHookPayload,
  HookPayload,
  HookResult,
  HookRunner,
  HookRunOptions,
  HookSpec,
} from '../../src/ports/hooks.js';

export type ScriptedHook =
  | (Partial<HookResult> & { lines?: string[]; throws?: Error })
  | ((payload: HookPayload, opts: HookRunOptions) => HookResult | Promise<HookResult>);

export interface HookCall {
  spec: HookSpec;
  payload: HookPayload;
  timeoutMs: number;
  hadSignal: boolean;
}

export class FakeHooks implements HookRunner {
  readonly calls: HookCall[] = [];
  private readonly scripts = new Map<string, ScriptedHook[]>();

  script(raw: string, ...results: ScriptedHook[]): this {
    this.scripts.set(raw, [...(this.scripts.get(raw) ?? []), ...results]);
    return this;
  }

  /** Calls of one hook (by raw), or all. */
  callsOf(raw?: string): HookCall[] {
    return raw === undefined ? this.calls : this.calls.filter((c) => c.spec.raw === raw);
  }

  async run(spec: HookSpec, payload: HookPayload, opts: HookRunOptions): Promise<HookResult> {
    this.calls.push({
      spec,
      payload: structuredClone(payload),
      timeoutMs: opts.timeoutMs,
      hadSignal: opts.signal !== undefined,
    });
    const queue = this.scripts.get(spec.raw) ?? [];
    const scripted = queue.length > 1 ? queue.shift() : queue[0];
    if (scripted === undefined) return { ok: true, durationMs: 0 };
    if (typeof scripted === 'function') return scripted(payload, opts);
    for (const line of scripted.lines ?? []) opts.onOutput?.(line);
    if (scripted.throws) throw scripted.throws;
    return {
      ok: scripted.ok ?? true,
      reason: scripted.reason,
      outputTail: scripted.outputTail,
      durationMs: scripted.durationMs ?? 0,
    };
  }
}

/** A `cmd:` hook spec for tests. */
export function cmdHook(command: string, timeoutSeconds?: number): HookSpec {
  return { kind: 'cmd', raw: `cmd:${command}`, command, timeoutSeconds };
}

/** The payload of a call of a function's own hook (fails the test when it was a release's). */
export function functionPayloadOf(call: HookCall): FunctionHookPayload {
  if (isReleasePayload(call.payload)) throw new Error(`${call.spec.raw} was given a release's payload`);
  return call.payload;
}
