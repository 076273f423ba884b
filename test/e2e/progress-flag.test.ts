import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { ANALYSIS_WITHOUT_CHANCE } from './sandbox-env.js';

const DEPLOY = ['deploy', 'demo', '--sandbox', '--strategy', 'AllAtOnce', '--speed', '600'];

/** `--progress` (issue 15): `--output` meant the result format to AWS CLI users; it still works, deprecated. */
describe('deploy --progress (built CLI, in-process sandbox)', () => {
  it('--progress ndjson: one event per line on stdout, no deprecation note', async () => {
    const run = await runCli([...DEPLOY, '--progress', 'ndjson']);
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.at(-1).type).toBe('deploy.finished');
    expect(run.stderr).not.toContain('deprecated');
  });

  it('--output ndjson still works and says on stderr that it is deprecated', async () => {
    const run = await runCli([...DEPLOY, '--output', 'ndjson']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '').type).toBe('deploy.finished');
    expect(run.stderr).toContain('--output is deprecated');
    expect(run.stderr).toContain('use --progress ndjson');
  });

  it('--progress none prints no progress, only the result', async () => {
    const run = await runCli([...DEPLOY, '--progress', 'none']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toMatch(/^✔ Promoted demo:live to version 2/);
  });

  it('--progress and --output together are refused (exit 2)', async () => {
    const run = await runCli([...DEPLOY, '--progress', 'plain', '--output', 'plain']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--output');
  });

  it('plain CI lines for the quick start: one line per event a person needs (issue 15: was 68 lines)', async () => {
    const run = await runCli([
      'deploy',
      'demo',
      '--sandbox',
      '--strategy',
      'Linear10PercentEvery1Minute',
      '--speed',
      '600',
      // The analysis's lines and settle wait, without a chance verdict that would end the run early.
      ...ANALYSIS_WITHOUT_CHANCE,
      '--progress',
      'plain',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stderr.trim().split('\n');
    // 10 step lines, publish/preflight/shift/result and warnings and a few health changes: 22 in
    // this run, far below the old 68. The periodic lines ("still holding", "still waiting") are
    // counted apart: how many come depends on how long each hold lasts in simulated time, which
    // at --speed 600 stretches with the machine's load (ci187: 36 lines in all against 31–33 on
    // a quiet machine) — so they are held to at most one a simulated minute instead.
    const periodic = (l: string) => l.includes('still holding') || l.includes('still waiting');
    expect(lines.filter((l) => !periodic(l)).length).toBeLessThanOrEqual(24);
    // At most once a (simulated) minute each: the lines' timestamps are the sandbox's clock.
    for (const kind of ['still holding', 'still waiting']) {
      const at = lines.filter((l) => l.includes(kind)).map((l) => Date.parse(l.slice(0, 24)));
      expect(at.length, kind).toBeGreaterThan(0);
      for (let i = 1; i < at.length; i++) {
        expect((at[i] as number) - (at[i - 1] as number), kind).toBeGreaterThanOrEqual(60_000);
      }
    }
    expect(run.stderr).not.toContain('preflight: ok');
    expect(run.stderr).toMatch(/preflight: passed \d+ checks/);
    for (let step = 1; step <= 10; step++) expect(run.stderr).toContain(`step ${step}/10:`);
  });
});
