import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config-file.js';
import { UsageError } from '../../src/domain/errors.js';

/**
 * A key of the right name with a value of the wrong kind: the message says what the key takes
 * and what it got, and the hint helps with that, instead of ajv's bare "must be equal to one of
 * the allowed values" followed by the list of every top-level key (which are not the problem).
 */
async function configError(text: string): Promise<UsageError> {
  const file = join(mkdtempSync(join(tmpdir(), 'lshift-types-')), 'lshift.config.yaml');
  writeFileSync(file, text);
  try {
    await loadConfig(file);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('loadConfig did not fail');
}

describe('a config value of the wrong kind', () => {
  it.each([
    ['engine: CODEDEPLOY\n', 'engine: must be one of "native", "codedeploy", not "CODEDEPLOY"'],
    ['on-interrupt: pause\n', 'on-interrupt: must be one of "rollback", "leave", not "pause"'],
    ['on-inconclusive: 1\n', 'on-inconclusive: must be one of "continue", "fail", not 1'],
    ['warm: "yes"\n', 'warm: must be true or false, not text'],
    ['alarms: orders-errors\n', 'alarms: must be a list, not text'],
    ['strategy: [a]\n', 'strategy: must be text, not a list'],
    ['hooks: []\n', 'hooks: must be a mapping, not a list'],
    ['min-invocations: "100"\n', 'min-invocations: must be a whole number, not text'],
    // "must be a whole number, not a number" said nothing: name the fraction.
    ['min-invocations: 1.5\n', 'min-invocations: must be a whole number, not a fraction (1.5)'],
    ['health-error-limit: 2.5\n', 'health-error-limit: must be a whole number, not a fraction (2.5)'],
    ['max-error-rate: true\n', 'max-error-rate: must be text or a number, not true or false'],
    ['alias: null\n', 'alias: must be text, not empty (null)'],
  ])('%j: says what the key takes and what it got', async (text, problem) => {
    const error = await configError(text);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`is invalid: ${problem}.`);
    expect(error.hint).not.toContain('allowed: alias, region');
    expect(error.hint).toContain('docs/configuration.md');
  });

  it('a hook that is neither text nor a mapping: one problem, not one per form', async () => {
    const error = await configError('hooks:\n  pre: [5]\n');
    expect(error.message).toMatch(
      /is invalid: hooks\.pre\[0\]: must be text or a mapping, not a whole number\.$/,
    );
  });

  it('a number out of range: the hint is what the key means and its range, not the list of keys', async () => {
    const error = await configError('health-error-limit: 0\n');
    expect(error.message).toContain('health-error-limit: must be >= 1');
    expect(error.hint).toContain('`health-error-limit`: roll back after');
    expect(error.hint).toContain('1 to 10');
    expect(error.hint).not.toContain('allowed: alias');
  });

  // Found by a hostile pass: hex (YAML 1.2 reads `0x3B9ACA01` as 1000000001) out of range said
  // "must be <= 1000000000" without the number it read.
  it.each([
    ['min-invocations: 0x3B9ACA01\n', 'min-invocations: must be <= 1000000000, not 1000000001.'],
    ['health-error-limit: 0x0\n', 'health-error-limit: must be >= 1, not 0.'],
  ])('%j: a number out of range shows the value read', async (body, said) => {
    expect((await configError(body)).message).toContain(said);
  });

  it('an enum value from a terminal paste shows no control character', async () => {
    const error = await configError('engine: "native\\u001b[2J"\n');
    expect(error.message).not.toContain('\u001b');
  });

  it('an unknown key still gets the list of the keys', async () => {
    const error = await configError('alarm: [x]\n');
    expect(error.hint).toContain('allowed: alias, region');
  });
});
