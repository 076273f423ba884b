/**
 * `--scenario` and `--state` take regular files of a sane size: a directory, a FIFO or a device
 * is refused before it is read (a FIFO would block the read forever, /dev/zero never ends). The
 * FIFO and /dev/zero, which hung or exhausted the process before the fix, are exercised through
 * the built CLI in test/e2e/sandbox-state.test.ts, where a hang is a killed child, not a hung runner.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/domain/errors.js';
import { loadScenarioFile, startSandbox } from '../../src/sandbox/index.js';
import { readSmallRegularFile } from '../../src/sandbox/regular-file.js';

const dir = () => mkdtempSync(join(tmpdir(), 'lshift-sbfiles-'));

function bigFile(): string {
  const path = join(dir(), 'big.json');
  writeFileSync(path, '');
  truncateSync(path, 11 * 1024 * 1024);
  return path;
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('--scenario', () => {
  it('refuses a directory (exit 2), saying what it is', () => {
    const error = caught(() => loadScenarioFile(dir()));
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_UNREADABLE', exitCode: 2 });
    expect((error as Error).message).toContain('is a directory, not a regular file');
  });

  it('refuses a file over 10 MiB before reading it', () => {
    const error = caught(() => loadScenarioFile(bigFile()));
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_UNREADABLE', exitCode: 2 });
    expect((error as Error).message).toContain('11534336 bytes, over the 10 MiB');
  });

  it('refuses a key given twice, naming its place (found without yaml’s quadratic check: yaml-linear.ts)', () => {
    const path = join(dir(), 'twice.yaml');
    writeFileSync(path, 'seed: 1\nspeed: 60\nseed: 2\n');
    const error = caught(() => loadScenarioFile(path));
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID', exitCode: 2 });
    expect((error as Error).message).toContain('Map keys must be unique at line 3, column 1');
  });

  it('refuses an alias inside the value it names (a value that contains itself), naming its place', () => {
    const path = join(dir(), 'loop.yaml');
    writeFileSync(path, 'seed: 1\nfaults: &f\n  more: *f\n');
    const error = caught(() => loadScenarioFile(path));
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_INVALID', exitCode: 2 });
    expect((error as Error).message).toContain('alias *f at line 3, column 9 is inside the value &f names');
  });

  it('reads a JSON or YAML file that starts with a byte order mark (Notepad saves UTF-8 so)', () => {
    for (const [name, text] of [
      ['bom.json', '\uFEFF{"seed": 3}\n'],
      ['bom.yaml', '\uFEFFseed: 3\n'],
    ]) {
      const path = join(dir(), name!);
      writeFileSync(path, text!);
      expect(loadScenarioFile(path)).toMatchObject({ seed: 3 });
    }
  });

  // Without the bound this read never ends (a blocking read at full CPU: the run hangs, not fails).
  it.runIf(existsSync('/proc/self/pagemap'))(
    'reads a file whose size stat cannot tell (/proc/self/pagemap: "0 bytes", then endless) no further than its limit',
    () => {
      expect(readSmallRegularFile('/proc/self/pagemap', 64 * 1024)).toMatchObject({ kind: 'too-large' });
      const error = caught(() => loadScenarioFile('/proc/self/pagemap'));
      expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_UNREADABLE', exitCode: 2 });
      expect((error as Error).message).toContain('over the 10 MiB');
    },
  );
});

/** Session 63's garbage-input pass: a 10 KB path was echoed whole, twice (Node's ENAMETOOLONG text too). */
describe('a path too long for any file', () => {
  const long = join(tmpdir(), `${'a'.repeat(10_000)}.yaml`);
  const expectCut = (message: string) => {
    expect(message.length).toBeLessThan(700);
    expect(message).toContain(`${tmpdir()}/aaa`);
    expect(message).toContain('aaa.yaml (');
    expect(message).toMatch(/a…a/);
    expect(message).not.toContain(`stat '`);
  };

  it('--scenario: named by its start, its end and its size', () => {
    const error = caught(() => loadScenarioFile(long));
    expect(error).toMatchObject({ code: 'SANDBOX_SCENARIO_UNREADABLE', exitCode: 2 });
    expectCut((error as Error).message);
    expect((error as Error).message).toContain('cannot be read: ENAMETOOLONG: name too long.');
  });

  it('--state: the same', async () => {
    const error = await startSandbox({ stateFile: long }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SANDBOX_STATE_UNREADABLE', exitCode: 2 });
    expectCut((error as Error).message);
  });
});

describe('--state', () => {
  it('refuses a directory (exit 2) and creates nothing beside it', async () => {
    const parent = dir();
    const stateFile = join(parent, 'state.json');
    mkdirSync(stateFile);
    const error = await startSandbox({ stateFile }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SANDBOX_STATE_UNREADABLE', exitCode: 2 });
    expect((error as Error).message).toContain(`${stateFile} is a directory, not a regular file`);
    expect(readdirSync(parent)).toEqual(['state.json']);
  });

  it('refuses a file over 10 MiB before reading it, and leaves it', async () => {
    const stateFile = bigFile();
    const error = await startSandbox({ stateFile }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SANDBOX_STATE_UNREADABLE', exitCode: 2 });
    expect((error as Error).message).toContain('over the 10 MiB');
    expect(readdirSync(join(stateFile, '..'))).toEqual(['big.json']);
  });
});

describe('saving', () => {
  it('never writes a state file it would refuse to read back (over 10 MiB): the last good one stays', async () => {
    const stateFile = join(dir(), 'state.json');
    const handle = await startSandbox({ stateFile, lambdaRate: 'off' });
    const saved = readFileSync(stateFile, 'utf8');
    handle.state.data.images = { 'repo:big': 'x'.repeat(11 * 1024 * 1024) };
    handle.state.markDirty();
    const error = await handle.stop().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SANDBOX_STATE_UNWRITABLE', exitCode: 2 });
    expect((error as Error).message).toContain('over the 10 MiB');
    expect(readFileSync(stateFile, 'utf8')).toBe(saved);
  });
});
