/**
 * The release's Reason line after someone split one of its functions (fb) by hand (session 70):
 * - met in a hold, it read "… it is now version 1 (45%) + version 2 (55%). (a read during the hold
 *   …); nobody drives that split …": a full stop and a bracket mid-sentence. The read is now said
 *   where the move is ("someone else moved it (a read …)"), the line one sentence;
 * - met by the rollback of a SIGTERM, it read "rollback interrupted at step 1 (25%); it stopped:
 *   alias live was changed by someone else …", naming the alias but not the function.
 */
import { describe, expect, it } from 'vitest';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { ALIAS, createFleetWorld, linear, request } from './world.js';

const FNS = ['fa', 'fb', 'fc'];
const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.55 } };

async function releaseWithSplit(splitAt: number, sigtermAt?: number) {
  const w = createFleetWorld(FNS, { auto: false });
  w.lambda.moveAliasAt(w.start + splitAt, 'fb', ALIAS, SPLIT);
  const controller = new AbortController();
  if (sigtermAt !== undefined) w.clock.at(w.start + sigtermAt, () => controller.abort(new Error('SIGTERM')));
  const signal = { signal: controller.signal };
  const rel: ReleaseRequest = {
    releaseId: 'r-split5',
    ...signal,
    members: FNS.map((fn, i) =>
      request({
        functionName: fn,
        alarms: [`${fn}-errors`],
        deploymentId: `d-${i}`,
        ...signal,
        ...linear(25, 60),
      }),
    ),
  };
  let ended = false;
  const running = runRelease(w.deps, rel).finally(() => {
    ended = true;
  });
  while (!ended) await w.clock.advance(1000);
  return withReleaseReason(await running);
}

describe("a release's Reason line after a hand split of one function", () => {
  it('met in a hold: one sentence, the read said where the move is', async () => {
    const result = await releaseWithSplit(30_000);
    expect(result.status).toBe('unsafe');
    expect(result.reason).toContain(
      "function fb was split by someone else before the release's verdict: alias live of function fb changed underneath at step 1 (25%): someone else moved it (a read during the hold found it routing version 1 + version 2 at 55%, not version 1 + version 2 at 25% as lshift last wrote it); lshift stopped and moved no more traffic; it is now version 1 (45%) + version 2 (55%); nobody drives that split: `lshift rollback fb --alias live`",
    );
    expect(result.reason).not.toContain('). (');
  });

  it('met by the rollback of a SIGTERM: the function is named', async () => {
    const result = await releaseWithSplit(25_000, 30_000);
    expect(result.status).toBe('unsafe');
    expect(result.reason).toMatch(
      /^function fb: rollback interrupted at step 1 \(25%\); it stopped: alias live was changed by someone else before lshift's rollback wrote it/,
    );
  });
});
