/**
 * `lshift status` of a deployment lshift rolled back itself says why, from the record's `cause`
 * (`y=`): a real run on the fake world (its store round-trips every write through the tag codec),
 * then status read and rendered as the command does. A record without one says nothing new.
 */
import { describe, expect, it } from 'vitest';
import { describeRecordCause, describeRecordCauseLine } from '../../src/cli/describe-record-cause.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import { SCHEMA_VERSION } from '../../src/cli/schema-version.js';
import type { DeploymentRecord } from '../../src/domain/deployment-record.js';
import { RECORD_CAUSE_CODES } from '../../src/domain/record-cause.js';
import { runDeploy } from '../../src/engine/deploy.js';
import { getStatus } from '../../src/engine/status.js';
import {
  ALARM,
  ALIAS,
  createWorld,
  FN,
  linear,
  request,
  sendCommandAt,
  type World,
} from '../engine/world.js';
import { expectValidResultOf } from '../helpers/contract.js';

const at = (w: World, seconds: number) => w.start + seconds * 1000;

async function statusText(w: World): Promise<{ text: string; json: object }> {
  const status = await getStatus(w.deps, { functionName: FN, alias: ALIAS, alarms: [] });
  const json = { schemaVersion: SCHEMA_VERSION, ...status };
  expectValidResultOf('status', json);
  return { text: renderStatus(status), json };
}

/** The line under the deployment's own: what status adds for a cause. */
function causeLine(text: string): string | undefined {
  return text.split('\n').find((l) => /^ {4}(rolled back by lshift|lshift decided to roll it back):/.test(l));
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
