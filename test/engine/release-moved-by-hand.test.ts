/**
 * A function's alias moved by hand (`aws lambda update-alias`, the console, `lshift alias`) in the
 * middle of a lockstep release (found by a hostile pass): only its own weight write at the next
 * level met the 412, after the level's other writes (up to 32 in flight) had moved every other
 * function one step further; and the release's reason said "function fb failed: …", as if fb's
 * own checks had failed, when it was taken from the release. Now every function's alias is read
 * before a level's writes (fleet-steps.ts, findAliasMoved): the release stops for the one moved
 * (a conflict, exit 5) with nothing written at that level, and calls it taken over.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import type { ReleaseRequest } from '../../src/engine/release.js';
import { runRelease } from '../../src/engine/release.js';
import type { HookResult } from '../../src/ports/hooks.js';
import type { LambdaPort } from '../../src/ports/lambda.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { cmdHook } from '../helpers/fake-hooks.js';
import { ALIAS, createFleetWorld, linear, request, type World } from './world.js';

const FNS = ['fa', 'fb', 'fc'];

function release(fns = FNS, rel: Partial<ReleaseRequest> = {}): ReleaseRequest {
  return {
    releaseId: 'r-hand01',
    members: fns.map((fn, i) =>
      request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
    ),
    ...rel,
  };
}

/** Runs the release on the manual clock, a second at a time (its holds run at once, as for real). */
async function run(w: World, rel: ReleaseRequest) {
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return withReleaseReason(await running);
}

/** `[function, percent on version 2]` of every alias write (refused ones too), in order. */
function writes(w: World): [string, number][] {
  return w.lambda.aliasWrites().map((write, i) => {
    const fn = w.lambda.callsOf('updateAlias')[i]!.args[0] as string;
    const percent =
      write.functionVersion === '2' ? 100 : Math.round((write.additionalWeights['2'] ?? 0) * 100);
    return [fn, percent];
  });
}

describe('a lockstep release: one alias moved by hand during a hold', () => {
  it('stops before the next level moves any other function; fb is taken over, not failed (exit 5)', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    // Level 1 (25%) holds from 1 s to 61 s; fb is put back on version 1 by hand at 30 s.
    w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await run(w, release());

    expect(result.status).toBe('conflict');
    expect(exitCodeForStatus(result.status)).toBe(5);
    // No 50% write to anyone: fa and fc go back from 25%, fb is left as it was moved.
    expect(writes(w)).toEqual([
      ['fa', 25],
      ['fb', 25],
      ['fc', 25],
      ['fa', 0],
      ['fc', 0],
    ]);
    expect(result.reason).toBe(
      "function fb was taken over before the release's verdict: alias live of function fb changed underneath at step 1 (25%): someone else moved it (a read during the hold found it routing all traffic to version 1, not version 1 + version 2 at 25% as lshift last wrote it); lshift stopped and moved no more traffic; it is now version 1 (100%); lshift left fb to whoever moved its alias; the other functions: fa: rolled back, all traffic on version 1; fc: rolled back, all traffic on version 1. To go on: `lshift status fb` shows where its alias is now (Lambda does not say who moved it; AWS CloudTrail's UpdateAlias events do); once fb may be deployed again, run the release's `lshift deploy` again (every other function is back on its stable version), or deploy the others without fb",
    );
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb).toMatchObject({ status: 'conflict', cause: { code: 'ALIAS_CHANGED' } });
    expect(fb.aliasState).toEqual({ functionVersion: '1', additionalWeights: {} });
    // --json: `failed` still names the function the release stopped for (its schema says so);
    // `takenOver` says it was taken, not failed — by nobody lshift knows (moved outside lshift).
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    expect(result.takenOver).toEqual([{ functionName: 'fb', alias: ALIAS }]);
    expectValidResultOf('release', { schemaVersion: 4, ...result });
    for (const other of ['fa', 'fc']) {
      const f = result.functions.find((x) => x.functionName === other)!;
      expect(f.status).toBe('rolled_back');
      expect(f.reason).toBe(
        "rolled back at step 1 (25%): the alias of function fb was moved by someone else before the release's verdict",
      );
      expect(f.stoppedFor).toMatchObject({ functionName: 'fb', aliasChanged: true });
      expect(w.store.peek(other, ALIAS)?.phase).toBe('rolled-back');
    }
    // Its record is closed as moved by hand (nobody will finish it), not left `shifting`.
    expect(w.store.peek('fb', ALIAS)).toMatchObject({ phase: 'rolled-back', endReason: 'moved by hand' });
    // Found at the level's start (61 s), not a hold later.
    expect(result.endedAt - w.start).toBeLessThan(65_000);

    // The CI summary says taken over, not "failed the release".
    const md = renderGithubReleaseSummary(result);
    expect(md).toContain('### `fb:live` was taken over: the release stopped for it');
    expect(md).toContain('⛔ conflict (taken over: the release stopped for it)');
    expect(md).not.toContain('failed the release');
  });

  it('the same routing written again (only a new RevisionId) stops it there too: its write would meet a 412', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, {
      functionVersion: '1',
      additionalWeights: { '2': 0.25 },
    });
    const result = await run(w, release());

    // A split left with nobody driving it: unsafe, exit 4 (DESIGN.md §6; split-mid-shift.test.ts), was a conflict.
    expect(result.status).toBe('unsafe');
    expect(writes(w).filter(([, p]) => p === 50)).toEqual([]);
    expect(result.functions.find((f) => f.functionName === 'fb')?.reason).toContain(
      "a read before the release's weight writes of step 2 (50%) found it written again by someone else with the same routing (version 1 + version 2 at 25%, a new RevisionId)",
    );
  });

  it('moved during the pre-traffic hook: no function is moved at all', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.hooks.script(
      'cmd:./smoke',
      () =>
        new Promise<HookResult>((resolve) => {
          w.clock.after(60_000, () => resolve({ ok: true, durationMs: 60_000 }));
        }),
    );
    w.lambda.moveAliasAt(w.start + 30_000, 'fc', ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await run(w, release(FNS, { hooks: { pre: [cmdHook('./smoke')] } }));

    expect(result.status).toBe('conflict');
    expect(writes(w)).toEqual([]);
    expect(result.reason).toContain("function fc was taken over before the release's verdict:");
    expect(result.reason).toContain('it is now version 2 (100%)');
    for (const other of ['fa', 'fb']) {
      expect(w.lambda.peekAlias(other, ALIAS)).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    }
  });

  it("costs one GetAlias a function a level, beside the hold's paced reads (measured: 3 → 4 Lambda calls a function a level, 5 with a 60 s hold's read)", async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const counts: Record<string, number>[] = [];
    const count = () => {
      const ops: Record<string, number> = { listTags: w.store.reads, tagResource: w.store.writes.length };
      for (const c of w.lambda.calls) ops[c.op] = (ops[c.op] ?? 0) + 1;
      counts.push(ops);
    };
    // Between two level starts (61 s, 121 s): level 2's writes and hold.
    w.clock.at(w.start + 60_500, count);
    w.clock.at(w.start + 120_500, count);
    const result = await run(w, release());

    expect(result.status).toBe('promoted');
    const [before, after] = counts as [Record<string, number>, Record<string, number>];
    const delta = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
    // The level's read of each alias, and each function's one read in its 60 s hold (every 30 s).
    expect(delta('getAlias')).toBe(2 * FNS.length);
    expect(delta('updateAlias')).toBe(FNS.length);
    expect(delta('tagResource')).toBe(FNS.length);
  });

  it('a stagger release reads only the functions waiting for their turn, at each turn (release-stagger-moved-early.test.ts)', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    const result = await run(w, release(FNS, { stagger: true }));
    expect(result.status).toBe('promoted');
    // The preflight's and the promotion read-back's, each turn's (3 + 2 + 1), and the walking
    // function's own paced reads in its three 60 s holds (one each, every 30 s).
    expect(w.lambda.callsOf('getAlias')).toHaveLength(2 * FNS.length + 6 + 3 * FNS.length);
  });
});

/** The same Lambda, whose GetAlias and UpdateAlias go one at a time, `ms` of clock time each: a limiter. */
function paced(w: World, ms: number): LambdaPort {
  let queue: Promise<unknown> = Promise.resolve();
  return new Proxy(w.lambda, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (prop !== 'getAlias' && prop !== 'updateAlias') return value.bind(target);
      return (...args: unknown[]) => {
        const turn = queue.then(() => w.clock.sleep(ms));
        queue = turn.catch(() => undefined);
        return turn.then(() => value.apply(target, args));
      };
    },
  });
}

describe('the reads before a level, against a rate limit', () => {
  it("start before the hold ends, as long before as the last level's writes took: the writes are not held back by them", async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.deps = { ...w.deps, lambda: paced(w, 2_000) };
    const result = await run(w, release());
    expect(result.status).toBe('promoted');

    const at = (op: 'getAlias' | 'updateAlias') =>
      w.lambda.callsOf(op).map((c) => [c.args[0] as string, (c.at - w.start) / 1000] as const);
    const levelWrites = (k: number) =>
      at('updateAlias')
        .slice(3 * k, 3 * k + 3)
        .map(([, s]) => s);
    // Level 1: read at its start (no level before it to go by), then written, 2 s a request.
    // Level 2 onwards: read in the last 6 s of the hold before (the 6 s level 1's writes took).
    const [first, second] = [levelWrites(0), levelWrites(1)];
    const lastOfFirst = first.at(-1)!;
    // The hold's own paced reads (30 s in) come first: the level's are the last three before it.
    const readsOfSecond = at('getAlias')
      .filter(([, s]) => s > lastOfFirst && s < second[0]!)
      .slice(-FNS.length);
    expect(readsOfSecond.map(([fn]) => fn)).toEqual(FNS);
    // Each weight watched 90% of the hold (54 s) after its write: level 2's first write comes
    // right after level 1's hold end (its last write + 54 s), not 6 s of reads later.
    expect(second[0]! - lastOfFirst).toBeLessThanOrEqual(54 + 2);
    expect(readsOfSecond[0]![1]).toBeGreaterThanOrEqual(lastOfFirst + 54 - 6);
  });

  it('made ahead of a hold that then ran on (health unreadable at its end), they are made again before the writes', async () => {
    const w = createFleetWorld(FNS, { auto: false });
    w.deps = { ...w.deps, lambda: paced(w, 2_000) };
    // Level 1's hold ends at 73 s, its next level's reads made from 67 s. The end-of-hold poll
    // cannot read the alarms, so the hold runs on to the next poll (83 s); fb is moved at 76 s.
    w.clock.at(w.start + 72_000, () => w.metrics.fail({ op: 'describeAlarms', times: 1 }));
    w.lambda.moveAliasAt(w.start + 76_000, 'fb', ALIAS, { functionVersion: '1', additionalWeights: {} });
    const result = await run(w, release());

    expect(result.status).toBe('conflict');
    expect(result.failed).toEqual({ functionName: 'fb', alias: ALIAS });
    // Nobody went on to 50%: the reads made at 67–73 s were too old to go by.
    expect(writes(w).filter(([, p]) => p === 50)).toEqual([]);
  });
});
