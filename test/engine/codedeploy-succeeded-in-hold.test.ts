/**
 * AWS CodeDeploy ended the deployment (Succeeded, all traffic on the new version) while lshift
 * held a step below 100% (session 63's notes): lshift's follow saw the step late (its reads failing
 * or answering late for minutes), so its hold, counted from when it saw the step, ran on past
 * CodeDeploy's own end — minutes "holding at 10%" with all traffic on the new version — before its
 * promote read what CodeDeploy had said. The hold now ends at the poll that reads CodeDeploy's end;
 * the promote, the settle and the end follow, as when the follow itself reads the end
 * (codedeploy-succeeded-in-follow.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeReason } from '../../src/cli/describe-outcome.js';
import { runDeploy } from '../../src/engine/deploy.js';
import type { HealthGate } from '../../src/engine/health-gate.js';
import { codeDeployWorld } from './codedeploy-world.js';
import { canary, FN, request } from './world.js';

describe('CodeDeploy succeeded while lshift held a step below 100%', () => {
  it('the hold ends when CodeDeploy says it ended; the deploy still promotes, settles and ends', async () => {
    const w = codeDeployWorld('Canary10Percent15Minutes');
    // The follow's read that finds CodeDeploy's 10% answers 10 minutes late.
    const read = w.codedeploy.getDeployment.bind(w.codedeploy);
    let late = true;
    w.codedeploy.getDeployment = async (id: string) => {
      const info = await read(id);
      if (late && (w.lambda.peekAlias(FN, 'live')?.additionalWeights['2'] ?? 0) > 0) {
        late = false;
        await w.clock.sleep(10 * 60_000);
      }
      return info;
    };
    const events: string[] = [];
    const emit = w.deps.events.emit.bind(w.deps.events);
    w.deps.events.emit = (e) => {
      if (e.type === 'step.completed') events.push(`${e.type} ${w.clock.now() - w.start}`);
      if (e.type === 'log' && e.message.includes('early')) events.push(e.message);
      emit(e);
    };
    const result = await runDeploy(w.deps, request({ ...canary(10, 900) }));

    expect(result.status).toBe('promoted');
    expect(w.lambda.peekAlias(FN, 'live')).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    const ended = await read('d-FAKE1');
    expect(ended.status).toBe('Succeeded');
    const endedAt = (ended.completedAt ?? 0) - w.start;
    expect(endedAt).toBe(15 * 60_000);
    // The hold of step 1 (10%) ended at the poll that read the end (every 10 s). Before: 8.5
    // minutes later, its whole 15 minutes counted from the late read, all traffic on version 2.
    const step1 = events.find((e) => e.startsWith('step.completed'));
    expect(Number(step1?.split(' ')[1])).toBeLessThanOrEqual(endedAt + 10_000);
    expect(w.clock.now() - w.start).toBeLessThan(endedAt + 60_000);
    expect(w.codedeploy.callsOf('stopDeployment')).toEqual([]);
    // Said, not a silent jump from "still holding at 10%" to the promote.
    expect(events).toContainEqual(
      expect.stringMatching(
        /^codedeploy: d-FAKE1 Succeeded: the hold at 10% ends \S+.* early \(all traffic is on the new version\)$/,
      ),
    );
  });

  it("the poll that ends the hold on CodeDeploy's end is an end-of-step poll: --on-inconclusive fail still rolls back", async () => {
    // h3's pass (session 64): the hold ended on a poll that was not the step's end, so an
    // undecided canary promoted (exit 0) under --on-inconclusive fail.
    const w = codeDeployWorld('Canary10Percent15Minutes');
    const read = w.codedeploy.getDeployment.bind(w.codedeploy);
    let late = true;
    w.codedeploy.getDeployment = async (id: string) => {
      const info = await read(id);
      if (late && (w.lambda.peekAlias(FN, 'live')?.additionalWeights['2'] ?? 0) > 0) {
        late = false;
        await w.clock.sleep(10 * 60_000);
      }
      return info;
    };
    const ends: boolean[] = [];
    const undecided: HealthGate = {
      name: 'error-rate-increase',
      evaluate: async (win) => {
        ends.push(win.endOfStep);
        return [
          { outcome: 'inconclusive', gate: 'error-rate-increase', summary: 'too few requests', at: win.now },
        ];
      },
    };
    const result = await runDeploy(
      { ...w.deps, gates: [...w.deps.gates, undecided] },
      request({ ...canary(10, 900), onInconclusive: 'fail' }),
    );

    expect(ends.at(-1)).toBe(true);
    expect(result.status).toBe('rolled_back');
    expect(describeReason(result)).toContain('inconclusive at the end of the step (--on-inconclusive fail)');
    // Ended early all the same: not the whole 15 minutes counted from the late read.
    expect(w.clock.now() - w.start).toBeLessThan(17 * 60_000);
  });
});
