/**
 * `lshift abort | pause | promote --release r-… ra rb` to a release whose one runner was killed -9
 * on this machine (found by a hostile pass): pause sent and waited ~90 s to exit 1 with a hint
 * naming `<the other functions of release r-…>` though the command named them; abort and promote
 * watched ~90 s before DEPLOYMENT_STALE. The single verbs refuse such a runner at once.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { abortRelease } from '../../src/engine/release-abort.js';
import type { ReleaseVerb } from '../../src/engine/release-members.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

const FNS = ['ra', 'rb'];
const ALIAS = 'live';

function setup(owner: string, running: (pid: number) => boolean, over: Partial<DeploymentRecord> = {}) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  FNS.forEach((fn, i) => {
    store.seed(fn, ALIAS, {
      id: `d-run00${i}`,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:30m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: clock.now() - 60_000,
      owner,
      // Fresh: killed a few seconds ago, long before its heartbeat looks stale.
      heartbeatAt: clock.now() - 5_000,
      history: ['1'],
      releaseId: 'r-bhaxm9',
      ...over,
    });
  });
  const send = (verb: ReleaseVerb, by = 'ann@laptop:9/3f9a1c2e') =>
    abortRelease(
      { store, clock, random: () => 0.5, processes: { isRunning: running } },
      {
        releaseId: 'r-bhaxm9',
        verb,
        targets: FNS.map((functionName) => ({ functionName, alias: ALIAS })),
        by,
        waitSeconds: 120,
      },
    ).then(
      () => ({ code: 'answered', message: '', hint: '' }),
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
  /** The verb sent to one function of the release, without --release. */
  const sendOne = (verb: ReleaseVerb) =>
    sendOperatorCommand(
      { store, clock, random: () => 0.5, processes: { isRunning: running } },
      { functionName: 'ra', alias: ALIAS, verb, by: 'ann@laptop:9/3f9a1c2e', waitSeconds: 20 },
    ).then(
      () => ({ code: 'answered', message: '', hint: '' }),
      (e: unknown) => e as { code: string; message: string; hint: string },
    );
  return { clock, store, send, sendOne };
}

describe('a --release verb to a dead release one of whose functions a person is rolling back', () => {
  // Found by a hostile pass (session 62): the hint offered `lshift deploy ra rb --resume`, refused
  // as copied (DEPLOYMENT_IN_PROGRESS on ra), and the message did not name ra's rollback.
  it('names that rollback and offers only the release rollback', async () => {
    const { store, send } = setup('ann@laptop:41/3f9a1c2e', (pid) => pid !== 41);
    store.seed('ra', ALIAS, {
      ...store.peek('ra', ALIAS)!,
      phase: 'rolling-back',
      owner: 'rollback:bob@laptop:7/3f9a1c2e',
    });
    const error = await send('pause');
    expect(error.code).toBe('DEPLOYMENT_STALE');
    expect(error.message).toContain(
      '(rb:live (shifting), ra:live (rolling-back by rollback:bob@laptop:7/3f9a1c2e))',
    );
    expect(error.hint).toBe(
      'ra:live is being rolled back by someone else: undo the rest of it with `lshift rollback --release r-bhaxm9`.',
    );
  });
});

describe('a --release verb to a release whose runner is known gone from this machine', () => {
  it.each(['pause', 'promote', 'resume', 'promote-full'] as const)(
    '%s: refused at once, nothing written; the hint names the functions given',
    async (verb) => {
      const { clock, store, send } = setup('ann@laptop:41/3f9a1c2e', (pid) => pid !== 41);
      const before = FNS.map((fn) => store.peek(fn, ALIAS));
      const started = clock.elapsedMs();
      const error = await send(verb);
      expect(error.code).toBe('DEPLOYMENT_STALE');
      expect(error.message).toBe(
        'Release r-bhaxm9 has no runner: its process 41 no longer runs on this machine (ra:live (shifting), rb:live (shifting)), so nobody would read the command; nothing was sent.',
      );
      expect(error.hint).toMatch(/^Finish it with `lshift deploy ra rb --alias live --resume`/);
      expect(error.hint).toContain('undo it with `lshift rollback --release r-bhaxm9`.');
      expect(error.hint).not.toContain('<');
      expect(clock.elapsedMs() - started).toBe(0);
      expect(FNS.map((fn) => store.peek(fn, ALIAS))).toEqual(before);
    },
  );

  it('abort: the release rollback it would have done', async () => {
    const { send } = setup('ann@laptop:41/3f9a1c2e', () => false);
    const error = await send('abort');
    expect(error.code).toBe('DEPLOYMENT_STALE');
    expect(error.hint).toBe(
      'Roll it back without its runner with `lshift rollback --release r-bhaxm9` (what the abort would have done).',
    );
  });

  it.each([
    ['its pid still runs', 'ann@laptop:41/3f9a1c2e', true],
    ['another machine', 'ann@build-7:41/0badf00d', false],
    ['no machine token (another container may run it)', 'ann@laptop:41', false],
  ] as const)('%s: not refused at once', async (_n, owner, running) => {
    const { clock, send } = setup(owner, () => running);
    // Nobody answers: the wait runs out (the command is sent, then withdrawn).
    const error = await send('pause', owner === 'ann@laptop:41' ? 'ann@laptop:9' : undefined);
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(clock.elapsedMs()).toBeGreaterThan(0);
  });

  it('sent and not answered (no machine token: maybe another container): its hint names the functions given', async () => {
    const { send } = setup('ann@laptop:41', () => false);
    const error = await send('pause', 'ann@laptop:9');
    expect(error.code).toBe('COMMAND_NOT_ANSWERED');
    expect(error.hint).toContain('`lshift deploy ra rb --alias live --resume`');
    expect(error.hint).toContain('`lshift rollback --release r-bhaxm9 ra rb`');
    expect(error.hint).not.toContain('<the other functions');
  });

  it.each([
    [
      'abort',
      'Roll it back without its runner with `lshift rollback --release r-bhaxm9` (what the abort would have done).',
    ],
    [
      'pause',
      '`lshift status ra --alias live` names the resume of release r-bhaxm9, or undo it with `lshift rollback --release r-bhaxm9`.',
    ],
  ] as const)(
    '%s to one function of it: refused at once too, the release rollback offered',
    async (verb, hint) => {
      const { clock, store, sendOne } = setup('ann@laptop:41/3f9a1c2e', () => false);
      const before = store.peek('ra', ALIAS);
      const started = clock.elapsedMs();
      const error = await sendOne(verb);
      expect(error.code).toBe('DEPLOYMENT_STALE');
      expect(error.message).toBe(
        'Deployment d-run000 on alias live of function ra (shifting, release r-bhaxm9) has no runner: its process 41 no longer runs on this machine, so nobody would read the command; nothing was sent.',
      );
      expect(error.hint).toBe(hint);
      expect(clock.elapsedMs() - started).toBe(0);
      expect(store.peek('ra', ALIAS)).toEqual(before);
    },
  );
});

// h3 F6 (session 62): `pause --release R rb` (one of two named) offered `lshift deploy rb --alias
// live --resume`, refused as copied (CONFLICTING_FLAGS: ra unfinished). The record now keeps the
// release's size and names (`rz=`, `rf=`), and the resume names every function.
describe('a --release verb naming only some functions of a dead release', () => {
  const sendRb = (s: ReturnType<typeof setup>) =>
    abortRelease(
      { store: s.store, clock: s.clock, random: () => 0.5, processes: { isRunning: () => false } },
      {
        releaseId: 'r-bhaxm9',
        verb: 'pause',
        targets: [{ functionName: 'rb', alias: ALIAS }],
        by: 'ann@laptop:9/3f9a1c2e',
        waitSeconds: 120,
      },
    ).then(
      () => ({ code: 'answered', hint: '' }),
      (e: unknown) => e as { code: string; hint: string },
    );

  it('the record names the release: the resume names every function', async () => {
    const s = setup('ann@laptop:41/3f9a1c2e', () => false, { releaseSize: 2, releaseFunctions: FNS });
    const error = await sendRb(s);
    expect(error.code).toBe('DEPLOYMENT_STALE');
    expect(error.hint).toMatch(/^Finish it with `lshift deploy ra rb --alias live --resume`/);
    expect(error.hint).toContain('if they are all at alias live');
  });

  // Found by a hostile pass (session 63, L3): `resume --release R fn-long-01 fn-long-02` offered
  // `lshift deploy fn-long-01 <the other functions of release R> …`, fn-long-02 dropped.
  it('only its size recorded, several named: the resume names every one given, then the others unknown', async () => {
    const s = setup('ann@laptop:41/3f9a1c2e', () => false, { releaseSize: 3 });
    const error = await s.send('pause');
    expect(error.code).toBe('DEPLOYMENT_STALE');
    expect(error.hint).toContain(
      '`lshift deploy ra rb <the other functions of release r-bhaxm9> --alias live --resume`',
    );
  });

  it('only its size recorded (the names did not fit): the others are said unknown, not left out', async () => {
    const s = setup('ann@laptop:41/3f9a1c2e', () => false, { releaseSize: 2 });
    const error = await sendRb(s);
    expect(error.hint).toContain(
      '`lshift deploy rb <the other functions of release r-bhaxm9> --alias live --resume`',
    );
  });
});
