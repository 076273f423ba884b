import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { publishDemo, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/** Issue 14: preflight warns about event source mappings the shift does not reach (built CLI). */
describe('deploy and event source mappings (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('warns about a mapping on $LATEST and still deploys (exit 0)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    for (const [fn, queue] of [
      ['demo:live', 'orders'],
      ['demo', 'legacy'],
    ]) {
      const res = await fetch(`${env.handle.url}/2015-03-31/event-source-mappings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          FunctionName: fn,
          EventSourceArn: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
        }),
      });
      expect(res.status).toBe(202);
    }
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'all-at-once',
      '--alarm',
      'demo-errors',
      '--progress',
      'ndjson',
    ]);
    expect(run.code, run.stderr).toBe(0);
    // Plain CI lines show only failed checks; the NDJSON events carry every check and warning.
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; check?: string; message?: string; level?: string });
    const check = events.find((e) => e.type === 'preflight.check' && e.check === 'event-sources');
    expect(check?.message).toContain(
      '1 on alias live (follow the shift: arn:aws:sqs:us-east-1:123456789012:orders)',
    );
    const warnings = events.filter((e) => e.type === 'log' && e.level === 'warn').map((e) => e.message);
    expect(warnings.join('\n')).toMatch(
      /invokes the unqualified function \(demo, i\.e\. \$LATEST\), not alias live: the shift will not reach that traffic/,
    );
  });

  it('puts the bypass warning in the --json result, once (a CI pipeline never sees the screen)', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const res = await fetch(`${env.handle.url}/2015-03-31/event-source-mappings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        FunctionName: 'demo',
        EventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:legacy',
      }),
    });
    expect(res.status).toBe(202);
    // A published --version: a dry run that would publish stops at the checks before the publish.
    expect(await publishDemo(env.handle)).toBe('2');
    const args = [
      'deploy',
      'demo',
      '--version',
      '2',
      '--strategy',
      'all-at-once',
      '--alarm',
      'demo-errors',
      '--json',
    ];
    const bypassIn = (stdout: string) =>
      ((JSON.parse(stdout) as { warnings?: string[] }).warnings ?? []).filter((w) =>
        w.includes('the shift will not reach that traffic'),
      );
    // The dry run says what the deploy would: the same warning in its answer.
    const dry = await env.cli([...args, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(bypassIn(dry.stdout), dry.stdout).toHaveLength(1);
    // Once: in the answer, not again among the progress lines.
    expect(dry.stderr).not.toContain('the shift will not reach that traffic');
    // This run goes through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(dry, [...args, '--dry-run'], { env: { LSHIFT_SANDBOX: env.handle.url } });
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-event-sources-')), 'summary.md');
    const run = await env.cli(args, { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(run.code, run.stderr).toBe(0);
    const bypass = bypassIn(run.stdout);
    expect(bypass, run.stdout).toHaveLength(1);
    expect(bypass[0]).toContain('arn:aws:sqs:us-east-1:123456789012:legacy');
    // Its GitHub annotation (on stderr under --json) is titled by what it is about, not "analysis".
    const titles = run.stderr.match(/^::warning title=[^:]*::demo:live: [^\n]{0,40}/gm);
    expect(titles).toEqual([
      expect.stringMatching(/^::warning title=lshift health watch::demo:live: all-at-once with no --bake/),
      expect.stringMatching(/^::warning title=lshift analysis::demo:live: all-at-once moves all traffic/),
      expect.stringMatching(/^::warning title=lshift event source mapping::demo:live: event source mapping /),
    ]);
  });
});
