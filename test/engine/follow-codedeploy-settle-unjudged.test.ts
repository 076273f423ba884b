/**
 * `lshift wait` of a CodeDeploy deployment whose follower was killed in its settle wait (record
 * `shifting` at 100%, the canary analysis on): CodeDeploy Succeeded, and the wait closed it
 * promoted, exit 0, the settle's verdict on the last step's late metrics never made nor mentioned
 * (found by a hostile pass, session 60). It says so now (settleUnjudged, a warning, its line) —
 * only when that follower is really gone: one still alive (a fresh heartbeat, its pid running
 * here) keeps its record, the wait reports CodeDeploy's end and leaves the record to it.
 */
import { describe, expect, it } from 'vitest';
import { describeFollow } from '../../src/cli/describe-follow.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

const GUARDS = {
  alarms: 1,
  hooks: { pre: 0, post: 0, step: 0 },
  bakeSeconds: 0,
  analysis: true,
  hash: 'abcdefg',
};

const OWNER = 'ci@runner:7';

async function succeededWorld(record: Partial<DeploymentRecord>, running: number[] = []) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  await w.clock.advance(6 * 60_000);
  w.store.seed(
    FN,
    ALIAS,
    deadRecord(w, {
      phase: 'shifting',
      stepIndex: 1,
      percent: 100,
      engine: 'codedeploy',
      codeDeployId: id,
      owner: OWNER,
      // Its follower died three minutes ago (past the 2-minute stale limit): nobody drives it.
      heartbeatAt: w.clock.now() - 180_000,
      startedAt: w.clock.now() - 6 * 60_000,
      guards: GUARDS as never,
      ...record,
    }),
  );
  // The wait's own owner on the same machine (user@host), and which pids run here.
  const rollback = {
    owner: 'rollback:ci@runner:99',
    processes: { isRunning: (pid: number) => running.includes(pid) },
  } as never;
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store, rollback };
  const follow = () => followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });
  return { w, follow };
}

describe('lshift wait of a deployment whose follower died before its settle verdict', () => {
  it('closes it promoted, but says the verdict was never made (result, warning, words)', async () => {
    const { w, follow } = await succeededWorld({});
    const result = await follow();
    expect(result).toMatchObject({
      outcome: 'succeeded',
      recordPhase: 'promoted',
      settleUnjudged: 'd-dead01',
    });
    const warnings = w.sink.ofType('log').filter((e) => e.level === 'warn');
    expect(warnings.map((e) => e.message).join('\n')).toContain('the canary analysis never judged');
    expect(describeFollow(result)).toContain(
      "Not judged: lshift's settle verdict on the last step's late metrics was never made (the run following deployment d-dead01 stopped before it)",
    );
  });

  it('not for a --detach (paused) record, nor one without the canary analysis', async () => {
    for (const record of [
      { phase: 'paused' as const },
      { guards: { ...GUARDS, analysis: false } as never },
    ]) {
      const { follow } = await succeededWorld(record);
      const result = await follow();
      expect(result).toMatchObject({ outcome: 'succeeded', recordPhase: 'promoted' });
      expect(result.settleUnjudged).toBeUndefined();
    }
  });

  it('leaves the record of a live follower (fresh heartbeat, or its pid alive here) open, and says so', async () => {
    for (const [heartbeatAgoMs, running] of [
      // In its settle wait: it wrote its heartbeat 20 s ago.
      [20_000, []],
      // Its heartbeat stale (its record writes fail, say), but its process 7 still runs here.
      [180_000, [7]],
    ] as const) {
      const { w, follow } = await succeededWorld({}, [...running]);
      const seeded = await w.store.read(FN, ALIAS);
      w.store.seed(FN, ALIAS, { ...seeded!, heartbeatAt: w.clock.now() - heartbeatAgoMs });
      const result = await follow();
      expect(result).toMatchObject({ outcome: 'succeeded', liveFollower: { recordId: 'd-dead01' } });
      expect(result.liveFollower?.follower).toContain(OWNER);
      // A fresh heartbeat outweighs a pid not seen here (another container?), and that is said.
      const deadHere =
        'its process 7 no longer runs here: if it died, a wait once its heartbeat is 2m old closes the record';
      if (running.length === 0) expect(result.liveFollower?.follower).toContain(deadHere);
      else expect(result.liveFollower?.follower).not.toContain('no longer runs');
      expect(result.recordPhase).toBeUndefined();
      expect(result.settleUnjudged).toBeUndefined();
      const kept = await w.store.read(FN, ALIAS);
      expect(kept).toMatchObject({ phase: 'shifting', percent: 100 });
      expect(kept?.endedAt).toBeUndefined();
      const warnings = w.sink.ofType('log').filter((e) => e.level === 'warn');
      expect(warnings.map((e) => e.message).join('\n')).not.toContain('never judged');
      const words = describeFollow(result);
      expect(words).toContain('Succeeded');
      expect(words).not.toContain('Not judged');
      expect(words).toContain('lshift deployment d-dead01 is left open: the run following it counts as live');
    }
  });
});
