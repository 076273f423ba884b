/**
 * A release's pre-traffic hook (of the whole release) runs before any function moves: an alarm of
 * one function that fires meanwhile stops the release before its first level's weight writes —
 * one DescribeAlarms over every function's alarms when the hook ends — with nothing moved, the
 * release naming that function.
 */
import { describe, expect, it } from 'vitest';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { FNS, fleetWorld, fn, release, runUntil, sleepHook } from './release-takeover-world.js';
import { ALIAS } from './world.js';

describe("a release's alarm that fires during its pre-traffic hook", () => {
  it("fb's alarm: no weight written to any function, the release stopped for fb", async () => {
    const w = fleetWorld();
    sleepHook(w);
    w.metrics.setAlarm('fb-errors', 'ALARM', { at: w.start + 300_000, reason: 'errors > 5' });
    const { settled, running } = await runUntil(w, release({ pre: [cmdHook('sleep 600')] }), 700_000);

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(fn(result, 'fb').cause).toMatchObject({ code: 'GATE_FAILED' });
    expect(fn(result, 'fb').cause?.detail).toContain(
      'when the pre-traffic hooks ended, alarm fb-errors is ALARM: errors > 5',
    );
    for (const name of FNS) expect(fn(result, name).status).toBe('rolled_back');
    expect(w.lambda.aliasWrites()).toEqual([]);
    // The preflight's reads (one a function), then one read for all three after the hook.
    const reads = w.metrics.callsOf('describeAlarms');
    expect(reads.at(-1)!.args[0]).toEqual(['fa-errors', 'fb-errors', 'fc-errors']);
    expect(reads.filter((c) => c.at - w.start >= 600_000)).toHaveLength(1);
  });
});

describe('an abort of the release while its alarms are read again before the first weight', () => {
  it('obeyed between the retries: no function moves, the release stopped as the operator aborted it', async () => {
    const w = fleetWorld();
    sleepHook(w);
    // The preflight reads one function each (three); every read after the hook fails.
    w.metrics.fail({ op: 'describeAlarms', nth: 4, times: Number.POSITIVE_INFINITY });
    // `lshift abort --release` writes to the release's command reader, fa.
    w.clock.at(w.start + 605_000, () => {
      const command: OperatorCommand = { verb: 'abort', nonce: 'r1', state: 'sent', by: 'ann@laptop:9' };
      w.store.seed('fa', ALIAS, { ...w.store.peek('fa', ALIAS)!, command });
    });
    const req = release({ pre: [cmdHook('sleep 600')] });
    for (const member of req.members) member.healthErrorLimit = 30;
    const { settled, running } = await runUntil(w, req, 900_000);

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    expect(fn(result, 'fa').cause).toMatchObject({ code: 'OPERATOR_ABORTED' });
    for (const name of FNS) expect(fn(result, name).status).toBe('rolled_back');
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect(w.store.peek('fa', ALIAS)?.command).toMatchObject({ nonce: 'r1', state: 'done' });
    const afterAbort = w.metrics.callsOf('describeAlarms').filter((c) => c.at - w.start > 605_000);
    expect(afterAbort.length).toBeLessThanOrEqual(2);
  });
});
