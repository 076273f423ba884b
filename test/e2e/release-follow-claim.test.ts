import { type ChildProcess, spawn } from 'node:child_process';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord, encodeRecord } from '../../src/domain/deployment-record.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS } from '../helpers/run-cli.js';
import { FNS, truth, until } from './release-fleet.js';

/**
 * `lshift rollback beta` claims beta's record first and writes its alias after: a release that
 * finds the claim in between follows it (built CLI against a sandbox). Here the claimer is the
 * test itself, so the window is as long as the test wants: it claims once the release moved beta,
 * and writes beta's alias back only once the release says it follows the claim — an event, not a
 * time. The release then ends rolled back by the claimer (exit 3), the others back and closed,
 * each saying what became of beta; before, it ended as a conflict (exit 5) at once.
 */
const CLAIMER = 'rollback:ann@laptop:41';

describe('a release and a rollback of one of its functions whose alias write comes late (built CLI, sandbox)', () => {
  let handle: SandboxHandle | undefined;
  let runner: ChildProcess | undefined;
  afterEach(async () => {
    if (runner && runner.exitCode === null) runner.kill('SIGKILL');
    runner = undefined;
    await handle?.stop();
    handle = undefined;
  });

  it('follows the claim and ends rolled back by the claimer, exit 3', async () => {
    // 5×: the release follows a claim for at most 3 real minutes (at any speed), far more than
    // two SDK calls of this process take however loaded the machine is.
    handle = await startSandbox({ speed: 5, seed: 7 });
    const sandbox = handle;
    for (const fn of FNS) await seedDemo(sandbox, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    const args = [
      'deploy',
      ...FNS,
      '--strategy',
      'linear:25%:2m',
      '--alarm',
      '{function}-errors',
      '--no-analysis',
    ];
    runner = spawn(process.execPath, [RUN_JS, ...args, '--json'], {
      env: { ...process.env, CI: 'true', LSHIFT_SANDBOX: sandbox.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    runner.stdout?.on('data', (d) => (stdout += d));
    runner.stderr?.on('data', (d) => (stderr += d));
    const child = runner;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const beta = () => truth(sandbox).find((t) => t.fn === 'beta')!;
    await until(() => Object.keys(beta().weights).length > 0, "the release moved beta's weight");

    // The claim, as `lshift rollback beta` writes it before it touches the alias. Tags have no
    // conditional write: a heartbeat the release read its record for just before may still land
    // over the claim. `lshift rollback` reads its claim back and claims again when it lost
    // (check-claim.ts); the test does the same until the release says it follows.
    const tags = () => own(sandbox.state.data.functions, 'beta')!.tags;
    const record = decodeRecord(tags()['lshift:live']!);
    let claim = { ...record, phase: 'rolling-back' as const, owner: CLAIMER };
    const claimed = () => {
      const stored = decodeRecord(tags()['lshift:live']!);
      if (stored.owner === CLAIMER) return;
      claim = { ...stored, phase: 'rolling-back', owner: CLAIMER, heartbeatAt: stored.heartbeatAt + 1 };
      tags()['lshift:live'] = encodeRecord(claim);
    };
    await until(() => {
      claimed();
      return stderr.includes(`${CLAIMER} is rolling deployment ${record.id} back; following it`);
    }, 'the follow');
    expect(runner.exitCode).toBeNull();
    // The others were put back and closed before the follow.
    for (const t of truth(sandbox).filter((x) => x.fn !== 'beta')) {
      expect([t.fn, t.version, t.weights, t.record?.phase]).toEqual([t.fn, '1', {}, 'rolled-back']);
    }
    // The claimer's alias write lands, then it closes its record.
    const lambda = new LambdaClient({
      endpoint: sandbox.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'beta', Name: 'live' }));
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: 'beta',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: alias.RevisionId,
      }),
    );
    tags()['lshift:live'] = encodeRecord({
      ...claim,
      phase: 'rolled-back',
      percent: 0,
      endedAt: claim.heartbeatAt + 2,
    });

    expect(await exited, stderr).toBe(3);
    const result = JSON.parse(stdout);
    expect(result.status).toBe('rolled_back');
    const byName = (name: string) =>
      result.functions.find((f: { functionName: string }) => f.functionName === name);
    expect(byName('beta')).toMatchObject({
      status: 'rolled_back',
      cause: { code: 'ROLLED_BACK_BY_OTHER' },
      finishedBy: { owner: CLAIMER, phase: 'rolled-back' },
    });
    for (const other of ['alpha', 'gamma']) {
      expect(byName(other).stoppedFor).toEqual({
        functionName: 'beta',
        alias: 'live',
        rolledBackBy: CLAIMER,
      });
      expect(byName(other).reason).toMatch(
        new RegExp(
          `^rolled back at step 1 \\(25%\\): function beta was rolled back by ${CLAIMER} before the release's verdict$`,
        ),
      );
    }
    expect(beta()).toMatchObject({
      version: '1',
      weights: {},
      record: { phase: 'rolled-back', owner: CLAIMER },
    });
  });
});
