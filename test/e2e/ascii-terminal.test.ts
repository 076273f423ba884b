import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';
import { HANG_GUARD_MS } from '../helpers/wait-until.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for anything outside ASCII.
const NOT_ASCII = /[^\u0000-\u007f]/;

/**
 * At a terminal whose locale is C (not UTF-8), ✔ ✖ → … and listr2's spinner showed as mojibake:
 * what lshift writes there is ASCII (src/cli/ascii-terminal.ts).
 */
describe('a terminal with LANG=C LC_ALL=C (built CLI in a pty, against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  function runInTerminal(
    args: string[],
    locale: Record<string, string>,
  ): Promise<{ screen: string; ended: string }> {
    return new Promise((resolve, reject) => {
      const { CI: _ci, LANG: _l, LC_ALL: _a, LC_CTYPE: _c, ...rest } = process.env;
      const child = spawn('python3', [PTY_RUN, process.execPath, RUN_JS, ...args], {
        env: { ...rest, ...locale, TERM: 'xterm-256color', LSHIFT_SANDBOX: env?.handle.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      let log = '';
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      // A hang guard only: the run ends on its own (or on the key the test types).
      const timer = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        const ended = /pty-run: (.+)/.exec(log)?.[1] ?? `no end reported: ${log}`;
        resolve({ screen: Buffer.concat(chunks).toString('latin1'), ended });
      });
    });
  }

  it('a deploy (listr2 at work) and status print ASCII only', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const deploy = await runInTerminal(['deploy', 'demo', '--strategy', 'all-at-once'], {
      LANG: 'C',
      LC_ALL: 'C',
    });
    expect(deploy.ended, deploy.screen.slice(-2000)).toBe('exit 0');
    expect(deploy.screen).toContain('Preflight passed: version 1 -> 2');
    expect(deploy.screen).toMatch(/OK Promoted demo:live to version 2/);
    expect(deploy.screen).not.toMatch(NOT_ASCII);
    const status = await runInTerminal(['status', 'demo'], { LANG: 'C', LC_ALL: 'C' });
    expect(status.ended).toBe('exit 0');
    expect(status.screen).not.toMatch(NOT_ASCII);
  });

  it('a UTF-8 terminal keeps its glyphs', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const deploy = await runInTerminal(['deploy', 'demo', '--strategy', 'all-at-once'], { LANG: 'C.UTF-8' });
    expect(deploy.ended).toBe('exit 0');
    expect(Buffer.from(deploy.screen, 'latin1').toString('utf8')).toContain(
      'Preflight passed: version 1 → 2',
    );
  });
});
