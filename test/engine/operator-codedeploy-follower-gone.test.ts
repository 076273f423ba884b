/**
 * The verbs on a followed CodeDeploy deployment whose follower was killed -9 on this machine
 * (found by a hostile pass): pause and promote were refused offering `lshift abort … stops and
 * rolls it back`; that abort was then sent and ended COMMAND_NOT_ANSWERED (exit 1), nobody
 * following to read it. Now every verb is refused at once, nothing written, offering what works
 * without a follower: `lshift rollback` (StopDeployment with auto-rollback) and `lshift wait d-…`.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import type { OperatorVerb } from '../../src/domain/operator-command.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/engine/record-view.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

function world(owner: string, running: boolean, over: Partial<DeploymentRecord> = {}) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  store.seed('demo', 'live', {
    id: 'd-cdf001',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'canary:10%:15m',
    stepIndex: 0,
    percent: 10,
    phase: 'shifting',
    startedAt: clock.now() - 60_000,
    owner,
    heartbeatAt: clock.now() - 5_000,
    history: ['1'],
    engine: 'codedeploy',
    codeDeployId: 'd-1CB7D0908',
    ...over,
  });
  const send = (verb: OperatorVerb, by = 'ann@laptop:9/3f9a1c2e') =>
    sendOperatorCommand(
      { store, clock, random: () => 0.5, processes: { isRunning: () => running } },
      { functionName: 'demo', alias: 'live', verb, by, waitSeconds: 20 },
    ).then(
      () => ({ code: 'answered', message: '', hint: '' }),
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
  return { clock, store, send };
}

describe('a verb to a CodeDeploy deployment whose follower is known gone from this machine', () => {
  it.each(['abort', 'pause', 'promote', 'resume'] as const)(
    '%s: refused at once, nothing written; offers rollback and wait',
    async (verb) => {
      const { clock, store, send } = world('ann@laptop:41/3f9a1c2e', false);
      const before = store.peek('demo', 'live');
      const started = clock.elapsedMs();
      const error = await send(verb);
      expect(error.code).toBe('DEPLOYMENT_STALE');
      expect(error.message).toBe(
        "Deployment d-cdf001 on alias live of function demo (shifting) runs on AWS CodeDeploy (d-1CB7D0908), which goes on shifting, but its follower's process 41 no longer runs on this machine, so nobody would read the command; nothing was sent.",
      );
      expect(error.hint).toBe(
        `\`lshift rollback demo --alias live\` stops it now (StopDeployment with auto-rollback) and puts the alias back${verb === 'abort' ? ' (what the abort would have done)' : ''}; \`lshift wait d-1CB7D0908\` follows it again.`,
      );
      expect(error.hint).not.toContain('lshift abort');
      expect(clock.elapsedMs() - started).toBe(0);
      expect(store.peek('demo', 'live')).toEqual(before);
    },
  );

  // Session 65: `lshift wait` was offered for a run that had stopped CodeDeploy WITHOUT its
  // rollback to keep a move by hand, and that wait ends UNSAFE (it never finishes a kept move).
  it('a kept move not seen to end (the mark): offers the stop without rollback or the rollback, not `lshift wait`', async () => {
    const { send } = world('ann@laptop:41/3f9a1c2e', false, { endReason: KEEP_MOVE_UNCONFIRMED_REASON });
    const error = await send('pause');
    expect(error.code).toBe('DEPLOYMENT_STALE');
    expect(error.hint).toContain(
      '`aws deploy stop-deployment --deployment-id d-1CB7D0908 --no-auto-rollback-enabled` keeps the alias where the person put it, or `lshift rollback demo --alias live` stops it with its rollback and puts all traffic back on version 1',
    );
    expect(error.hint).not.toContain('follows it again');
  });

  it('its follower alive: pause is ENGINE_CANNOT_RUN as before', async () => {
    const { send } = world('ann@laptop:41/3f9a1c2e', true);
    expect((await send('pause')).code).toBe('ENGINE_CANNOT_RUN');
  });

  it('no machine token (it may run in another container): not refused as gone', async () => {
    const { send } = world('ann@laptop:41', false);
    expect((await send('pause', 'ann@laptop:9')).code).toBe('ENGINE_CANNOT_RUN');
  });

  it('a --detach run (paused record) keeps its own refusal', async () => {
    const { send } = world('ann@laptop:41/3f9a1c2e', false, { phase: 'paused' });
    const error = await send('abort');
    expect(error.code).toBe('NO_RUNNING_DEPLOYMENT');
  });
});
