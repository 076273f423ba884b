/**
 * `lshift rollback` whose alias writes never get an answer (UpdateAlias stalls until the request
 * timeout): each may have landed, so where the alias is now is unknown — exit 4, with the alias as
 * last seen, even when it was last seen unsplit. It used to exit 1 and print "Rollback failed,
 * alias unchanged", which nobody knew. A function deleted under the rollback is exit 1 and said
 * deleted: no "alias unchanged" either.
 */
import { describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { freshProxiedSandbox, useProxiedSandbox } from './sandbox-env.js';

const UPDATE_ALIAS = { method: 'PUT', path: /\/aliases\/live$/ };

describe('lshift rollback whose writes get no answer (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('an alias last seen unsplit: exit 4, "may have moved", never "alias unchanged"', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const proxy = await faulty.proxy();
    proxy.arm({ match: UPDATE_ALIAS, fault: 'stall', times: Number.POSITIVE_INFINITY });
    const run = await env.cli(['rollback', 'demo'], {
      env: { LSHIFT_SANDBOX: proxy.url, LSHIFT_AWS_TIMEOUT: '1s' },
      timeoutMs: 240_000,
    });
    expect(run.code, run.stderr).toBe(4);
    const text = run.stdout + run.stderr;
    expect(text).toContain('demo:live may have moved');
    expect(text).toContain('which may have landed');
    expect(text).not.toContain('alias unchanged');
    expect(text).not.toContain('may still be split');
    expect(text).toContain('Fix: aws lambda update-alias');
  });

  it('a function deleted while its rollback writes: exit 1, said deleted, not "alias unchanged"', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy', speed: 60 });
    const deploy = await env.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis']);
    expect(deploy.code, deploy.stderr).toBe(0);
    const proxy = await faulty.proxy();
    // The rollback's alias write is held while the function is deleted, then forwarded: not found.
    proxy.arm({ match: UPDATE_ALIAS, fault: 'hold' });
    const running = env.cli(['rollback', 'demo'], { env: { LSHIFT_SANDBOX: proxy.url } });
    await proxy.waitForHeld();
    const deleted = await fetch(`${env.handle.url}/2015-03-31/functions/demo`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    proxy.releaseHeld();
    const run = await running;
    expect(run.code, run.stderr).toBe(1);
    const text = run.stdout + run.stderr;
    expect(text).toContain('function demo was deleted during the rollback');
    expect(text).not.toContain('alias unchanged');
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, behind a proxy of its own that holds its
    // write while the function is deleted, says the same. (Not the stalled rollback above: which
    // of its two timeouts fires first, and so its words, depends on the machine's load.)
    const fresh = freshProxiedSandbox(
      { inProcess: runCliInProcess, preset: 'healthy', speed: 60 },
      async (made, holds) => {
        const deployed = await made.cli(['deploy', 'demo', '--strategy', 'all-at-once', '--no-analysis']);
        expect(deployed.code, deployed.stderr).toBe(0);
        holds.arm({ match: UPDATE_ALIAS, fault: 'hold' });
        // Not awaited: it acts during the built run. Never acting, the twin's words differ and say so.
        const url = `${made.handle.url}/2015-03-31/functions/demo`;
        holds
          .waitForHeld()
          .then(() => fetch(url, { method: 'DELETE' }))
          .then(() => holds.releaseHeld())
          .catch(() => undefined);
        return undefined;
      },
    );
    await expectBuiltCliRunsAlike(run, ['rollback', 'demo'], { fresh });
  });
});
