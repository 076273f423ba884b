/**
 * `deploy --zip` says each preflight check once (built CLI, --progress ndjson): the checks before
 * the upload used to say every pass again in the full preflight after it, the first time before
 * `preflight.started` (src/engine/preflight-publish.ts; the engine's cases:
 * test/engine/preflight-once.test.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { tinyZip } from '../helpers/tiny-zip.js';
import { freshSandbox, type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

interface Event {
  type: string;
  check?: string;
  ok?: boolean;
}

describe('deploy --zip: each check once (built CLI)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('every pass is said once, between preflight.started and preflight.completed', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy' });
    const zip = join(mkdtempSync(join(tmpdir(), 'lshift-once-')), 'fn.zip');
    writeFileSync(zip, tinyZip());
    const args = [
      ...['deploy', 'demo', '--zip', zip, '--strategy', 'all-at-once', '--alarm', 'demo-errors'],
      ...['--no-analysis', '--progress', 'ndjson'],
    ];
    const run = await env.cli(args);
    expect(run.code, run.stderr).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Event);
    const started = events.findIndex((e) => e.type === 'preflight.started');
    const completed = events.findIndex((e) => e.type === 'preflight.completed');
    expect(events.filter((e) => e.type === 'preflight.started')).toHaveLength(1);
    const passes = events.flatMap((e, i) =>
      e.type === 'preflight.check' && e.ok ? [{ check: e.check, inside: i > started && i < completed }] : [],
    );
    const names = passes.map((p) => p.check);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    // `credentials` is about the whole run: said once, before the preflight (docs/events.md).
    expect(passes.filter((p) => !p.inside && p.check !== 'credentials')).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(['function', 'alias', 'record-size', 'alarms-exist']));
    // This run went through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started on a sandbox made alike, says the same.
    await expectBuiltCliRunsAlike(run, args, { fresh: freshSandbox({ preset: 'healthy' }) });
  });
});
