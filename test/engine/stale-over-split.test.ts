/**
 * `lshift abort | pause | promote` (single and `--release`) to a dead runner over a split alias
 * (found by h1's hostile pass, session 71): refused DEPLOYMENT_STALE, exit 5, while `lshift
 * status` of the same alias said STALLED, exit 4. Every refusal over a split nobody drives exits 4
 * (docs/exit-codes.md); all on one version the refusal stays exit 5.
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { ConflictError, type LshiftError, UnsafeError } from '../../src/domain/errors.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { abortRelease } from '../../src/engine/release-abort.js';
import type { ReleaseVerb } from '../../src/engine/release-members.js';
import { staleOverSplit } from '../../src/engine/stale-over-split.js';
import type { AliasInfo } from '../../src/ports/lambda.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

const ALIAS = 'live';
const SPLIT = { '2': 0.1 };
const DEAD = 'ann@laptop:41/3f9a1c2e';
const BY = 'ann@laptop:9/3f9a1c2e';

function world(fns: string[], over: Partial<DeploymentRecord> = {}) {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  for (const [i, fn] of fns.entries())
    store.seed(fn, ALIAS, {
      id: `d-run00${i}`,
      stableVersion: '1',
      targetVersion: '2',
      strategy: 'canary:10%:30m',
      stepIndex: 0,
      percent: 10,
      phase: 'shifting',
      startedAt: clock.now() - 60_000,
      owner: DEAD,
      heartbeatAt: clock.now() - 5_000,
      history: ['1'],
      ...(fns.length > 1 ? { releaseId: 'r-bhaxm9' } : {}),
      ...over,
    });
  const weights = new Map<string, Record<string, number> | Error>();
  const aliases = {
    getAlias: async (fn: string, name: string): Promise<AliasInfo | undefined> => {
      const w = weights.get(fn) ?? SPLIT;
      if (w instanceof Error) throw w;
      return { name, functionVersion: '1', additionalWeights: w, revisionId: 'r1' };
    },
  };
  const deps = {
    store,
    clock,
    random: () => 0.5,
    processes: { isRunning: (pid: number) => pid !== 41 },
    aliases,
  };
  const fail = (e: unknown) => e as LshiftError;
  const sent = (): never => {
    throw new Error('sent, not refused');
  };
  const one = (verb: ReleaseVerb, fn = fns[0]!) =>
    sendOperatorCommand(deps, { functionName: fn, alias: ALIAS, verb, by: BY, waitSeconds: 60 }).then(
      sent,
      fail,
    );
  const release = (verb: ReleaseVerb) =>
    abortRelease(deps, {
      releaseId: 'r-bhaxm9',
      verb,
      targets: fns.map((functionName) => ({ functionName, alias: ALIAS })),
      by: BY,
      waitSeconds: 120,
    }).then(sent, fail);
  return { clock, store, weights, one, release };
}

describe('a verb to a runner known gone from this machine', () => {
  it.each(['pause', 'promote', 'abort'] as const)(
    '%s over a split: exit 4, where the split is, the hint as before, nothing written',
    async (verb) => {
      const { store, one } = world(['demo']);
      const before = store.peek('demo', ALIAS);
      const error = await one(verb);
      expect(error).toBeInstanceOf(UnsafeError);
      expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 4 });
      expect(error.message).toMatch(
        /^Deployment d-run000 on alias live of function demo \(shifting\) has no runner/,
      );
      expect(error.message).toContain(
        'nothing was sent. demo:live routes version 1 (90%) + version 2 (10%): nobody drives that split; it needs a human.',
      );
      expect(error.hint).toContain('`lshift rollback demo --alias live`');
      expect(error.context).toEqual({ functionName: 'demo', alias: 'live' });
      expect(store.peek('demo', ALIAS)).toEqual(before);
    },
  );

  it('all on one version: exit 5, as before', async () => {
    const { weights, one } = world(['demo']);
    weights.set('demo', {});
    const error = await one('pause');
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 5 });
    expect(error.message).not.toContain('nobody drives');
  });

  it('an alias that cannot be read: the refusal as it was (exit 5)', async () => {
    const { weights, one } = world(['demo']);
    weights.set('demo', new Error('throttled'));
    expect(await one('abort')).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 5 });
  });

  it('a function of a release, without --release: exit 4 over its split', async () => {
    const { one } = world(['ra', 'rb']);
    const error = await one('abort', 'rb');
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 4 });
    expect(error.hint).toContain('`lshift rollback --release r-bhaxm9`');
  });
});

describe('a verb to a runner whose heartbeat stopped (watched, unchanged)', () => {
  it('over a split: exit 4', async () => {
    const { clock, one } = world(['demo'], { owner: 'ci@build-7:7', heartbeatAt: 0 });
    const error = await one('promote');
    expect(clock.elapsedMs()).toBeGreaterThan(0);
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 4 });
    expect(error.message).toContain('its runner seems to have died');
    expect(error.message).toContain(
      'demo:live routes version 1 (90%) + version 2 (10%): nobody drives that split',
    );
  });

  it('all on one version: exit 5', async () => {
    const { weights, one } = world(['demo'], { owner: 'ci@build-7:7', heartbeatAt: 0 });
    weights.set('demo', {});
    expect(await one('promote')).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 5 });
  });
});

describe('a --release verb to a release nobody runs', () => {
  it.each(['pause', 'promote', 'abort'] as const)(
    '%s, its runner known gone, over a split: exit 4',
    async (verb) => {
      const { store, release } = world(['ra', 'rb']);
      const before = ['ra', 'rb'].map((fn) => store.peek(fn, ALIAS));
      const error = await release(verb);
      expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 4 });
      expect(error.message).toMatch(/^Release r-bhaxm9 has no runner: its process 41/);
      expect(error.message).toContain(
        'ra:live routes version 1 (90%) + version 2 (10%); rb:live routes version 1 (90%) + version 2 (10%): nobody drives those splits',
      );
      expect(error.hint).toContain('`lshift rollback --release r-bhaxm9`');
      expect(['ra', 'rb'].map((fn) => store.peek(fn, ALIAS))).toEqual(before);
    },
  );

  it('its heartbeats stopped, over a split: exit 4', async () => {
    const { release } = world(['ra', 'rb'], { owner: 'ci@build-7:7', heartbeatAt: 0 });
    const error = await release('abort');
    expect(error).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 4 });
    expect(error.message).toMatch(/^Release r-bhaxm9 has no live runner/);
  });

  it('all on one version: exit 5, as before', async () => {
    const { weights, release } = world(['ra', 'rb']);
    weights.set('ra', {});
    weights.set('rb', {});
    expect(await release('pause')).toMatchObject({ code: 'DEPLOYMENT_STALE', exitCode: 5 });
  });
});

describe('staleOverSplit', () => {
  const stale = new ConflictError('DEPLOYMENT_STALE', 'has no runner', { hint: 'h' });
  const split = {
    getAlias: async (_fn: string, name: string) => ({
      name,
      functionVersion: '1',
      additionalWeights: SPLIT,
      revisionId: 'r1',
    }),
  };
  const record = (over: Partial<DeploymentRecord>) =>
    ({ id: 'd-1', phase: 'shifting', ...over }) as DeploymentRecord;

  it.each([
    ['a CodeDeploy record (CodeDeploy drives its split)', { engine: 'codedeploy' as const }],
    ['a record someone is rolling back (its claimer drives it)', { phase: 'rolling-back' as const }],
  ])('%s: the refusal as it was', async (_n, over) => {
    const got = await staleOverSplit(
      split,
      [{ functionName: 'demo', alias: 'live', record: record(over) }],
      stale,
    );
    expect(got).toBe(stale);
  });

  it('another refusal: as it was, the alias not read', async () => {
    const other = new ConflictError('COMMAND_PENDING', 'pending');
    const aliases = { getAlias: () => Promise.reject(new Error('not to be read')) };
    expect(
      await staleOverSplit(aliases, [{ functionName: 'demo', alias: 'live', record: record({}) }], other),
    ).toBe(other);
  });
});
