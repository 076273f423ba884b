/**
 * A command written to a function of a release that is not its command reader (`lshift abort fc`,
 * `abort --release <id> fb fc`: the sender's reader is the first function it names). Found by a
 * hostile pass: during one-minute levels it was never read — such a function reads its record
 * only when its heartbeat is due, and each level's record write counts as one — and every verb
 * gave up after its --wait while the release walked on. Each function now reads its record at
 * least a heartbeat interval apart (operator-control.ts), as docs/releases.md says (60–85 s).
 */
import { describe, expect, it } from 'vitest';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { FNS, fleetWorld, fn, release, runUntil } from './release-takeover-world.js';
import { ALIAS, linear, type World } from './world.js';

function abortOn(w: World, name: string, atMs: number): void {
  w.clock.after(atMs, () => {
    const command: OperatorCommand = { verb: 'abort', nonce: 'r9', state: 'sent', by: 'ann@laptop:9' };
    w.store.seed(name, ALIAS, { ...w.store.peek(name, ALIAS)!, command });
  });
}

describe('a command on a release function that is not its command reader, during 1-minute levels', () => {
  it('is obeyed within a heartbeat interval and a poll; the release rolls back', async () => {
    const w = fleetWorld();
    abortOn(w, 'fc', 95_000);
    const { settled, running } = await runUntil(w, release(undefined, linear(10, 60)), 400_000);

    expect(settled).toBe(true);
    const result = await running;
    expect(result.status).toBe('rolled_back');
    for (const name of FNS) expect(fn(result, name)).toMatchObject({ cause: { code: 'OPERATOR_ABORTED' } });
    const obeyed = w.sink.events.flatMap((e) =>
      e.type === 'operator.command' && e.obeyed ? [e.at - w.start] : [],
    );
    expect(obeyed).toHaveLength(1);
    expect(obeyed[0]! - 95_000).toBeLessThanOrEqual(85_000);
    expect(w.store.peek('fc', ALIAS)?.command).toMatchObject({ nonce: 'r9', state: 'done' });
  });
});
