import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';
import { HANG_GUARD_MS } from '../helpers/wait-until.js';

// What oclif and lshift print of hostile arguments and environment variables in CI, and the same
// for a sample of them from the built CLI started as a user would: test/cli/hostile-arguments.test.ts.

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));

/**
 * At a terminal (not CI) an unknown command is @oclif/plugin-not-found's: a warning naming it and
 * a "Did you mean" prompt. The name it repeats is made printable first; Ctrl-C declines.
 */
describe('an unknown command at a terminal', () => {
  it('the warning shows the name without its escape sequences', { timeout: 60_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const key of ['CI', 'GITHUB_ACTIONS']) delete env[key];
    const child = spawn('python3', [PTY_RUN, process.execPath, RUN_JS, 'deplo\u001b]0;owned\u0007y'], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let log = '';
    let sent = false;
    child.stdout.on('data', (d) => {
      screen += d;
      if (!sent && screen.includes('Did you mean')) {
        sent = true;
        child.stdin.write('ctrl-c\n');
      }
    });
    child.stderr.on('data', (d) => {
      log += d;
    });
    // A hang backstop, not a timing assertion.
    const timer = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
    await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    expect(sent, screen).toBe(true);
    expect(screen).not.toContain('\u001b]0;owned');
    expect(screen).not.toContain('\u0007');
    expect(screen).toContain('deplo\uFFFD]0;owned\uFFFDy');
    expect(log).toContain('pty-run: exit 2');
  });
});
