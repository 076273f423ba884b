/**
 * `lshift wait --on-interrupt leave` signalled while the endpoint stalls (cli/wait-leave-reads.ts):
 * the read in flight was abandoned (abortUntilWrite), but the poll's next read, started after the
 * signal, waited out its time bound — 30-60 s after Ctrl-C against a SIGSTOPped sandbox, where
 * GitHub Actions' cancel kills the step 10 s after its SIGINT. Modelled as commands/wait.ts wires
 * it: no read starts after the signal, the wait leaves the deployment at once.
 */
import { describe, expect, it } from 'vitest';
import { abortUntilWrite } from '../../src/cli/interrupts.js';
import { leaveReadsOf } from '../../src/cli/wait-leave-reads.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { ALIAS, createWorld, FN } from '../engine/world.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';

/**
 * Once `stalls()` says so, no call answers: one in flight when `calls` aborts is abandoned (as the
 * SDK call is, bounded-caller.ts); one started after never settles here (its 30 s bound, for real).
 */
function stalling<T extends object>(
  port: T,
  stalls: () => boolean,
  calls: AbortSignal,
  onStall: () => void,
): T {
  return new Proxy(port, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!stalls()) return Reflect.apply(value, target, args);
        return new Promise((_resolve, reject) => {
          if (!calls.aborted)
            calls.addEventListener('abort', () =>
              reject(new OperationError('INTERRUPTED', `${String(key)} abandoned`)),
            );
          onStall();
        });
      };
    },
  });
}

/** Settled within a few turns of the event loop (no timer): it waited for no bound. */
async function settlesAtOnce<T>(run: Promise<T>): Promise<T | 'still waiting'> {
  const turns = async () => {
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    return 'still waiting' as const;
  };
  return Promise.race([run, turns()]);
}

describe('lshift wait --on-interrupt leave signalled behind a stalled endpoint', () => {
  it('starts no read after the signal: left at once, CodeDeploy still running, nothing stopped', async () => {
    const w = createWorld();
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
    const fake = new FakeCodeDeploy(w.clock, w.lambda);
    const id = await fake.createDeployment({
      application: 'lshift-demo',
      group: 'demo-live',
      config: 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    const interrupt = new AbortController();
    const calls = abortUntilWrite(interrupt.signal);
    // The endpoint stalls from the second poll's alias read on; the signal comes while it hangs.
    let aliasReads = 0;
    let stalled = false;
    const lambda = new Proxy(w.lambda, {
      get(target, key, receiver) {
        if (key === 'getAlias') aliasReads++;
        if (key === 'getAlias' && aliasReads >= 2) stalled = true;
        return Reflect.get(target, key, receiver);
      },
    });
    const onStall = () => {
      if (!interrupt.signal.aborted) interrupt.abort(new Error('interrupted by SIGINT'));
    };
    const ports = leaveReadsOf(
      {
        codedeploy: stalling(fake, () => stalled, calls.signal, onStall),
        lambda: stalling(lambda, () => stalled, calls.signal, onStall),
      },
      'leave',
      calls,
    );
    const result = await settlesAtOnce(
      followCodeDeploy(
        { ...ports, clock: w.clock, events: w.sink, store: w.store },
        { deploymentId: id, pollSeconds: 10, onInterrupt: 'leave', signal: interrupt.signal },
      ),
    );
    expect(stalled).toBe(true);
    expect(result).toMatchObject({ deploymentId: id, outcome: 'left' });
    expect(fake.callsOf('stopDeployment')).toEqual([]);
  });
});
