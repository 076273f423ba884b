import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * `lshift status <function>` and the alarms it shows. With the config file a scheduled check uses
 * (`alarms: ['{function}-errors']`), status of one function showed `{function}-errors — alarm not
 * found` (UNKNOWN) while the real alarm could be firing: only the several-functions view filled
 * the placeholder in, and neither filled `{alias}`, which check fills. A blank --alarm, refused by
 * every other command, was shown as a nameless UNKNOWN alarm.
 */
describe('lshift status: alarm names as deploy and check read them (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it.each([
    { what: '--alarm {function}-errors', args: ['--alarm', '{function}-errors'], config: undefined },
    { what: '--alarm {function}-{alias}', args: ['--alarm', '{function}-{alias}'], config: undefined },
    { what: 'the config file’s {function}-errors', args: [], config: 'alarms: ["{function}-errors"]\n' },
  ])('$what: the function’s own alarm is read', async ({ args, config, what }) => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const dir = mkdtempSync(join(tmpdir(), 'lshift-status-alarms-'));
    if (config) writeFileSync(join(dir, 'lshift.config.yaml'), config);
    const name = what.includes('{alias}') ? 'demo-live' : 'demo-errors';
    const run = await env.cli(['status', 'demo', ...args, '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const alarms = JSON.parse(run.stdout).alarms as { name: string; state: string }[];
    expect(alarms.map((a) => a.name)).toEqual([name]);
    if (name === 'demo-errors') expect(alarms[0]?.state).toBe('OK');
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    if (config)
      await expectBuiltCliRunsAlike(run, ['status', 'demo', '--json'], {
        env: { LSHIFT_SANDBOX: env.handle.url },
        cwd: dir,
      });
  });

  it.each([[''], ['  '], ['demo\u0007errors']])('--alarm %j: ALARM_NAME_INVALID, exit 2', async (alarm) => {
    env = await startSandboxEnv({ inProcess: runCliInProcess });
    const run = await env.cli(['status', 'demo', '--alarm', alarm, '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'ALARM_NAME_INVALID', exitCode: 2 });
  });
});
