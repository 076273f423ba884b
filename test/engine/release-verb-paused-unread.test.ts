/**
 * `lshift abort | pause | resume | promote --release r-… ra rb` refused before any write, found by
 * a hostile pass (session 64):
 *  - every named record unreadable (a held GetFunctionConfiguration, access denied): it said
 *    RELEASE_NOT_FOUND (exit 2, "none of the functions named has a deployment record of release
 *    …") of a release that was running; the read error is the answer (NETWORK_ERROR, exit 1), as
 *    `rollback --release` gives it;
 *  - a release its runner left `paused` (`--on-interrupt leave`) and exited: NO_RUNNING_DEPLOYMENT
 *    said only "see `lshift status …`"; it names the ways out, as the single verbs do.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { OperationError } from '../../src/domain/errors.js';
import { abortRelease } from '../../src/engine/release-abort.js';
import type { ReleaseVerb } from '../../src/engine/release-members.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

const FNS = ['ra', 'rb'];
const ALIAS = 'live';
const ID = 'r-6tvwl3';

function setup(over: Partial<DeploymentRecord> = {}) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  FNS.forEach((fn, i) => {
    store.seed(fn, ALIAS, {
      id: `d-run00${i}`,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'linear:20%:1m',
      stepIndex: 0,
      percent: 20,
      phase: 'shifting',
      startedAt: clock.now() - 60_000,
      owner: 'ci@runner:7',
      heartbeatAt: clock.now() - 5_000,
      history: ['1'],
      releaseId: ID,
      ...over,
    });
  });
  const send = (verb: ReleaseVerb) =>
    abortRelease(
      { store, clock, random: () => 0.5 },
      {
        releaseId: ID,
        verb,
        targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
        by: 'ann@laptop:9/3f9a1c2e',
        waitSeconds: 20,
      },
    ).then(
      () => ({ code: 'answered', message: '', hint: '' }),
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
  return { clock, store, send };
}

describe('a --release verb whose every record read fails', () => {
  it.each(['abort', 'pause', 'promote'] as const)(
    '%s: the read error, not RELEASE_NOT_FOUND',
    async (verb) => {
      const { store, send } = setup();
      store.failReads(
        new OperationError('NETWORK_ERROR', 'lambda:GetFunctionConfiguration got no answer within 1 s.'),
      );
      const error = await send(verb);
      expect(error.code).toBe('NETWORK_ERROR');
      expect(error.message).toContain('GetFunctionConfiguration got no answer');
      expect(store.peek('ra', ALIAS)?.command).toBeUndefined();
    },
  );
});

describe('a --release verb to a release its runner left paused and exited', () => {
  it.each([
    [
      'pause',
      'ra:live was left paused and no process runs the release: continue it with `lshift deploy ra rb --alias live --resume`',
    ],
    [
      'abort',
      'ra:live was left paused and no process runs the release: roll it back with `lshift rollback --release r-6tvwl3`',
    ],
  ] as const)('%s: NO_RUNNING_DEPLOYMENT naming the resume and the release rollback', async (verb, start) => {
    const { send } = setup({ phase: 'paused', heartbeatAt: 0 });
    const error = await send(verb);
    expect(error.code).toBe('NO_RUNNING_DEPLOYMENT');
    expect(error.message).toBe(`Release ${ID} is not running (ra:live paused, rb:live paused).`);
    expect(error.hint.startsWith(start), error.hint).toBe(true);
    expect(error.hint).toContain('lshift rollback --release r-6tvwl3');
    expect(error.hint).toContain('--resume');
  });

  it('a release that ended (rolled back) keeps the old hint: nothing to resume', async () => {
    const { send } = setup({ phase: 'rolled-back' });
    const error = await send('pause');
    expect(error.code).toBe('NO_RUNNING_DEPLOYMENT');
    expect(error.hint).toBe(
      '`lshift pause --release` acts on a release while it runs; see `lshift status ra rb`.',
    );
  });
});
