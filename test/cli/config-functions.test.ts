import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/cli/config-file.js';
import { UsageError } from '../../src/domain/errors.js';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

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
    // Named as written, not filled (`billing-{nope}`), as --alarm errors name it.
    [
      'an unknown placeholder',
      'functions:\n  - name: billing\n    alarms: ["{function}-{nope}"]\n',
      'ALARM_NAME_INVALID',
      /: functions\[0\] \(billing\): alarms\[0\] has an unknown placeholder `\{nope\}`: `\{function\}-\{nope\}`; /,
    ],
    // Taken before as part of a literal alarm name (found by a hostile pass).
    [
      'a brace that is part of no placeholder',
      'functions:\n  - name: billing\n    alarms: [ok, "{function}-errors}"]\n',
      'ALARM_NAME_INVALID',
      /: functions\[0\] \(billing\): alarms\[1\] has a `\}` that is part of no placeholder \(character 18\): `\{function\}-errors\}`; /,
    ],
    // Found by a hostile pass: refused later as "--version", naming no entry.
    [
      'a version that is no number',
      'functions:\n  - name: fa\n    version: "abc"\n  - fb\n',
      'CONFIG_INVALID',
      /: functions\[0\] \(fa\)\.version: must be a published version number \(1, 2, …\), not "abc"/,
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
      /is invalid: `functions:` is a mapping, but it takes a list of entries, each a function name or a mapping with `name` .*, e\.g\. `functions: \[orders, \{name: billing, alias: prod\}\]`\.$/,
    ],
    [
      'a string instead of a list',
      'functions: orders\n',
      'CONFIG_INVALID',
      /is invalid: `functions:` is a string, but it takes a list of entries/,
    ],
    [
      'an empty list',
      'functions: []\n',
      'CONFIG_INVALID',
      /is invalid: `functions:` is an empty list: name at least one function, or remove the key\.$/,
    ],
    [
      'an unknown key',
      'functions:\n  - name: billing\n    alais: prod\n',
      'CONFIG_INVALID',
      /is invalid: functions\[0\] \(billing\): unknown key "alais" \(did you mean "alias"\?\)\.$/,
    ],
    [
      'a top-level key in an entry',
      'functions:\n  - name: billing\n    strategy: linear:10%:1m\n',
      'CONFIG_INVALID',
      /functions\[0\] \(billing\): unknown key "strategy" \(`strategy` is the release’s: set it at the top of the file, not in an entry\)\.$/,
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

  it('an unknown key in an entry: the hint lists the keys an entry takes, not the top level’s', async () => {
    const { error } = await refusal('functions: [{name: a, alarm: x}]\n');
    expect(error.message).toMatch(/functions\[0\] \(a\): unknown key "alarm" \(did you mean "alarms"\?\)\.$/);
    expect(error.hint).toMatch(/^A `functions:` entry takes: name, alias, alarms, hooks, version, zip, /);
    expect(error.hint).toContain('docs/releases.md#the-config-file');
    // Keys only the top level takes: listing them would send the user to keys an entry refuses.
    expect(error.hint).not.toMatch(/endpoint-url|allowed:|stagger/);
  });

  it.each([
    [
      'an empty entry',
      'functions: [{}]\n',
      /functions\[0\]: the entry has no `name`: write `- name: <function>`/,
    ],
    ['an entry without a name', 'functions:\n  - alias: prod\n', /functions\[0\]: the entry has no `name`/],
  ])(
    '%s: says the name is missing, and the hint lists the keys an entry takes',
    async (_name, body, message) => {
      const { error } = await refusal(body);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('required property');
      expect(error.hint).toMatch(/^A `functions:` entry takes: name, alias, alarms, hooks, version, zip, /);
      expect(error.hint).not.toMatch(/endpoint-url|allowed:|stagger/);
    },
  );

  it('an unknown key at the top level keeps the top-level keys in the hint', async () => {
    const { error } = await refusal('alarm: x\nfunctions: [a]\n');
    expect(error.message).toMatch(/\(top level\): unknown key "alarm" \(did you mean "alarms"\?\)\.$/);
    expect(error.hint).toMatch(/^Keys are the long flag names .*allowed: .*endpoint-url, .*functions/);
  });

  it('a mistyped hook phase in an entry: the hint names the phases', async () => {
    const { error } = await refusal('functions: [{name: a, hooks: {pree: ["cmd:x"]}}]\n');
    expect(error.message).toMatch(
      /functions\[0\] \(a\)\.hooks: unknown key "pree" \(did you mean "pre"\?\)\.$/,
    );
    expect(error.hint).toBe('`hooks:` takes the phases pre, step, post, rollback.');
  });

  it('a hook mapping with an unknown key is one problem, its string form not blamed', async () => {
    const { error } = await refusal('hooks: {pre: [{spec: "cmd:x", timout: 3m}]}\n');
    expect(error.message).toMatch(
      /is invalid: hooks\.pre\[0\]: unknown key "timout" \(did you mean "timeout"\?\)\.$/,
    );
    expect(error.hint).toContain('spec, timeout');
  });

  it('a list that is not a list: the hint says how to write one, not the top-level keys', async () => {
    const { error } = await refusal('functions: {}\n');
    expect(error.hint).toMatch(/^Write one `- <function>` .* per line under `functions:`/);
    expect(error.hint).not.toContain('allowed:');
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

  // Found by a hostile pass: "Missing 1 required arg" beside a config listing `functions:`.
  it('iam-policy without function names covers the config file’s functions, as status and check read them', async () => {
    const path = writeConfig('functions:\n  - orders\n  - name: payments\n    alias: prod\n');
    const run = await runCliInProcess([
      'iam-policy',
      '--config',
      path,
      '--region',
      'eu-west-1',
      '--account',
      '123456789012',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('arn:aws:lambda:eu-west-1:123456789012:function:orders');
    expect(run.stdout).toContain('arn:aws:lambda:eu-west-1:123456789012:function:payments');
    const none = await runCliInProcess(['iam-policy', '--config', writeConfig('alias: live\n')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Missing the functions the policy is for.');
  });

  it('every command refuses it before any AWS call: exit 2, no stack trace (status, check, iam-policy)', async () => {
    const path = writeConfig('functions:\n  - orders\n  - orders\n');
    for (const args of [
      ['status', 'orders'],
      ['check', '--alarm', 'x'],
      ['iam-policy', 'orders'],
    ]) {
      // An endpoint nobody listens on: a call to it would fail with exit 1, not 2.
      const run = await runCliInProcess([...args, '--config', path, '--json'], {
        env: { LSHIFT_SANDBOX: 'http://127.0.0.1:4' },
      });
      expect(run.code, `${args[0]}: ${run.stdout}${run.stderr}`).toBe(2);
      expect(JSON.parse(run.stdout)).toMatchObject({ code: 'FUNCTION_NAMED_TWICE', exitCode: 2 });
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('the built CLI, started as a user would, gives the same for a sample of these', async () => {
    await expectSameAsBuiltCli([
      {
        args: ['status', 'orders', '--config', writeConfig('functions:\n  - orders\n  - orders\n'), '--json'],
        env: { LSHIFT_SANDBOX: 'http://127.0.0.1:4' },
      },
    ]);
  });
});

/**
 * An entry's alarm names are measured as CloudWatch sees them, `{function}` filled with the
 * entry's function name: a 260-character `{function}x…` for `f` is a 251-character name.
 */
describe('a functions: entry’s {function} alarm template', () => {
  const fits = `{function}${'x'.repeat(250)}`;

  it('is measured once filled with the entry’s name', async () => {
    const path = writeConfig(`functions:\n  - name: f\n    alarms: ["${fits}"]\n`);
    await expect(loadConfig(path)).resolves.toBeDefined();
  });

  it('a name too long once filled is still refused, naming the entry', async () => {
    const { error } = await refusal(
      `functions:\n  - name: ${'g'.repeat(10)}\n    alarms: ["${'x'.repeat(246)}{function}"]\n`,
    );
    expect(error.code).toBe('ALARM_NAME_INVALID');
    expect(error.message).toMatch(
      /functions\[0\] \(g{10}\): alarms\[0\] \(`x+…`\) is `x+…` once filled, 256 characters, longer than CloudWatch's 255\./,
    );
  });
});

/**
 * `{alias}` likewise, when the entry names its alias: a 257-character `x…{alias}` with alias `p`
 * is a 251-character name. Without an alias of its own the entry's alias is only known once a
 * command runs (--alias, the top-level `alias`), where status and check measure it filled.
 */
describe('a functions: entry’s {alias} alarm template', () => {
  it('is measured once filled with the entry’s own alias', async () => {
    const path = writeConfig(
      `functions:\n  - name: f\n    alias: p\n    alarms: ["${'x'.repeat(250)}{alias}"]\n`,
    );
    await expect(loadConfig(path)).resolves.toBeDefined();
  });

  it('a name too long once filled with the entry’s alias is refused, naming the entry', async () => {
    const { error } = await refusal(
      `functions:\n  - name: f\n    alias: ${'a'.repeat(10)}\n    alarms: ["${'x'.repeat(246)}{alias}"]\n`,
    );
    expect(error.code).toBe('ALARM_NAME_INVALID');
    expect(error.message).toMatch(
      /functions\[0\] \(f\): alarms\[0\] \(`x+…`\) is `x+…` once filled, 256 characters, longer than CloudWatch's 255\./,
    );
  });

  it('without an alias of its own, is left to be measured once the alias is known', async () => {
    const path = writeConfig(`functions:\n  - name: f\n    alarms: ["${'x'.repeat(250)}{alias}"]\n`);
    await expect(loadConfig(path)).resolves.toBeDefined();
  });

  // `version: 3` is what anyone writes in YAML: it was "must be text, not a whole number".
  it('a version written as a YAML number is that version; 0 and 1.5 are still refused', async () => {
    const loaded = await loadConfig(writeConfig('functions:\n  - name: fa\n    version: 3\n  - fb\n'));
    expect(loaded.config.functions?.[0]).toEqual({ name: 'fa', version: '3' });
    for (const bad of ['0', '1.5']) {
      const { error } = await refusal(`functions:\n  - name: fa\n    version: ${bad}\n`);
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toContain('functions[0] (fa).version');
    }
    // 0 (and below) is said to be no published version, not "must be text" (h4's pass, session 68).
    for (const bad of ['0', '-2']) {
      const { error } = await refusal(`functions:\n  - name: fa\n    version: ${bad}\n`);
      expect(error.message).toContain(`must be a published version number (1, 2, …), not "${bad}"`);
    }
  });

  it('settle: 0 and bake: 0 are read as --settle 0 and --bake 0 are; bake: 5 (no unit) is still refused', async () => {
    const loaded = await loadConfig(writeConfig('settle: 0\nbake: 0\n'));
    expect(loaded.config).toMatchObject({ settle: '0', bake: '0' });
    const { error } = await refusal('bake: 5\n');
    expect(error.code).toBe('CONFIG_INVALID');
  });
});
