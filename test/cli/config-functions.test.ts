import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config-file.js';
import { UsageError } from '../../src/domain/errors.js';
import { runCli } from '../helpers/run-cli.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:billing';

function writeConfig(body: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lshift-functions-')), 'lshift.config.yaml');
  writeFileSync(path, body);
  return path;
}

async function refusal(body: string | Buffer): Promise<{ error: UsageError; path: string }> {
  const path = writeConfig(body);
  const error = await loadConfig(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return { error: error as UsageError, path };
}

/**
 * A hostile `functions:` list is refused when the file is loaded, by every command, with one error
 * naming the file, the entry's place and its function (docs/configuration.md).
 */
describe('the config file’s functions: entries', () => {
  it.each<[string, string, string, RegExp]>([
    [
      'a blank alarm',
      'functions:\n  - orders\n  - name: billing\n    alarms: [" "]\n',
      'ALARM_NAME_INVALID',
      /: functions\[1\] \(billing\): alarms\[0\] is blank: /,
    ],
    [
      'an empty alarm after a good one',
      'functions:\n  - name: billing\n    alarms: [ok, ""]\n',
      'ALARM_NAME_INVALID',
      /: functions\[0\] \(billing\): alarms\[1\] is empty: /,
    ],
    [
      'one function twice',
      'functions: [orders, billing, orders]\n',
      'FUNCTION_NAMED_TWICE',
      /: functions\[2\] \(orders\) lists the function of functions\[0\] again/,
    ],
    [
      'a name and its ARN',
      `functions:\n  - billing\n  - name: ${ARN}\n    alias: prod\n`,
      'FUNCTION_NAMED_TWICE',
      /: functions\[1\] \(billing\) lists the function of functions\[0\] again/,
    ],
    [
      'one entry twice by a YAML alias',
      'functions:\n  - &b {name: billing, alias: prod}\n  - *b\n',
      'FUNCTION_NAMED_TWICE',
      /functions\[1\] \(billing\)/,
    ],
    [
      'an empty alias',
      'functions:\n  - name: billing\n    alias: ""\n',
      'ALIAS_INVALID',
      /\(.*: functions\[0\] \(billing\): alias\)/,
    ],
    [
      'an empty name',
      'functions:\n  - orders\n  - ""\n',
      'FUNCTION_INVALID',
      /: functions\[1\] `` is not a Lambda function name or ARN/,
    ],
    [
      'a qualified name',
      'functions:\n  - name: billing:prod\n',
      'FUNCTION_INVALID',
      /: functions\[0\] `billing:prod` names alias prod of function billing/,
    ],
    [
      'a null entry',
      'functions: [orders, null]\n',
      'CONFIG_INVALID',
      /is invalid: functions\[1\] is empty \(null\): an entry is a function name, or a mapping/,
    ],
    ['a number', 'functions: [12]\n', 'CONFIG_INVALID', /is invalid: functions\[0\] is a number: /],
    [
      'a mapping instead of a list',
      'functions: {}\n',
      'CONFIG_INVALID',
      /is invalid: functions: must be array/,
    ],
    [
      'an unknown key',
      'functions:\n  - name: billing\n    alais: prod\n',
      'CONFIG_INVALID',
      /is invalid: functions\[0\] \(billing\): unknown key "alais"\.$/,
    ],
  ])('%s', async (_name, body, code, message) => {
    const { error, path } = await refusal(body);
    expect(error.code).toBe(code);
    expect(error.message).toContain(path);
    expect(error.message).toMatch(message);
  });

  it('an unknown key is one problem, not three (the name form of the entry is not blamed)', async () => {
    const { error } = await refusal('functions:\n  - name: billing\n    alais: prod\n');
    expect(error.message).not.toMatch(/must be string|anyOf/);
  });

  it('a file that is not UTF-8: refused at its line, never read as a name holding U+FFFD', async () => {
    const body = Buffer.concat([
      Buffer.from('strategy: all-at-once\nfunctions:\n  - name: b'),
      Buffer.from([0xff]),
      Buffer.from('lling\n'),
    ]);
    const { error } = await refusal(body);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toMatch(/is not UTF-8 text: line 3 /);
  });

  it('still reads a good list', async () => {
    const path = writeConfig(
      'functions:\n  - orders\n  - name: billing\n    alias: prod\n    alarms: ["{function}-errors"]\n',
    );
    expect((await loadConfig(path)).config.functions).toEqual([
      'orders',
      { name: 'billing', alias: 'prod', alarms: ['{function}-errors'] },
    ]);
  });

  it('every command refuses it before any AWS call: exit 2, no stack trace (status, check, iam-policy)', async () => {
    const path = writeConfig('functions:\n  - orders\n  - orders\n');
    for (const args of [
      ['status', 'orders'],
      ['check', '--alarm', 'x'],
      ['iam-policy', 'orders'],
    ]) {
      // An endpoint nobody listens on: a call to it would fail with exit 1, not 2.
      const run = await runCli([...args, '--config', path, '--json'], {
        env: { LSHIFT_SANDBOX: 'http://127.0.0.1:9' },
      });
      expect(run.code, `${args[0]}: ${run.stdout}${run.stderr}`).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ code: 'FUNCTION_NAMED_TWICE', exitCode: 2 });
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
