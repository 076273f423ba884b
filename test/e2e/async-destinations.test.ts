import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { control, untilHeld } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const Q = 'arn:aws:sqs:us-east-1:123456789012:demo-failures';

/**
 * Issue 14: asynchronous invocation and destinations, the built CLI against a sandbox. A new
 * version that would lose the stable version's on-failure destination is refused before the
 * publish (a version not published yet has no config of its own); only a change made during the
 * publish is refused after it, and then the message names the version left behind.
 */
describe('deploy and asynchronous destinations (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  async function putConfig(qualifier: string, body: unknown): Promise<void> {
    const res = await fetch(
      `${env!.handle.url}/2019-09-25/functions/demo/event-invoke-config?Qualifier=${qualifier}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
    expect(res.status, await res.text()).toBe(200);
  }

  it("refuses a new version that would lose the stable version's on-failure destination before the publish (exit 1), and so does --dry-run", async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await putConfig('1', { DestinationConfig: { OnFailure: { Destination: Q } } });
    const versionsBefore = Object.keys(env.handle.state.data.functions.demo!.versions);
    const args = ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors'];
    const refusals = [await env.cli([...args, '--dry-run']), await env.cli(args)];
    for (const run of refusals) {
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain('ASYNC_DESTINATION_LOST');
      expect(run.stderr).toContain(
        `the new version this deploy would publish would handle its share of alias live's asynchronous events without the on-failure destination ${Q} that version 1 has`,
      );
      expect(run.stderr).toContain('Nothing was uploaded or published.');
      // No version number yet: the fix on the alias, which every version behind it shares.
      expect(run.stderr).toContain(
        'aws lambda put-function-event-invoke-config --function-name demo --qualifier live',
      );
      expect(run.stderr).not.toContain('Left behind');
    }
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(refusals[1]!, args, { env: { LSHIFT_SANDBOX: env.handle.url } });
    // Nothing was published: the refusal came before PublishVersion.
    expect(Object.keys(env.handle.state.data.functions.demo!.versions)).toEqual(versionsBefore);
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  });

  it('a destination put on the stable version during the publish: refused after it, and the version left behind is named (exit 1)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const sandbox = env;
    // The checks before the publish pass (no config anywhere); while PublishVersion is held,
    // version 1 gets a destination the new version will not have.
    await control(sandbox, 'hold', { only: ['PublishVersion'] });
    const run = await sandbox.cli(
      ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors'],
      {
        onSpawn: () =>
          void untilHeld(sandbox).then(async () => {
            await putConfig('1', { DestinationConfig: { OnFailure: { Destination: Q } } });
            await control(sandbox, 'release', {});
          }),
      },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toContain('ASYNC_DESTINATION_LOST');
    expect(run.stderr).toContain(`version 2 would handle its share of alias live's asynchronous events`);
    expect(run.stderr).toContain(
      'Left behind: version 2 of demo, which this deploy published. No alias routes to it, so it is harmless',
    );
    expect(run.stderr).toContain('aws lambda delete-function --function-name demo --qualifier 2');
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  });

  it('rolls the new version back when its deliveries to a destination fail (exit 3)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    await putConfig('live', { DestinationConfig: { OnSuccess: { Destination: Q } } });
    // $LATEST (the version this deploy publishes) gets asynchronous traffic whose deliveries fail.
    const fn = `${env.handle.url}/2015-03-31/functions/demo/configuration`;
    const current = (await (await fetch(fn)).json()) as {
      Environment?: { Variables?: Record<string, string> };
    };
    const Variables = {
      ...current.Environment?.Variables,
      LSHIFT_SANDBOX_ASYNC_SHARE: '0.5',
      LSHIFT_SANDBOX_DELIVERY_FAILURE_RATE: '1',
    };
    const put = await fetch(fn, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Environment: { Variables } }),
    });
    expect(put.status).toBe(200);
    await fetch(fn);
    // --no-analysis: the reason must be the delivery failures, never an equal-version verdict of
    // the judge (which rolls back ≤ 1% of those by design, docs/analysis.md).
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:5m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(3);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('rolled_back');
    expect(result.reason).toMatch(
      /asynchronous events? of version 2 could not be delivered to a destination/,
    );
    expect(result.reason).toContain('function-wide (no per-version dimension)');
    const status = await env.status();
    expect(status.functionVersion).toBe('1');
    expect(status.additionalWeights).toEqual({});
  });
});
