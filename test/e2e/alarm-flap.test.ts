import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A 10-second alarm can go to ALARM and back to OK between two health polls: DescribeAlarms at
 * the next poll says OK. lshift reads the alarm's history when its state changed since the last
 * poll, and rolls back. The flap is made by a step hook (an event of the deploy itself, not a
 * moment of simulated time): two SetAlarmState calls to the sandbox, ALARM then OK.
 */
const FLAP_SCRIPT = `
const call = (StateValue) =>
  fetch(process.env.AWS_ENDPOINT_URL + '/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': 'GraniteServiceVersion20100801.SetAlarmState',
    },
    body: JSON.stringify({ AlarmName: 'demo-errors', StateValue, StateReason: 'flap drill: ' + StateValue }),
  }).then((res) => {
    if (!res.ok) throw new Error('SetAlarmState ' + StateValue + ': ' + res.status);
  });
await call('ALARM');
await call('OK');
`;

describe('an alarm that went to ALARM and back between two polls (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('rolls back (exit 3), saying when the alarm fired and that it cleared', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 600 });
    dir = mkdtempSync(join(tmpdir(), 'lshift-flap-'));
    const script = join(dir, 'flap.mjs');
    writeFileSync(script, FLAP_SCRIPT);
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:25%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--step-hook',
      `cmd:node ${script}`,
      '--json',
    ]);

    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.reason).toMatch(
      /alarm demo-errors went to ALARM at \d{4}-\d\d-\d\dT[\d:.]+Z \(flap drill: ALARM\) and cleared before the next poll \(OK now\)/,
    );
    expect((await env.status()).functionVersion).toBe('1');
  });

  it('after the last poll, in the post-traffic hook: promoted (no poll saw it), then lshift check rolls it back (exit 3)', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 600 });
    dir = mkdtempSync(join(tmpdir(), 'lshift-flap-'));
    const script = join(dir, 'flap.mjs');
    writeFileSync(script, FLAP_SCRIPT);
    const deploy = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--post-hook',
      `cmd:node ${script}`,
      '--json',
    ]);
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(JSON.parse(deploy.stdout).status).toBe('promoted');

    const check = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '12h', '--json']);
    expect(check.code, check.stdout + check.stderr).toBe(3);
    const [result] = JSON.parse(check.stdout).results;
    expect(result).toMatchObject({ functionName: 'demo', action: 'rolled_back', toVersion: '1' });
    expect(result.reason).toMatch(
      /alarm demo-errors went to ALARM at \d{4}-\d\d-\d\dT[\d:.]+Z \(flap drill: ALARM\) and cleared before this check \(OK now\)/,
    );
    expect((await env.status()).functionVersion).toBe('1');
  });
});
