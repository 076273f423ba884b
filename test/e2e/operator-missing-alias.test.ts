import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * Found by a hostile pass: `pause|abort|promote|resume demo -a nope` said "No deployment is
 * running on alias nope"; `history demo -a nope` said the alias does not exist. Now all do.
 */
describe('operator verbs on an alias that does not exist (built CLI against a sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ speed: 60 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it.each(['pause', 'abort', 'promote', 'resume'])(
    '%s demo -a nope: ALIAS_NOT_FOUND, exit 2',
    async (verb) => {
      const run = await env.cli([verb, 'demo', '-a', 'nope', '--json']);
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: 'error',
        code: 'ALIAS_NOT_FOUND',
        message: 'Alias nope of function demo does not exist.',
        exitCode: 2,
      });
    },
  );

  // The release form said RELEASE_NOT_FOUND ("demo:nope: no deployment record") for the same typo.
  it.each(['pause', 'abort', 'promote', 'resume'])(
    '%s --release r-abc123 demo -a nope: ALIAS_NOT_FOUND, exit 2',
    async (verb) => {
      const run = await env.cli([verb, '--release', 'r-abc123', 'demo', '-a', 'nope', '--json']);
      expect(run.code, run.stderr).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({
        status: 'error',
        code: 'ALIAS_NOT_FOUND',
        message: 'Alias nope of function demo does not exist; nothing was sent.',
        exitCode: 2,
      });
    },
  );

  it('pause demo (the alias exists, nothing runs): still NO_RUNNING_DEPLOYMENT', async () => {
    const run = await env.cli(['pause', 'demo', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'NO_RUNNING_DEPLOYMENT' });
  });
});
