/**
 * `lshift promote` during the settle wait ends it: the warning then said `settle: held 10% for
 * 20 s (the longest settle)` — in the progress and in the result's warnings — as if 20 s were the
 * settle's bound (6m by default), when an operator had cut it short (h4's hostile pass, session 67).
 */
import { describe, expect, it } from 'vitest';
import { DATA_THROUGH_KEY } from '../../src/domain/analysis/settle.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import type { Plan } from '../../src/domain/plan.js';
import type { Verdict } from '../../src/domain/verdict.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { ALIAS, canary, createWorld, FN, request, type World } from './world.js';

const MINUTE = 60_000;

/** An analysis gate whose metrics never arrive: the settle waits out its whole bound. */
const neverArrives: HealthGate = {
  name: 'analysis',
  evaluate: async (win): Promise<Verdict[]> => [
    {
      outcome: 'pass',
      gate: 'error-rate-increase',
      summary: 'fine',
      details: { [DATA_THROUGH_KEY]: Math.floor((win.now - 60 * MINUTE) / MINUTE) * MINUTE },
      at: win.now,
    },
  ],
};

function promoteAt(w: World, seconds: number): void {
  w.clock.at(w.start + seconds * 1000, () => {
    const record = w.store.peek(FN, ALIAS);
    if (!record) throw new Error('no record to command');
    const command: OperatorCommand = { verb: 'promote', nonce: 'n1', state: 'sent', by: 'ann@laptop:9' };
    w.store.seed(FN, ALIAS, { ...record, command });
  });
}

function withSettle(p: { plan: Plan }, settleSeconds: number) {
  return { ...p, plan: { ...p.plan, settleSeconds } };
}

describe('a settle wait cut short by `lshift promote`', () => {
  it('says the promote ended it, not that it held the longest settle', async () => {
    const w = createWorld();
    // The 10% step holds from about 0 s to 300 s; the settle (at most 360 s) follows; the
    // promote arrives 20 s into it.
    promoteAt(w, 320);
    const result = await runDeploy(
      { ...w.deps, gates: [neverArrives] },
      request(withSettle(canary(10, 300), 360)),
    );
    expect(result.status).toBe('promoted');
    const settleWarnings = w.sink
      .warnings()
      .map((x) => x.message)
      .filter((m) => m.startsWith('settle:'));
    expect(settleWarnings).toHaveLength(1);
    expect(settleWarnings[0]).toMatch(
      /^settle: held 10% for (2\d|30) s, ended early by an operator's promote \(the longest settle is 6m\); the last step's minutes had not all arrived$/,
    );
    expect(settleWarnings[0]).not.toContain('(the longest settle)');
  });

  it('a settle that ran to its bound still says so', async () => {
    const w = createWorld();
    const result = await runDeploy(
      { ...w.deps, gates: [neverArrives] },
      request(withSettle(canary(10, 300), 120)),
    );
    expect(result.status).toBe('promoted');
    expect(w.sink.warnings().map((x) => x.message)).toContain(
      "settle: held 10% for 120 s (the longest settle); the last step's minutes had not all arrived",
    );
  });
});
