/**
 * A person splits the alias of a live deploy to exactly the weight its next step writes (20% on
 * a linear:10% shift at 10%). `lshift status` said "it landed and the record write after it did
 * not (the runner stopped between the two, or its record write failed)" beside a runner that beat
 * seconds ago (h4's F3, session 68): nothing shows it stopped. It now says what the alias shows —
 * its runner's own write a moment before its record write, or someone's move to that weight — and
 * what the runner does with a move, which the run below then does (exit 4 over the split).
 */
import { describe, expect, it } from 'vitest';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { needsOperator } from '../../src/cli/status-needs-operator.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import { ALIAS, createWorld, deadRecord, FN, linear, request } from './world.js';

const NEXT = { functionVersion: '1', additionalWeights: { '2': 0.2 } };

describe('status beside a live runner, the alias at the weight its next step writes', () => {
  it('says both readings and what the runner does with a move; the runner then does it', async () => {
    const w = createWorld({ auto: false });
    const done = runDeploy(w.deps, request(linear(10, 120)));
    await w.clock.advance(0);
    await w.clock.advance(35_000);
    w.lambda.moveAlias(FN, ALIAS, NEXT);

    const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
    const text = renderStatus(status);
    expect(text).not.toContain('the runner stopped between the two');
    expect(text).toContain(
      "the alias gives version 2 20%, ahead of this record's 10%: the weight its next step writes — its runner's own write, landed a moment before the record write that follows it, or someone's move to that same weight (the alias alone cannot tell them apart); this deployment may still run (its runner beat ",
    );
    expect(text).toContain(
      "its runner's own write: its record says so a moment later; someone's move: its runner meets the move at its next read of the alias (within 30 s while it holds a step, at the latest at its next alias write) and stops",
    );
    expect(text).not.toContain('--resume');
    expect(needsOperator(status)).toBe(false);

    await w.clock.advance(30_000);
    const result = await done;
    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(NEXT);
  });

  it('its heartbeat stale: the runner stopped between the two, as before', async () => {
    const w = createWorld();
    w.store.seed(FN, ALIAS, deadRecord(w, { percent: 20, stepIndex: 1 }));
    w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.3 } });
    const text = renderStatus(await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] }));
    expect(text).toContain(
      "ahead of this record's 20% by the one weight write that came next: it landed and the record write after it did not (the runner stopped between the two, or its record write failed)",
    );
  });
});
