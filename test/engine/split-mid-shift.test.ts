/**
 * A person's split met in the FORWARD part of a deploy or release (a hold's alias read, a 412):
 * lshift stops and leaves it, and nobody drives it any more — `status` and `check` call it
 * STALLED, exit 4. It ended a conflict (exit 5, no fix), against DESIGN.md §6 ("no exit leaves an
 * alias split unless the exit code is 4 and the output shows the alias state and the fix"; h3's
 * pass, session 67, F1). Now unsafe, exit 4, with the rollback on the result, as a split met
 * during the rollback is (rollback-moved-close.ts). Moved whole onto one version: still exit 5.
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { renderGithubReleaseSummary } from '../../src/cli/renderers/github-release-summary.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { type ReleaseRequest, runRelease } from '../../src/engine/release.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { ALIAS, createFleetWorld, createWorld, FN, linear, request, type World } from './world.js';

const SPLIT = { functionVersion: '1', additionalWeights: { '2': 0.37 } };

describe('a split someone made while lshift shifted its traffic', () => {
  it('a single deploy: unsafe, exit 4, the split left and said, the rollback on the result', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, SPLIT);
    const result = await runDeploy(w.deps, request(linear(10, 600)));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'ALIAS_CHANGED', data: { splitLeft: true } });
    expect(result.aliasState).toEqual(SPLIT);
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live');
    expect(result.fixCommand).toContain(
      'aws lambda update-alias --function-name demo --name live --function-version 1',
    );
    expect(describeReason(result)).toContain(
      'nobody drives that split: `lshift rollback demo --alias live` puts all traffic on version 1 over it',
    );
    const text = renderDeployResult(withReason(result));
    expect(text).toContain(
      '✖ UNSAFE: demo:live was split by someone else while lshift shifted its traffic, and lshift left it split: nobody drives that split; it needs a human.',
    );
    expect(text).toContain('Alias as last seen: version 1 (63%) + version 2 (37%)');
    expect(text).toContain('Fix: lshift rollback demo --alias live');
    // Left where the person put it; nothing written over it.
    expect(w.lambda.peekAlias(FN, ALIAS)).toMatchObject(SPLIT);
    expect(w.lambda.callsOf('updateAlias')).toHaveLength(1);
  });

  it("a split of another version than the deployment's two: the fix names the stable version (`--to`)", async () => {
    const w = createWorld();
    const other = { functionVersion: '9', additionalWeights: { '2': 0.37 } };
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, other);
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(result.status).toBe('unsafe');
    // Without --to, `lshift rollback` refuses a split whose primary is neither version (exit 2).
    expect(result.rollbackCommand).toBe('lshift rollback demo --alias live --to 1');
    expect(renderDeployResult(withReason(result))).toContain('Fix: lshift rollback demo --alias live --to 1');
  });

  it('moved whole onto one version: still a conflict, exit 5 (the person holds it)', async () => {
    const w = createWorld();
    w.lambda.moveAliasAt(w.start + 65_000, FN, ALIAS, { functionVersion: '2', additionalWeights: {} });
    const result = await runDeploy(w.deps, request(linear(10, 600)));
    expect(result.status).toBe('conflict');
    expect(result.rollbackCommand).toBeUndefined();
  });

  it('a release: unsafe, exit 4; the reason says split and left, not "left to whoever moved its alias"', async () => {
    const fns = ['fa', 'fb', 'fc'];
    const w: World = createFleetWorld(fns, { auto: false });
    w.lambda.moveAliasAt(w.start + 30_000, 'fb', ALIAS, SPLIT);
    const rel: ReleaseRequest = {
      releaseId: 'r-split1',
      members: fns.map((fn, i) =>
        request({ functionName: fn, alarms: [`${fn}-errors`], deploymentId: `d-${i}`, ...linear(25, 60) }),
      ),
    };
    let ended = false;
    const running = runRelease(w.deps, rel).finally(() => {
      ended = true;
    });
    while (!ended) await w.clock.advance(1000);
    const result = withReleaseReason(await running);

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    const fb = result.functions.find((f) => f.functionName === 'fb')!;
    expect(fb).toMatchObject({ status: 'unsafe', aliasState: SPLIT });
    expectValidResultOf('release', { schemaVersion: 4, ...result });
    expect(fb.rollbackCommand).toBeDefined();
    expect(result.reason).toContain("function fb was split by someone else before the release's verdict");
    expect(result.reason).toContain('nobody drives that split');
    expect(result.reason).not.toContain('whoever moved its alias');
    for (const other of ['fa', 'fc'])
      expect(result.functions.find((f) => f.functionName === other)?.status).toBe('rolled_back');
    expect(w.lambda.peekAlias('fb', ALIAS)).toMatchObject(SPLIT);
    // The CI summary says the same, not "an alias changed underneath".
    expect(renderGithubReleaseSummary(result)).toContain(
      'needs a human: `fb:live` split by someone else and left split, nobody drives it',
    );
  });
});
