import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';
import { type SandboxEnv, startSandboxEnv } from './sandbox-env.js';

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));

interface TerminalRun {
  /** Everything the terminal showed (listr2's redraws included). */
  screen: string;
  /** From the instruction to the command's end, in ms. */
  tookMs: number;
  /** `exit <code>` or `signal <number>`, as reported by pty-run.py. */
  ended: string;
}

/**
 * lshift at a real terminal (a pseudo-terminal from test/helpers/pty-run.py), so the listr2
 * renderer is on as for a person at a keyboard. Ctrl-C is the byte 0x03 typed into the terminal,
 * not a signal sent by the test: the terminal's line discipline turns it into SIGINT. Closing
 * the terminal sends SIGHUP, and every later write to it fails with EIO.
 */
describe('deploy at a terminal (listr2 on, built CLI against a sandbox)', () => {
  let env: SandboxEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  /** Runs the deploy in a pty; once `text` has been shown, sends `instruction` (ctrl-c | hangup). */
  function runInTerminal(
    args: string[],
    text: string,
    instruction: 'ctrl-c' | 'hangup',
  ): Promise<TerminalRun> {
    return new Promise((resolve, reject) => {
      const { CI: _ci, ...rest } = process.env;
      const child = spawn('python3', [PTY_RUN, process.execPath, RUN_JS, ...args], {
        env: { ...rest, TERM: 'xterm-256color', LSHIFT_SANDBOX: env?.handle.url },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      let log = '';
      let sentAt = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        if (sentAt === 0 && screen.includes(text)) {
          sentAt = Date.now();
          child.stdin.write(`${instruction}\n`);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        const ended = /pty-run: (.+)/.exec(log)?.[1] ?? `no end reported: ${log}`;
        resolve({ screen, ended, tookMs: sentAt === 0 ? -1 : Date.now() - sentAt });
      });
    });
  }

  const deploy = ['deploy', 'demo', '--strategy', 'canary:10%:30m', '--alarm', 'demo-errors'];

  async function expectRolledBack(): Promise<void> {
    const status = await env?.status();
    expect(status?.functionVersion).toBe('1');
    expect(status?.additionalWeights).toEqual({});
    expect(status?.record?.phase).toBe('rolled-back');
  }

  it('Ctrl-C mid-shift rolls back and exits 3, as it does without a terminal', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const run = await runInTerminal(deploy, 'Step 1/2: 10% (', 'ctrl-c');
    console.log(`Ctrl-C at a terminal → exit took ${run.tookMs} ms`);
    // listr2's task titles, not the plain lines: the interactive renderer was on.
    expect(run.screen).toContain('Preflight passed: version 1 → 2');
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 3');
    expect(run.screen).toContain('SIGINT received');
    expect(run.screen).toContain('Rolled back demo:live: all traffic is on version 1');
    await expectRolledBack();
  });

  it('the terminal closed mid-shift (SIGHUP) rolls back and exits 3', async () => {
    env = await startSandboxEnv({ preset: 'healthy', speed: 60 });
    const run = await runInTerminal(deploy, 'Step 1/2: 10% (', 'hangup');
    console.log(`terminal closed → exit took ${run.tookMs} ms`);
    expect(run.ended).toBe('exit 3');
    await expectRolledBack();
  });
});
