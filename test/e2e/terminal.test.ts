import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RUN_JS } from '../helpers/run-cli.js';
import { HANG_GUARD_MS, waitUntil } from '../helpers/wait-until.js';
import { readTruth } from './crash-helpers.js';
import { type SandboxEnv, useProxiedSandbox } from './sandbox-env.js';

const PTY_RUN = fileURLToPath(new URL('../helpers/pty-run.py', import.meta.url));
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are control characters by definition.
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** An instruction to test/helpers/pty-run.py: a key typed into the terminal, or closing it. */
type Key = 'ctrl-c' | 'ctrl-backslash' | 'hangup' | 'ctrl-s' | 'ctrl-q';

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
  const faulty = useProxiedSandbox();
  /** The running test's sandbox (useProxiedSandbox stops it after the test). */
  let env: SandboxEnv | undefined;

  /**
   * Runs lshift in a pty. `drive` is called with the screen so far after each chunk; `send` types
   * an instruction (ctrl-c | hangup) into the terminal.
   */
  function runInTerminal(
    args: string[],
    drive: (screen: string, send: (instruction: Key) => void) => void,
    endpoint = env?.handle.url,
    columns = 120,
  ): Promise<TerminalRun> {
    return new Promise((resolve, reject) => {
      const { CI: _ci, ...rest } = process.env;
      const child = spawn('python3', [PTY_RUN, process.execPath, RUN_JS, ...args], {
        env: {
          ...rest,
          TERM: 'xterm-256color',
          // A UTF-8 terminal whatever the runner's locale: these tests read its glyphs (→, ✔).
          LC_ALL: 'C.UTF-8',
          LSHIFT_SANDBOX: endpoint,
          PTY_COLS: String(columns),
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let screen = '';
      let log = '';
      let sentAt = 0;
      const send = (instruction: Key) => {
        sentAt = Date.now();
        child.stdin.write(`${instruction}\n`);
      };
      child.stdout.on('data', (chunk: Buffer) => {
        screen += chunk.toString();
        drive(screen, send);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      // A hang guard only (a deploy that never ends): every test here ends on an event it waits for.
      const timer = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        const ended = /pty-run: (.+)/.exec(log)?.[1] ?? `no end reported: ${log}`;
        resolve({ screen, ended, tookMs: sentAt === 0 ? -1 : Date.now() - sentAt });
      });
    });
  }

  /** Types `instruction` once the screen shows the first step of the shift under way. */
  function midShift(instruction: Key) {
    let sent = false;
    return (screen: string, send: (i: Key) => void) => {
      if (sent || !screen.includes('Step 1/2: 10% (')) return;
      sent = true;
      send(instruction);
    };
  }

  // A day at 10% (24 real minutes at 60×): the key or the other shell's rollback lands mid-shift
  // however slow the machine is (at 30m, a loaded machine had 30 real seconds to deliver it).
  const deploy = ['deploy', 'demo', '--strategy', 'canary:10%:1d', '--alarm', 'demo-errors'];

  async function expectRolledBack(): Promise<void> {
    const status = await env?.status();
    expect(status?.functionVersion).toBe('1');
    expect(status?.additionalWeights).toEqual({});
    expect(status?.record?.phase).toBe('rolled-back');
  }

  it('Ctrl-C mid-shift rolls back and exits 3, as it does without a terminal', async () => {
    env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await runInTerminal(deploy, midShift('ctrl-c'));
    console.log(`Ctrl-C at a terminal → exit took ${run.tookMs} ms`);
    // listr2's task titles, not the plain lines: the interactive renderer was on.
    expect(run.screen).toContain('Preflight passed: version 1 → 2');
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 3');
    expect(run.screen).toContain('SIGINT received');
    expect(run.screen).toContain('Rolled back demo:live: all traffic is on version 1');
    await expectRolledBack();
  });

  // Ctrl-\ sends SIGQUIT, whose default action quits at once: before lshift listened for it the
  // run ended by the signal (pty-run says `signal 3`) with 10% on the new version and nobody
  // watching.
  it('Ctrl-\\ (SIGQUIT) mid-shift rolls back and exits 3, like Ctrl-C', async () => {
    env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await runInTerminal(deploy, midShift('ctrl-backslash'));
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 3');
    expect(run.screen).toContain('SIGQUIT received');
    expect(run.screen).toContain('Rolled back demo:live: all traffic is on version 1');
    await expectRolledBack();
  });

  it('another operator\'s rollback mid-shift: the step line says who rolled it back, not "interrupted" (exit 3)', async () => {
    // Real time: the deploy follows the other rollback (from its claim to the alias back on the
    // stable version) for at most 3 real minutes (FOLLOW_ROLLBACK_MS), then stops as
    // a conflict (exit 5). At 60× that was 3 real seconds, and a loaded machine's rollback CLI
    // took longer between its claim and its alias write; at 1× it outlasts the test. Polled every
    // second, not every 10 (the default): at 1× the deploy otherwise sat up to 10 real seconds at
    // 10% before its next poll saw the rollback's claim.
    env = await faulty.sandbox({ preset: 'healthy', speed: 1 });
    let rollback: ReturnType<SandboxEnv['cli']> | undefined;
    const run = await runInTerminal([...deploy, '--interval', '1s'], (screen) => {
      if (rollback || !screen.includes('Step 1/2: 10% (')) return;
      // Another shell: `lshift rollback demo` while this deploy holds its first step.
      rollback = env?.cli(['rollback', 'demo', '--reason', 'bad canary']);
    });
    expect((await rollback)?.code).toBe(0);
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 3');
    const screen = run.screen.replace(ANSI, '');
    expect(screen).toMatch(/rolled back by rollback:\S+/);
    expect(screen).not.toContain('interrupted');
    await expectRolledBack();
  });

  it('the warnings said before the shift are on the screen before the first weight is written', async () => {
    env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    let screenAtFirstStep = '';
    // Run to its end: a Ctrl-C at the first step raced the step's one real second (60×), and a
    // loaded machine's deploy had promoted before it took the signal (exit 0, not 3). No settle
    // wait before 100% (up to 6 simulated minutes of polls after the screen was read): the steps
    // warning is said either way, ending "never judged before 100% (--settle 0)" instead.
    const run = await runInTerminal(
      ['deploy', 'demo', '--strategy', 'linear:50%:1m', '--alarm', 'demo-errors', '--settle', '0'],
      (screen) => {
        if (screenAtFirstStep !== '' || !screen.includes('Step 1/2: 50%')) return;
        screenAtFirstStep = screen;
      },
    );
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 0');
    // Before: it was kept for the final summary alone.
    expect(screenAtFirstStep).toContain("Warning: steps of 1m are shorter than CloudWatch's metric delay");
    expect((await env.status()).functionVersion).toBe('2');
  });

  it('--warm with nothing to warm ahead: the preflight line says what it means and what to do', async () => {
    env = await faulty.sandbox({ preset: 'healthy' });
    const run = await runInTerminal(['deploy', 'demo', '--warm', '--strategy', 'all-at-once'], () => {});
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 2');
    // listr2 wraps at the terminal's 120 columns: compare the words, not the line breaks.
    const words = run.screen.replace(ANSI, '').replace(/\s+/g, ' ');
    // Before: only "publish did not complete" and "preflight did not pass".
    expect(words).toContain('not published: a check before the upload failed');
    expect(words).toContain(
      'preflight: FAILED warm: neither alias live nor version 1 has provisioned concurrency, so --warm has nothing to match: drop --warm, or configure provisioned concurrency first',
    );
  });

  it('the terminal closed mid-shift (SIGHUP) rolls back and exits 3', async () => {
    env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await runInTerminal(deploy, midShift('hangup'));
    console.log(`terminal closed → exit took ${run.tookMs} ms`);
    expect(run.ended).toBe('exit 3');
    await expectRolledBack();
  });

  // Node writes a terminal synchronously on Linux: a terminal that took no output (Ctrl-S, a
  // stalled SSH connection) froze every timer, with 10% on the new version and nobody watching.
  // Without the fix the deployment never gets past its first step while the output is stopped,
  // and this test times out.
  it('Ctrl-S (output stopped) does not stop the deployment: it promotes while the terminal shows nothing', async () => {
    const sandbox = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    env = sandbox;
    let typed: ((key: Key) => void) | undefined;
    // Ten minutes at 10% (10 real seconds) with the output stopped; no settle wait after them
    // (up to 6 more simulated minutes of polls this test does not need).
    const tenMinutes = [
      'deploy',
      'demo',
      '--strategy',
      'canary:10%:10m',
      '--alarm',
      'demo-errors',
      '--settle',
      '0',
    ];
    const run = runInTerminal(tenMinutes, (screen, send) => {
      if (typed || !screen.includes('Step 1/2: 10% (')) return;
      typed = send;
      send('ctrl-s');
    });
    // Read from the sandbox (this process), not from the stopped terminal; nor by a CLI started
    // every 50 ms, which on a loaded machine could not keep up with the deployment it watched.
    const phase = () => readTruth(sandbox).record?.phase;
    await waitUntil(() => phase() === 'promoted' || phase() === 'rolled-back', 'the deployment ended').catch(
      () => {},
    );
    typed?.('ctrl-q');
    const result = await run;
    expect(phase(), result.screen.slice(-2000)).toBe('promoted');
    expect(result.ended, result.screen.slice(-2000)).toBe('exit 0');
    expect(result.screen).toContain('Promoted demo:live to version 2');
  });

  it('a second Ctrl-C while the rollback is stuck exits 4 and shows the alias state and the fix', async () => {
    env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const hold = await faulty.proxy();
    let first = false;
    let secondAt = 0;
    let firstTaken: () => void = () => {};
    const tookFirst = new Promise<void>((resolve) => (firstTaken = resolve));
    const run = await runInTerminal(
      deploy,
      (screen, send) => {
        if (screen.includes('SIGINT received')) firstTaken();
        if (first || !screen.includes('Step 1/2: 10% (')) return;
        first = true;
        // Every AWS call from now on hangs: the rollback cannot finish.
        hold.arm({
          fault: 'hold',
          times: Number.POSITIVE_INFINITY,
          match: { where: (req) => !req.path.startsWith('/__lshift/') },
        });
        send('ctrl-c');
        void Promise.all([hold.waitForHeld(), tookFirst]).then(async () => {
          // Past the window in which a repeat counts as the same Ctrl-C (npx forwards it twice),
          // counted from when lshift said it took the first one: a loaded machine may take the
          // first later than the held request, and two Ctrl-Cs within the window are one.
          await new Promise((resolve) => setTimeout(resolve, 1200));
          secondAt = Date.now();
          send('ctrl-c');
        });
      },
      hold.url,
    );
    console.log(`second Ctrl-C at a terminal → exit took ${Date.now() - secondAt} ms`);
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 4');
    // Printed past listr2's capture of stderr, which would otherwise die with the process.
    expect(run.screen).toContain('SIGINT again: exiting now (exit 4) without finishing the rollback.');
    expect(run.screen).toContain('version 1 (90%) + version 2 (10%)');
    expect(run.screen).toContain('Fix: lshift rollback demo --alias live');
  });

  // The summary's warnings ran past a 50-column terminal's edge and broke mid-word back at column
  // 0 ("the deplo / y promotes"): wrapped at word boundaries now, continued lines indented.
  it('a narrow terminal: the final summary wraps at word boundaries, each warning one indented block', async () => {
    env = await faulty.sandbox({ preset: 'healthy', speed: 60 });
    const run = await runInTerminal(
      ['deploy', 'demo', '--strategy', 'all-at-once', '--alarm', 'demo-errors'],
      () => {},
      env.handle.url,
      50,
    );
    expect(run.ended, run.screen.slice(-2000)).toBe('exit 0');
    const summary = run.screen.replace(ANSI, '').split('✔ Promoted demo:live')[1] ?? '';
    const lines = summary.split(/\r?\n/).filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line.length, line).toBeLessThan(50);
    const first = lines.findIndex((l) => l.startsWith('  Warning: all-at-once'));
    expect(first).toBeGreaterThan(0);
    // The headline's own continuation is indented 2; a warning's, 4 (under its text).
    for (const line of lines.slice(1, first)) expect(line, line).toMatch(/^ {2}\S/);
    for (const line of lines.slice(first)) expect(line, line).toMatch(/^ {2}(Warning: | {2}\S)/);
  });
});
