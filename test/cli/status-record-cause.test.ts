/**
 * `lshift status` of a deployment lshift rolled back itself says why, from the record's `cause`
 * (`y=`): a real run on the fake world (its store round-trips every write through the tag codec),
 * then status read and rendered as the command does. A record without one says nothing new.
 */
import { describe, expect, it } from 'vitest';
import { describeRecordCause, describeRecordCauseLine } from '../../src/cli/describe-record-cause.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { SCHEMA_VERSION } from '../../src/cli/schema-version.js';
import { buildAppSpec } from '../../src/domain/codedeploy-plan.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { RECORD_CAUSE_CODES } from '../../src/domain/record-cause.js';
import { runCheck } from '../../src/engine/check.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { followCodeDeploy } from '../../src/engine/follow-codedeploy.js';
import { getStatus } from '../../src/engine/status.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  deadRecord,
  FN,
  linear,
  request,
  sendCommandAt,
  type World,
} from '../engine/world.js';
import { expectValidResultOf } from '../helpers/contract.js';
import { FakeCodeDeploy } from '../helpers/fake-codedeploy.js';

const at = (w: World, seconds: number) => w.start + seconds * 1000;

async function statusText(w: World): Promise<{ text: string; json: object }> {
  const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const json = { schemaVersion: SCHEMA_VERSION, ...status };
  expectValidResultOf('status', json);
  return { text: renderStatus(status), json };
}

/** The line under the deployment's own: what status adds for a cause. */
function causeLine(text: string): string | undefined {
  return text
    .split('\n')
    .find((l) => /^ {4}(rolled back( by lshift( check)?)?|lshift( check)? decided to roll it back):/.test(l));
}

describe('lshift status says why lshift rolled a deployment back', () => {
  it('a health gate failed: named, with the gate', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: at(w, 95), reason: 'Threshold Crossed' });
    expect((await runDeploy(w.deps, request(linear(10, 60)))).status).toBe('rolled_back');
    const { text, json } = await statusText(w);
    expect(causeLine(text)).toBe('    rolled back by lshift: a health gate failed (alarms)');
    expect(json).toMatchObject({ record: { cause: { code: 'GATE_FAILED', gates: ['alarms'] } } });
  });

  it("an operator's abort: said, and the command line below still names who and why", async () => {
    const w = createWorld();
    sendCommandAt(w, 95_000, { reason: 'p99' });
    expect((await runDeploy(w.deps, request(linear(10, 60)))).status).toBe('rolled_back');
    const { text } = await statusText(w);
    expect(causeLine(text)).toBe('    rolled back by lshift: an operator aborted it (`lshift abort`)');
    expect(text).toContain('    last operator command: abort by ann@laptop:9 (p99), obeyed');
  });

  it('health could not be read', async () => {
    const w = createWorld();
    w.metrics.fail({ op: 'describeAlarms', nth: 3, times: Number.POSITIVE_INFINITY });
    expect((await runDeploy(w.deps, request(linear(10, 60)))).status).toBe('rolled_back');
    const { text } = await statusText(w);
    expect(causeLine(text)).toBe('    rolled back by lshift: health could not be read');
  });

  it('rolled back by a check after the promotion: the line names the check, not lshift alone', async () => {
    const w = createWorld();
    expect((await runDeploy(w.deps, request(linear(50, 60)))).status).toBe('promoted');
    w.metrics.setAlarm(ALARM, 'ALARM', { reason: 'Threshold Crossed' });
    const deps = { ...w.deps, store: w.store, owner: 'check:cron@host-a:1' };
    const report = await runCheck(deps, {
      functionNames: [FN],
      alias: ALIAS,
      windowSeconds: 3600,
      alarms: [ALARM],
    });
    expect(report.results[0]?.action).toBe('rolled_back');
    const { text } = await statusText(w);
    expect(causeLine(text)).toBe('    rolled back by lshift check: a health gate failed (alarms)');
  });

  it('a record without one (an older lshift, or no room left) says nothing new', async () => {
    const w = createWorld();
    w.metrics.setAlarm(ALARM, 'ALARM', { at: at(w, 95), reason: 'Threshold Crossed' });
    await runDeploy(w.deps, request(linear(10, 60)));
    const { cause: _, ...older } = w.store.peek(FN, ALIAS)!;
    w.store.seed(FN, ALIAS, older);
    const { text, json } = await statusText(w);
    expect(causeLine(text)).toBeUndefined();
    expect(text).not.toContain('lshift:');
    expect((json as { record: DeploymentRecord }).record).not.toHaveProperty('cause');
  });
});

/**
 * Under `--engine codedeploy` AWS CodeDeploy puts the traffic back, after lshift's stop or on its
 * own (its alarm, a hook, someone's stop), and an alarm's cause may be lshift's `--alarm` or the
 * deployment group's: the line says "rolled back", never "by lshift", which it cannot know.
 */
describe('lshift status of a CodeDeploy-engine deployment that rolled back', () => {
  it('closed by `lshift wait` after its BeforeAllowTraffic hook failed: "rolled back: a pre-traffic hook failed"', async () => {
    const w = createWorld();
    const codedeploy = new FakeCodeDeploy(w.clock, w.lambda);
    codedeploy.failAfter(30_000, 'hook:smoke test failed');
    const id = await codedeploy.createDeployment({
      application: 'lshift-demo',
      group: 'demo-live',
      config: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
      appSpec: buildAppSpec({ functionName: FN, alias: ALIAS, currentVersion: '1', targetVersion: '2' }),
    });
    const detached = {
      phase: 'paused' as const,
      percent: 10,
      engine: 'codedeploy' as const,
      codeDeployId: id,
    };
    w.store.seed(
      FN,
      ALIAS,
      deadRecord(w, { ...detached, startedAt: w.clock.now(), heartbeatAt: w.clock.now() }),
    );
    const deps = { codedeploy, lambda: w.lambda, clock: w.clock, events: w.sink, store: w.store };
    const waited = await followCodeDeploy(deps, {
      deploymentId: id,
      pollSeconds: 10,
      onInterrupt: 'rollback',
    });
    expect(waited).toMatchObject({ outcome: 'rolled_back', recordPhase: 'rolled-back' });
    const { text, json } = await statusText(w);
    expect(causeLine(text)).toBe('    rolled back: a pre-traffic hook failed');
    expect(text).not.toContain('rolled back by lshift');
    expect(text).toContain(`engine: AWS CodeDeploy, deployment ${id} (ended: rolled-back)`);
    expect(json).toMatchObject({ record: { cause: { code: 'HOOK_FAILED', phase: 'pre' } } });
  });

  it('the other causes a close writes, in words', () => {
    const ended = { phase: 'rolled-back', engine: 'codedeploy' };
    expect(describeRecordCauseLine({ ...ended, cause: { code: 'GATE_FAILED', gates: ['alarms'] } })).toBe(
      'rolled back: a health gate failed (alarms)',
    );
    expect(describeRecordCauseLine({ ...ended, cause: { code: 'STOPPED_IN_CODEDEPLOY' } })).toBe(
      'rolled back: its AWS CodeDeploy deployment was stopped outside lshift',
    );
    // `lshift wait`'s own Ctrl-C, or the deploy's that followed it: the run that followed it.
    expect(describeRecordCauseLine({ ...ended, cause: { code: 'INTERRUPTED' } })).toBe(
      'rolled back: the lshift run following its AWS CodeDeploy deployment (deploy or wait) was interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT or another signal)',
    );
    // Its rollback failed: lshift had decided it (only lshift's own rollback writes `failed`).
    expect(describeRecordCauseLine({ ...ended, phase: 'failed', cause: { code: 'GATE_FAILED' } })).toBe(
      'lshift decided to roll it back: a health gate failed',
    );
    // A native record keeps its words.
    expect(
      describeRecordCauseLine({ phase: 'rolled-back', engine: 'native', cause: { code: 'INTERRUPTED' } }),
    ).toBe(
      'rolled back by lshift: its run was interrupted (Ctrl-C, SIGTERM, SIGHUP, SIGQUIT or another signal)',
    );
  });
});

describe('describeRecordCauseLine', () => {
  const ended = { phase: 'rolled-back' };
  it('"rolled back by lshift" only when lshift finished it: else that lshift decided to', () => {
    const cause = { code: 'HOOK_FAILED' as const, phase: 'post' as const };
    expect(describeRecordCauseLine({ ...ended, cause })).toBe(
      'rolled back by lshift: a post-traffic hook failed',
    );
    expect(describeRecordCauseLine({ phase: 'failed', cause })).toBe(
      'lshift decided to roll it back: a post-traffic hook failed',
    );
    expect(describeRecordCauseLine({ ...ended, endReason: 'moved by hand', cause })).toBe(
      'lshift decided to roll it back: a post-traffic hook failed',
    );
    expect(describeRecordCauseLine(ended)).toBeUndefined();
  });

  it("a release's function: the cause is said as the release's, perhaps another function's", () => {
    const cause = { code: 'GATE_FAILED' as const, gates: ['alarms'] };
    expect(describeRecordCauseLine({ ...ended, releaseId: 'r-abc123', cause })).toBe(
      'rolled back by lshift with its release (in this function or another): a health gate failed (alarms)',
    );
  });

  it.each(RECORD_CAUSE_CODES)('words %s, with no code left raw', (code) => {
    const words = describeRecordCause({ code });
    expect(words.length).toBeGreaterThan(5);
    expect(words).not.toMatch(/[A-Z]{2,}_[A-Z]/);
  });

  it('the bare code (its gates dropped for room) says no gate', () => {
    expect(describeRecordCause({ code: 'GATE_FAILED' })).toBe('a health gate failed');
    expect(describeRecordCause({ code: 'INCONCLUSIVE', gates: ['analysis'] })).toBe(
      'a step ended without a verdict (--on-inconclusive fail) (analysis)',
    );
  });
});
