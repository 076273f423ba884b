/**
 * An operator's `lshift abort` during a bake whose runner cannot read its record (its ListTags cut
 * by the fault proxy; the operator's own calls go straight to the sandbox). Before, the bake ended
 * on time and the deploy said promoted (exit 0) with the abort unanswered. The bake's end now waits
 * for a read: it holds 100%, and the read that lands finds the abort, which is obeyed (exit 3).
 * Engine twins: test/engine/record-lag-promotion.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { stderrShows } from '../helpers/run-cli.js';
import { ANALYSIS_WITHOUT_CHANCE, aliasTruth, useProxiedSandbox } from './sandbox-env.js';

/** ListTags: the deployment record's read. */
const isRecordRead = (r: { method: string; path: string }) => r.method === 'GET' && /\/tags\//.test(r.path);

describe('an abort during a bake whose record cannot be read (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('the bake holds 100% until a read lands, which finds the abort: rolled back by the operator, exit 3', async () => {
    // 5×: the 1-minute bake takes 12 real s (the window for the cut to land before its end); the
    // 2-minute stale limit, 24 s — the window, from the bake's end (1 minute after the cut), for
    // the abort to be written. The 50% step before the bake plays no part: 20 s (4 real s), not a
    // minute (12), and still two polls long at the default --interval 10s.
    const env = await faulty.sandbox({ preset: 'healthy', speed: 5 });
    const proxy = await faulty.proxy();
    let cut = false;
    proxy.arm({ match: { where: (r) => cut && isRecordRead(r) }, times: Infinity, fault: 'reset' });
    let abort: ReturnType<typeof env.cli> | undefined;
    let cutAt = 0;
    const deploy = await env.cli(
      [
        'deploy',
        'demo',
        '--strategy',
        'canary:50%:20s',
        '--bake',
        '1m',
        '--alarm',
        'demo-errors',
        ...ANALYSIS_WITHOUT_CHANCE,
        // No wait for late metrics before 100%: minutes of real time this test does not need.
        '--settle',
        '0',
        '--json',
      ],
      {
        env: { LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 180_000,
        onSpawn: (child) => {
          void stderrShows(child, 'bake: watching').then(() => {
            cut = true;
            cutAt = env.handle.state.simNow();
          });
          void stderrShows(child, 'as the bake was to end').then(async () => {
            abort = env.cli(['abort', 'demo', '--reason', 'bad build', '--json']);
            // Its command in the record, the runner may read again.
            while (aliasTruth(env.handle).record?.command?.verb !== 'abort')
              await new Promise((r) => setTimeout(r, 20));
            cut = false;
          });
        },
      },
    );

    expect(deploy.code, deploy.stderr).toBe(3);
    expect(cutAt).toBeGreaterThan(0);
    expect(deploy.stderr).toMatch(
      /could not read the deployment record of demo alias live as the bake was to end \(.+\): holding 100% until it is read; lshift does not declare the deployment promoted while it cannot see an operator's abort or pause/,
    );
    const result = JSON.parse(deploy.stdout);
    expect(result).toMatchObject({ status: 'rolled_back', cause: { code: 'OPERATOR_ABORTED' } });
    expect(result.reason).toMatch(/^rolled back during the bake \(100%\): aborted by .+: bad build$/);
    expect(aliasTruth(env.handle).record).toMatchObject({ phase: 'rolled-back' });
    expect(await env.status()).toMatchObject({ functionVersion: '1', additionalWeights: {} });
    const answered = await abort!;
    expect(answered.code, answered.stderr).toBe(0);
    expect(JSON.parse(answered.stdout)).toMatchObject({ verb: 'abort', answer: 'done' });
  });
});
