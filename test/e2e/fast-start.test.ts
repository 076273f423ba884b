/**
 * Issue 15, then every command: lshift's commands run from dist/lshift.bundle.cjs (bin/run.js).
 * They must behave exactly like the oclif path (LSHIFT_FAST_START=0; LSHIFT_FAST_STATUS=0 for
 * status): same stdout, stderr and exit code, for results, usage errors and AWS errors. And the
 * bundle must really be taken: no @oclif/core file is loaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setAlarmState } from '../../src/sandbox/alarms.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

// Simulated time at the real pace: two runs a moment apart print the same times.
let env: SandboxEnv;
beforeAll(async () => {
  env = await startSandboxEnv({ preset: 'healthy', speed: 1 });
  // The demo alarm is INSUFFICIENT_DATA until its first evaluation, at the first minute boundary
  // after the sandbox started: a pair of runs that straddled it printed two states (seen on a
  // loaded machine). Set to what that evaluation gives the healthy demo (OK), it stays OK: an
  // evaluation that agrees changes nothing, as in CloudWatch.
  setAlarmState(env.handle.state, {
    AlarmName: 'demo-errors',
    StateValue: 'OK',
    StateReason: 'set by the test, as its first evaluation would',
  });
});
afterAll(() => env?.stop());

const CASES: string[][] = [
  ['status', 'demo'],
  ['status', 'demo', '--json'],
  ['status', 'demo', '--alarm', 'demo-errors', '--alarm', 'no-such-alarm'],
  ['status', 'demo', '--alias', 'nope'],
  ['status', 'no-such-function', '--json'],
  ['status'],
  ['status', 'demo', '--bogus'],
  ['status', 'demo', '--watch', '--json'],
  ['status', 'demo', '--interval', '5s'],
];

/** Process ids differ between two runs (a warning Node printed itself would name one); nothing else may. */
const comparable = (run: { code: number | null; stdout: string; stderr: string }) => ({
  code: run.code,
  stdout: run.stdout,
  stderr: run.stderr.replace(/\(node:\d+\)/g, '(node:PID)'),
});

/**
 * One test per case: the bundle's run and the oclif path's print and exit alike. The oclif path
 * runs in this worker's process (run-cli-in-process.ts: what bin/run.js does on that path, the
 * dist modules loaded once) rather than in a second started CLI (`oclifEnv`: ~0.6 CPU-s a start);
 * with `bothEnv` (a locale, which Node reads once, at its start) both runs are started CLIs.
 */
function bothPathsAgree(
  cases: readonly string[][],
  oclifEnv: Record<string, string>,
  bothEnv: Record<string, string> = {},
): void {
  const started = Object.keys(bothEnv).length > 0;
  for (const args of cases) {
    it(`${args.join(' ')}`, async () => {
      const fast = await env.cli(args, { env: bothEnv });
      const oclif = started
        ? await env.cli(args, { env: { ...bothEnv, ...oclifEnv } })
        : await runCliInProcess(args, { env: { LSHIFT_SANDBOX: env.handle.url } });
      expect(comparable(fast)).toEqual(comparable(oclif));
    });
  }
}

describe('lshift status: the bundled fast path and the oclif path agree (built CLI)', () => {
  bothPathsAgree(CASES, { LSHIFT_FAST_STATUS: '0' });

  it('with a deployment record (--json; the heartbeat age is the only moving part)', async () => {
    const fast = await startSandboxEnv({ preset: 'healthy' });
    try {
      const target = { LSHIFT_SANDBOX: fast.handle.url };
      const deploy = await runCliInProcess(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis'], {
        env: target,
      });
      expect(deploy.code, deploy.stderr).toBe(0);
      // The bundle's read, then the oclif path's in this process (bothPathsAgree says why).
      const read = async (bundle: boolean) => {
        const args = ['status', 'demo', '--json'];
        const run = bundle ? await fast.cli(args) : await runCliInProcess(args, { env: target });
        expect(run.code, run.stderr).toBe(0);
        const json = JSON.parse(run.stdout);
        expect(json.record.heartbeatAgeSeconds).toBeGreaterThanOrEqual(0);
        delete json.record.heartbeatAgeSeconds;
        return { json, stderr: run.stderr };
      };
      expect(await read(true)).toEqual(await read(false));
    } finally {
      await fast.stop();
    }
  });

  it('takes the bundle (no @oclif/core module loaded) unless told not to, and --help goes through oclif', async () => {
    const debug = { NODE_DEBUG: 'module' };
    const fast = await env.cli(['status', 'demo'], { env: debug });
    const oclif = await env.cli(['status', 'demo'], { env: { ...debug, LSHIFT_FAST_STATUS: '0' } });
    expect(fast.code).toBe(0);
    expect(fast.stderr).not.toContain('@oclif/core/lib/index.js');
    expect(oclif.stderr).toContain('@oclif/core/lib/index.js');
    const help = await env.cli(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Show an alias');
  });
});

/** Commands besides status: what each says (and exits with) is the same on both paths. */
const OTHER_CASES: string[][] = [
  ['alias', 'demo', 'live', '1'],
  ['alias', 'demo', 'live'],
  ['deploy', 'demo', '--demo'],
  ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--max-error-rate', 'lots', '--json'],
  ['plan', 'demo', '--strategy', 'Linear10PercentEvery1Minute'],
  ['history', 'demo', '--json'],
  ['rollback', 'no-such-function'],
  ['iam-policy', 'demo', '--bogus'],
  ['abort', 'demo', '--json'],
  ['codedeploy', 'init'],
  // A word after a command that takes none: oclif reads it as part of the name (its path says so).
  ['sandbox', 'extra'],
  ['sandbox', '--port', 'x', 'extra'],
  // "a flag of": the commands come from the bundle's config snapshot (src/cli/config-snapshot.ts),
  // the plugins' commands too.
  ['alias', 'demo', 'live', '--alarm', 'x'],
  ['status', 'demo', '--nested-commands'],
  ['deploy', 'demo', '--refresh-cache', '--json'],
];

describe('every other command: the bundle and the oclif path agree (built CLI)', () => {
  bothPathsAgree(OTHER_CASES, { LSHIFT_FAST_START: '0' });

  describe('in a locale that sorts command names otherwise (Czech: `check` after `history`)', () => {
    bothPathsAgree(
      [['alias', 'demo', 'live', '--alarm', 'x']],
      { LSHIFT_FAST_START: '0' },
      { LC_ALL: 'cs_CZ.UTF-8' },
    );
  });

  it('takes the bundle for a command of a topic (codedeploy init) but not for its --help, and LSHIFT_FAST_START=0 does not', async () => {
    const debug = { NODE_DEBUG: 'module' };
    const help = await env.cli(['codedeploy', 'init', 'demo', '--help'], { env: debug });
    expect(help.stderr).toContain('@oclif/core/lib/index.js');
    const bundled = await env.cli(['codedeploy', 'init'], { env: debug });
    expect(bundled.code).toBe(2);
    expect(bundled.stderr).not.toContain('@oclif/core/lib/index.js');
    expect(bundled.stderr).toContain('See `lshift codedeploy init --help`');
    const oclif = await env.cli(['codedeploy', 'init'], { env: { ...debug, LSHIFT_FAST_START: '0' } });
    expect(oclif.stderr).toContain('@oclif/core/lib/index.js');
  });
});
