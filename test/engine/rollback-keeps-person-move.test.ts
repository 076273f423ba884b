/**
 * A deploy's own rollback meets a 412 (or, between throttled tries, finds the alias moved): it
 * re-reads the alias, and writes again only over a routing this deployment wrote or was writing —
 * its own step write landing late. Found by a hostile pass: a person put all traffic on the new
 * version (`aws lambda update-alias`, `lshift alias`) while the rollback's write was held; the
 * rollback re-read, wrote over it ("trying again in 0.5s … all traffic is on version 1") and said
 * it had overwritten nothing. A 412 to a write sent once is someone else's change
 * (docs/exit-codes.md): now a conflict (exit 5), the alias left where the person put it.
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { targetPercentOf } from '../../src/engine/own-routing.js';
import type { AliasWrite } from '../../src/ports/lambda.js';
import { ALARM, ALIAS, canary, createWorld, FN, linear, request } from './world.js';

const isRollbackWrite = (args: unknown[]) => {
  const write = args[2] as AliasWrite;
  return write.functionVersion === '1' && Object.keys(write.additionalWeights).length === 0;
};

function interruptAt(w: ReturnType<typeof createWorld>, at: number): AbortController {
  const ac = new AbortController();
  w.clock.after(at, () => ac.abort());
  return ac;
}

describe("a deploy's rollback re-reads after a 412 and writes over only its own routings", () => {
  it('Ctrl-C at 10%, a person puts all traffic on the new version before the rollback write lands: left there, a conflict (exit 5)', async () => {
    const w = createWorld();
    const ac = interruptAt(w, 100_000);
    let moved = false;
    w.lambda.onCall = (call) => {
      if (!moved && call.op === 'updateAlias' && isRollbackWrite(call.args)) {
        moved = true;
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
      }
    };
    const result = await runDeploy(w.deps, { ...request(canary(10, 600)), signal: ac.signal });

    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    expect(w.lambda.callsOf('updateAlias').filter((c) => isRollbackWrite(c.args))).toHaveLength(1);
    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    // Found by the refusal of the rollback's first write: "before lshift's rollback wrote it", all
    // lshift can tell (session 68, split-before-rollback-words.test.ts; was "during the rollback").
    expect(describeReason(result)).toContain(
      "alias live was changed by someone else before lshift's rollback wrote it: it routes version 2 (100%), a routing this deployment never wrote; lshift did not overwrite it",
    );
  });

  // Unsafe, not a conflict (session 67): nobody drives the person's split, and DESIGN.md §6 lets
  // only exit 4 leave an alias split.
  it('a person splits it at a weight this deployment never wrote (35%) between two throttled tries: left there, exit 4', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    let seen = 0;
    w.lambda.fail({ op: 'updateAlias', match: (a) => isRollbackWrite(a) && ++seen <= 3, times: 3 });
    w.lambda.onCall = (call) => {
      if (call.op === 'updateAlias' && isRollbackWrite(call.args) && seen === 2)
        w.lambda.moveAliasAt(call.at + 100, FN, ALIAS, {
          functionVersion: '1',
          additionalWeights: { '2': 0.35 },
        });
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({
      functionVersion: '1',
      additionalWeights: { '2': 0.35 },
    });
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause?.code).toBe('ROLLBACK_CONFLICT');
  });

  it('its own step write landing late (a routing it wrote) is still rolled back over: exit 3', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: w.start + 85_000 });
    let moved = false;
    w.lambda.onCall = (call) => {
      if (!moved && call.op === 'updateAlias' && isRollbackWrite(call.args)) {
        moved = true;
        // The 20% step write again, as if an earlier answer had been lost and it landed now.
        w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.2 } });
      }
    };
    const result = await runDeploy(w.deps, request(linear(10, 60)));
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    expect(result.status).toBe('rolled_back');
    expect(exitCodeForStatus(result.status)).toBe(3);
  });
});

describe('targetPercentOf', () => {
  it.each([
    [{ functionVersion: '2', additionalWeights: {} }, 100],
    [{ functionVersion: '2', additionalWeights: { '1': 0 } }, 100],
    [{ functionVersion: '1', additionalWeights: {} }, 0],
    [{ functionVersion: '1', additionalWeights: { '2': 0.25 } }, 25],
    [{ functionVersion: '1', additionalWeights: { '3': 0.25 } }, undefined],
    [{ functionVersion: '2', additionalWeights: { '1': 0.9 } }, undefined],
    [{ functionVersion: '3', additionalWeights: {} }, undefined],
  ])('%j → %s', (state, expected) => {
    expect(targetPercentOf(state, '1', '2')).toBe(expected);
  });
});
