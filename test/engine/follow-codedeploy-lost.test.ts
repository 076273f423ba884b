/**
 * `lshift wait` losing AWS CodeDeploy after it saw the deployment run (GetDeployment stalls, a
 * StopDeployment after Ctrl-C fails): it ended with the bare NETWORK_ERROR, exit 1 ("failed before
 * traffic moved"), while the alias was split and CodeDeploy went on moving it (found by a hostile
 * pass). Now UNSAFE (exit 4) with the alias as read now and the commands that finish it.
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import { OperationError } from '../../src/domain/errors.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, FN } from './world.js';

const NETWORK = new OperationError('NETWORK_ERROR', 'AWS did not answer codedeploy:GetDeployment in time');

async function runningWorld() {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.1 } });
  return { w, codedeploy, id };
}

async function failureOf(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; hint?: string; exitCode?: number };
  }
  throw new Error('expected the wait to fail');
}

describe('lshift wait that loses AWS CodeDeploy', () => {
  it('GetDeployment fails after a read that saw it run: UNSAFE (exit 4), the alias as it is now, the ways on', async () => {
    const { w, codedeploy, id } = await runningWorld();
    let reads = 0;
    const flaky = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => {
        reads += 1;
        if (reads > 1) throw NETWORK;
        return codedeploy.getDeployment(d);
      },
    });
    const deps = { codedeploy: flaky, lambda: w.lambda, clock: w.clock, events: w.sink };
    const error = await failureOf(
      followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }),
    );
    expect(error).toMatchObject({ code: 'CODEDEPLOY_WAIT_LOST', exitCode: 4 });
    expect(error.message).toContain(
      `Lost contact with AWS CodeDeploy while waiting for deployment ${id} (last seen InProgress)`,
    );
    expect(error.message).toContain(
      'nothing is watching it now: alias demo:live routes version 1 (90%) + version 2 (10%)',
    );
    // Tried again a poll apart until none had answered for 3 minutes (F9, session 61).
    expect(error.message).toContain(
      'in time. No read answered for 3m (18 tries). It may still be moving traffic',
    );
    expect(reads).toBe(19);
    expect(error.hint).toBe(
      `Follow it again with \`lshift wait ${id}\` once AWS answers, or \`lshift rollback demo --alias live\` stops it and puts all traffic back on version 1.`,
    );
  });

  // F9 (session 61): a wait following a deployment for an hour ended exit 4 at the first failed
  // GetDeployment (a throttle past the SDK's attempts, one reset) while CodeDeploy went on.
  it('a throttled read, then one that times out, then answers: the wait goes on to the end, warning of each', async () => {
    const { w, codedeploy, id } = await runningWorld();
    let reads = 0;
    const flaky = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => {
        reads += 1;
        // AWS's words end with a period: not doubled before the `;`.
        if (reads === 2) throw new OperationError('THROTTLED', 'Rate exceeded (codedeploy:GetDeployment).');
        if (reads === 3) throw NETWORK;
        return codedeploy.getDeployment(d);
      },
    });
    const deps = { codedeploy: flaky, lambda: w.lambda, clock: w.clock, events: w.sink };
    const result = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(result).toMatchObject({ outcome: 'succeeded', status: 'Succeeded' });
    const warnings = w.sink.events.flatMap((e) =>
      e.type === 'log' && e.level === 'warn' ? [e.message] : [],
    );
    expect(warnings).toEqual([
      `could not read deployment ${id} from AWS CodeDeploy: THROTTLED: Rate exceeded (codedeploy:GetDeployment); trying again at the next poll, for 2m 50s more before the wait gives up`,
      `could not read deployment ${id} from AWS CodeDeploy (2 reads in a row): NETWORK_ERROR: AWS did not answer codedeploy:GetDeployment in time; trying again at the next poll, for 2m 40s more before the wait gives up`,
    ]);
  });

  it('a refusal is not tried again: the wait ends at once', async () => {
    const { w, codedeploy, id } = await runningWorld();
    let reads = 0;
    const refused = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => {
        reads += 1;
        if (reads > 1)
          throw new OperationError('ACCESS_DENIED', 'not authorized to perform codedeploy:GetDeployment');
        return codedeploy.getDeployment(d);
      },
    });
    const deps = { codedeploy: refused, lambda: w.lambda, clock: w.clock, events: w.sink };
    await failureOf(followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }));
    expect(reads).toBe(2);
  });

  // Found by a hostile pass: CodeDeploy had Succeeded (all traffic on version 2), the alias read
  // after it failed, and the wait ended with the bare NETWORK_ERROR, exit 1 ("failed before
  // traffic moved"), its record left open.
  it('CodeDeploy ended it and the alias read after it fails: UNSAFE (exit 4), how it ended, and the wait that closes it', async () => {
    const { w, codedeploy, id } = await runningWorld();
    const ended = Object.assign(Object.create(codedeploy), {
      getDeployment: async (d: string) => ({ ...(await codedeploy.getDeployment(d)), status: 'Succeeded' }),
    });
    w.lambda.fail({
      op: 'getAlias',
      times: Number.POSITIVE_INFINITY,
      error: new OperationError('NETWORK_ERROR', 'AWS did not answer lambda:GetAlias in time'),
    });
    const deps = { codedeploy: ended, lambda: w.lambda, clock: w.clock, events: w.sink };
    const error = await failureOf(
      followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }),
    );
    expect(error).toMatchObject({ code: 'CODEDEPLOY_WAIT_LOST', exitCode: 4 });
    expect(error.message).toBe(
      `AWS CodeDeploy ended deployment ${id} (Succeeded), but lshift could not read alias demo:live after it: NETWORK_ERROR: AWS did not answer lambda:GetAlias in time. Nothing moves it any more; where its traffic is was not seen, and the lshift deployment record on it is not closed.`,
    );
    expect(error.hint).toBe(
      `See it with \`lshift status demo --alias live\`; \`lshift wait ${id}\` reads it again and closes the record.`,
    );
  });

  // Found by a hostile pass: the stop was taken, yet the error said "If it runs, it may be moving
  // traffic" and told the user to send the stop again.
  it('no read ever answers but CodeDeploy took the stop a signal asked for: says the stop was taken (exit 4)', async () => {
    const { w, codedeploy, id } = await runningWorld();
    const down = Object.assign(Object.create(codedeploy), {
      getDeployment: async () => {
        throw NETWORK;
      },
    });
    const interrupt = new AbortController();
    interrupt.abort();
    const deps = { codedeploy: down, lambda: w.lambda, clock: w.clock, events: w.sink };
    const error = await failureOf(
      followCodeDeploy(deps, {
        deploymentId: id,
        pollSeconds: 10,
        onInterrupt: 'rollback',
        signal: interrupt.signal,
      }),
    );
    expect(error).toMatchObject({ code: 'CODEDEPLOY_WAIT_LOST', exitCode: 4 });
    expect(error.message).toBe(
      `AWS CodeDeploy took lshift's stop of deployment ${id} (with auto-rollback), but lshift could not read the deployment: NETWORK_ERROR: AWS did not answer codedeploy:GetDeployment in time. Its rollback was not seen to end.`,
    );
    expect(error.hint).not.toContain('stop-deployment');
    expect((await codedeploy.getDeployment(id)).status).toBe('Stopped');
  });

  it('the first read fails: nothing was seen, and nothing is known to watch it either (exit 4)', async () => {
    const { w, codedeploy, id } = await runningWorld();
    const down = Object.assign(Object.create(codedeploy), {
      getDeployment: async () => {
        throw NETWORK;
      },
    });
    const deps = { codedeploy: down, lambda: w.lambda, clock: w.clock, events: w.sink };
    const error = await failureOf(
      followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' }),
    );
    expect(error).toMatchObject({ code: 'CODEDEPLOY_WAIT_LOST', exitCode: 4 });
    expect(error.message).toBe(
      `Could not read deployment ${id} from AWS CodeDeploy: NETWORK_ERROR: AWS did not answer codedeploy:GetDeployment in time. No read answered for 3m (19 tries). If it runs, it may be moving traffic, and nothing is watching it now.`,
    );
  });
});
