/**
 * What the release e2e tests share: the three demo functions, what the sandbox holds for them, a
 * release killed at a chosen request, and the waits until a condition holds or its records are
 * stale.
 */
import { spawn } from 'node:child_process';
import { decodeRecord } from '../../src/domain/deployment-record.js';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { own } from '../../src/sandbox/own.js';
import { RUN_JS } from '../helpers/run-cli.js';
import { waitUntil } from '../helpers/wait-until.js';

export const FNS = ['alpha', 'beta', 'gamma'];

/** Resolves once `done()` holds, polled every 20 ms real (rejects only at the hang guard). */
export function until(done: () => boolean, what: string): Promise<void> {
  return waitUntil(done, what);
}

/** Each function's alias and record as the sandbox holds them (not as lshift reports them). */
export function truth(handle: SandboxHandle) {
  return FNS.map((fn) => {
    const f = own(handle.state.data.functions, fn)!;
    const alias = own(f.aliases, 'live')!;
    const tag = f.tags['lshift:live'];
    return {
      fn,
      version: alias.functionVersion,
      weights: { ...alias.weights },
      record: tag ? decodeRecord(tag) : undefined,
    };
  });
}

/**
 * Starts a release of the three functions (linear:25%:1m, each function's alarm, no analysis: its
 * chance verdicts on equal versions are not under test) and SIGKILLs it once the sandbox answered
 * a request for which `holdAfter` says so: the sandbox holds every later request, so the kill lands
 * there however slow the machine is. Resolves true when it was killed.
 */
export function deployAndKillAfter(
  sandbox: SandboxHandle,
  holdAfter: (operation: string) => boolean,
  env: Record<string, string> = {},
): Promise<boolean> {
  const deploy = [
    'deploy',
    ...FNS,
    '--strategy',
    'linear:25%:1m',
    '--alarm',
    '{function}-errors',
    '--no-analysis',
  ];
  return runAndKillAfter(sandbox, deploy, holdAfter, env);
}

/**
 * Runs the built CLI with `args` against the sandbox and SIGKILLs it once the sandbox answered a
 * request for which `holdAfter` says so (as deployAndKillAfter). Resolves true when it was killed.
 */
export function runAndKillAfter(
  sandbox: SandboxHandle,
  args: string[],
  holdAfter: (operation: string) => boolean,
  env: Record<string, string> = {},
): Promise<boolean> {
  sandbox.state.gate.holdAfter(holdAfter);
  return new Promise<boolean>((resolve, reject) => {
    const child = spawn(process.execPath, [RUN_JS, ...args], {
      env: { ...process.env, CI: 'true', LSHIFT_SANDBOX: sandbox.url, ...env },
      stdio: 'ignore',
    });
    let wasKilled = false;
    void sandbox.state.gate.whenHolding().then(() => {
      wasKilled = true;
      child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', () => {
      sandbox.state.gate.release({ drop: true });
      resolve(wasKilled);
    });
  });
}

/** Waits until every record's heartbeat is older than the staleness limit on the sandbox clock. */
export function waitUntilStale(sandbox: SandboxHandle): Promise<void> {
  const stale = () => {
    const now = sandbox.state.simNow();
    return truth(sandbox).every((t) => !t.record || now - t.record.heartbeatAt > 121_000);
  };
  return waitUntil(stale, 'every record stale on the sandbox clock');
}
