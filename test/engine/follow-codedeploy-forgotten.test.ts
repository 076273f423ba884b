/**
 * `lshift wait <id>` of a deployment AWS CodeDeploy no longer knows: its deployment group (or
 * application) was deleted, so GetDeployment answers DeploymentDoesNotExistException and nothing
 * will ever end it. When an lshift record names the id, the wait says so, where the alias is, and
 * names `lshift check` / `lshift rollback` (exit 4); a truly unknown id keeps its words (exit 1).
 */
import { describe, expect, it } from 'vitest';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { TagStateStore } from '../../src/engine/tag-state-store.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { ALIAS, createWorld, deadRecord, FN } from './world.js';

/** demo:live as `deploy --detach` left it at 10%, its record on the function's tags; then the group is deleted. */
async function forgottenWorld(record: Partial<DeploymentRecord> = {}, percent = 10) {
  const w = createWorld();
  const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
  const id = await codedeploy.createDeployment({
    application: 'lshift-demo',
    group: 'demo-live',
    config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
  });
  const store = new TagStateStore(w.lambda);
  await store.write(
    FN,
    ALIAS,
    deadRecord(w, {
      phase: 'paused',
      percent,
      engine: 'codedeploy',
      codeDeployId: id,
      heartbeatAt: w.clock.now(),
      startedAt: w.clock.now(),
      ...record,
    }),
  );
  const weights: Record<string, number> = percent > 0 && percent < 100 ? { '2': percent / 100 } : {};
  w.lambda.moveAlias(FN, ALIAS, { functionVersion: percent >= 100 ? '2' : '1', additionalWeights: weights });
  codedeploy.deleteGroup('lshift-demo', 'demo-live');
  const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store };
  return { w, codedeploy, id, deps, store };
}

const follow = (deps: Parameters<typeof followCodeDeploy>[0], id: string) =>
  followCodeDeploy(deps, { deploymentId: id, pollSeconds: 10, onInterrupt: 'rollback' });

async function failureOf(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; hint?: string; exitCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; hint?: string; exitCode?: number };
  }
  throw new Error('expected the wait to fail');
}

describe('lshift wait of a deployment AWS CodeDeploy no longer knows', () => {
  it('named by an unfinished lshift record: says so, where the alias is, and names check and rollback (exit 4)', async () => {
    const { id, deps, w } = await forgottenWorld();
    const error = await failureOf(follow(deps, id));

    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_FORGOTTEN');
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`AWS CodeDeploy no longer knows deployment ${id}`);
    expect(error.message).toContain('application or deployment group was deleted');
    expect(error.message).toContain(`${FN}:${ALIAS}`);
    expect(error.message).toContain('version 1 (90%) + version 2 (10%)');
    expect(error.hint).toContain(`lshift check ${FN} --alias ${ALIAS}`);
    expect(error.hint).toContain(`lshift rollback ${FN} --alias ${ALIAS}`);
    // Nothing is written: the wait has no alarms to judge it by; check and rollback do that.
    expect(w.lambda.aliasWrites()).toEqual([]);
    expect((await deps.store.read(FN, ALIAS))?.phase).toBe('paused');
  });

  it('all traffic on the target: the alias says so, and the fix is still check or rollback', async () => {
    const { id, deps } = await forgottenWorld({}, 100);
    const error = await failureOf(follow(deps, id));

    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_FORGOTTEN');
    expect(error.message).toContain('routes all traffic to version 2, its target');
    expect(error.hint).toContain('lshift check');
  });

  it('the alias unreadable: says that too, still exit 4', async () => {
    const { id, deps, w } = await forgottenWorld();
    w.lambda.getAlias = async () => {
      throw new Error('GetAlias throttled');
    };
    const error = await failureOf(follow(deps, id));

    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_FORGOTTEN');
    expect(error.message).toContain('could not be read');
  });

  it('named by a record already closed: CODEDEPLOY_DEPLOYMENT_NOT_FOUND (exit 1), saying how the record ended', async () => {
    const { id, deps } = await forgottenWorld({ phase: 'rolled-back', percent: 0, endedAt: 1 }, 0);
    const error = await failureOf(follow(deps, id));

    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_NOT_FOUND');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain(`AWS CodeDeploy no longer knows deployment ${id}`);
    expect(error.message).toContain('rolled-back');
  });

  it('named by no record: the words of today, a mistyped id (exit 1)', async () => {
    // The alias's record names another CodeDeploy deployment: this id is none lshift knows.
    const { deps, id: other } = await forgottenWorld({ codeDeployId: 'd-ANOTHER01' });
    const error = await failureOf(follow(deps, other));

    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_NOT_FOUND');
    expect(error.message).toBe(
      `codedeploy:GetDeployment: deployment ${other} does not exist (CodeDeploy: The deployment ${other} could not be found.).`,
    );
  });
});

/**
 * The id alone names no function, so the wait lists records (ListTags per function). On an account
 * of thousands of functions that is minutes of calls: it must stop at the first record naming the
 * id, say what it is doing while it lists, and say when some functions could not be read (the
 * record may be on one of them) instead of calling the id mistyped.
 */
describe('lshift wait: looking for the record of a forgotten deployment', () => {
  const OTHERS = Array.from({ length: 250 }, (_, i) => `other-${String(i).padStart(3, '0')}`);

  it('stops at the first record naming the id: a few ListTags, not one per function', async () => {
    const { w, deps, id } = await forgottenWorld();
    for (const fn of OTHERS) w.lambda.addFunction(fn);
    const error = await failureOf(follow(deps, id));
    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_FORGOTTEN');
    // The record is on the first function listed; the 4 others of the first batch were in flight.
    expect(w.lambda.callsOf('listTags').length).toBeLessThanOrEqual(5);
  });

  it('says what it is doing while it lists: the number of functions, then its progress', async () => {
    // The alias's record names another deployment: none names this one, so every function is read.
    const { w, deps, id: unknown } = await forgottenWorld({ codeDeployId: 'd-ANOTHER01' });
    for (const fn of OTHERS) w.lambda.addFunction(fn);
    await failureOf(follow(deps, unknown));
    const lines = w.sink.events
      .filter((e) => e.type === 'log')
      .map((e) => (e as { message: string }).message)
      .filter((m) => m.includes('lshift record'));
    expect(lines[0]).toContain(
      `${unknown} is not known to AWS CodeDeploy; looking for an lshift record that names it`,
    );
    expect(lines).toContain(
      `codedeploy: looking for an lshift record naming ${unknown} in the tags of 251 functions`,
    );
    expect(lines).toContain(`codedeploy: 100 of 251 functions read, no lshift record names ${unknown} yet`);
    expect(lines).toContain(`codedeploy: 200 of 251 functions read, no lshift record names ${unknown} yet`);
    expect(w.lambda.callsOf('listTags')).toHaveLength(251);
  });

  it('functions whose tags could not be read are said: the record may be on one of them', async () => {
    const { w, deps, id: unknown } = await forgottenWorld({ codeDeployId: 'd-ANOTHER01' });
    for (const fn of OTHERS.slice(0, 3)) w.lambda.addFunction(fn);
    const denied = Object.assign(new Error('AccessDeniedException: not allowed lambda:ListTags'), {
      name: 'AccessDeniedException',
    });
    w.lambda.fail({ op: 'listTags', times: 2, nth: 2, error: denied });
    const error = await failureOf(follow(deps, unknown));
    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_NOT_FOUND');
    expect(error.hint).toMatch(/the tags of 2 of 4 functions could not be read \(other-000: .*AccessDenied/);
    expect(error.hint).toContain('a record naming it may be on one of them');
  });

  it('Ctrl-C during the search reads no further function, and says how far it got', async () => {
    const { w, deps, id: unknown } = await forgottenWorld({ codeDeployId: 'd-ANOTHER01' });
    for (const fn of OTHERS) w.lambda.addFunction(fn);
    const signal = new AbortController();
    w.lambda.onCall = (call) => {
      if (call.op === 'listTags' && w.lambda.callsOf('listTags').length === 20) signal.abort();
    };
    const error = await failureOf(
      followCodeDeploy(deps, {
        deploymentId: unknown,
        pollSeconds: 10,
        onInterrupt: 'rollback',
        signal: signal.signal,
      }),
    );
    expect(error.code).toBe('CODEDEPLOY_DEPLOYMENT_NOT_FOUND');
    expect(w.lambda.callsOf('listTags').length).toBeLessThanOrEqual(25);
    expect(error.hint).toMatch(
      /^Interrupted while looking for an lshift record naming it, after \d+ of 251 functions: none of those names it\./,
    );
  });
});
