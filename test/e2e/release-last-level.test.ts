import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../src/domain/deployment-record.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { runCli } from '../helpers/run-cli.js';
import { deployAndKillAfter, FNS, truth, waitUntilStale } from './release-fleet.js';

/**
 * kill -9 of a release in its LAST level — right after the first function's promote (100%,
 * routing cleared) landed, the others still split — then `deploy a b c --resume`: every function
 * is promoted, none recorded promoted while its alias is split (the resume ran from the bake,
 * skipped the lagging promotes and recorded them promoted at 75%).
 */
const isSplit = (weights: Record<string, number>) => Object.values(weights).some((w) => w > 0);

/** Kills the release right after the first promote was applied. */
function killAfterFirstPromote(sandbox: SandboxHandle): Promise<boolean> {
  return deployAndKillAfter(
    sandbox,
    (operation) =>
      operation === 'UpdateAlias' && truth(sandbox).some((t) => t.version === '2' && !isSplit(t.weights)),
  );
}

describe('a release killed in its last level (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('deploy --resume promotes every function; none is recorded promoted while split', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    expect(await killAfterFirstPromote(handle)).toBe(true);
    const after = truth(handle);
    expect(after.filter((t) => t.version === '2' && !isSplit(t.weights))).toHaveLength(1);
    expect(after.filter((t) => isSplit(t.weights))).toHaveLength(2);
    await waitUntilStale(handle);

    const run = await runCli(
      ['deploy', ...FNS, '--resume', '--alarm', '{function}-errors', '--no-analysis', '--json'],
      {
        env: { LSHIFT_SANDBOX: handle.url },
      },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted' });
    for (const t of truth(handle)) {
      expect({ fn: t.fn, version: t.version, weights: t.weights }).toEqual({
        fn: t.fn,
        version: '2',
        weights: {},
      });
      expect(t.record?.phase, t.fn).toBe('promoted');
    }
  });

  it('a record promoted over a split alias is STALLED, exit 4, for status, check and deploy --resume', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    for (const fn of FNS) await seedDemo(handle, { functionName: fn, ...DEMO_SCENARIOS.healthy });
    expect(await killAfterFirstPromote(handle)).toBe(true);
    await waitUntilStale(handle);
    // What the resume before the fix left: a split function recorded promoted.
    const split = truth(handle).find((t) => isSplit(t.weights))!;
    const tags = own(handle.state.data.functions, split.fn)!.tags;
    tags['lshift:live'] = encodeRecord({
      ...split.record!,
      phase: 'promoted',
      endedAt: handle.state.simNow(),
    });
    const env = { env: { LSHIFT_SANDBOX: handle.url } };

    const status = await runCli(['status', split.fn], env);
    expect(status.code, status.stdout + status.stderr).toBe(4);
    expect(status.stdout).toContain('STALLED');
    expect(status.stdout).toContain(`lshift alias ${split.fn} live 2`);

    const check = await runCli(['check', ...FNS, '--alarm', '{function}-errors', '--window', '12h'], env);
    expect(check.code, check.stdout + check.stderr).toBe(4);
    expect(check.stdout).toMatch(new RegExp(`STALLED\\s+${split.fn}:live`));

    const writes = handle.state.data.functions[split.fn]!.aliases.live!.revisionId;
    const resume = await runCli(
      ['deploy', ...FNS, '--resume', '--alarm', '{function}-errors', '--no-analysis', '--json'],
      env,
    );
    expect(resume.code, resume.stdout + resume.stderr).toBe(4);
    expect(JSON.parse(resume.stdout).code).toBe('PROMOTED_BUT_SPLIT');
    expect(handle.state.data.functions[split.fn]!.aliases.live!.revisionId).toBe(writes);
  });
});
