import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config-file.js';
import { UsageError } from '../../src/domain/errors.js';

function writeConfig(body: string, name = 'lshift.config.yaml'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-blank-')), name);
  writeFileSync(path, body);
  return path;
}

async function refusal(path: string): Promise<UsageError> {
  const error = await loadConfig(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return error as UsageError;
}

/**
 * `max-error-rate: ""` (a template whose variable was unset) read as no value: the gate stayed off
 * without a word, while `--max-error-rate ''` is refused (ANALYSIS_FLAG_INVALID). The file is
 * refused the same way, naming the file, the key and its line.
 */
describe('a blank canary-analysis value in the config file', () => {
  it.each([
    ['alias: live\nmax-error-rate: ""\n', 'max-error-rate', 2],
    ["strategy: all-at-once\n\nconfidence: '  '\n", 'confidence', 3],
    ['max-p99: ""\n', 'max-p99', 1],
    [
      'functions:\n  - orders\n  - name: billing\n    max-latency-increase: ""\n',
      'functions[1] (billing): max-latency-increase',
      4,
    ],
  ])('%j → CONFIG_INVALID naming %s at line %i', async (body, key, line) => {
    const path = writeConfig(body);
    const error = await refusal(path);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
    expect(error.message).toBe(`Config file ${path} is invalid: ${key} (line ${line}) is blank.`);
    expect(error.hint).toMatch(/`off`/);
  });

  it('names the line in a JSON file too', async () => {
    const path = writeConfig('{\n  "alias": "live",\n  "max-error-rate": ""\n}\n', 'lshift.config.json');
    const error = await refusal(path);
    expect(error.message).toBe(`Config file ${path} is invalid: max-error-rate (line 3) is blank.`);
  });

  it('`off` and a value still load', async () => {
    const path = writeConfig('max-error-rate: "1%"\nmax-latency-increase: off\n');
    await expect(loadConfig(path)).resolves.toMatchObject({ config: { 'max-error-rate': '1%' } });
  });
});
