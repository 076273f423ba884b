import { describe, expect, it } from 'vitest';
import { isLshiftError } from '../../src/domain/errors.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { ALIAS, createOperatorSendWorld, FN } from './operator-send-world.js';

/**
 * F8 (found by a hostile pass): `lshift pause | abort | promote` to a runner killed with -9 on this
 * machine, within the first 120 s (its heartbeat not stale yet), said only the generic "did not
 * answer", while `lshift status` and `check` already said its process no longer runs here.
 */
function world(owner: string, running: (pid: number) => boolean) {
  const { clock, store } = createOperatorSendWorld({ owner });
  const send = (verb: 'pause' | 'abort' | 'promote' | 'resume', by = 'ann@laptop:9/3f9a1c2e') =>
    sendOperatorCommand(
      { store, clock, random: () => 0.5, processes: { isRunning: running } },
      { functionName: FN, alias: ALIAS, verb, by, waitSeconds: 60 },
    ).then(
      () => ({ code: 'answered', message: '', hint: '' }),
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
  return { send, store };
}

describe('a command to a runner whose pid is gone from this machine, before its heartbeat is stale', () => {
  it.each(['pause', 'promote', 'resume'] as const)(
    '%s: refused at once (as status says STALLED at once), nothing written; hints resume and rollback',
    async (verb) => {
      const { send, store } = world('ann@laptop:41/3f9a1c2e', (pid) => pid !== 41);
      const before = await store.read(FN, ALIAS);
      const error = await send(verb);
      expect(isLshiftError(error) && error.code).toBe('DEPLOYMENT_STALE');
      expect(error.message).toBe(
        `Deployment ${before!.id} on alias ${ALIAS} of function ${FN} (${before!.phase}) has no runner: its process 41 no longer runs on this machine, so nobody would read the command; nothing was sent.`,
      );
      expect(error.hint).toContain('--resume');
      expect(error.hint).toContain(`\`lshift rollback ${FN} --alias ${ALIAS}\``);
      expect(await store.read(FN, ALIAS)).toEqual(before);
    },
  );

  it('abort: the rollback it would have done', async () => {
    const { send } = world('ann@laptop:41/3f9a1c2e', () => false);
    const error = await send('abort');
    expect(isLshiftError(error) && error.code).toBe('DEPLOYMENT_STALE');
    expect(error.message).toMatch(/its process 41 no longer runs on this machine, so nobody would read/);
    expect(error.hint).toBe(
      'Roll it back without its runner with `lshift rollback demo --alias live` (what the abort would have done).',
    );
  });

  it('no machine token on either side: said with the container caveat', async () => {
    const { send } = world('ann@laptop:41', () => false);
    const error = await send('pause', 'ann@laptop:9');
    expect(error.message).toMatch(
      /process 41 no longer runs on this machine, unless it runs in another container with this hostname/,
    );
  });

  it.each([
    ['its pid still runs', 'ann@laptop:41/3f9a1c2e', 'ann@laptop:9/3f9a1c2e', true],
    ['another machine', 'ann@build-7:41/0badf00d', 'ann@laptop:9/3f9a1c2e', false],
    ['another user', 'bob@laptop:41/3f9a1c2e', 'ann@laptop:9/3f9a1c2e', false],
    ['a CI job', 'gha:org/repo/12', 'ann@laptop:9/3f9a1c2e', false],
  ] as const)('%s: the generic words, as before', async (_n, owner, by, running) => {
    const { send } = world(owner, () => running);
    const error = await send('pause', by);
    expect(error.message).not.toMatch(/no longer runs/);
    expect(error.hint).not.toContain('`lshift check`');
  });
});
