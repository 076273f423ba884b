import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A description given to a publish that Lambda answers with the existing version (nothing
 * changed) is not applied: PublishVersion returns that version as it is
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html). The CLI says so.
 */
describe('lshift publish --description when nothing changed (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('says the existing version keeps its own description', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    expect((await env.cli(['publish', 'demo'])).code).toBe(0);
    const args = ['publish', 'demo', '--description', 'release 1.2.3'];
    const again = await env.cli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      'Lambda returned the existing version, with its own description (--description applies only to a new version).',
    );
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, against the same sandbox (nothing changed
    // again: it publishes nothing), says the same.
    await expectBuiltCliRunsAlike(again, args, { env: { LSHIFT_SANDBOX: env.handle.url } });
    const plain = await env.cli(['publish', 'demo']);
    expect(plain.stdout).toContain('Lambda returned the existing version.');
  });

  it('under --progress ndjson, stdout holds only events (the sentence goes to stderr)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    for (const args of [
      ['publish', 'demo'],
      ['publish', 'demo'],
    ]) {
      const run = await env.cli([...args, '--progress', 'ndjson']);
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
      expect(run.stderr).toMatch(/Published demo version 2|Nothing changed since version 2 of demo/);
    }
  });
});
