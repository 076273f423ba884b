import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A 10-second alarm can go to ALARM and back to OK between two health polls: DescribeAlarms at
 * the next poll says OK. lshift reads the alarm's history when its state changed since the last
 * poll, and rolls back — at the latest at the poll that closes the watch beside a hook. The flap is made by a hook (an event of the deploy itself, not a moment of
 * simulated time): two SetAlarmState calls to the sandbox, ALARM then OK. The deploy polls beside
 * the hook (wait-watch.ts), so at 600× a poll may also fall between the two calls and see ALARM
 * itself: either way it rolls back, and says which. (The history read alone, against the sandbox:
 * check.test.ts; over the real SDK: test/aws/alarm-flap-over-nock.test.ts.)
 */
const FLAP_SEEN =
  /alarm demo-errors (is ALARM: flap drill: ALARM|went to ALARM at \d{4}-\d\d-\d\dT[\d:.]+Z \(flap drill: ALARM\) and cleared before the next poll \(OK now\))/;
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

  it('in a step hook: rolls back (exit 3), saying the alarm fired', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 600 });
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
    expect(result.reason).toMatch(/^rolled back at step \d \(\d+%\): /);
    expect(result.reason).toMatch(FLAP_SEEN);
    expect((await env.status()).functionVersion).toBe('1');
  });

  it('in a post-traffic hook that ends right after it: the poll closing the hook reads it and rolls back from 100% (exit 3)', async () => {
    // At 10× a poll every minute is one every 6 real seconds: the hook (a node process, two
    // calls; about a second on a loaded machine) ends before the first poll beside it, so the
    // poll that closes it is the one that reads.
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 10 });
    dir = mkdtempSync(join(tmpdir(), 'lshift-flap-'));
    const script = join(dir, 'flap.mjs');
    writeFileSync(script, FLAP_SCRIPT);
    // The hook ends right after the flap. The poll that closes the watch beside it
    // (wait-watch.ts) reads the alarm's history, however loaded the machine. (Before it, the hook
    // went on 2 s after the flap for a grid poll to fall after it; under load, none came.)
    const deploy = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--interval',
      '1m',
      '--no-analysis',
      '--post-hook',
      `cmd:node ${script}`,
      '--json',
    ]);
    expect(deploy.code, deploy.stderr).toBe(3);
    const result = JSON.parse(deploy.stdout);
    expect(result).toMatchObject({ status: 'rolled_back', cause: { code: 'GATE_FAILED' } });
    expect(result.reason).toMatch(/^rolled back after step 2 \(100%\), during the post-traffic hooks: /);
    expect(result.reason).toMatch(FLAP_SEEN);
    expect((await env.status()).functionVersion).toBe('1');
  });
});

// The built CLI's twin of these in-process runs (an alarm gate, a cmd: hook): silent-alarm.test.ts's
// and hooks.test.ts's. Not one here: whether a poll finds the flap still ALARM or already cleared
// depends on the machine's speed, and twins differed in just that.
