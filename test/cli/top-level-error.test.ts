import { Errors } from '@oclif/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { typedCommand } from '../../src/cli/hooks/command-not-found.js';
import { reportTopLevelError } from '../../src/cli/top-level-error.js';

/** What bin/run.js reports for an error no command caught (oclif's help, a plugin command). */
function capture(run: () => number) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    err.push(String(chunk));
    return true;
  });
  const code = run();
  vi.restoreAllMocks();
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('reportTopLevelError', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('words oclif’s "Command … not found." as lshift’s unknown command, printable', () => {
    const error = new Errors.CLIError('Command \u001b[2J\n::error::x not found.', { exit: 2 });
    const run = capture(() => reportTopLevelError(error, ['help', '\u001b[2J\n::error::x'], {}));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'Error [USAGE]: \uFFFD[2J\uFFFD::error::x is not an lshift command.\n  Hint: Run lshift help for a list of commands.\n  Exit code 2.\n',
    );
  });

  it('under --json (before --) prints one JSON error object on stdout', () => {
    const error = new Errors.CLIError('Expected x to be one of: zsh, bash', { exit: 2 });
    const json = capture(() => reportTopLevelError(error, ['autocomplete', 'x', '--json'], {}));
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', code: 'USAGE', exitCode: 2 });
    expect(json.stderr).toBe('');
    const afterDashes = capture(() => reportTopLevelError(error, ['autocomplete', '--', '--json'], {}));
    expect(afterDashes.stdout).toBe('');
    expect(afterDashes.stderr).toMatch(/^Error \[USAGE\]: Expected x/);
  });

  it('an argument with a newline is echoed on one line', () => {
    const error = new Errors.CLIError('Expected x\n::error::y to be one of: zsh', { exit: 2 });
    const run = capture(() => reportTopLevelError(error, ['autocomplete', 'x\n::error::y'], {}));
    expect(run.stderr).toMatch(/^Error \[USAGE\]: Expected x\uFFFD::error::y to be one of: zsh\n/);
  });

  it('an exit (this.exit(n)) prints nothing and keeps its code', () => {
    const run = capture(() => reportTopLevelError(new Errors.ExitError(2), [], {}));
    expect(run).toEqual({ code: 2, stdout: '', stderr: '' });
  });

  it('an interrupted prompt (oclif’s SIGINT error) prints nothing and exits 130', () => {
    const run = capture(() => reportTopLevelError(new Error('SIGINT'), [], {}));
    expect(run).toEqual({ code: 130, stdout: '', stderr: '' });
  });

  it('an unexpected error is INTERNAL, exit 1, its stack only with LSHIFT_DEBUG or --debug', () => {
    const error = new Error('boom \u001b[2J');
    const quiet = capture(() => reportTopLevelError(error, [], {}));
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/^Error \[INTERNAL\]: Internal error: boom \uFFFD\[2J\n/);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(capture(() => reportTopLevelError(error, [], { LSHIFT_DEBUG: '1' })).stderr).toMatch(/\n\s+at /);
    expect(capture(() => reportTopLevelError(error, ['--debug'], {})).stderr).toMatch(/\n\s+at /);
  });
});

describe('typedCommand', () => {
  it.each([
    ['stauts:demo', ['stauts', 'demo'], 'stauts'],
    ['deplyo', ['deplyo'], 'deplyo'],
    ['::error::cmd', ['::error::cmd'], '::error::cmd'],
    ['a:b:c', ['a:b:c', 'x'], 'a:b:c'],
    ['x:y', [], 'x'],
    // `lshift '' demo`: oclif leaves the empty word out of the id
    ['demo', ['', 'demo'], ''],
    ['', [''], ''],
  ])('id %j from argv %j → %j', (id, argv, typed) => {
    expect(typedCommand(id, argv)).toBe(typed);
  });
});
