import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expectValidResultOf } from '../helpers/contract.js';
import { expectBuiltCliRunsAlike, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { readTruth } from './crash-helpers.js';
import { moveAliasByHand } from './sandbox-control.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

/**
 * A pre-traffic hook that moves the alias itself, then fails (built CLI against a sandbox): the
 * deploy read the alias before it said "Not started: demo:live is unchanged", exit 3, with all
 * traffic on the version whose smoke failed (found by a hostile pass). Now: exit 5, the move left,
 * the record closed as moved by hand (exit 4 for a split, since session 67: nobody drives it).
 */
describe('a pre-traffic hook that moves the alias (built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  let server: Server | undefined;
  afterEach(async () => {
    await env?.stop();
    server?.close();
    env = undefined;
    server = undefined;
  });

  it('moved to the new version, then failed: exit 5 and the move left, never "unchanged"', async () => {
    // Slow enough that no record write of the run lands minutes of sandbox time after its read
    // (a heartbeat's slow-write check would then see the move first: a conflict too, other words).
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 20 });
    const sandbox = env;
    // The hook's own move (as `aws lambda update-alias` in a cmd: hook would), then its failure.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        moveAliasByHand(sandbox, '2').then(
          () => res.writeHead(500).end('smoke FAILED'),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const run = await env.cli([
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:10m',
      '--alarm',
      'demo-errors',
      '--no-analysis',
      '--pre-hook',
      url,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(5);
    const result = JSON.parse(run.stdout);
    expect(result.status).toBe('conflict');
    expect(result.reason).toMatch(/was moved by someone else|was written by someone else/);
    expect(result.reason).not.toContain('unchanged');
    expect(readTruth(env)).toMatchObject({ functionVersion: '2', weights: {} });
    const status = await env.cli(['status', 'demo']);
    // These runs go through this worker's process (run-cli-in-process.ts; the file is in
    // IN_PROCESS_E2E, vitest.config.ts): the built CLI, started against the same sandbox, says the same.
    await expectBuiltCliRunsAlike(status, ['status', 'demo'], { env: { LSHIFT_SANDBOX: env.handle.url } });
    if (result.reason.includes('was moved by someone else')) {
      expect(status.stdout).toContain('promoted (moved by hand)');
      // The version whose own hook failed serves all traffic: a person's call, not green (session 66).
      expect(status.stdout).toContain("MOVED OVER LSHIFT'S ROLLBACK: all traffic is on version 2");
      expect(status.code, status.stderr).toBe(4);
      expect(status.stdout).toContain('to keep version 2: `lshift alias demo live 2`');
      // A person keeps it (session 66: no way out short of a new-code deploy): the offered command.
      const keep = await env.cli(['alias', 'demo', 'live', '2', '--json']);
      expect(keep.code, keep.stderr).toBe(0);
      const kept = JSON.parse(keep.stdout);
      expectValidResultOf('alias', kept);
      expect(kept).toMatchObject({ changed: false, keptDeployment: { version: '2' } });
      expect(kept.keptDeployment.reason).toMatch(/^moved by hand, kept by /);
      const after = await env.cli(['status', 'demo']);
      expect(after.code, after.stderr).toBe(0);
      expect(after.stdout).toContain('promoted (moved by hand, kept by ');
      expect(after.stdout).not.toContain('MOVED OVER');
      const history = await env.cli(['history', 'demo']);
      expect(history.stdout).toContain('kept by ');
    }
  });

  // Found by a hostile pass (session 66, F1b): the record closed `paused`, status offered
  // `deploy --resume`, and the resume skipped the failed hook and promoted version 2, exit 0.
  // Exit 4 since session 67 (was 5, on purpose changed): DESIGN.md §6 lets no exit but 4 leave
  // an alias split, and nobody drives this one.
  it('split 50/50, then failed: exit 4, never resumed forward; status offers only the rollback', async () => {
    env = await startSandboxEnv({ inProcess: runCliInProcess, preset: 'healthy', speed: 20 });
    const sandbox = env;
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        moveAliasByHand(sandbox, '1', { '2': 0.5 }).then(
          () => res.writeHead(500).end('smoke FAILED'),
          (error: unknown) => res.writeHead(500).end(String(error)),
        );
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const guards = ['--alarm', 'demo-errors', '--no-analysis', '--pre-hook', url];
    const run = await env.cli(['deploy', 'demo', '--strategy', 'canary:10%:10m', ...guards, '--json']);
    expect(run.code, run.stderr).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({
      status: 'unsafe',
      aliasState: { functionVersion: '1', additionalWeights: { '2': 0.5 } },
      cause: { code: 'ROLLBACK_CONFLICT' },
    });
    expect(readTruth(env)).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });

    const status = await env.cli(['status', 'demo']);
    expect(status.code, status.stdout).toBe(4);
    expect(status.stdout).toContain('lshift had decided to roll it back');
    expect(status.stdout).toContain('lshift decided to roll it back: a pre-traffic hook failed');
    expect(status.stdout).toContain('`lshift rollback demo --alias live');
    expect(status.stdout).not.toMatch(/lshift deploy [^`]*--resume/);

    const resume = await env.cli(['deploy', 'demo', '--resume', ...guards, '--json']);
    // Exit 4 since session 70 (was 2): refused over a split nobody drives, as status's STALLED.
    expect(resume.code, resume.stderr).toBe(4);
    expect(JSON.parse(resume.stdout)).toMatchObject({ code: 'NOTHING_TO_RESUME' });
    expect(readTruth(env)).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
  });
});
