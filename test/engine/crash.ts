/**
 * Process death for engine tests. `crashingDeps(w, trigger)` wraps the world's ports: once a
 * call that satisfies `trigger` has completed (the write landed), the process is "dead" — every
 * later port call rejects, so nothing the dying deployment still tries (its rollback, record
 * writes, hooks) reaches the fakes. The fakes keep exactly what a killed runner leaves behind;
 * another runner then works on `w.deps` (the unwrapped fakes).
 */
import type { DeployDeps } from '../../src/engine/deploy-types.js';
import type { World } from './world.js';

export type PortName = 'lambda' | 'store' | 'metrics' | 'hooks';

export interface PortCall {
  port: PortName;
  op: string;
  args: unknown[];
}

export class CrashSwitch {
  crashed = false;
  /** Completed calls that changed something (store writes, alias writes), in order. */
  mutations = 0;

  constructor(private readonly trigger: (call: PortCall, switch_: CrashSwitch) => boolean) {}

  wrap<T extends object>(target: T, port: PortName): T {
    return new Proxy(target, {
      get: (obj, key, receiver) => {
        const value = Reflect.get(obj, key, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.crashed)
            return Promise.reject(new Error(`process crashed (${port}.${String(key)} never ran)`));
          return Promise.resolve(value.apply(obj, args)).then((result: unknown) => {
            const call = { port, op: String(key), args };
            if (isMutation(call)) this.mutations++;
            if (this.trigger(call, this)) this.crashed = true;
            return result;
          });
        };
      },
    });
  }
}

export function isMutation(call: PortCall): boolean {
  return (
    (call.port === 'store' && call.op === 'write') || (call.port === 'lambda' && call.op === 'updateAlias')
  );
}

export function crashingDeps(w: World, trigger: (call: PortCall, switch_: CrashSwitch) => boolean) {
  const crash = new CrashSwitch(trigger);
  const deps: DeployDeps = {
    ...w.deps,
    lambda: crash.wrap(w.lambda, 'lambda'),
    metrics: crash.wrap(w.metrics, 'metrics'),
    hooks: crash.wrap(w.hooks, 'hooks'),
    store: crash.wrap(w.store, 'store'),
  };
  return { deps, crash };
}

/** A store write of `phase` (and step, when given). */
export function recordWritten(phase: string, stepIndex?: number) {
  return (call: PortCall): boolean => {
    if (call.port !== 'store' || call.op !== 'write') return false;
    const record = call.args[2] as { phase: string; stepIndex: number };
    return record.phase === phase && (stepIndex === undefined || record.stepIndex === stepIndex);
  };
}

/** The `n`th alias write (1-based) whose routing matches, or any when `match` is absent. */
export function aliasWritten(
  n: number,
  match?: (write: { functionVersion: string; additionalWeights: Record<string, number> }) => boolean,
) {
  let seen = 0;
  return (call: PortCall): boolean => {
    if (call.port !== 'lambda' || call.op !== 'updateAlias') return false;
    const write = call.args[2] as { functionVersion: string; additionalWeights: Record<string, number> };
    if (match && !match(write)) return false;
    seen++;
    return seen === n;
  };
}
