/**
 * An operator verb (`pause`, `abort`, `promote`, `resume`) on a record that does not add up is
 * refused before anything is written (RECORD_INVALID), as `status`, `rollback` and `check` refuse
 * to act on it. Found by a hostile pass: the verbs wrote their command into such a record and
 * waited their whole `--wait` for an answer nobody would give (exit 1). A heartbeat from the
 * future is not refused here: the liveness watch judges it, and a runner seen writing still gets
 * its abort (operator-send.test.ts, release-abort.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { OperatorVerb } from '../../src/domain/operator-command.js';
import { ALIAS, createOperatorSendWorld, FN } from './operator-send-world.js';

const UNTRUSTED = [
  { story: 'a step index past the strategy’s steps', record: { stepIndex: 99 } },
  { story: 'a weight over 100%', record: { percent: 150 } },
  { story: 'the same stable and new version', record: { targetVersion: '1' } },
];

describe('operator verbs refuse a record that does not add up', () => {
  it.each(
    UNTRUSTED.flatMap((u) =>
      (['pause', 'abort', 'promote', 'resume'] as OperatorVerb[]).map((verb) => ({ ...u, verb })),
    ),
  )('$verb on $story: RECORD_INVALID, nothing written', async ({ record, verb }) => {
    const w = createOperatorSendWorld(record);
    const before = w.store.peek(FN, ALIAS);
    await expect(w.send({ verb })).rejects.toMatchObject({ code: 'RECORD_INVALID' });
    expect(w.store.peek(FN, ALIAS)).toEqual(before);
    expect(w.store.peek(FN, ALIAS)?.command).toBeUndefined();
  });

  it('a record that adds up is still sent (the guard refuses only what does not)', async () => {
    const w = createOperatorSendWorld();
    const sent = w.send({ waitSeconds: 1 }).catch((error: unknown) => error);
    // Nobody answers in this world: the command was written, then withdrawn at the end of the wait.
    expect(await sent).toMatchObject({ code: 'COMMAND_NOT_ANSWERED' });
    expect(w.store.writes.some((wr) => wr.record.command?.verb === 'pause')).toBe(true);
  });
});
