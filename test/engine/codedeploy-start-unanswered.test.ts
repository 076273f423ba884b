/**
 * CreateDeployment that got no answer (a timeout, a reset) and two looks at the group that found
 * no deployment of this run. The run said "✖ Not started: demo:live is unchanged … the first
 * weight write (10%) was refused … no traffic was moved", exit 3, and CodeDeploy then took the
 * request late and shifted the alias with nobody following it (found by a hostile pass, F3 of
 * session 60). Nothing is known refused: exit 4, the words say CodeDeploy may still start it and
 * name the commands that tell. The record closes rolled back (where the alias is), so `lshift
 * status` finds a late start by its run token (codedeploy-late-start.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { describeReason, withReason } from '../../src/cli/describe-outcome.js';
import { exitCodeForStatus } from '../../src/cli/exit-codes.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { mapStrategyToCodeDeploy } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { parseStrategy } from '../../src/domain/strategy.js';
import { createCodeDeployGate } from '../../src/engine/codedeploy-gate.js';
import { createCodeDeployTrafficDriver } from '../../src/engine/codedeploy-traffic-driver.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, canary, createWorld, FN, request, writesOf } from './world.js';

const GROUP = { application: 'lshift-demo', group: 'demo-live' };
const LIST_COMMAND =
  'aws deploy list-deployments --application-name lshift-demo --deployment-group-name demo-live --include-only-statuses Created Queued InProgress Baking Ready';

function unansweredWorld(lost: OperationError) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  // Not taken (yet): the request is somewhere between lshift and CodeDeploy.
  codedeploy.createDeployment = async () => {
    throw lost;
  };
  const traffic = createCodeDeployTrafficDriver(
    { codedeploy, lambda: w.lambda, clock: w.clock },
    {
      start: {
        ...GROUP,
        config: mapStrategyToCodeDeploy(parseStrategy('Canary10Percent5Minutes')),
        hooks: {},
        description: 'lshift deploy of demo:live',
        runToken: 'tok123',
      },
      pollSeconds: 10,
    },
  );
  const deps = { ...w.deps, traffic, gates: [createCodeDeployGate(codedeploy, () => undefined)] };
  return { ...w, codedeploy, deps };
}

describe('a CreateDeployment that got no answer, and no deployment of this run found at two looks', () => {
  it.each([
    ['a timeout', 'codedeploy.us-east-1.amazonaws.com did not answer codedeploy:CreateDeployment in time'],
    ['a reset', 'the connection was reset: the request may have been carried out or not'],
  ])('%s: exit 4, "may still take it", never "not started … unchanged … refused"', async (_, message) => {
    const w = unansweredWorld(new OperationError('NETWORK_ERROR', message, {}));
    const result = await runDeploy(w.deps, request({ ...canary(10, 300) }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({
      code: 'WEIGHT_WRITE_FAILED',
      data: { error: 'CODEDEPLOY_START_UNANSWERED' },
    });
    expect(result.fixCommand).toBe(LIST_COMMAND);
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
    const reason = describeReason(result) ?? '';
    expect(reason).toContain('CreateDeployment got no answer (NETWORK_ERROR: ');
    expect(reason).toContain(
      "lshift looked for this run's deployment on group demo-live twice, 2 s apart, and found none, so it follows nothing: AWS CodeDeploy may still take the request late and move the alias on its own schedule with nobody following it",
    );
    expect(reason).toContain(
      `alias live was on version 1 at lshift's last look, and \`lshift status ${FN} --alias live\` says whether a deployment of this run has started since`,
    );
    const text = renderDeployResult(withReason(result));
    expect(text).not.toMatch(/Not started|unchanged|refused|no traffic was moved/);
    expect(text).toContain('Alias as last seen: version 1 (100%)');
    expect(text).toContain(`Fix: ${LIST_COMMAND}`);
    // Nothing written by lshift; the record says where the alias is, and names no deployment.
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back' });
    expect(w.store.peek(FN, ALIAS)?.codeDeployId).toBeUndefined();
  });
});

/**
 * Ctrl-C while CreateDeployment is in flight, and no deployment of this run at two looks: the same
 * uncertainty as a timeout (the request may have reached CodeDeploy), but the run said
 * "interrupted before any traffic moved …; alias live unchanged", exit 3 (found by a hostile
 * pass, session 60). Now exit 4 with the same words, still INTERRUPTED (data.startUnanswered).
 */
describe('Ctrl-C while CreateDeployment is in flight, and no deployment of this run found at two looks', () => {
  it('exit 4 saying CodeDeploy may still take it, the cause still INTERRUPTED; the record closes rolled back', async () => {
    const controller = new AbortController();
    const w = unansweredWorld(new OperationError('INTERRUPTED', 'unused', {}));
    w.codedeploy.createDeployment = async () => {
      controller.abort(new Error('interrupted by SIGINT'));
      throw new OperationError(
        'INTERRUPTED',
        'codedeploy:CreateDeployment on application lshift-demo was abandoned: interrupted by SIGINT.',
        { hint: 'The request may still have been applied; run `lshift status` to see the alias.' },
      );
    };
    const result = await runDeploy(w.deps, request({ ...canary(10, 300), signal: controller.signal }));

    expect(result.status).toBe('unsafe');
    expect(exitCodeForStatus(result.status)).toBe(4);
    expect(result.cause).toMatchObject({ code: 'INTERRUPTED', data: { left: false, startUnanswered: true } });
    expect(result.fixCommand).toBe(LIST_COMMAND);
    expectValidResultOf('deploy', { schemaVersion: 4, ...withReason(result) });
    const reason = describeReason(result) ?? '';
    expect(reason).toBe(
      "interrupted before any traffic moved: CodeDeploy had shifted none yet; CreateDeployment got no answer (INTERRUPTED: codedeploy:CreateDeployment on application lshift-demo was abandoned: interrupted by SIGINT); lshift looked for this run's deployment on group demo-live twice, 2 s apart, and found none, so it follows nothing: AWS CodeDeploy may still take the request late and move the alias on its own schedule with nobody following it; " +
        `alias live was on version 1 at lshift's last look, and \`lshift status ${FN} --alias live\` says whether a deployment of this run has started since`,
    );
    const text = renderDeployResult(withReason(result));
    expect(text).not.toMatch(/unchanged|refused|no traffic was moved|all traffic is back/);
    expect(text).toContain('Alias as last seen: version 1 (100%)');
    expect(text).toContain(`Fix: ${LIST_COMMAND}`);
    // Looked twice; nothing written by lshift; the record says where the alias is, and why.
    expect(w.codedeploy.callsOf('listDeploymentsSince')).toHaveLength(2);
    expect(writesOf(w.lambda)).toEqual([]);
    expect(w.store.peek(FN, ALIAS)).toMatchObject({ phase: 'rolled-back', cause: { code: 'INTERRUPTED' } });
    expect(w.store.peek(FN, ALIAS)?.codeDeployId).toBeUndefined();
  });
});
