import { describe, expect, it } from 'vitest';
import { describeAnswer } from '../../src/cli/operator-answer.js';
import { isLshiftError } from '../../src/domain/errors.js';
import type { OperatorCommand } from '../../src/domain/operator-command.js';
import { ALIAS, createOperatorSendWorld, FN } from './operator-send-world.js';

/**
 * F2 (found by a hostile pass): `promote --full` and `abort` sent at the same instant. The
 * deployment read the promote first and promoted, but the abort went over the promote's answer:
 * the promote's sender said "whether it was obeyed first is unknown" and exited 2.
 */
const abort: OperatorCommand = {
  verb: 'abort',
  nonce: 'b000',
  state: 'sent',
  by: 'bob@ci:3',
  reason: 'page',
};

function race(end: 'promoted' | 'rolled-back' | 'none') {
  const world = createOperatorSendWorld();
  const { clock, store } = world;
  // The abort goes over the promote (or its answer) 1 s in; the deployment ends 5 s in.
  clock.after(1_000, () => store.seed(FN, ALIAS, { ...store.peek(FN, ALIAS)!, command: abort }));
  if (end !== 'none') {
    const percent = end === 'promoted' ? 100 : 0;
    clock.after(5_000, () =>
      store.seed(FN, ALIAS, {
        ...store.peek(FN, ALIAS)!,
        phase: end,
        percent,
        endedAt: clock.now(),
        heartbeatAt: clock.now(),
      }),
    );
  }
  return world;
}

describe('a promote that another operator’s abort went over', () => {
  it.each(['promote-full', 'promote'] as const)(
    '%s, and the deployment ended promoted: done (exit 0), saying the abort came too late',
    async (verb) => {
      const { send } = race('promoted');
      const result = await send({ verb });
      expect(result).toMatchObject({ answer: 'done', overtakenBy: { by: 'bob@ci:3', reason: 'page' } });
      expect(result.record.phase).toBe('promoted');
      expect(describeAnswer(result)).toMatch(
        /was promoted: all traffic is on version 2; an abort by bob@ci:3 \(page\), sent at the same moment, went over this command's answer but came too late: it was not obeyed/,
      );
    },
  );

  it('the deployment rolled back on the abort: NO_RUNNING_DEPLOYMENT, as before', async () => {
    const { send } = race('rolled-back');
    const error = await send({ verb: 'promote-full' }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('NO_RUNNING_DEPLOYMENT');
    expect((error as Error).message).toMatch(/is being aborted by bob@ci:3 \(page\)/);
  });

  it('a pause overtaken is said at once, not waited out (only a promote can end as it asked)', async () => {
    const { send, clock } = race('promoted');
    const start = clock.elapsedMs();
    const error = await send({ verb: 'pause' }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('NO_RUNNING_DEPLOYMENT');
    expect(clock.elapsedMs() - start).toBeLessThan(5_000);
  });

  it('Ctrl-C while it waits for the end: NO_RUNNING_DEPLOYMENT at once, not after --wait', async () => {
    const { send, clock } = race('none');
    const controller = new AbortController();
    clock.after(8_000, () => controller.abort(new Error('interrupted by SIGINT')));
    const start = clock.elapsedMs();
    const error = await send({ verb: 'promote-full', signal: controller.signal }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('NO_RUNNING_DEPLOYMENT');
    expect(clock.elapsedMs() - start).toBeLessThan(10_000);
  });

  it('not ended within --wait: NO_RUNNING_DEPLOYMENT, as before', async () => {
    const { send } = race('none');
    const error = await send({ verb: 'promote-full', waitSeconds: 10 }).catch((e: unknown) => e);
    expect(isLshiftError(error) && error.code).toBe('NO_RUNNING_DEPLOYMENT');
  });
});
