import { describe, expect, it } from 'vitest';
import { expectSameAsBuiltCli, runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * What oclif prints itself (help, "command not found", errors raised before a command's run(),
 * a plugin command's errors) goes through lshift's output choke point like everything else: an
 * argument with an ESC, a BEL, a newline or a GitHub workflow command (`::error::`) is never
 * echoed raw, in CI (CI=true, GITHUB_ACTIONS=true) or at a terminal (test/e2e/hostile-arguments.test.ts).
 * The built CLI's commands run in this process (run-cli-in-process.ts: they were in
 * test/e2e/hostile-arguments.test.ts, a start of the CLI each); the last test runs a sample of
 * them as a user would, and expects the same exit code, stdout and stderr.
 */
const CI_ENV = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  AWS_REGION: '',
  AWS_DEFAULT_REGION: '',
  LSHIFT_SANDBOX: undefined,
};

/** C0 controls but newline and tab, DEL, C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for exactly these.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

function expectPrintable(text: string): void {
  expect(text, JSON.stringify(text)).not.toMatch(CONTROL);
  // A line starting with `::` is a workflow command to GitHub's runner.
  expect(text, JSON.stringify(text)).not.toMatch(/^[ \t]*::/m);
}

async function run(args: string[]) {
  const result = await runCliInProcess(args, { env: CI_ENV });
  expectPrintable(result.stdout);
  expectPrintable(result.stderr);
  return result;
}

describe('hostile arguments (built CLI, CI=true, GITHUB_ACTIONS=true)', () => {
  it.each([
    ['a command that retitles the terminal', ['\u001b]0;owned\u0007']],
    ['a command that is a workflow command', ['::error::cmd']],
    ['a command with a newline', ['x\n::error::cmd']],
  ])('%s: a usage error naming it, printable', async (_, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[USAGE\]: .+ is not an lshift command\./);
  });

  // oclif folds the words after a command without arguments into its id (`sandbox:extra`), so
  // the hook said "sandbox is not an lshift command. Did you mean sandbox?".
  it.each([
    [['sandbox', 'extra'], 'extra'],
    [['sandbox', 'x\n::error::y', 'more', '--port', '0'], 'x\uFFFD::error::y more'],
  ])('%j: an unexpected argument of that command, not an unknown command', async (args, words) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error [USAGE]: Unexpected argument: ${words} (lshift sandbox takes no arguments).\n` +
        '  Hint: See `lshift sandbox --help` for its arguments and flags.\n  Exit code 2.\n',
    );
    const json = await run([...args, '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', code: 'USAGE', exitCode: 2 });
  });

  // Found by a hostile pass: oclif read `false` as a function argument — a staggered release of
  // a function named `false`.
  it.each([
    [
      ['deploy', 'fa', 'fb', '--stagger=false', '--dry-run'],
      '--stagger takes no value (got --stagger=false).',
      '--no-stagger to turn it off',
    ],
    [
      ['deploy', 'demo', '--dry-run=false'],
      '--dry-run takes no value (got --dry-run=false).',
      'or leave it out',
    ],
    [['status', 'demo', '--debug=0'], '--debug takes no value (got --debug=0).', 'or leave it out'],
  ])('%j: a value on a boolean flag is refused, not read as an argument', async (args, message, hint) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Error [INVALID_FLAG]: ${message}`);
    expect(result.stderr).toContain(hint);
  });

  // Found by a hostile pass: `--json=true` was refused as text on stderr, stdout empty — a script
  // that asked for JSON (in any form) had nothing to parse. The refusal is JSON on stdout now.
  it.each([
    ['status', 'demo', '--json=true'],
    ['status', 'demo', '--json=false'],
    ['plan', 'demo', '--json=1'],
    ['nosuchcommand', '--json=yes'],
  ])('%j: refused as one JSON object on stdout, not as text on stderr', async (...args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('Error [');
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ status: 'error', exitCode: 2 });
    if (args[0] !== 'nosuchcommand') {
      expect(report).toMatchObject({
        code: 'INVALID_FLAG',
        message: `--json takes no value (got ${args[2]}).`,
      });
    }
  });

  // Found by a hostile pass: a mistyped flag repeated its value — a token, a secret key.
  it('a mistyped flag’s value is masked, its name kept for the suggestion', async () => {
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    const result = await run(['status', 'demo', `--alais=${token}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nonexistent flag: --alais=***. Did you mean --alias?');
    expect(result.stderr + result.stdout).not.toContain(token);
  });

  // Found by a hostile pass: `deploy demo --warm 5` was a release of `demo` and `5` ("--warm acts
  // on one function; a release of several does not take it yet"); `--stagger false` a release with
  // a function named `false`.
  it.each([
    [['deploy', 'demo', '--warm', '5', '--dry-run'], '--warm', '5', ''],
    [['deploy', 'fa', 'fb', '--stagger', 'false'], '--stagger', 'false', ' (--no-stagger turns it off)'],
    [['deploy', 'fa', '--no-stagger', 'off', 'fb'], '--no-stagger', 'off', ''],
    [['check', '--json', '10m', '--alarm', 'x'], '--json', '10m', ''],
    // Compound durations slipped through the first version of the rule (a hostile pass).
    [['deploy', 'demo', '--warm', '1m30s', '--dry-run'], '--warm', '1m30s', ''],
    [['deploy', 'fa', '--stagger', '5min'], '--stagger', '5min', ' (--no-stagger turns it off)'],
    [['status', 'demo', '--debug', '1'], '--debug', '1', ''],
  ])('%j: a value after a boolean flag is refused, not read as a function', async (args, flag, word, off) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    const bare = flag.replace('--no-', '--');
    const said = `${bare} takes no value, and ${word} after it would be read as a function name.`;
    const hint = `Give ${flag} alone${off}. If ${word} is the name of a function, put it before ${flag}.`;
    if (args.includes('--json')) {
      expect(JSON.parse(result.stdout)).toMatchObject({ code: 'INVALID_FLAG', message: said, hint });
    } else {
      expect(result.stderr).toContain(`Error [INVALID_FLAG]: ${said}\n  Hint: ${hint}`);
    }
  });

  it('a function name after a boolean flag is still a function (deploy --dry-run demo)', async () => {
    // No region here: parsing passed and the next check, the region, refused.
    const result = await run(['deploy', '--dry-run', 'no-such-fn-xyz']);
    expect(result.stderr).not.toContain('INVALID_FLAG');
    expect(result.stderr).toContain('Error [REGION_MISSING]');
  });

  it('names a command with colons as typed (not the empty first part of its id)', async () => {
    const result = await run(['::error::cmd']);
    expect(result.stderr).toContain('Error [USAGE]: ::error::cmd is not an lshift command.');
  });

  it.each([
    ['deploy --strategy <clear screen>', ['deploy', '--strategy', '\u001b[2J']],
    ['a strategy that is a workflow command', ['deploy', 'demo', '--strategy', '::error::pwn']],
    ['an unknown flag that is a workflow command', ['deploy', 'demo', '--::error::x']],
    ['an unknown flag with a newline', ['deploy', 'demo', '--foo\n::error::bar']],
    ['an option value with a newline', ['deploy', 'demo', '--engine', 'x\n::error::y\u001b[2J']],
    ['an unexpected argument with a newline', ['plan', 'all-at-once', 'extra\n::error::z']],
  ])('%s: exit 2, printable', async (_, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[[A-Z_]+\]: /);
  });

  it.each([
    ['help <clear screen>', ['help', '\u001b[2J']],
    ['<clear screen> --help', ['\u001b[2J', '--help']],
    ['help of a workflow command on two lines', ['help', '::error::x\n::warning::y']],
  ])('%s: lshift’s usage error, exit 2, printable', async (_, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^Error \[USAGE\]: .+ is not an lshift command\.\n {2}Hint: Run lshift help/,
    );
  });

  it('help of an unknown command under --json is one JSON error object on stdout', async () => {
    const result = await run(['help', '\u001b[2J', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'error', code: 'USAGE', exitCode: 2 });
  });

  it.each([
    ['<clear screen>', ['autocomplete', '\u001b[2J']],
    ['a newline and a workflow command', ['autocomplete', 'x\n::error::y']],
  ])('a plugin command’s error (autocomplete %s): lshift’s usage error, exit 2', async (_, args) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error \[USAGE\]: Expected .+ to be one of: zsh, bash, powershell/);
  });

  it('help itself is printed through the choke point and stays whole', async () => {
    const result = await run(['deploy', '--help']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Publish a version/);
    expect(result.stdout).toContain('EXIT CODES');
  });
});

/**
 * An environment variable lshift refuses is named with its value, echoed on the same line: a
 * newline in it does not split the message (a CI secret or a template can hold one).
 */
describe('hostile environment variables (built CLI, CI=true)', () => {
  const H = 'x\n::error::h\u001b[2J';
  const SHOWN = 'x\uFFFD::error::h\uFFFD[2J';
  it.each([
    ['LSHIFT_AWS_TIMEOUT', `Error [INVALID_DURATION]: LSHIFT_AWS_TIMEOUT=${SHOWN} is not a duration`],
    ['LSHIFT_LAMBDA_RATE', `Error [INVALID_FLAG]: LSHIFT_LAMBDA_RATE=${SHOWN} is not a request rate`],
    ['LSHIFT_SANDBOX', `Error [SANDBOX_URL_INVALID]: LSHIFT_SANDBOX (${SHOWN}) is not an http(s) URL.`],
    ['AWS_REGION', `Error [REGION_INVALID]: Invalid AWS region \`${SHOWN}\` (from AWS_REGION)`],
    ['AWS_PROFILE', `Error [PROFILE_NOT_FOUND]: AWS profile ${SHOWN} (AWS_PROFILE=${SHOWN}) is not defined`],
  ])('%s: one printable line naming it', async (name, firstLine) => {
    const result = await runCliInProcess(['status', 'demo'], {
      env: {
        ...CI_ENV,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
        [name]: H,
      },
    });
    expectPrintable(result.stdout + result.stderr);
    expect(result.code).not.toBe(0);
    expect(result.stderr.split('\n')[0]).toContain(firstLine);
  });
});

describe('the built CLI, started as a user would', () => {
  it('gives the same as here for a sample of these arguments and variables', async () => {
    await expectSameAsBuiltCli([
      { args: ['x\n::error::cmd'], env: CI_ENV },
      { args: ['sandbox', 'x\n::error::y', 'more', '--port', '0', '--json'], env: CI_ENV },
      { args: ['status', 'demo', '--alais=ghp_abcdefghijklmnopqrstuvwxyz0123456789'], env: CI_ENV },
      { args: ['deploy', 'demo', '--engine', 'x\n::error::y\u001b[2J'], env: CI_ENV },
      { args: ['help', '::error::x\n::warning::y'], env: CI_ENV },
      { args: ['autocomplete', 'x\n::error::y'], env: CI_ENV },
      {
        args: ['status', 'demo'],
        env: {
          ...CI_ENV,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'y',
          AWS_PROFILE: 'x\n::error::h\u001b[2J',
        },
      },
    ]);
  });
});
