import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The GitHub Action's deploy step (scripts/action-deploy.sh) with a stub in place of lshift: the
 * step must end with the deployment's exit code, never green for a failed or rolled-back deploy.
 * The same script against a real sandbox deploy: test/e2e/github-action.test.ts.
 */
const SCRIPT = fileURLToPath(new URL('../../scripts/action-deploy.sh', import.meta.url));

const ROLLED_BACK = JSON.stringify({ status: 'rolled_back', reason: 'alarm demo-errors is ALARM' });

/** Prints a rolled-back result and exits 3 at once. */
const EXITS_3 = `process.stdout.write(${JSON.stringify(ROLLED_BACK)}); process.exitCode = 3;`;

/** Runs until SIGINT/SIGTERM, then "rolls back": prints its result and exits 3, as lshift does. */
const ROLLS_BACK_ON_SIGNAL = `
const end = () => { process.stdout.write(${JSON.stringify(ROLLED_BACK)}); process.exit(3); };
process.on('SIGINT', end);
process.on('SIGTERM', end);
setInterval(() => {}, 60_000);
process.stderr.write('ready\\n');
`;

/**
 * A runner that deschedules the step's shell right after it started lshift: a DEBUG trap (read
 * from BASH_ENV before the script runs) holds every command of the script until the background
 * process has exited, so lshift is gone before the script gets to look for it.
 */
const SHELL_TOO_SLOW = `trap 'if [[ -n "\${!:-}" ]]; then while builtin kill -0 "$!" 2>/dev/null; do sleep 0.01; done; fi' DEBUG\n`;

/**
 * A trapped signal cuts the script's `wait` short (128+n) while lshift is still rolling back; this
 * runner deschedules the shell right after it has passed the signal on (the trap's `kill`), until
 * lshift has exited.
 */
const SHELL_SLOW_AFTER_SIGNAL = `trap 's=$?; if ((s > 128)) && [[ $BASH_COMMAND != kill* && $BASH_COMMAND != wait* && -n "\${!:-}" ]]; then while builtin kill -0 "$!" 2>/dev/null; do sleep 0.01; done; fi' DEBUG\n`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function bashEnv(text: string): string {
  const file = join(tempDir('lshift-action-bash-env-'), 'runner.sh');
  writeFileSync(file, text);
  return file;
}

interface StepRun {
  code: number | null;
  outputs: Record<string, string>;
}

function runStep(stub: string, opts: { env?: NodeJS.ProcessEnv; signal?: NodeJS.Signals } = {}) {
  const dir = tempDir('lshift-action-script-');
  const bin = join(dir, 'lshift-stub.mjs');
  const output = join(dir, 'github-output');
  writeFileSync(bin, stub);
  writeFileSync(output, '');
  return new Promise<StepRun>((resolve, reject) => {
    // In the stub's directory, so a glob in an input would match its files (lshift-stub.mjs).
    const child = spawn('bash', [SCRIPT], {
      cwd: dir,
      env: {
        ...process.env,
        LSHIFT_BIN: bin,
        LSHIFT_FUNCTION: 'demo',
        GITHUB_OUTPUT: output,
        RUNNER_TEMP: dir,
        ...opts.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      // The job is cancelled once lshift runs: the runner signals the step's shell, not lshift.
      if (opts.signal && !signalled && stderr.includes('ready\n')) {
        signalled = true;
        child.kill(opts.signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = readFileSync(output, 'utf8').trim().split('\n');
      const outputs = Object.fromEntries(
        lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      resolve({ code, outputs });
    });
  });
}

describe('scripts/action-deploy.sh ends with the deployment exit code', () => {
  it('a rolled-back deploy (exit 3) makes the step exit 3', async () => {
    const run = await runStep(EXITS_3);
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ status: 'rolled_back', 'exit-code': '3' });
  });

  it('exit 3 even when lshift has exited before the shell looks for it (a loaded runner)', async () => {
    const run = await runStep(EXITS_3, { env: { BASH_ENV: bashEnv(SHELL_TOO_SLOW) } });
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ status: 'rolled_back', 'exit-code': '3' });
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'a cancelled job (%s): the signal reaches lshift, and the step ends with its exit 3, not 128+n',
    async (signal) => {
      const run = await runStep(ROLLS_BACK_ON_SIGNAL, { signal });
      expect(run.code).toBe(3);
      expect(run.outputs).toMatchObject({ status: 'rolled_back', 'exit-code': '3' });
    },
  );

  it('a cancelled job: exit 3 even when lshift exits while the shell is busy with the signal', async () => {
    const env = { BASH_ENV: bashEnv(SHELL_SLOW_AFTER_SIGNAL) };
    const run = await runStep(ROLLS_BACK_ON_SIGNAL, { env, signal: 'SIGINT' });
    expect(run.code).toBe(3);
    expect(run.outputs).toMatchObject({ status: 'rolled_back', 'exit-code': '3' });
  });

  // A YAML block (`args: |`, a flag a line) kept its first line only: the --alarm below was
  // dropped without a word. An `alarms:` glob was expanded against the workspace's files.
  it('passes every line of a multi-line args input, and alarm names as written (no glob)', async () => {
    const ECHOES_ARGS = `process.stdout.write(JSON.stringify({ status: 'promoted', reason: JSON.stringify(process.argv.slice(2)) }));`;
    const run = await runStep(ECHOES_ARGS, {
      env: {
        LSHIFT_ARGS: '--bake 5m\n--alarm orders-p99\n  --interval\t30s\n',
        LSHIFT_ALARMS: 'lshift-* demo-errors',
      },
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs.reason!)).toEqual([
      'deploy',
      'demo',
      '--json',
      '--alarm',
      'lshift-*',
      '--alarm',
      'demo-errors',
      '--bake',
      '5m',
      '--alarm',
      'orders-p99',
      '--interval',
      '30s',
    ]);
  });

  it('lshift missing (node cannot start it): the step fails with node exit code', async () => {
    const run = await runStep('', { env: { LSHIFT_BIN: '/nonexistent/lshift.js' } });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ status: 'error', 'exit-code': '1' });
  });
});
