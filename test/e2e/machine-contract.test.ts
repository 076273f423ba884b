import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidEvent, expectValidResult, expectValidResultOf } from '../helpers/contract.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { ANALYSIS_WITHOUT_CHANCE, freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

function expectEvents(stdout: string): Record<string, unknown>[] {
  const events = ndjson(stdout);
  for (const [i, e] of events.entries()) {
    expectValidEvent(e, `event ${i} (${e.type})`);
    expect(e.schemaVersion).toBe(4);
    expect(Date.parse(String(e.time))).toBe(e.at);
  }
  return events;
}

/** Results and events of real runs against the sandbox validate against the shipped schemas (issue 15). */
describe('machine contract: --json results and NDJSON events match schemas/ (built CLI, sandbox)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
  });
  afterAll(async () => env.stop());

  it('deploy --progress ndjson: every event (hooks, steps, health, result) and the 1-based step', async () => {
    const args = [
      'deploy',
      'demo',
      '--strategy',
      'linear:50%:1m',
      '--alarm',
      'demo-errors',
      '--pre-hook',
      'cmd:echo smoke ok',
      // Analysis verdicts in the health events, none that can roll back by chance.
      ...ANALYSIS_WITHOUT_CHANCE,
      '--progress',
      'ndjson',
    ];
    const run = await env.cli(args);
    expect(run.code, run.stderr).toBe(0);
    const events = expectEvents(run.stdout);
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      'preflight.check',
      'hook.output',
      'shift.started',
      'step.started',
      'health.polled',
      'deploy.finished',
    ]) {
      expect(types).toContain(t);
    }
    const steps = events.filter((e) => e.type === 'step.started').map((e) => [e.index, e.step]);
    expect(steps).toEqual([
      [0, 1],
      [1, 2],
    ]);
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, on a sandbox of its own, prints the same
    // events (their times, ids and poll events masked: sameRunShape).
    await expectBuiltCliRunsAlike(run, args, { fresh: freshSandbox({ preset: 'healthy' }) });
  });

  // A run refused in preflight ended with its last preflight.check: a reader could not tell it
  // from a cut stream. It ends with run.failed now, and in GitHub Actions the run page says it.
  it('deploy --progress ndjson refused in preflight: the last line is run.failed; a summary and ::error', async () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'lshift-run-failed-')), 'summary.md');
    const run = await env.cli(
      ['deploy', 'demo', '--strategy', 'linear:50%:1m', '--alarm', 'no-such-alarm', '--progress', 'ndjson'],
      { env: { GITHUB_STEP_SUMMARY: summary } },
    );
    expect(run.code, run.stderr).toBe(2);
    // stdout holds only events; the annotation goes to stderr, as a deploy's does under NDJSON.
    const events = expectEvents(run.stdout);
    expect(events.at(-1)).toMatchObject({
      type: 'run.failed',
      status: 'error',
      code: 'ALARM_NOT_FOUND',
      exitCode: 2,
    });
    expect(run.stderr).toMatch(/^::error title=lshift deploy failed::ALARM_NOT_FOUND: /m);
    // Never before the events it ends: a sandbox's events carry its clock, ahead of the machine's
    // (run.failed's wall time went hours back before them).
    const last = events.at(-1)!.at as number;
    expect(Math.max(...events.slice(0, -1).map((e) => e.at as number))).toBeLessThanOrEqual(last);
    const page = readFileSync(summary, 'utf8');
    expect(page).toContain('## ❌ lshift deploy failed');
    expect(page).toContain('**ALARM_NOT_FOUND**: ');
    expect(page).toContain('Exit code 2.');
  });

  it('deploy --progress ndjson with a bad flag: its only stdout line is run.failed', async () => {
    const run = await env.cli(['deploy', 'demo', '--strategy', 'bogus', '--progress', 'ndjson']);
    expect(run.code, run.stderr).toBe(2);
    const events = expectEvents(run.stdout);
    expect(events).toEqual([
      expect.objectContaining({ type: 'run.failed', code: 'STRATEGY_INVALID', exitCode: 2 }),
    ]);
  });

  it('every command’s --json result carries schemaVersion and matches its schema', async () => {
    const cases: [string, string[]][] = [
      ['deploy', ['deploy', 'demo', ...ANALYSIS_WITHOUT_CHANCE, '--json']],
      ['status', ['status', 'demo', '--alarm', 'demo-errors', '--json']],
      ['history', ['history', 'demo', '--json']],
      ['publish', ['publish', 'demo', '--json']],
      ['alias', ['alias', 'demo', 'staging', '1', '--create', '--json']],
      ['check', ['check', 'demo', '--alarm', 'demo-errors', '--json']],
      ['plan', ['plan', 'Canary10Percent5Minutes', '--json']],
      ['iamPolicy', ['iam-policy', 'demo', '--json']],
      ['rollback', ['rollback', 'demo', '--json']],
    ];
    for (const [command, args] of cases) {
      const run = await env.cli(args);
      expect(run.code, `${command}: ${run.stderr}`).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(result.schemaVersion, command).toBe(4);
      expectValidResultOf(command, result);
      expectValidResult(result, command);
    }
  });

  it('errors under --json (a command’s, a usage error, an unknown command) match the error schema', async () => {
    for (const args of [
      ['status', 'demo', '--alias', 'nope', '--json'],
      ['plan', 'nope', '--json'],
      ['deplyo', '--json'],
    ]) {
      const run = await env.cli(args);
      expect(run.code, args.join(' ')).toBe(2);
      const error = JSON.parse(run.stdout);
      expectValidResultOf('error', error);
      expect(error.schemaVersion).toBe(4);
    }
  });
});

describe('machine contract: a rollback run (built CLI, bad sandbox scenario)', () => {
  let env: SandboxEnv;
  beforeAll(async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'bad' });
  });
  afterAll(async () => env.stop());

  it('rollback events and the rolled_back result match the schemas', async () => {
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:5m',
      '--alarm',
      'demo-errors',
      '--progress',
      'ndjson',
    ]);
    expect(run.code, run.stderr).toBe(3);
    const events = expectEvents(run.stdout);
    expect(events.map((e) => e.type)).toContain('rollback.completed');
    const finished = events.find((e) => e.type === 'deploy.finished') as { result: { status: string } };
    expect(finished.result.status).toBe('rolled_back');
  });
});
