import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { loadConfig } from '../../src/cli/config-file.js';
import { DEPLOY_FLAGS } from '../../src/cli/deploy-flags.js';
import {
  ANALYSIS_OPTION_KEYS,
  analysisInputKey,
  CONFIG_SCHEMA,
  type LshiftConfig,
  NOT_DEPLOY_FLAGS,
} from '../../src/cli/option-schema.js';
import { analysisFlag } from '../../src/domain/analysis/config.js';

const ROOT = resolve(import.meta.dirname, '../..');

type HookEntry = string | { spec: string; timeout?: string };

/** The config type as it was declared by hand before it was derived from the schema. */
interface HandWrittenConfig {
  alias?: string;
  region?: string;
  profile?: string;
  'endpoint-url'?: string;
  strategy?: string;
  alarms?: string[];
  interval?: string;
  bake?: string;
  settle?: string;
  'health-error-limit'?: number;
  'ignore-initial-alarms'?: boolean;
  'allow-long-shift'?: boolean;
  'on-interrupt'?: 'rollback' | 'leave';
  'hook-timeout'?: string;
  hooks?: { pre?: HookEntry[]; step?: HookEntry[]; post?: HookEntry[]; rollback?: HookEntry[] };
  'max-error-rate'?: string | number;
  'max-p50'?: string;
  'max-p90'?: string;
  'max-p99'?: string;
  'max-throttles'?: number;
  'max-error-rate-increase'?: string | number;
  'max-latency-increase'?: string | number;
  confidence?: string | number;
  'min-invocations'?: number;
  'on-inconclusive'?: 'continue' | 'fail';
  'ignore-metric-errors'?: boolean;
  stagger?: boolean;
  functions?: (
    | string
    | {
        name: string;
        alias?: string;
        alarms?: string[];
        hooks?: { pre?: HookEntry[]; step?: HookEntry[]; post?: HookEntry[]; rollback?: HookEntry[] };
        version?: string;
        zip?: string;
        's3-bucket'?: string;
        's3-key'?: string;
        'image-uri'?: string;
      }
  )[];
  analysis?: boolean;
}

describe('the config schema', () => {
  it('FromSchema derives exactly the config type that was written by hand', () => {
    expectTypeOf<LshiftConfig>().toEqualTypeOf<HandWrittenConfig>();
    expect(true).toBe(true);
  });
});

describe('one declaration of the deploy options', () => {
  it('lshift.schema.json is CONFIG_SCHEMA (run `npm run docs:schema`) and ships in the package', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'lshift.schema.json'), 'utf8'))).toEqual(CONFIG_SCHEMA);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).files).toContain(
      'lshift.schema.json',
    );
  });

  it('every config option is a deploy flag of the same name, with the schema’s description', () => {
    const flags = DEPLOY_FLAGS as Record<string, { description?: string }>;
    for (const [key, schema] of Object.entries(CONFIG_SCHEMA.properties)) {
      if (key === '$schema' || (NOT_DEPLOY_FLAGS as readonly string[]).includes(key)) continue;
      expect(flags[key]?.description, key).toBe(schema.description);
    }
    expect(flags['alarm']).toBeDefined();
    expect(flags['pre-hook']?.description).toContain(
      CONFIG_SCHEMA.properties.hooks.properties.pre.description,
    );
  });

  it('the analysis options come from the schema, and the domain names each by its flag', () => {
    expect(ANALYSIS_OPTION_KEYS).toContain('max-p99');
    for (const key of ANALYSIS_OPTION_KEYS) {
      expect(Object.keys(CONFIG_SCHEMA.properties)).toContain(key);
      expect(analysisFlag(analysisInputKey(key))).toBe(`--${key}`);
    }
  });

  it('a config file may name the schema in $schema; unknown keys are still refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-schema-'));
    const path = join(dir, 'lshift.config.json');
    writeFileSync(path, JSON.stringify({ $schema: './node_modules/lshift/lshift.schema.json', bake: '1m' }));
    expect((await loadConfig(path)).config).toMatchObject({ bake: '1m' });
    writeFileSync(path, JSON.stringify({ $schema: 'x', baek: '1m' }));
    await expect(loadConfig(path)).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });
});
