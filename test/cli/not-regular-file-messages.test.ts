/**
 * Every message about a path that is not a regular file reads as one sentence, also for a kind
 * lshift has no name for (every kind Linux reports has one, so the stat of such a path is faked
 * here): "… is not a regular file", never "… is not a regular file, not a regular file".
 * The named kinds are covered next to each caller (config-file, step-summary-file, lambda-hook,
 * sandbox-files tests).
 */
import type { Stats } from 'node:fs';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

/** Paths whose stat reports a kind that is neither a file nor any kind lshift names. */
const odd = new Set<string>();

function unnamedKind(stats: Stats): Stats {
  const no = () => false;
  return Object.assign(Object.create(stats) as Stats, {
    isFile: no,
    isDirectory: no,
    isFIFO: no,
    isSocket: no,
    isCharacterDevice: no,
    isBlockDevice: no,
    isSymbolicLink: no,
  });
}

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const statSync = ((path: string, options?: object) => {
    const stats = actual.statSync(path, options as never);
    return stats && odd.has(String(path)) ? unnamedKind(stats as Stats) : stats;
  }) as typeof actual.statSync;
  return { ...actual, default: { ...actual, statSync }, statSync };
});

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open = (async (path: string, ...rest: never[]) => {
    const handle = await actual.open(path, ...rest);
    if (!odd.has(String(path))) return handle;
    const stat = async () => unnamedKind(await actual.stat(path));
    return new Proxy(handle, {
      get: (target, key) =>
        key === 'stat' ? stat : (Reflect.get(target, key) as (...a: unknown[]) => unknown)?.bind?.(target),
    });
  }) as typeof actual.open;
  return { ...actual, default: { ...actual, open }, open };
});

const { loadConfig } = await import('../../src/cli/config-file.js');
const { appendStepSummary } = await import('../../src/cli/renderers/step-summary-file.js');
const { readInvokeTargetPayload } = await import('../../src/hooks/invoke-target-hook.js');
const { loadScenarioFile, startSandbox } = await import('../../src/sandbox/index.js');
const { acquireStateLock } = await import('../../src/sandbox/state-lock.js');

/** A real directory (so it exists and opens) that stats as an unnamed kind. */
function oddPath(name = 'odd'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-odd-')), name);
  mkdirSync(path);
  odd.add(path);
  return path;
}

async function messageOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('a path of a kind lshift has no name for', () => {
  it('--config', async () => {
    const path = oddPath('lshift.config.json');
    expect(await messageOf(() => loadConfig(path))).toBe(`Config file ${path} is not a regular file.`);
  });

  it('GITHUB_STEP_SUMMARY', () => {
    const path = oddPath();
    const warnings: string[] = [];
    appendStepSummary(path, '# summary', (text) => warnings.push(text));
    expect(warnings).toEqual([
      `warning: GITHUB_STEP_SUMMARY ${path} is not a regular file: lshift wrote no summary\n`,
    ]);
  });

  it('an invoke-target payload file', async () => {
    const path = oddPath('payload.json');
    expect(await readInvokeTargetPayload(path, '/')).toEqual({
      ok: false,
      reason: `payload file ${path} is not a regular file`,
    });
  });

  it('the sandbox --scenario', async () => {
    const path = oddPath('scenario.yaml');
    expect(await messageOf(() => loadScenarioFile(path))).toBe(
      `The scenario file ${path} is not a regular file.`,
    );
  });

  it('the sandbox --state', async () => {
    const path = oddPath('state.json');
    expect(await messageOf(() => startSandbox({ stateFile: path }))).toBe(
      `The sandbox state file ${path} is not a regular file.`,
    );
  });

  it('the sandbox state lock file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-odd-'));
    const stateFile = join(dir, 'state.json');
    const lock = `${stateFile}.lock`;
    mkdirSync(lock);
    odd.add(lock);
    expect(await messageOf(() => acquireStateLock(stateFile))).toBe(
      `The sandbox state file ${stateFile} is in use: the lock file is not a regular file (lock file ${lock}).`,
    );
  });
});
