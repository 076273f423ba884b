/**
 * Issue 9 case 8: a deploy with new code runs every check it can before the upload, so a refusal
 * (exit 1/2/5: "nothing changed") really leaves `$LATEST`, the versions, the tags and the alias
 * alone.
 */
import { describe, expect, it } from 'vitest';
import {
  checkBeforePublish,
  type PendingDeploy,
  publishAfterChecks,
} from '../../src/engine/preflight-publish.js';
import type { CodeSource } from '../../src/ports/lambda.js';
import {
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  leaveDeployment,
  request,
  stepsThrough,
  type World,
} from './world.js';

const ZIP: CodeSource = { kind: 'zip', zipFile: new Uint8Array([80, 75, 5, 6]), fileName: 'code.zip' };
const WRITES = [
  'updateCode',
  'publishVersion',
  'tagResource',
  'untagResource',
  'updateAlias',
  'createAlias',
] as const;

function pending(overrides: Partial<PendingDeploy> = {}): PendingDeploy {
  const { targetVersion: _, ...rest } = request(overrides);
  return rest;
}

function expectNoWrites(w: World): void {
  for (const op of WRITES) expect(w.lambda.callsOf(op), op).toHaveLength(0);
  expect(w.store.writes).toHaveLength(0);
}

describe('publishAfterChecks: refusals before any write', () => {
  const refused: {
    name: string;
    setup?: (w: World) => void;
    req?: Partial<PendingDeploy>;
    source?: CodeSource;
    code: string;
    exit: number;
  }[] = [
    { name: 'a missing alias (--alias nosuch)', req: { alias: 'nosuch' }, code: 'ALIAS_NOT_FOUND', exit: 2 },
    { name: 'a mistyped alarm', req: { alarms: ['demo-errros'] }, code: 'ALARM_NOT_FOUND', exit: 2 },
    {
      name: 'an alarm already firing',
      setup: (w) => w.metrics.setAlarm('demo-errors', 'ALARM'),
      code: 'ALARM_ALREADY_FIRING',
      exit: 2,
    },
    {
      name: 'another deployment in progress (live record)',
      setup: (w) => leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 1000 }), 20),
      code: 'DEPLOYMENT_IN_PROGRESS',
      exit: 5,
    },
    {
      name: 'a split alias without a record',
      setup: (w) => w.lambda.moveAlias(FN, ALIAS, { functionVersion: '1', additionalWeights: { '2': 0.5 } }),
      code: 'SHIFT_IN_PROGRESS',
      exit: 5,
    },
    {
      name: 'an image for a Zip function',
      source: { kind: 'image', imageUri: '123.dkr.ecr.us-east-1.amazonaws.com/demo:1' },
      code: 'PACKAGE_TYPE_MISMATCH',
      exit: 2,
    },
    {
      name: 'a function that does not exist',
      req: { functionName: 'nope' },
      code: 'FUNCTION_NOT_FOUND',
      exit: 1,
    },
  ];

  it.each(refused)('refuses $name with $code (exit $exit) and writes nothing', async (row) => {
    const w = createWorld();
    row.setup?.(w);
    await expect(publishAfterChecks(w.deps, pending(row.req), row.source ?? ZIP)).rejects.toMatchObject({
      code: row.code,
      exitCode: row.exit,
    });
    expectNoWrites(w);
  });

  it('refuses a strategy whose record cannot fit in a tag before the upload', async () => {
    const w = createWorld();
    const holds = Array.from({ length: 60 }, (_, i) => ({ percent: i + 0.123456, holdSeconds: 60 }));
    const steps = [...holds, { percent: 100, holdSeconds: 0 }];
    const strategy = { kind: 'steps' as const, name: 'steps', steps };
    const plan = {
      strategy,
      steps: steps.map((s, index) => ({ ...s, index, offsetSeconds: index * 60 })),
      totalSeconds: 3600,
    };
    await expect(checkBeforePublish(w.deps, pending({ strategy, plan }), ZIP, {})).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
    });
    expectNoWrites(w);
  });

  /**
   * A step list whose record fits a tag (about 241 characters, its guard fingerprint `gd=`
   * included) until a release or an engine adds to it.
   */
  function fourteenSteps(): Partial<PendingDeploy> {
    return stepsThrough(Array.from({ length: 14 }, (_, i) => i + 1));
  }

  it('measures the record as the deployment writes it: its release and its engine too', async () => {
    const w = createWorld();
    await expect(checkBeforePublish(w.deps, pending(fourteenSteps()), ZIP, {})).resolves.toBeDefined();
    const release = { releaseId: 'r-abc123', stagger: true };
    await expect(checkBeforePublish(w.deps, pending(fourteenSteps()), ZIP, release)).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
    });
    // Under CodeDeploy the records carry `en=cd cd=d-…`: publishAfterChecks reads the engine off deps.
    const codeDeploy = { ...w.deps, traffic: { ...w.deps.traffic!, name: 'codedeploy' } };
    await expect(publishAfterChecks(codeDeploy, pending(fourteenSteps()), ZIP)).rejects.toMatchObject({
      code: 'RECORD_TOO_LARGE',
    });
    expectNoWrites(w);
  });

  it('uploads and publishes once every check passed', async () => {
    const w = createWorld();
    const version = await publishAfterChecks(w.deps, pending(), ZIP);
    expect(version).toBe('3');
    expect(w.lambda.callsOf('updateCode')).toHaveLength(1);
    expect(w.lambda.callsOf('publishVersion')).toHaveLength(1);
    const order = w.lambda.calls.map((c) => c.op);
    expect(order.indexOf('getAlias')).toBeLessThan(order.indexOf('updateCode'));
  });

  it('lets --supersede through a live deployment (it is rolled back after the publish)', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { heartbeatAt: w.start - 1000 }), 20);
    await expect(publishAfterChecks(w.deps, pending({ supersede: true }), ZIP)).resolves.toBe('3');
  });

  it('--supersede: the checks before the upload take the version its rollback leaves as the stable one', async () => {
    // The old deployment died in its bake: all traffic on its target 2, its rollback goes to 1,
    // which has the provisioned concurrency --warm matches (version 2 has none).
    const w = createWorld();
    leaveDeployment(w, deadRecord(w, { phase: 'baking', stepIndex: 9, percent: 100 }));
    w.lambda.setProvisionedConcurrency(FN, '1', 10);
    await expect(publishAfterChecks(w.deps, pending({ supersede: true, warm: true }), ZIP)).resolves.toBe(
      '3',
    );
    const refused = checkBeforePublish(w.deps, pending({ warm: true }), ZIP, {});
    await expect(refused).rejects.toMatchObject({ code: 'DEPLOYMENT_STALE' });
  });

  it('--supersede: a mistyped alarm is refused before the upload, and the old deployment is left as it was', async () => {
    const w = createWorld();
    leaveDeployment(w, deadRecord(w));
    const refused = publishAfterChecks(w.deps, pending({ supersede: true, alarms: ['demo-erors'] }), ZIP);
    await expect(refused).rejects.toMatchObject({ code: 'ALARM_NOT_FOUND' });
    expectNoWrites(w);
  });
});
