/**
 * A bug or an unexpected port failure in the middle of a shift (a TypeError, not an AWS error):
 * the alias may be split, so the deployment fails and rolls back (deploy.ts runGuarded,
 * shift-waits.ts internalFailure) rather than leaving the split with nobody watching.
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { ALIAS, createWorld, FN, linear, request } from './world.js';

describe('an internal error mid-shift', () => {
  it('fails the deployment, puts all traffic back on the stable version and closes the record', async () => {
    const w = createWorld();
    const events = w.deps.events;
    let thrown = false;
    w.deps.events = {
      emit(event) {
        if (!thrown && event.type === 'step.completed') {
          thrown = true;
          throw new TypeError("Cannot read properties of undefined (reading 'percent')");
        }
        events.emit(event);
      },
    };
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(thrown).toBe(true);
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
    expect(result.cause).toMatchObject({ code: 'INTERNAL' });
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
  });
});
