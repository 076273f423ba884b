/**
 * Optional project config: `lshift.config.json`, `lshift.config.yaml` or `lshift.config.yml`
 * in the working directory (or `--config <file>`). Keys are the long flag names; flags win.
 * The schema (option-schema.ts) is shipped as lshift.schema.json; a file may name it in `$schema`.
 */

import { closeSync, existsSync, openSync, type Stats, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { assertAliasName } from '../domain/aws-names.js';
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { describeNotRegularFile } from '../domain/file-kind.js';
import { describeJsonError, describeSyntaxError } from '../domain/file-syntax.js';
import { readAtMost } from '../sandbox/regular-file.js';
import { refuseBlankAnalysisValues } from './config-blanks.js';
import { refuseEmptyConfig } from './config-empty.js';
import { checkConfigFunctions } from './config-functions.js';
import { refuseNonFiniteNumbers } from './config-numbers.js';
import { describeSchemaErrors } from './config-schema-errors.js';
import { parseConfigYaml } from './config-yaml.js';
import { CONFIG_SCHEMA, type LshiftConfig } from './option-schema.js';

/** Far above any real config; refusing more keeps `--config /dev/zero` or a log file from eating memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export const CONFIG_FILE_NAMES = ['lshift.config.json', 'lshift.config.yaml', 'lshift.config.yml'];

export { CONFIG_SCHEMA, type HookEntry, type LshiftConfig } from './option-schema.js';

export interface LoadedConfig {
  path?: string;
  config: LshiftConfig;
}

/** Finds and validates the config file. No file and no --config → an empty config. */
export async function loadConfig(
  explicitPath: string | undefined,
  cwd = process.cwd(),
): Promise<LoadedConfig> {
  // `--config "$CFG"` with CFG unset must not quietly deploy with the defaults.
  if (explicitPath !== undefined && explicitPath.trim() === '') {
    throw new UsageError('CONFIG_NOT_FOUND', '--config was given an empty path.', {
      hint: 'Name the config file (`--config ci/lshift.yaml`), or drop the flag to use lshift.config.(json|yaml) in the working directory.',
    });
  }
  const path = explicitPath ? resolve(cwd, explicitPath) : findConfigFile(cwd);
  if (!path) return { config: {} };
  const text = readConfigFile(path, explicitPath !== undefined);
  const data = await parseConfigText(path, text);
  refuseEmptyConfig(path, text, data, explicitPath !== undefined);
  checkTopLevel(path, data);
  refuseNonFiniteNumbers(path, data);
  versionNumbersAsText(data);
  await validateConfig(path, data);
  checkNames(path, data as LshiftConfig);
  refuseBlankAnalysisValues(path, data as LshiftConfig, text);
  LOADED_FROM.set(data as LshiftConfig, path);
  return { path, config: data as LshiftConfig };
}

/** The file each loaded config came from, for errors that name a key deep in it (code-choice.ts). */
const LOADED_FROM = new WeakMap<LshiftConfig, string>();

/** `config file <path>`, or `the config file` for one not loaded from a file (tests, merged copies). */
export function describeConfigFile(config: LshiftConfig): string {
  const path = LOADED_FROM.get(config);
  return path === undefined ? 'the config file' : `config file ${path}`;
}

/**
 * `version: 3` in a `functions:` entry: YAML reads it as a number, and the schema wants the text
 * `--version` takes ("must be text, not a whole number" is no way to ask for version 3). A whole
 * number is that version (0 or below then refused by the schema as no published version); anything
 * else is left to the schema to refuse. The same for a 0 of
 * `settle` and `bake`; another bare number has no unit and stays refused.
 */
function versionNumbersAsText(data: unknown): void {
  // `settle: 0` is off, as `--settle 0` is, and `bake: 0` is refused as `--bake 0` is (no bake:
  // leave it out), each with its own words; YAML reads the 0 as a number (hostile pass).
  const top = data as Record<string, unknown> | null;
  for (const key of ['settle', 'bake']) if (top && typeof top === 'object' && top[key] === 0) top[key] = '0';
  const functions = (data as { functions?: unknown } | null)?.functions;
  if (!Array.isArray(functions)) return;
  for (const entry of functions) {
    if (typeof entry !== 'object' || entry === null) continue;
    const own = entry as { version?: unknown };
    // Any whole number, 0 too: the schema's pattern then says it is no published version (0 read
    // "must be text, not a whole number": h4's pass, session 68).
    if (typeof own.version === 'number' && Number.isSafeInteger(own.version))
      own.version = String(own.version);
  }
}

function checkNames(path: string, config: LshiftConfig): void {
  if (config.alias !== undefined) assertAliasName(config.alias, `${path}: alias`);
  checkConfigFunctions(path, config);
}

const FIX_PATH_HINT =
  'Check the --config path, or remove the flag to use lshift.config.(json|yaml) in the working directory.';
const FOUND_FILE_HINT =
  'lshift reads the first of lshift.config.json, lshift.config.yaml, lshift.config.yml in the working directory: move or rename this one, or pass --config <file>.';

/** Reads only a regular file of sane size: a directory, FIFO or device is refused before opening. */
function readConfigFile(path: string, explicit: boolean): string {
  const fixPath = explicit ? FIX_PATH_HINT : FOUND_FILE_HINT;
  // A path is said as typed up to 200 characters (a 100 KB --config was echoed twice in full).
  const shown = echoInput(path);
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError('CONFIG_NOT_FOUND', `Config file ${shown} does not exist.`, {
        hint: FIX_PATH_HINT,
      });
    }
    throw unreadable(path, error, fixPath);
  }
  if (!stats.isFile()) {
    throw new UsageError('CONFIG_INVALID', `Config file ${shown} ${describeNotRegularFile(stats)}.`, {
      hint: explicit ? `--config takes a YAML or JSON file. ${FIX_PATH_HINT}` : FOUND_FILE_HINT,
    });
  }
  if (stats.size > MAX_CONFIG_BYTES) {
    throw new UsageError(
      'CONFIG_INVALID',
      `Config file ${shown} is ${stats.size} bytes; a config file may be at most ${MAX_CONFIG_BYTES} bytes (1 MiB).`,
      { hint: `Is this the right file? ${fixPath}` },
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileAtMost(path, MAX_CONFIG_BYTES + 1);
  } catch (error) {
    throw unreadable(path, error, fixPath);
  }
  if (bytes.length > MAX_CONFIG_BYTES) {
    throw new UsageError(
      'CONFIG_INVALID',
      `Config file ${shown} is more than ${MAX_CONFIG_BYTES} bytes (its size said ${stats.size}); a config file may be at most 1 MiB.`,
      { hint: `Is this the right file? ${fixPath}` },
    );
  }
  return decodeUtf8(path, bytes, fixPath);
}

/** The first `limit` bytes of the file at most (a /proc file says 0 bytes and never ends). */
function readFileAtMost(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    return readAtMost(fd, limit);
  } finally {
    closeSync(fd);
  }
}

/**
 * A byte that is not UTF-8 would be read as U+FFFD and end up in a function or alarm name
 * (`d\uFFFDmo`): the file is refused, at the line that holds it (a Latin-1 file, a binary).
 */
function decodeUtf8(path: string, bytes: Buffer, fixPath: string): string {
  const strict = new TextDecoder('utf-8', { fatal: true });
  try {
    return strict.decode(bytes);
  } catch {
    let line = 1;
    for (let start = 0; start < bytes.length; line++) {
      const end = bytes.indexOf(0x0a, start);
      const stop = end < 0 ? bytes.length : end;
      try {
        strict.decode(bytes.subarray(start, stop));
      } catch {
        break;
      }
      start = stop + 1;
    }
    throw new UsageError(
      'CONFIG_INVALID',
      `Config file ${path} is not UTF-8 text: line ${line} holds a byte UTF-8 does not allow.`,
      { hint: `Save the file as UTF-8 (YAML and JSON are UTF-8). ${fixPath}` },
    );
  }
}

/**
 * A symlink loop (ELOOP), a path through a file (ENOTDIR) or one longer than the system takes
 * (ENAMETOOLONG) is no matter of permissions. Node's message repeats the path (`…, stat '<path>'`):
 * only its first part is said.
 */
function unreadable(path: string, error: unknown, fixPath: string): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  const check =
    code === 'ELOOP'
      ? 'The path is a loop of symbolic links: point it at the file itself.'
      : code === 'ENOTDIR'
        ? 'A part of the path is a file, not a directory.'
        : code === 'ENAMETOOLONG'
          ? `The path (${path.length} characters) is longer than the system allows.`
          : "Check the file's permissions.";
  const why = String((error as Error).message).split(/, \w+ '/, 1)[0];
  return new UsageError(
    'CONFIG_INVALID',
    `Cannot read config file ${echoInput(path)}: ${echoInput(why ?? '')}`,
    {
      hint: `${check} ${fixPath}`,
    },
  );
}

/** Valid YAML that is not a mapping (a list, a string) gets its own message: ajv's is cryptic. */
function checkTopLevel(path: string, data: unknown): void {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return;
  const found = Array.isArray(data) ? 'a list' : typeof data === 'string' ? 'a string' : `a ${typeof data}`;
  throw new UsageError(
    'CONFIG_INVALID',
    `Config file ${path} must be a mapping of flag names to values, but it holds ${found}.`,
    { hint: 'Write one `key: value` per line, e.g. `strategy: canary:10%:5m` (see docs/configuration.md).' },
  );
}

function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((p) => existsSync(p));
}

async function parseConfigText(path: string, body: string): Promise<unknown> {
  refuseBrokenJson(path, body);
  try {
    return await parseConfigYaml(body);
  } catch (error) {
    // yaml's parser recurses once per level: `[[[[…]]]]` thousands deep runs out of stack.
    if (/call stack/i.test((error as Error).message)) throw tooDeep(path, body, error);
    throw new UsageError(
      'CONFIG_INVALID',
      `Config file ${path} is not valid YAML/JSON: ${describeSyntaxError(body, error)}`,
      { hint: syntaxHint((error as Error).message) },
    );
  }
}

function syntaxHint(message: string): string {
  // yaml refuses aliases that expand into too much ("billion laughs"): not a syntax error.
  if (/alias count/i.test(message))
    return 'Its YAML aliases (`*name`) expand into far more values than a config file holds: write the values out, or use fewer aliases.';
  // src/sandbox/yaml-linear.ts: an alias inside the value it names.
  if (/would contain itself/.test(message))
    return 'Write the value out where the alias (`*name`) is, or point the alias at a value outside it.';
  if (/^The %YAML/.test(message)) return 'Remove the %YAML line, or write %YAML 1.2.';
  if (/^A second YAML document/.test(message))
    return 'Keep one YAML document in the file: remove the `---` line and what follows it, or merge the two.';
  return 'Fix the syntax; YAML and JSON are both accepted.';
}

function tooDeep(path: string, body: string, error: unknown): UsageError {
  const place = / at (line \d+, column \d+)$/.exec(describeSyntaxError(body, error))?.[1];
  return new UsageError(
    'CONFIG_INVALID',
    `Config file ${path} nests lists or mappings too deep to read${place ? ` (${place})` : ''}.`,
    {
      hint: 'A config file nests a few levels (`functions:` → an entry → `hooks:` → a phase): is this the right file?',
    },
  );
}

/**
 * A `.json` config file is checked as JSON first: YAML reads most broken JSON without a word
 * (`"alias": }` is an alias of null, then a schema error about its type), and a JSON mistake is
 * best named by its line and column. Valid JSON then goes through the YAML parser as before,
 * which also refuses duplicate keys. An empty file is refused later (config-empty.ts) in its own words.
 */
function refuseBrokenJson(path: string, body: string): void {
  if (!/\.json$/i.test(path) || body.trim() === '') return;
  const broken = describeJsonError(body);
  if (broken === undefined) return;
  throw new UsageError('CONFIG_INVALID', `Config file ${path} is not valid JSON: ${broken}.`, {
    hint: 'Fix the syntax there (a .json config file is read as JSON; name it .yaml to write YAML).',
  });
}

async function validateConfig(path: string, data: unknown): Promise<void> {
  const { Ajv } = await import('ajv');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  if (validate(data)) return;
  const { problems, hint } = describeSchemaErrors(validate.errors ?? [], data);
  throw new UsageError('CONFIG_INVALID', `Config file ${path} is invalid: ${problems.join('; ')}.`, { hint });
}
