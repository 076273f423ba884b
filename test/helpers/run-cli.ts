/**
 * Runs the BUILT CLI (bin/run.js → dist/) as a subprocess, as a user would. `npm test` builds
 * first. Returns exit code, stdout and stderr; never throws on a non-zero exit.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));

/**
 * With LSHIFT_TEST_CPU_LOG set (a file), every CLI started here appends its CPU-s, test file and
 * command to it at exit (cpu-log.cjs; summed by cpu-report.mjs): where a run's CPU goes, ~3/4
 * of it in these starts. Off by default; a preload, not a wrapper, so signals still reach lshift.
 */
const CPU_LOG = fileURLToPath(new URL('./cpu-log.cjs', import.meta.url));

function measured(args: string[]): string[] {
  return process.env.LSHIFT_TEST_CPU_LOG ? ['--require', CPU_LOG, ...args] : args;
}

/**
 * The log's file and the test's, for cpu-log.cjs, under names without lshift's prefix: lshift
 * passes its LSHIFT_ variables on to hooks, and a test that reads a hook's (release.test.ts) saw
 * these in it, and failed only while measured.
 */
function cpuTag(): NodeJS.ProcessEnv {
  const log = process.env.LSHIFT_TEST_CPU_LOG;
  return log ? { CPU_LOG_FILE: log, CPU_LOG_TEST: currentTestFile() } : {};
}

function withoutCpuLog(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { LSHIFT_TEST_CPU_LOG: _log, ...rest } = env;
  return rest;
}

/** The test file running now (vitest's), for the CPU log. */
function currentTestFile(): string {
  const path = expect.getState().testPath ?? '?';
  return path.slice(path.indexOf('/test/') + 1);
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Real-time budget before the child is SIGKILLed (a hang backstop, generous for loaded machines). */
  timeoutMs?: number;
  /** Called with the child as soon as it starts (to send signals mid-run). */
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  /** A file descriptor to give the child as its stdout (`> /dev/full`); `stdout` is then empty. */
  stdoutFd?: number;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, measured([RUN_JS, ...args]), {
      cwd: opts.cwd,
      env: { ...withoutCpuLog(process.env), CI: 'true', NO_COLOR: '1', ...cpuTag(), ...opts.env },
      stdio: ['ignore', opts.stdoutFd ?? 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d) => {
      stdout += d;
    });
    child.stderr?.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 150_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    opts.onSpawn?.(child);
  });
}

/**
 * Resolves when `text` has appeared on a running CLI's stderr (the moment a test acts on is an
 * event the CLI printed, never a delay).
 */
export function stderrShows(child: import('node:child_process').ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
  });
}
