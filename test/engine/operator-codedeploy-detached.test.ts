import { describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { isLshiftError, type LshiftError } from '../../src/domain/errors.js';
import type { OperatorVerb } from '../../src/domain/operator-command.js';
import { sendOperatorCommand } from '../../src/engine/operator-send.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeStore } from '../helpers/fake-store.js';

/**
 * The verbs on a deployment AWS CodeDeploy runs with no lshift following it (`deploy --engine
 * codedeploy --detach`, or a follower that handed it over with `--on-interrupt leave`): its
 * record is `paused` with the CodeDeploy id. Seen against the sandbox while CodeDeploy moved
 * the alias: every verb said "No deployment is running on alias live of function cd1; its last
 * deployment d-… is paused. It was left paused and no process runs it: continue it with
 * `lshift wait d-…`" — CodeDeploy was running it. Now: pause, resume and promote are
 * ENGINE_CANNOT_RUN (as for a followed one, docs/codedeploy.md), and abort is refused saying that
 * no lshift process reads commands for it (a `lshift wait` following it only polls CodeDeploy)
 * and what stops it now (`lshift rollback`). Nothing is written.
 */
const FN = 'cd1';
const ALIAS = 'live';

async function refusal(verb: OperatorVerb): Promise<{ error: LshiftError; writes: number }> {
  const clock = new FakeClock();
  const store = new FakeStore({ roundTrip: true });
  const record: DeploymentRecord = {
    id: 'd-det001',
    stableVersion: '1',
    targetVersion: '2',
    strategy: 'linear:10%:10m',
    stepIndex: 0,
    percent: 10,
    phase: 'paused',
    startedAt: clock.now() - 60_000,
    owner: 'ci@runner:7',
    heartbeatAt: clock.now() - 60_000,
    history: ['1'],
    engine: 'codedeploy',
    codeDeployId: 'd-FDAE44272',
  };
  store.seed(FN, ALIAS, record);
  try {
    await sendOperatorCommand(
      { store, clock, random: () => 0.5 },
      { functionName: FN, alias: ALIAS, verb, by: 'ann@laptop:9', waitSeconds: 60 },
    );
  } catch (error) {
    if (isLshiftError(error)) return { error, writes: store.writes.length };
    throw error;
  }
  throw new Error(`${verb} was not refused`);
}

describe('operator verbs on a detached CodeDeploy deployment', () => {
  it.each(['pause', 'resume', 'promote', 'promote-full'] as const)(
    '%s: ENGINE_CANNOT_RUN, nothing written',
    async (verb) => {
      const { error, writes } = await refusal(verb);
      expect(error.code).toBe('ENGINE_CANNOT_RUN');
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('runs on AWS CodeDeploy (d-FDAE44272)');
      expect(error.message).not.toMatch(/no deployment is running|left paused/i);
      expect(error.hint).toContain('`lshift rollback cd1 --alias live` stops it');
      expect(writes).toBe(0);
    },
  );

  it('abort: refused, saying no lshift process reads its commands (a wait only watches), and what stops it', async () => {
    const { error, writes } = await refusal('abort');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(
      'Deployment d-det001 on alias live of function cd1 was handed to AWS CodeDeploy (d-FDAE44272): no lshift process reads commands for it (`lshift wait` only watches it), so nobody would read the abort; nothing was sent.',
    );
    // Seen in a hostile pass: with `lshift wait` following it, "no lshift process follows it" was false.
    expect(error.message).not.toContain('follows it');
    expect(error.hint).toBe(
      '`lshift rollback cd1 --alias live` stops it now (StopDeployment with auto-rollback) and puts the alias back; `lshift wait d-FDAE44272` follows it (Ctrl-C there stops it too).',
    );
    expect(writes).toBe(0);
  });
});
