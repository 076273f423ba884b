import { describe, expect, it } from 'vitest';
import {
  ensureCodeDeploySetup,
  type SetupProgress,
  type SetupRequest,
} from '../../src/engine/codedeploy-setup.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';
import { FakeLambda } from '../helpers/fake-lambda.js';

const ROLE = 'arn:aws:iam::123456789012:role/cd';

function setup() {
  const clock = new FakeClock();
  return new FakeCodeDeploy(clock, new FakeLambda(clock));
}

const req = (overrides: Partial<SetupRequest> = {}): SetupRequest => ({
  application: 'lshift-my-fn',
  group: 'my-fn-live',
  serviceRoleArn: ROLE,
  alarms: ['my-fn-errors'],
  config: 'CodeDeployDefault.LambdaAllAtOnce',
  update: false,
  ...overrides,
});

const writes = (cd: FakeCodeDeploy) =>
  cd.calls.filter((c) => c.op.startsWith('create') || c.op.startsWith('update')).map((c) => c.op);

describe('lshift codedeploy init (ensureCodeDeploySetup)', () => {
  it('creates the application and group once; a second run changes nothing and reports no drift', async () => {
    const cd = setup();
    const first = await ensureCodeDeploySetup(cd, req());
    expect(first).toEqual({
      application: { name: 'lshift-my-fn', action: 'created' },
      group: { name: 'my-fn-live', action: 'created' },
      drift: [],
    });
    expect(writes(cd)).toEqual(['createApplication', 'createDeploymentGroup']);
    const second = await ensureCodeDeploySetup(cd, req());
    expect(second).toMatchObject({
      application: { action: 'reused' },
      group: { action: 'reused' },
      drift: [],
    });
    expect(writes(cd)).toEqual(['createApplication', 'createDeploymentGroup']);
  });

  it('refuses a --role that is not an IAM role ARN before creating anything', async () => {
    const cd = setup();
    await expect(ensureCodeDeploySetup(cd, req({ serviceRoleArn: 'notarole' }))).rejects.toThrow(
      /--role `notarole` is not an IAM role ARN/,
    );
    expect(writes(cd)).toEqual([]);
  });

  it('quotes a long --role cut to 200 characters', async () => {
    const cd = setup();
    const role = `arn:aws:iam::123456789012:user/${'x'.repeat(600)}`;
    await expect(ensureCodeDeploySetup(cd, req({ serviceRoleArn: role }))).rejects.toThrow(
      /^--role `arn:aws:iam::123456789012:user\/x{169}… \(631 characters\)` is not an IAM role ARN\.$/,
    );
  });

  it('adopts a SAM-made group by name untouched and reports its drift; --update changes it', async () => {
    const cd = setup();
    cd.applications.add('ServerlessDeploymentApplication');
    cd.groups.set('ServerlessDeploymentApplication/sam-group', {
      application: 'ServerlessDeploymentApplication',
      group: 'sam-group',
      serviceRoleArn: 'arn:sam-role',
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      deploymentType: 'BLUE_GREEN',
      deploymentOption: 'WITH_TRAFFIC_CONTROL',
      alarms: [],
      alarmsEnabled: false,
      autoRollbackEvents: ['DEPLOYMENT_FAILURE'],
    });
    const sam = {
      application: 'ServerlessDeploymentApplication',
      group: 'sam-group',
      serviceRoleArn: undefined,
    };
    const adopted = await ensureCodeDeploySetup(cd, req(sam));
    expect(adopted.group.action).toBe('reused');
    expect(adopted.drift).toEqual([
      'auto-rollback is off for DEPLOYMENT_STOP_ON_ALARM',
      'alarms are [], not [my-fn-errors]',
    ]);
    expect(writes(cd)).toEqual([]);
    const updated = await ensureCodeDeploySetup(cd, req({ ...sam, update: true }));
    expect(updated.group.action).toBe('updated');
    expect(cd.callsOf('updateDeploymentGroup')[0]!.args[0]).toMatchObject({
      serviceRoleArn: 'arn:sam-role',
      alarms: ['my-fn-errors'],
      config: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    });
    expect((await ensureCodeDeploySetup(cd, req(sam))).drift).toEqual([]);
  });

  it('leaves an adopted group’s alarms alone when no --alarm is given', async () => {
    const cd = setup();
    await ensureCodeDeploySetup(cd, req({ alarms: ['a', 'b'] }));
    expect((await ensureCodeDeploySetup(cd, req({ alarms: undefined }))).drift).toEqual([]);
  });

  it('refuses to create a group without --role, and more than 10 alarms, before any write', async () => {
    const cd = setup();
    await expect(ensureCodeDeploySetup(cd, req({ serviceRoleArn: undefined }))).rejects.toMatchObject({
      code: 'CODEDEPLOY_ROLE_MISSING',
      exitCode: 2,
    });
    expect(writes(cd)).toEqual([]);
    const eleven = Array.from({ length: 11 }, (_, i) => `alarm-${i}`);
    const cd2 = setup();
    await expect(ensureCodeDeploySetup(cd2, req({ alarms: eleven }))).rejects.toMatchObject({
      code: 'CODEDEPLOY_TOO_MANY_ALARMS',
    });
    expect(cd2.calls).toEqual([]);
  });
});

// Found by a hostile pass: a Ctrl-C/SIGTERM between init's AWS calls did not stop it (a call
// started after the signal is not abandoned): it ran to its end.
describe('codedeploy init interrupted between its AWS calls', () => {
  /** Aborts `controller` as soon as the call `op` has been answered. */
  function abortAfter(cd: FakeCodeDeploy, op: 'createApplication' | 'getApplication' | 'getDeploymentGroup') {
    const controller = new AbortController();
    const original = cd[op].bind(cd) as (...args: unknown[]) => Promise<unknown>;
    (cd as unknown as Record<string, unknown>)[op] = async (...args: unknown[]) => {
      const answer = await original(...args);
      controller.abort(new Error('interrupted by SIGTERM'));
      return answer;
    };
    return controller.signal;
  }

  it('after the application was created: no group is created, INTERRUPTED saying what was made', async () => {
    const cd = setup();
    const progress: SetupProgress = { done: [] };
    const signal = abortAfter(cd, 'createApplication');
    const error = await ensureCodeDeploySetup(cd, req({ signal, progress })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INTERRUPTED',
      exitCode: 1,
      message:
        'interrupted by SIGTERM: lshift stopped codedeploy init before its next AWS call; it had created application lshift-my-fn.',
    });
    expect((error as { hint: string }).hint).toContain('Run the same `lshift codedeploy init` again');
    expect(writes(cd)).toEqual(['createApplication']);
    expect(progress).toEqual({ done: ['created application lshift-my-fn'], writing: undefined });
  });

  it('while it only read: nothing created, and the hint says nothing was changed', async () => {
    const cd = setup();
    const signal = abortAfter(cd, 'getApplication');
    const error = await ensureCodeDeploySetup(cd, req({ signal })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'INTERRUPTED',
      message:
        'interrupted by SIGTERM: lshift stopped codedeploy init before its next AWS call; it had created or changed nothing.',
      hint: 'Nothing was changed.',
    });
    expect(writes(cd)).toEqual([]);
  });

  it('before an --update of a drifted group: not updated', async () => {
    const cd = setup();
    await ensureCodeDeploySetup(cd, req());
    const signal = abortAfter(cd, 'getDeploymentGroup');
    const error = await ensureCodeDeploySetup(cd, req({ alarms: ['other'], update: true, signal })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'INTERRUPTED' });
    expect(writes(cd)).toEqual(['createApplication', 'createDeploymentGroup']);
  });

  it('a signal that never comes changes nothing: the run ends as before', async () => {
    const cd = setup();
    const progress: SetupProgress = { done: [] };
    await ensureCodeDeploySetup(cd, req({ signal: new AbortController().signal, progress }));
    expect(progress.done).toEqual([
      'created application lshift-my-fn',
      'created deployment group my-fn-live',
    ]);
  });
});
