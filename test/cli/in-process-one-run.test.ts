import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const NO_REGION = { env: { AWS_REGION: '', AWS_DEFAULT_REGION: '' } };

/**
 * In-process runs share the worker and go one at a time (run-cli-in-process.ts). They queued: a
 * second run the first waited for (a rollback meeting a held deploy) waited for the first in
 * turn, and the test hung to its 180 s budget with no word why (session 68). A second run started
 * while one runs now throws at its call, naming both runs and the way out.
 */
describe('runCliInProcess: a run started while another runs in this process', () => {
  it('throws at once, naming both runs and the fix (runCli or onSpawn); the first run is unharmed', async () => {
    const first = runCliInProcess(['wait', 'd-7ge2kw'], NO_REGION);
    let thrown: unknown;
    try {
      // Not awaited: what a test that starts a deploy and then its rollback does.
      void runCliInProcess(['rollback', 'demo'], NO_REGION).catch(() => undefined);
    } catch (error) {
      thrown = error;
    }
    expect(thrown, 'the second run queued behind the first instead of failing').toBeInstanceOf(Error);
    const message = (thrown as Error).message;
    expect(message).toContain('`lshift rollback demo` was started while `lshift wait d-7ge2kw`');
    expect(message).toContain('go one at a time');
    expect(message).toContain('runCli (run-cli.ts)');
    expect(message).toContain('`onSpawn`');

    const run = await first;
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('`d-7ge2kw` is an lshift deployment id');
  });

  it('a run started after the last one ended runs, whether that one exited 0 or 2', async () => {
    expect((await runCliInProcess(['--version'])).code).toBe(0);
    expect((await runCliInProcess(['wait', 'd-7ge2kw'], NO_REGION)).code).toBe(2);
    const third = await runCliInProcess(['wait', 'd-7ge2kw'], NO_REGION);
    expect(third.stderr).toContain('`d-7ge2kw` is an lshift deployment id');
  });
});
