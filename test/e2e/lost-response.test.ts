/**
 * Issue 9 case 5 end to end: the built CLI talks to the sandbox through the fault proxy, which
 * lets an UpdateAlias (or an UpdateFunctionCode) reach the sandbox and then drops its response.
 * The SDK retries with the stale RevisionId and gets 412 (or, for code still being applied, 409);
 * lshift must recognise its own write and carry on.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matches } from '../helpers/fault-proxy.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { freshProxiedSandbox, useProxiedSandbox } from './sandbox-env.js';

const UPDATE_ALIAS = { method: 'PUT', path: /\/functions\/demo\/aliases\/live$/ };
const UPDATE_CODE = { method: 'PUT', path: /\/functions\/demo\/code$/ };
/** --no-analysis: equal versions, which the judge could roll back by chance (≤ 1%, docs/analysis.md). */
const DEPLOY = 'deploy demo --strategy linear:25%:1m --alarm demo-errors --no-analysis --json'.split(' ');

function zipFile(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-zip-')), 'code.zip');
  writeFileSync(path, tinyZip('exports.handler = async () => 2;\n'));
  return path;
}

describe('a lost UpdateAlias response (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  it('promotes (exit 0) when the response of the 2nd weight write is lost after it was applied', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy' });
    const proxy = await faulty.proxy();
    proxy.arm({ match: UPDATE_ALIAS, nth: 2, fault: 'drop' });
    const run = await env.cli(DEPLOY, { env: { LSHIFT_SANDBOX: proxy.url }, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'promoted', toVersion: '2' });
    const writes = proxy.events.filter((e) => matches(UPDATE_ALIAS, e));
    // 25% (answered), 50% (applied, answer dropped), 50% again (the SDK's retry: 412), 75%, 100%.
    expect(writes.map((e) => [e.fault, e.status])).toEqual([
      [undefined, 200],
      ['drop', 200],
      [undefined, 412],
      [undefined, 200],
      [undefined, 200],
    ]);
    const status = await env.status();
    expect(status).toMatchObject({ functionVersion: '2', additionalWeights: {} });
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, behind a proxy of its own that drops the
    // same answer, recognises its own write and says the same.
    const fresh = freshProxiedSandbox(
      { inProcess: runCliInProcess, preset: 'healthy' },
      async (_made, drops) => {
        drops.arm({ match: UPDATE_ALIAS, nth: 2, fault: 'drop' });
        return undefined;
      },
    );
    await expectBuiltCliRunsAlike(run, DEPLOY, { fresh });
  });

  it('rolls back (exit 3) when the rollback write’s response is lost', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'bad' });
    const proxy = await faulty.proxy();
    // 1: the 10% write; 2: the rollback write.
    proxy.arm({ match: UPDATE_ALIAS, nth: 2, fault: 'drop' });
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', 'canary:10%:5m', '--alarm', 'demo-errors', '--json'],
      {
        env: { LSHIFT_SANDBOX: proxy.url },
        timeoutMs: 120_000,
      },
    );
    expect(run.code, run.stderr).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({ status: 'rolled_back' });
    expect(proxy.events.some((e) => e.fault === 'drop')).toBe(true);
    const status = await env.status();
    expect(status).toMatchObject({ functionVersion: '1', additionalWeights: {} });
  });
});

describe('a lost UpdateFunctionCode response (built CLI, sandbox behind the fault proxy)', () => {
  const faulty = useProxiedSandbox();

  // Found reproducing it: the retry of an UpdateFunctionCode applied but unanswered met a 412
  // (FUNCTION_CHANGED_ON_RETRY), exit 5, before any version was published.
  it('deploy --zip goes on (exit 0) when the UpdateFunctionCode answer is lost after it was applied', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy' });
    const proxy = await faulty.proxy();
    proxy.arm({ match: UPDATE_CODE, nth: 1, fault: 'drop' });
    // The retry after Lambda has applied the first (5 simulated seconds, 8 ms here): a 412, not a 409.
    proxy.arm({ match: UPDATE_CODE, nth: 2, fault: { delayMs: 300 } });
    const run = await env.cli(
      ['deploy', 'demo', '--zip', zipFile(), '--strategy', 'all-at-once', '--alarm', 'demo-errors'],
      { env: { LSHIFT_SANDBOX: proxy.url }, timeoutMs: 120_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      "UpdateFunctionCode on demo got no answer and the SDK's retry met a RevisionId mismatch (412); $LATEST holds exactly the code lshift uploaded",
    );
    const writes = proxy.events.filter((e) => matches(UPDATE_CODE, e));
    expect(writes.map((e) => [e.fault, e.status])).toEqual([
      ['drop', 200],
      [undefined, 412], // the delayed retry (a delay is not recorded as a fault)
    ]);
    expect(await env.status()).toMatchObject({ functionVersion: '2', additionalWeights: {} });
  });

  // At speed 1 the first update is still being applied (5 simulated seconds) when the SDK's
  // retry comes: Lambda answers 409 "update in progress", which was FUNCTION_BUSY, exit 5.
  it('publish --zip goes on (exit 0) when the retry of a lost UpdateFunctionCode meets its own update in progress', async () => {
    const env = await faulty.sandbox({ inProcess: runCliInProcess, preset: 'healthy', speed: 1 });
    const proxy = await faulty.proxy();
    proxy.arm({ match: UPDATE_CODE, nth: 1, fault: 'drop' });
    const run = await env.cli(['publish', 'demo', '--zip', zipFile(), '--json'], {
      env: { LSHIFT_SANDBOX: proxy.url },
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ version: '2', created: true });
    const writes = proxy.events.filter((e) => matches(UPDATE_CODE, e));
    expect(writes.map((e) => [e.fault, e.status])).toEqual([
      ['drop', 200],
      [undefined, 409],
    ]);
  });
});
