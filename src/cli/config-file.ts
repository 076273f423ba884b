/**
 * Optional project config: `lshift.config.json`, `lshift.config.yaml` or `lshift.config.yml`
 * in the working directory (or `--config <file>`). Keys are the long flag names; flags win.
 * The schema (option-schema.ts) is shipped as lshift.schema.json; a file may name it in `$schema`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../domain/errors.js';
import { CONFIG_SCHEMA, type LshiftConfig } from './option-schema.js';

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
  const path = explicitPath ? resolve(cwd, explicitPath) : findConfigFile(cwd);
  if (!path) return { config: {} };
  if (!existsSync(path)) {
    throw new UsageError('CONFIG_NOT_FOUND', `Config file ${path} does not exist.`, {
      hint: 'Check the --config path, or remove the flag to use lshift.config.(json|yaml) in the working directory.',
    });
  }
  const data = await parseConfigText(path, readFileSync(path, 'utf8'));
  await validateConfig(path, data);
  return { path, config: data as LshiftConfig };
}

function findConfigFile(cwd: string): string | undefined {
  return CONFIG_FILE_NAMES.map((name) => resolve(cwd, name)).find((p) => existsSync(p));
}

async function parseConfigText(path: string, body: string): Promise<unknown> {
  const { parse } = await import('yaml');
  try {
    return parse(body) ?? {};
  } catch (error) {
    throw new UsageError(
      'CONFIG_INVALID',
      `Config file ${path} is not valid YAML/JSON: ${(error as Error).message}`,
      {
        hint: 'Fix the syntax; YAML and JSON are both accepted.',
      },
    );
  }
}

async function validateConfig(path: string, data: unknown): Promise<void> {
  const { Ajv } = await import('ajv');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  if (validate(data)) return;
  const problems = (validate.errors ?? []).slice(0, 5).map((e) => {
    const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '(top level)';
    if (e.keyword === 'additionalProperties') {
      return `${where}: unknown key "${String(e.params.additionalProperty)}"`;
    }
    return `${where}: ${e.message}`;
  });
  throw new UsageError('CONFIG_INVALID', `Config file ${path} is invalid: ${problems.join('; ')}.`, {
    hint: `Keys are the long flag names (see docs/configuration.md); allowed: ${Object.keys(
      CONFIG_SCHEMA.properties,
    )
      .filter((k) => k !== '$schema')
      .join(', ')}; $schema may name lshift.schema.json for editors.`,
  });
}
