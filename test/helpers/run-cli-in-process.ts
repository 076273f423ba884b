/**
 * Runs the BUILT CLI's commands (dist/) inside the test's own process: what bin/run.js does on
 * oclif's path (`LSHIFT_FAST_START=0`), without starting Node, loading lshift and the SDK and
 * compiling them again (~0.27 CPU-s a start; milliseconds here once the first run loaded them).
 * For refusals and wording, for a run that only reads a test's sandbox (a dry run), and for a
 * deploy, status, check or rollback against a sandbox (IN_PROCESS_E2E, vitest.config.ts): the
 * owner a run writes into a record names a process of the run's own, started when the run first
 * names its owner and killed (and reaped) when it ends (RunOwner; src/cli/owner.ts
 * hostRunOwner), so another run — here or a started CLI — sees a finished run's owner dead, as it
 * would a CLI that exited, and never takes this worker's pid for anyone's. Not for what needs a
 * process of its own (signals, a terminal, the bundle's start, a crash's stack trace, a closed
 * pipe, a hook that signals lshift): those keep runCli (run-cli.ts).
 *
 * Same result shape as runCli. The run sees the environment runCli would give the child
 * (this process's, CI=true, NO_COLOR=1, then `env`), the argv, a fresh exit code, and writes
 * into buffers instead of the worker's stdout/stderr; all restored after it, and the listeners it
 * added to the process and its streams (signal handlers) removed. Process-wide state outlives a
 * run (lshift's modules are loaded once per worker: its one KnownSecrets, output.ts's guarded
 * streams and exit listeners; a run's target, output filter and quoted texts are forgotten around
 * each run: forgetRunState), so a file that uses this goes into IN_PROCESS_CLI
 * (vitest.config.ts): those share workers with each other only. One run at a time: they share
 * the process. So a run that waits for another run (a deploy held until a person's rollback meets
 * it, twin rollbacks at once) cannot be two runs here: a run started while another runs throws at
 * once, naming both (in-process-one-run.ts; they queued until session 68, and such a pair waited
 * for each other until the test's budget ended); start the long one with runCli (or `onSpawn`,
 * which startSandboxEnv's cli takes as asking for a process). Each file that uses it checks a sample of
 * its runs against the built CLI started as a user would (expectSameAsBuiltCli, or
 * expectSameRunAsBuiltCli for a deploy).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Console } from 'node:console';
import fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InProcessRunGuard } from './in-process-one-run.js';
import type { CliOptions, CliRun } from './run-cli.js';
import { maskTimes, sameRunShape } from './run-shape.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Node's own import(), past vitest's module runner (native-import.cjs says why). */
const nativeImport = createRequire(import.meta.url)('./native-import.cjs') as (
  url: string,
) => Promise<unknown>;

interface Loaded {
  run: (argv: string[], root: string) => Promise<unknown>;
  flush: () => Promise<void>;
  settings: { enableAutoTranspile?: boolean };
  guardOutputStreams: () => unknown;
  reportTopLevelError: (error: unknown, argv: readonly string[]) => number;
  routeNodeWarnings: (write: (text: string) => void, source: NodeJS.Process, debug: boolean) => void;
  isDebugRun: (argv: readonly string[]) => boolean;
  stderr: { write: (text: string) => void };
  /** run-target.ts: the run's target, the output filter it sets, the texts it leaves as written. */
  forgetRunTarget: () => void;
  /** function-secrets.ts: the process's one KnownSecrets, and a fresh one to empty it from. */
  functionSecrets: object;
  KnownSecrets: new () => object;
  /** ci-run-state.ts: what the run told CI so far (its NDJSON progress among it). */
  ciRunSaid: { ndjson: boolean; outcome: boolean; lastEventAt?: number };
  /** owner.ts: where a run finds the pid its owner names (RunOwner here). */
  hostRunOwner: (pid: (() => number) | undefined) => void;
}

/** Node's own warning printers, before lshift replaced them (node-warnings.ts). */
let nodeWarningPrinters: ((...args: unknown[]) => void)[] = [];

let loaded: Promise<Loaded> | undefined;

function load(): Promise<Loaded> {
  loaded ??= (async () => {
    captureProcessStreams();
    nodeWarningPrinters = process.listeners('warning') as typeof nodeWarningPrinters;
    const dist = (path: string) => nativeImport(pathToFileURL(`${ROOT}dist/src/cli/${path}`).href);
    const output = (await dist('output.js')) as Pick<Loaded, 'guardOutputStreams' | 'stderr'>;
    output.guardOutputStreams();
    const oclif = (await nativeImport(import.meta.resolve('@oclif/core'))) as Pick<
      Loaded,
      'run' | 'flush' | 'settings'
    >;
    output.guardOutputStreams();
    oclif.settings.enableAutoTranspile = false;
    const topLevel = (await dist('top-level-error.js')) as Pick<Loaded, 'reportTopLevelError'>;
    const warnings = (await dist('node-warnings.js')) as Pick<Loaded, 'routeNodeWarnings'>;
    const debug = (await dist('debug.js')) as Pick<Loaded, 'isDebugRun'>;
    const target = (await dist('run-target.js')) as Pick<Loaded, 'forgetRunTarget'>;
    const secrets = (await dist('function-secrets.js')) as Pick<Loaded, 'functionSecrets'>;
    const ci = (await dist('ci-run-state.js')) as Pick<Loaded, 'ciRunSaid'>;
    const owner = (await dist('owner.js')) as Pick<Loaded, 'hostRunOwner'>;
    const { KnownSecrets } = (await nativeImport(
      pathToFileURL(`${ROOT}dist/src/domain/output-secrets.js`).href,
    )) as Pick<Loaded, 'KnownSecrets'>;
    return {
      ...oclif,
      ...output,
      ...topLevel,
      ...warnings,
      ...debug,
      ...target,
      ...secrets,
      ...ci,
      ...owner,
      KnownSecrets,
    };
  })();
  return loaded;
}

/** Where process.stdout/stderr writes go while a run captures them (undefined: the worker's own). */
let capture: { stdout: string[]; stderr: string[] } | undefined;

/**
 * Once, before lshift's guarded streams take each stream's write: a write that lands in the
 * running command's buffer, or passes through to the worker's stream between runs.
 */
function captureProcessStreams(): void {
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      if (!capture) return original(chunk, ...rest);
      capture[name].push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      if (callback) process.nextTick(callback);
      return true;
    }) as typeof stream.write;
  }
  // A raw write to fd 1 or 2 (what the choke point exists to prevent) lands in the run's output
  // too, where a test of printable output sees it: ES module imports of writeSync included.
  const writeSync = fs.writeSync;
  fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: unknown[]) => {
    if (!capture || (fd !== 1 && fd !== 2))
      return (writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    const text =
      typeof data === 'string'
        ? data
        : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    capture[fd === 1 ? 'stdout' : 'stderr'].push(text);
    return Buffer.byteLength(text);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
}

/**
 * vitest's console sends what a test logs to its reporter, not to process.stdout: during a run,
 * console.log and console.error (oclif's raw paths) write to the streams, as in a started CLI.
 */
function streamConsole(): () => void {
  const saved = globalThis.console;
  globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });
  return () => {
    globalThis.console = saved;
  };
}

/** runCli's child has no terminal: stdin ignored, stdout and stderr pipes. */
const STDIO: readonly (NodeJS.ReadStream | NodeJS.WriteStream)[] = [
  process.stdin,
  process.stdout,
  process.stderr,
];

/** Thrown by process.exit during a run: the run ends there, with that code. */
class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

const oneRun = new InProcessRunGuard();

/**
 * Runs `lshift <args>` in this process; never throws on a non-zero exit. Throws at the call,
 * naming both runs, if another in-process run has not ended (in-process-one-run.ts).
 */
export function runCliInProcess(args: string[], opts: Pick<CliOptions, 'env' | 'cwd'> = {}): Promise<CliRun> {
  const end = oneRun.begin(args);
  return runOnce(args, opts).finally(end);
}

async function runOnce(args: string[], opts: Pick<CliOptions, 'env' | 'cwd'>): Promise<CliRun> {
  const cli = await load();
  // As runCli: the CPU log's file is the test process's (cpu-log.cjs), never a run's to pass on to its hooks.
  const { LSHIFT_TEST_CPU_LOG: _log, ...own } = process.env;
  const env = withoutUndefined({ ...own, CI: 'true', NO_COLOR: '1', ...opts.env });
  const saved = {
    env: { ...process.env },
    argv: process.argv,
    exit: process.exit,
    exitCode: process.exitCode,
  };
  const savedCwd = process.cwd();
  const out = { stdout: [] as string[], stderr: [] as string[] };
  let code: number;
  replaceEnv(env);
  process.argv = [process.execPath, fileURLToPath(new URL('../../bin/run.js', import.meta.url)), ...args];
  process.exitCode = undefined;
  process.exit = ((exitCode?: number | string | null) => {
    throw new ExitCalled(Number(exitCode ?? process.exitCode ?? 0));
  }) as typeof process.exit;
  if (opts.cwd) process.chdir(opts.cwd);
  forgetRunState(cli);
  const owner = new RunOwner();
  cli.hostRunOwner(() => owner.pid());
  freshWarningRouter(cli, args);
  const listenersBefore = listenersOf(EMITTERS);
  // runCli's child has no terminal (stdin ignored, output to pipes): nor here, whatever the worker has.
  const ttys = STDIO.map((stream) => Object.getOwnPropertyDescriptor(stream, 'isTTY'));
  for (const stream of STDIO) Object.defineProperty(stream, 'isTTY', { value: false, configurable: true });
  capture = out;
  const restoreConsole = streamConsole();
  try {
    try {
      await cli.run(args, ROOT);
      await cli.flush();
      code = exitCodeNow();
    } catch (error) {
      if (error instanceof ExitCalled) code = error.code;
      else code = cli.reportTopLevelError(error, args);
    }
  } catch (error) {
    if (!(error instanceof ExitCalled)) throw error;
    code = error.code;
  } finally {
    // Node's warnings (process.emitWarning) come a tick later, through output.ts onto stderr: the
    // child prints them before it exits.
    await new Promise((resolve) => setImmediate(resolve));
    capture = undefined;
    cli.hostRunOwner(undefined);
    await owner.end();
    forgetRunState(cli);
    restoreConsole();
    dropListenersAddedSince(listenersBefore);
    STDIO.forEach((stream, i) => {
      const before = ttys[i];
      if (before) Object.defineProperty(stream, 'isTTY', before);
      else delete (stream as { isTTY?: boolean }).isTTY;
    });
    if (opts.cwd) process.chdir(savedCwd);
    process.exit = saved.exit;
    process.exitCode = saved.exitCode;
    process.argv = saved.argv;
    replaceEnv(saved.env);
  }
  return { code, signal: null, stdout: out.stdout.join(''), stderr: out.stderr.join('') };
}

/**
 * The process a run's owner names (src/cli/owner.ts, hostRunOwner): a started CLI's own pid dies
 * with it, and another lshift (status, check, a rollback) goes by that — a finished runner's
 * record is abandoned, a live one's is not. Every run here shares this worker's pid, which outlives
 * them all: a run that wrote a record and ended would look alive for the rest of the file, and a
 * later check would take the earlier one's claim for its own. So each run that names its owner
 * gets a process of its own (`sleep`, a few ms; none for a run that never names one), killed and
 * reaped when the run ends. A real process, not a pid this helper calls alive or dead: a started
 * CLI's status or check beside an in-process run asks the machine's process table, as it would
 * about another CLI.
 */
class RunOwner {
  private child: ChildProcess | undefined;

  pid(): number {
    // Longer than any test's budget (180 s): orphaned by a crashed worker, it still ends.
    this.child ??= spawn('sleep', ['900'], { stdio: 'ignore' }).on('error', () => undefined);
    const pid = this.child.pid;
    if (pid === undefined)
      throw new Error('run-cli-in-process: could not start the run owner process (sleep)');
    return pid;
  }

  /** Killed and reaped: its pid no longer runs (a zombie would still answer signal 0). */
  async end(): Promise<void> {
    const child = this.child;
    if (child?.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
  }
}

/**
 * What a started CLI's modules hold for its one run, as a fresh process has it. A command's init
 * forgets the target (base-command.ts), but parse sets it (noteParsedTarget) and nothing clears it
 * when the command ends: a refusal of `wait … --region eu-west-1` left its output filter on, and
 * the next run's words written before its command's init (`lshift --demo`: "put the command
 * first (`lshift sandbox --demo`)") got `--region eu-west-1` (session 66).
 */
function forgetRunState(cli: Loaded): void {
  cli.forgetRunTarget();
  // The environment values of the functions a run read (a dry run against a sandbox reads the
  // demo's), which a started CLI forgets with its process: left, they would mask those values in
  // the next run's words. Emptied in place (its fields made anew): lshift's modules hold the one object.
  Object.assign(cli.functionSecrets, new cli.KnownSecrets());
  // A run under `--progress ndjson` marks its stdout NDJSON: left marked, the next run's refusal
  // printed its error as a `run.failed` line on stdout too (found by dry-run.test.ts's sample check).
  Object.assign(cli.ciRunSaid, { ndjson: false, outcome: false, lastEventAt: undefined });
}

/**
 * lshift says each distinct Node warning once a process (node-warnings.ts): each run gets a
 * router of its own, as each started CLI does, that knows whether this run is a --debug one.
 */
function freshWarningRouter(cli: Loaded, args: readonly string[]): void {
  process.removeAllListeners('warning');
  for (const printer of nodeWarningPrinters) process.on('warning', printer);
  cli.routeNodeWarnings((text) => cli.stderr.write(text), process, cli.isDebugRun(args));
}

/** What a run may add listeners to: the process (signals, exit) and its output streams (drain). */
const EMITTERS: readonly NodeJS.EventEmitter[] = [process, process.stdout, process.stderr];

type Listeners = Map<
  NodeJS.EventEmitter,
  Map<string | symbol, ReturnType<NodeJS.EventEmitter['rawListeners']>>
>;

function listenersOf(emitters: readonly NodeJS.EventEmitter[]): Listeners {
  return new Map(
    emitters.map((emitter) => [
      emitter,
      new Map(emitter.eventNames().map((name) => [name, emitter.rawListeners(name)])),
    ]),
  );
}

/**
 * A started CLI's signal handlers and stream listeners end with it: here they would answer the
 * signals vitest sends its worker, and pile up run after run (MaxListenersExceededWarning).
 */
function dropListenersAddedSince(before: Listeners): void {
  for (const [emitter, names] of before) {
    for (const name of emitter.eventNames()) {
      const kept = names.get(name) ?? [];
      for (const listener of emitter.rawListeners(name)) {
        if (!kept.includes(listener)) emitter.removeListener(name, listener as (...args: unknown[]) => void);
      }
    }
  }
}

function exitCodeNow(): number {
  const code = process.exitCode;
  return typeof code === 'number' ? code : Number(code ?? 0);
}

function withoutUndefined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** process.env as `env` says, in place: lshift's modules read the one object. */
function replaceEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}

/** A run for the built-bundle check: argv and runCli's options. */
export interface SampleRun {
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * The cases a file moved in-process still hold for the built CLI: each sample run started as a
 * user would (bin/run.js, the bundle) gives the same exit code, stdout and stderr as here.
 */
export async function expectSameAsBuiltCli(samples: readonly SampleRun[]): Promise<void> {
  const { runCli } = await import('./run-cli.js');
  const { expect } = await import('vitest');
  for (const sample of samples) {
    const opts = { env: sample.env, cwd: sample.cwd };
    const [built, here] = [await runCli(sample.args, opts), await runCliInProcess(sample.args, opts)];
    expect(here, `lshift ${sample.args.join(' ')}`).toEqual(built);
  }
}

/** A run that changes what it runs against (a deploy): each twin gets a fresh one from `fresh`. */
export interface FreshSampleRun {
  args: string[];
  /** A fresh sandbox (or the like) for one twin: the environment that points a run at it, and its stop. */
  fresh: () => Promise<{ env: NodeJS.ProcessEnv; stop: () => Promise<void> }>;
}

/**
 * As expectSameAsBuiltCli, for runs that change their sandbox (a deploy, a rollback): each twin
 * runs on a sandbox of its own, made alike, and what two runs of one deploy never share is masked
 * before they are compared (sameRunShape): the times, durations and metric values a sandbox's
 * clock and traffic give, the deployment's id, the pid of its owner, how many times a line
 * repeats. What is left — exit code, the lines and their words, the JSON's fields — must be the same.
 */
export async function expectSameRunAsBuiltCli(samples: readonly FreshSampleRun[]): Promise<void> {
  const { runCli } = await import('./run-cli.js');
  const { expect } = await import('vitest');
  for (const sample of samples) {
    const twins = [];
    for (const runner of [runCli, runCliInProcess]) {
      const target = await sample.fresh();
      try {
        twins.push(sameRunShape(await runner(sample.args, { env: target.env })));
      } finally {
        await target.stop();
      }
    }
    expect(twins[1], `lshift ${sample.args.join(' ')}`).toEqual(twins[0]);
  }
}

/**
 * A file's own in-process run `here` of `lshift <args>` (the run its test asserts on), against the
 * built CLI started as a user would for the same argv: the twin that costs one CLI start and no
 * second in-process run. With `env` (and `cwd`), the built CLI runs against the same sandbox after
 * `here` (a read: status, check of a record it cannot change, a refusal that writes nothing) and
 * must print and exit alike, line for line, but for the times and durations the sandbox's clock
 * moved on meanwhile (`heartbeat 7s ago`, `checkedAt`). With `fresh`, it runs on a sandbox of its
 * own, made as the test made its own (a run that writes: a deploy, a wait that stops a
 * deployment), and is compared as expectSameRunAsBuiltCli compares (sameRunShape); `fresh` may
 * give the argv for that sandbox (a deployment id it made).
 */
export async function expectBuiltCliRunsAlike(
  here: CliRun,
  args: string[],
  twin:
    | { env: NodeJS.ProcessEnv; cwd?: string }
    | {
        fresh: () => Promise<{ env: NodeJS.ProcessEnv; stop: () => Promise<void>; args?: string[] }>;
        /** The run's own environment, beside the one that points it at the fresh sandbox. */
        env?: NodeJS.ProcessEnv;
        /** Lines left out of both twins: ones a run prints or not by timing alone (say which, why). */
        timed?: RegExp;
      },
): Promise<void> {
  const { runCli } = await import('./run-cli.js');
  const { expect } = await import('vitest');
  if (!('fresh' in twin)) {
    const built = await runCli(args, twin);
    expect(clockMasked(here), `lshift ${args.join(' ')}`).toEqual(clockMasked(built));
    return;
  }
  const target = await twin.fresh();
  let built: CliRun;
  try {
    built = await runCli(target.args ?? args, { env: { ...twin.env, ...target.env } });
  } finally {
    await target.stop();
  }
  const { timed } = twin;
  const untimed = (run: CliRun): CliRun =>
    timed
      ? { ...run, stdout: withoutLines(run.stdout, timed), stderr: withoutLines(run.stderr, timed) }
      : run;
  expect(sameRunShape(untimed(here)), `lshift ${args.join(' ')}`).toEqual(sameRunShape(untimed(built)));
}

function withoutLines(text: string, pattern: RegExp): string {
  return text
    .split('\n')
    .filter((line) => !pattern.test(line))
    .join('\n');
}

function clockMasked(run: CliRun): CliRun {
  return { ...run, stdout: maskTimes(run.stdout), stderr: maskTimes(run.stderr) };
}
