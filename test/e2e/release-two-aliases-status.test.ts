/**
 * A release of fa on `live` and fb on `prod` (its config file's entries), its runner killed -9 at
 * the first step. `lshift status fa fb --alias prod`, away from that config file, reads fb:prod
 * alone (fa has no `prod`): it offered `lshift deploy fb --alias prod --resume` (refused: fa:live
 * is unfinished, exit 2) and `lshift rollback --release r-… fb --alias prod` (fa left split, exit
 * 4) — found by a hostile pass (session 60, F7). Now its STALLED line names fa:live, found by its
 * record, and its rollback, copied as printed, rolls both back (exit 0).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import { DEMO_SCENARIOS, type SandboxHandle, seedDemo, startSandbox } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { runCli } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';
import { runAndKillAfter } from './release-fleet.js';

const AT = [
  ['fa', 'live'],
  ['fb', 'prod'],
] as const;

function truth(handle: SandboxHandle) {
  return AT.map(([fn, alias]) => {
    const f = own(handle.state.data.functions, fn)!;
    const a = own(f.aliases, alias)!;
    const tag = f.tags[`lshift:${alias}`];
    return {
      fn,
      version: a.functionVersion,
      weights: { ...a.weights },
      record: tag ? decodeRecord(tag) : undefined,
    };
  });
}

describe('status of a release on two aliases, its runner killed (built CLI against a sandbox)', () => {
  let handle: SandboxHandle | undefined;
  afterEach(async () => {
    await handle?.stop();
    handle = undefined;
  });

  it('names the function at the other alias, and its rollback works as copied', async () => {
    handle = await startSandbox({ speed: 600, seed: 7 });
    const sandbox = handle;
    for (const [fn, alias] of AT)
      await seedDemo(sandbox, { functionName: fn, alias, ...DEMO_SCENARIOS.healthy });
    const dir = mkdtempSync(join(tmpdir(), 'lshift-two-aliases-'));
    const config = join(dir, 'release.yaml');
    writeFileSync(
      config,
      'strategy: linear:25%:1m\nalarms: ["{function}-errors"]\nfunctions:\n  - name: fa\n    alias: live\n  - name: fb\n    alias: prod\n',
    );
    const split = () => truth(sandbox).every((t) => Object.values(t.weights).some((w) => w > 0));
    const killed = await runAndKillAfter(
      sandbox,
      ['deploy', '--config', config, '--no-analysis'],
      (operation) => operation === 'UpdateAlias' && split(),
    );
    expect(killed).toBe(true);
    await waitUntil(() => {
      const now = sandbox.state.simNow();
      return truth(sandbox).every((t) => t.record && now - t.record.heartbeatAt > 121_000);
    }, 'both records stale');

    const env = { LSHIFT_SANDBOX: sandbox.url };
    // Away from the config file: a directory of its own, without one.
    const away = mkdtempSync(join(tmpdir(), 'lshift-away-'));
    const status = await runCli(['status', 'fa', 'fb', '--alias', 'prod'], { env, cwd: away });
    expect(status.code, status.stderr).toBe(4);
    const head = status.stdout.split('\n')[0]!;
    const releaseId = /release (r-[a-z0-9]+)/.exec(head)?.[1];
    // Killed right after the weight writes: the records say started or shifting.
    expect(head).toMatch(/STALLED \(fb \w+; not named here, found by its record: fa:live \w+\)/);
    expect(head).toContain(
      'with the config file that gave each function its alias (fb:prod, fa:live), in its directory or with --config <file>',
    );
    const rollback = /or undo it with `(lshift rollback [^`]+)`/.exec(head)?.[1];
    expect(rollback).toBe(`lshift rollback --release ${releaseId}`);

    const undo = await runCli(rollback!.split(' ').slice(1), { env, cwd: away });
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    for (const t of truth(sandbox)) {
      expect({ fn: t.fn, version: t.version, weights: t.weights, phase: t.record?.phase }).toEqual({
        fn: t.fn,
        version: '1',
        weights: {},
        phase: 'rolled-back',
      });
    }
  });
});
