import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, MAX_CONFIG_BYTES } from '../../src/cli/config-file.js';
import { UsageError } from '../../src/domain/errors.js';
import { runCli } from '../helpers/run-cli.js';

/**
 * `--config` pointing at something that is not a small YAML/JSON file: a clear CONFIG_* usage
 * error naming the file and the problem, found without opening a directory, FIFO or device
 * (opening a FIFO blocks until a writer comes; /dev/zero never ends).
 */
async function configError(path: string): Promise<UsageError> {
  try {
    await loadConfig(path);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`loadConfig(${path}) did not fail`);
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lshift-config-'));
}

describe('loadConfig refuses what is not a config file', () => {
  it('a directory', async () => {
    const dir = tempDir();
    const error = await configError(dir);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`Config file ${dir} is a directory, not a regular file.`);
  });

  it('an empty --config (an unset variable), instead of quietly using the defaults', async () => {
    for (const empty of ['', ' ']) {
      const error = await configError(empty);
      expect(error.code).toBe('CONFIG_NOT_FOUND');
      expect(error.message).toBe('--config was given an empty path.');
    }
  });

  it('a directory found by name in the working directory: the hint does not blame --config', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'lshift.config.json'));
    let caught: unknown;
    await loadConfig(undefined, dir).catch((error: unknown) => {
      caught = error;
    });
    expect((caught as UsageError).message).toContain('lshift.config.json is a directory');
    expect((caught as UsageError).hint).not.toContain('--config path');
    expect((caught as UsageError).hint).toContain('move or rename this one');
  });

  it('a .json file that is not JSON: the line and column, never the text (YAML read `"alias": }` as null)', async () => {
    const path = join(tempDir(), 'lshift.config.json');
    writeFileSync(path, '{\n  "strategy": "all-at-once",\n  "alias": }\n');
    const error = await configError(path);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`Config file ${path} is not valid JSON: syntax error at line 3, column 12.`);
    expect(error.hint).toContain('.yaml');
  });

  it('/dev/zero (a device that never ends)', async () => {
    const error = await configError('/dev/zero');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('/dev/zero is a device');
  });

  it('a named pipe (FIFO), without blocking on it', async () => {
    const fifo = join(tempDir(), 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    const error = await configError(fifo);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('is a named pipe (FIFO)');
  });

  it.runIf(existsSync('/proc/self/pagemap'))(
    'a file whose size stat cannot tell (/proc/self/pagemap: "0 bytes", then endless): read no further than 1 MiB',
    async () => {
      const error = await configError('/proc/self/pagemap');
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('is more than 1048576 bytes');
    },
  );

  it('a file over 1 MiB', async () => {
    const big = join(tempDir(), 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    const error = await configError(big);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/big\.yaml is \d+ bytes; a config file may be at most 1048576 bytes/);
  });

  it.each([
    ['a list', '- strategy\n- canary:10%:5m\n'],
    ['a string', 'canary:10%:5m\n'],
    ['a number', '42\n'],
  ])('valid YAML holding %s', async (found, text) => {
    const file = join(tempDir(), 'lshift.config.yaml');
    writeFileSync(file, text);
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      `Config file ${file} must be a mapping of flag names to values, but it holds ${found}.`,
    );
  });

  it('a syntax error names the file and the place, never a line of it (a `.env` given by mistake)', async () => {
    const dir = tempDir();
    const file = join(dir, '.env');
    writeFileSync(file, 'alias: live\nTOKENS: [DB_PASSWORD=s3cr3t\n');
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      `Config file ${file} is not valid YAML/JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1`,
    );
    expect(error.message).not.toContain('s3cr3t');
  });

  it('no YAML warning quotes the file on stderr (an unknown tag)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'strategy: !s3cr3t canary:10%:5m\n');
    const warnings: unknown[] = [];
    const listen = (w: unknown) => warnings.push(w);
    process.on('warning', listen);
    try {
      await loadConfig(join(dir, 'c.yaml')).catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listen);
    }
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      '1e309 (too large: YAML and JSON read it as infinity)',
      'min-invocations: 1e309\n',
      'min-invocations',
      'infinite',
    ],
    ['.inf', 'max-throttles: .inf\n', 'max-throttles', 'infinite'],
    ['-.inf', 'max-error-rate: -.inf\n', 'max-error-rate', 'infinite'],
    ['.nan', 'confidence: .nan\n', 'confidence', 'not a number'],
    [
      'a number deep in an entry',
      'functions:\n  - name: orders\n    min-invocations: 1e999\n',
      'functions[0].min-invocations',
      'infinite',
    ],
  ])('a number that is %s names its key, not `--flag: null`', async (_name, text, key, what) => {
    const file = join(tempDir(), 'lshift.config.yaml');
    writeFileSync(file, text);
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`Config file ${file} is invalid: ${key}: `);
    expect(error.message).toContain(what);
    expect(error.message).not.toContain('null');
    expect(error.hint).toMatch(/finite number/);
  });

  it('a .json file with 1e309 (JSON.parse reads it as Infinity)', async () => {
    const file = join(tempDir(), 'lshift.config.json');
    writeFileSync(file, '{"min-invocations": 1e309}');
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('min-invocations: ');
  });

  it('a loop of symbolic links: the hint names the loop, not the permissions', async () => {
    const dir = tempDir();
    symlinkSync(join(dir, 'b.yaml'), join(dir, 'a.yaml'));
    symlinkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
    const error = await configError(join(dir, 'a.yaml'));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('ELOOP');
    expect(error.hint).toContain('symbolic links');
    expect(error.hint).not.toContain('permissions');
  });

  // Found by a hostile pass: a 100 KB --config was said twice in full (200 KB on stderr), with a
  // hint about permissions.
  it('a path longer than the system allows: said cut, once, and the hint names its length', async () => {
    const path = join(tempDir(), 'a'.repeat(100_000));
    const error = await configError(path);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(
      /^Cannot read config file \/\S+… \(\d+ characters\): ENAMETOOLONG: name too long$/,
    );
    expect(error.message.length).toBeLessThan(400);
    expect(error.hint).toContain(`The path (${path.length} characters) is longer than the system allows.`);
    expect(error.hint).not.toContain('permissions');
  });

  it('a YAML alias bomb (billion laughs) is refused quickly, and the hint is about aliases, not syntax', async () => {
    const file = join(tempDir(), 'lshift.config.yaml');
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of [...'bcdefghi'].entries()) {
      const previous = 'abcdefghi'[i];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    writeFileSync(file, `${levels.join('\n')}\n`);
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.hint).toContain('alias');
    expect(error.hint).not.toContain('Fix the syntax');
  });

  // Found by a hostile pass: yaml's words ("please use YAML.parseAllDocuments()"), and a %YAML 1.1
  // that read `yes` as true; each is said in lshift's words, with its place and what to do.
  it.each([
    [
      'alias: live\n---\nalias: prod\n',
      'A second YAML document starts',
      'Keep one YAML document in the file',
    ],
    [
      '%YAML 1.1\n---\nalias: yes\n',
      'The %YAML 1.1 directive asks',
      'Remove the %YAML line, or write %YAML 1.2.',
    ],
  ])('%j: CONFIG_INVALID in lshift’s words', async (body, said, hint) => {
    const file = join(tempDir(), 'c.yaml');
    writeFileSync(file, body);
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`is not valid YAML/JSON: ${said}`);
    expect(error.message).toMatch(/at line \d+, column 1$/);
    expect(error.message).not.toContain('parseAllDocuments');
    expect(error.hint).toContain(hint);
  });

  it.each([
    ['a mapping', 'hooks: &h\n  pre: *h\n', 'line 2, column 8'],
    ['a list', 'alarms: &a [errors, *a]\n', 'line 1, column 21'],
    ['a function entry', 'functions:\n  - &f {name: orders, alarms: [*f]}\n', 'line 2, column 32'],
  ])(
    'a YAML alias inside %s it names is refused with its place, not a crash (it was a stack overflow)',
    async (_what, text, place) => {
      const file = join(tempDir(), 'lshift.config.yaml');
      writeFileSync(file, text);
      const error = await configError(file);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain(`at ${place} is inside the value`);
      expect(error.message).not.toContain('call stack');
      expect(error.hint).toContain('Write the value out');
    },
  );

  it('still reads aliases that point outside themselves', async () => {
    const file = join(tempDir(), 'lshift.config.yaml');
    writeFileSync(file, 'alarms: &a [errors]\nfunctions:\n  - {name: orders, alarms: *a}\n');
    await expect(loadConfig(file)).resolves.toMatchObject({
      config: { alarms: ['errors'], functions: [{ name: 'orders', alarms: ['errors'] }] },
    });
  });

  it.each([
    ['YAML', 'lshift.config.yaml'],
    ['JSON', 'lshift.config.json'],
  ])('%s nested 5,000 deep is refused as too deep, not as a syntax error', async (_kind, name) => {
    // yaml's parser recursed until the stack ran out: "not valid: Maximum call stack size exceeded".
    const file = join(tempDir(), name);
    writeFileSync(file, `{"alias": ${'['.repeat(5_000)}${']'.repeat(5_000)}}\n`);
    const error = await configError(file);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('nests lists or mappings too deep to read');
    expect(error.message).not.toContain('call stack');
    expect(error.hint).not.toContain('Fix the syntax');
  });

  it('still reads a small mapping, and `{}` (JSON or YAML) as no settings on purpose', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.yaml'), 'strategy: canary:10%:5m\n');
    writeFileSync(join(dir, 'none.json'), '{}\n');
    writeFileSync(join(dir, 'none.yaml'), '# no settings: the defaults\n{}\n');
    expect((await loadConfig(join(dir, 'a.yaml'))).config).toEqual({ strategy: 'canary:10%:5m' });
    expect((await loadConfig(join(dir, 'none.json'))).config).toEqual({});
    expect((await loadConfig(join(dir, 'none.yaml'))).config).toEqual({});
  });

  // They were read as "no settings": a deploy ran on the built-in defaults (no alarms, the default
  // strategy, no hooks) without a word, which an empty `--config ""` is refused for (hostile pass).
  it.each([
    ['a 0-byte .json file', 'x.json', '', 'it is empty (0 bytes)'],
    ['a 0-byte .yaml file', 'x.yaml', '', 'it is empty (0 bytes)'],
    ['blank lines', 'x.yaml', '  \n\n\t\n', 'it holds only blank space'],
    ['blank lines in .json', 'x.json', ' \r\n', 'it holds only blank space'],
    ['`null` in .json', 'x.json', 'null\n', 'its value is null'],
    ['`null` in .yaml', 'x.yaml', 'null\n', 'its value is null'],
    ['`~`', 'x.yml', '~\n', 'its value is null'],
    ['a bare document marker', 'x.yaml', '---\n', 'its value is null'],
    ['only comments', 'x.yaml', '# strategy: linear:10%:1m\n\n# alarms: [a]\n', 'it holds only comments'],
  ])('%s: CONFIG_INVALID naming the file, not the defaults', async (_kind, name, body, why) => {
    const path = join(tempDir(), name);
    writeFileSync(path, body);
    const error = await configError(path);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`Config file ${path} holds no settings: ${why}.`);
    expect(error.hint).toContain('write `{}` in it to run with the built-in defaults on purpose');
    expect(error.hint).toContain('or drop --config');
  });

  it.each(['lshift.config.json', 'lshift.config.yaml', 'lshift.config.yml'])(
    'an empty %s found in the working directory is refused too; the hint says to delete it',
    async (name) => {
      const dir = tempDir();
      writeFileSync(join(dir, name), '');
      let caught: unknown;
      await loadConfig(undefined, dir).catch((error: unknown) => {
        caught = error;
      });
      expect(caught).toBeInstanceOf(UsageError);
      expect((caught as UsageError).code).toBe('CONFIG_INVALID');
      expect((caught as UsageError).message).toContain(`${name} holds no settings: it is empty (0 bytes)`);
      expect((caught as UsageError).hint).toContain('or delete the file');
      expect((caught as UsageError).hint).not.toContain('--config');
    },
  );
});

describe('lshift with an empty config file (built CLI)', () => {
  it('--config <0-byte file>: exit 2, CONFIG_INVALID, before anything else', async () => {
    const path = join(tempDir(), 'ci.json');
    writeFileSync(path, '');
    const run = await runCli(['iam-policy', 'demo', '--config', path, '--json'], { timeoutMs: 60_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(run.stdout).toContain('holds no settings: it is empty (0 bytes)');
  });

  it('an auto-discovered lshift.config.yaml holding `null`: exit 2, not a deploy on the defaults', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'lshift.config.yaml'), 'null\n');
    const run = await runCli(['deploy', 'demo', '--sandbox', '--dry-run'], { cwd: dir, timeoutMs: 60_000 });
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toContain('Error [CONFIG_INVALID]');
    expect(run.stderr).toContain('lshift.config.yaml holds no settings: its value is null');
  });
});

describe('lshift deploy --config <not a file> (built CLI)', () => {
  it.each([
    ['a directory', () => tempDir()],
    ['/dev/zero', () => '/dev/zero'],
  ])('%s: exit 2 with CONFIG_INVALID, not INTERNAL and not a hang', async (_name, pathOf) => {
    const path = pathOf();
    const run = await runCli(['deploy', 'my-fn', '--config', path, '--json'], { timeoutMs: 60_000 });
    expect(run.signal, 'the CLI hung and was killed').toBeNull();
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(run.stdout).toContain(path);
    expect(run.stdout + run.stderr).not.toContain('this is a bug');
  });
});
