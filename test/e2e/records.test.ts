import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/domain/deployment-record.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { CRASH_POINTS, deployAndKill, readTruth } from './crash-helpers.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** A dozen CLI runs each; generous so the tests hold on a loaded machine (4× slower and more). */
const E2E_BUDGET_MS = 180_000;

/**
 * Issue 9, cases 6 and 8, through the built CLI: a rollback never goes further back than once,
 * and a refused deploy changes nothing — not even `$LATEST` or the list of versions.
 */
describe('rollback idempotence and checks before upload (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it(
    'after an automatic rollback (exit 3), `lshift rollback` twice leaves the alias where it is and says so',
    async () => {
      // Version 3 (uploaded below) fails half its requests from the start; 2 is healthy.
      env = await startSandboxEnv({
        inProcess: runCliInProcess,
        preset: 'healthy',
        scenario: { faults: [{ type: 'version', function: 'demo', version: '3', at: '0m', errorRate: 0.5 }] },
      });
      // Version 3 over 2 over 1: a second rollback that "went one further back" would land on 1.
      const first = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis', '--json']);
      expect(first.code, first.stderr).toBe(0);
      const zip = writeZip();
      const bad = await env.cli([
        'deploy',
        'demo',
        '--zip',
        zip,
        '--strategy',
        'canary:10%:5m',
        '--alarm',
        'demo-errors',
        '--json',
      ]);
      expect(bad.code, bad.stdout + bad.stderr).toBe(3);
      expect(JSON.parse(bad.stdout)).toMatchObject({
        status: 'rolled_back',
        fromVersion: '2',
        toVersion: '3',
      });
      expect(readTruth(env).functionVersion).toBe('2');

      for (let i = 0; i < 2; i++) {
        const again = await env.cli(['rollback', 'demo']);
        expect(again.code, again.stderr).toBe(0);
        expect(again.stdout).toContain('Nothing to roll back');
        expect(again.stdout).toContain('was already rolled back');
        expect(readTruth(env)).toMatchObject({ functionVersion: '2', weights: {} });
        // These runs go through this worker's process (run-cli-in-process.ts; the file is in
        // IN_PROCESS_E2E, vitest.config.ts): the built CLI, against the same sandbox (it writes
        // nothing: the readTruth above holds after it too), says the same.
        if (i === 1)
          await expectBuiltCliRunsAlike(again, ['rollback', 'demo'], {
            env: { LSHIFT_SANDBOX: env.handle.url },
          });
      }
      expect(readTruth(env)).toMatchObject({ functionVersion: '2', weights: {} });
      const json = await env.cli(['rollback', 'demo', '--json']);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'nothing_to_deploy', toVersion: '2' });
      expect(readTruth(env).functionVersion).toBe('2');

      // --to: the JSON reads "from 2 to 1"; --to where all traffic already is says so plainly.
      const to = await env.cli(['rollback', 'demo', '--to', '1', '--json']);
      expect(to.code, to.stderr).toBe(0);
      expect(JSON.parse(to.stdout)).toMatchObject({
        status: 'rolled_back',
        fromVersion: '2',
        toVersion: '1',
      });
      const same = await env.cli(['rollback', 'demo', '--to', '1']);
      expect(same.code).toBe(0);
      expect(same.stdout).toContain('Nothing to roll back');
      expect(same.stdout).not.toContain('Nothing to deploy');
    },
    E2E_BUDGET_MS,
  );

  it(
    'refuses a mistyped --alias or --alarm, or a deployment holding the alias, before uploading anything',
    async () => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
      const zip = writeZip();
      const before = snapshot(env);
      const cases: [string[], number, string][] = [
        [['--alias', 'nosuch'], 2, 'ALIAS_NOT_FOUND'],
        [['--alarm', 'demo-errros'], 2, 'ALARM_NOT_FOUND'],
      ];
      for (const [flags, code, error] of cases) {
        for (const source of [['--zip', zip], []]) {
          const run = await env.cli([
            'deploy',
            'demo',
            ...source,
            '--strategy',
            'all-at-once',
            ...flags,
            '--json',
          ]);
          expect(run.code, run.stderr).toBe(code);
          expect(JSON.parse(run.stdout)).toMatchObject({ code: error });
          expect(snapshot(env)).toEqual(before);
        }
      }
      // Another deployment holds the alias: exit 5, and still nothing uploaded. At sandbox speed its
      // heartbeat may age past the staleness limit while the CLI starts, so either code is right.
      const now = env.handle.state.simNow();
      env.handle.state.data.functions.demo!.tags['lshift:live'] = encodeRecord({
        id: 'd-other1',
        stableVersion: '1',
        targetVersion: '2',
        strategy: 'canary:10%:5m',
        stepIndex: 0,
        percent: 0,
        phase: 'pre-hook',
        startedAt: now,
        owner: 'someone@else:1',
        heartbeatAt: now,
        history: [],
      });
      const held = snapshot(env);
      const busy = await env.cli(['deploy', 'demo', '--zip', zip, '--strategy', 'all-at-once', '--json']);
      expect(busy.code, busy.stderr).toBe(5);
      expect(['DEPLOYMENT_IN_PROGRESS', 'DEPLOYMENT_STALE']).toContain(JSON.parse(busy.stdout).code);
      expect(snapshot(env)).toEqual(held);
      delete env.handle.state.data.functions.demo!.tags['lshift:live'];

      // The missing-alias hint is a command that works.
      const missing = await env.cli(['deploy', 'demo', '--alias', 'nosuch', '--json']);
      expect(JSON.parse(missing.stdout).hint).toContain('lshift alias demo nosuch <version> --create');
    },
    E2E_BUDGET_MS,
  );
});

describe('lshift alias ends the deployment it interrupts (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it(
    'moving a split alias by hand closes the record: the next deploy is not refused, rollback has nothing to do',
    async () => {
      env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
      const point = CRASH_POINTS.find((p) => p.name === 'right after weight write 2');
      const { killed } = await deployAndKill(env, point!);
      expect(killed).toBe(true);
      expect(readTruth(env).record?.phase).toBe('shifting');

      const moved = await env.cli(['alias', 'demo', 'live', '1']);
      expect(moved.code, moved.stderr).toBe(0);
      expect(moved.stdout).toContain('is recorded as ended: moved by hand (rolled-back)');
      // It said "(was 1)" of an alias that also sent traffic to version 2.
      expect(moved.stdout).toMatch(
        /Alias demo:live → version 1 \(was version 1 \(\d+%\) \+ version 2 \(\d+%\)\), routing cleared\./,
      );
      expect(readTruth(env)).toMatchObject({
        functionVersion: '1',
        weights: {},
        record: { phase: 'rolled-back', endReason: 'moved by hand', stableVersion: '1', targetVersion: '2' },
      });
      const status = await env.cli(['status', 'demo']);
      expect(status.stdout).toContain('moved by hand (lshift ran no rollback)');
      expect(status.stdout).not.toContain('--resume');
      const rollback = await env.cli(['rollback', 'demo']);
      expect(rollback.stdout).toContain('was already closed (moved by hand)');
      const deploy = await env.cli([
        'deploy',
        'demo',
        '--version',
        '2',
        '--strategy',
        'all-at-once',
        '--json',
      ]);
      expect(deploy.code, deploy.stdout + deploy.stderr).toBe(0);
    },
    E2E_BUDGET_MS,
  );
});

describe('lshift check states its reason once (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it(
    'rolls back a promoted release whose alarm fires, saying why once; a second check changes nothing',
    async () => {
      // Version 2 fails half its requests; deployed without an alarm it is promoted anyway.
      env = await startSandboxEnv({
        inProcess: runCliInProcess,
        preset: 'healthy',
        scenario: { faults: [{ type: 'version', function: 'demo', version: '2', at: '0m', errorRate: 0.5 }] },
      });
      const deploy = await env.cli([
        'deploy',
        'demo',
        '--strategy',
        'all-at-once',
        '--no-analysis',
        '--json',
      ]);
      expect(deploy.code, deploy.stderr).toBe(0);
      // Wait for the event (the alarm in ALARM), not for an amount of time.
      for (let i = 0; i < 200; i++) {
        const status = await env.cli(['status', 'demo', '--alarm', 'demo-errors', '--json']);
        if (JSON.parse(status.stdout).alarms[0].state === 'ALARM') break;
      }
      const run = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '240h', '--json']);
      expect(run.code, run.stdout + run.stderr).toBe(3);
      const reason: string = JSON.parse(run.stdout).results[0].reason;
      expect(reason.match(/lshift check: /g)).toHaveLength(1);
      expect(reason).toContain('all traffic is on version 1');
      expect(readTruth(env).functionVersion).toBe('1');
      // Idempotent: a second check finds the deployment rolled back and goes no further back.
      const again = await env.cli(['check', 'demo', '--alarm', 'demo-errors', '--window', '240h', '--json']);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).results[0]).toMatchObject({ action: 'skipped', phase: 'rolled-back' });
      expect(readTruth(env).functionVersion).toBe('1');
    },
    E2E_BUDGET_MS,
  );
});

function writeZip(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lshift-records-'));
  const zip = join(dir, 'code.zip');
  writeFileSync(zip, tinyZip());
  return zip;
}

/** What a refused deploy must not change: `$LATEST`, the versions, the alias, the tags. */
function snapshot(env: SandboxEnv) {
  const fn = env.handle.state.data.functions.demo!;
  return {
    latest: fn.latest.codeSha256,
    latestRevision: fn.latest.revisionId,
    versions: Object.keys(fn.versions).sort(),
    alias: readTruth(env),
    tags: { ...fn.tags },
  };
}
