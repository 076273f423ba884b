/**
 * Start-up CPU of the built CLI: the median user+sys seconds of one run (from `/usr/bin/time`,
 * Linux), which a loaded machine disturbs far less than wall time. About 2,000 tests of `npm test`
 * start the CLI, most for a command that ends at once (a refused flag), so this is what the suite
 * pays per start. "before" is the same measure at b5d24711, before the bundle was minified and read
 * as Latin-1 and string-width's Intl.Segmenter was made lazy (docs/architecture.md, Decisions).
 * `BENCH_BEFORE_RUN_JS=<other build>/bin/run.js` measures that build too, interleaved, in the same
 * conditions (the fair comparison on a shared machine).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SCENARIOS, seedDemo, startSandbox } from '../../src/sandbox/index.js';

const RUN_JS = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const TIME = '/usr/bin/time';

interface Case {
  label: string;
  args: string[];
  exit: number;
  /** This bench's median at b5d24711 (11 runs, interleaved with the build after it, loaded 2-core machine). */
  before: number;
}

/** User+sys seconds of one run (asynchronous: the sandbox answers from this process). */
function cpuOnce(runJs: string, c: Case, env: NodeJS.ProcessEnv, out: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ['-f', '%U %S', '-o', out, process.execPath, runJs, ...c.args], {
      stdio: 'ignore',
      env,
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== c.exit)
        return reject(new Error(`lshift ${c.args.join(' ')} exited ${code}, not ${c.exit}`));
      // On a non-zero exit, time writes "Command exited with non-zero status N" first.
      const [user, sys] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      resolve((user ?? Number.NaN) + (sys ?? Number.NaN));
    });
  });
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

export async function runStartupCpuBench(): Promise<void> {
  if (!existsSync(TIME)) {
    console.log(`(skipped: needs ${TIME}, for the CPU time of a child process)`);
    return;
  }
  const handle = await startSandbox({ speed: 1, seed: 7 });
  const temp = mkdtempSync(join(tmpdir(), 'lshift-bench-cpu-'));
  try {
    await seedDemo(handle, DEMO_SCENARIOS.healthy);
    const { LSHIFT_SANDBOX: _sandbox, ...inherited } = process.env;
    const env = { ...inherited, LSHIFT_SANDBOX: handle.url };
    const cases: Case[] = [
      {
        label: 'deploy demo --strategy bogus (exit 2)',
        args: ['deploy', 'demo', '--strategy', 'bogus'],
        exit: 2,
        before: 0.37,
      },
      { label: 'status demo (sandbox)', args: ['status', 'demo'], exit: 0, before: 0.7 },
      { label: '--version (oclif path)', args: ['--version'], exit: 0, before: 0.32 },
    ];
    const out = join(temp, 'time.txt');
    const other = process.env.BENCH_BEFORE_RUN_JS;
    const builds = other ? [RUN_JS, other] : [RUN_JS];
    const runs = builds.flatMap((runJs) => cases.map((c) => ({ runJs, c })));
    for (const r of runs) await cpuOnce(r.runJs, r.c, env, out); // warm the file and code caches
    const seconds = runs.map(() => [] as number[]);
    for (let round = 0; round < RUNS; round++) {
      for (const [i, r] of runs.entries()) seconds[i]!.push(await cpuOnce(r.runJs, r.c, env, out));
    }
    console.log(`Start-up CPU (user+sys), median of ${RUNS} interleaved runs (s):`);
    for (const [i, c] of cases.entries()) {
      const live = other ? `; ${median(seconds[i + cases.length]!).toFixed(2)} s now for ${other}` : '';
      console.log(
        `  ${c.label.padEnd(40)} ${median(seconds[i]!).toFixed(2).padStart(5)} s  (before: ${c.before.toFixed(2)} s${live})`,
      );
    }
  } finally {
    await handle.stop();
    rmSync(temp, { recursive: true, force: true });
  }
}
