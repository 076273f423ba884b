import { describe, expect, it } from 'vitest';
import { ensureCodeDeploySetup, type SetupRequest } from '../../src/engine/codedeploy-setup.js';
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
