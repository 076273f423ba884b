/**
 * The files under SHARED (vitest.config.ts) share their worker's modules (isolate: false): one that
 * replaced a module or a global, or faked the timers, would leak that into the files after it.
 * Such a file belongs elsewhere (test/aws, or ISOLATED_CLI for one under test/cli: isolated; IN_PROCESS_CLI
 * for one that runs the built CLI in its process).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IN_PROCESS_CLI, IN_PROCESS_E2E, ISOLATED_CLI, SHARED } from '../../vitest.config.js';

const ROOT = join(import.meta.dirname, '../..');
// run-cli-in-process.ts runs the built CLI in the worker: its environment, argv, exit code and
// streams for each run, and lshift's dist modules (one KnownSecrets) for the rest of the worker's life.
const LEAKS =
  /\bvi\.(mock|doMock|unmock|doUnmock|hoisted|resetModules|stubGlobal|stubEnv|useFakeTimers)\(|\bprocess\.env(\[[^\]]+\]|\.\w+) *=(?!=)|\bdelete process\.env\b|helpers\/run-cli-in-process\.js/;

/**
 * What made test/cli isolated, besides LEAKS: spies (on process.stdout, console), nock, listeners
 * on the process and signals emitted at it, an exit code set, a stream's write replaced. test/engine
 * has spies on its own classes and nock through helpers that undo them after each test; a test/cli
 * file that does any of this is listed in ISOLATED_CLI instead of being judged case by case.
 */
const CLI_LEAKS =
  /\bvi\.spyOn\(|\bnock\b|\bprocess\.(emit|on|once|off|addListener|removeListener|removeAllListeners|prependListener)\(|\bprocess\.exitCode *=(?!=)|\b(process\.(stdout|stderr)|console)\.\w+ *=(?!=)|helpers\/(aws-nock|nock-lambda-world|exit-gate)\.js/;

/** `test/engine/**\/*.test.ts` → the .ts files under test/engine (recursively: helpers too); a file → itself. */
function filesOf(pattern: string): string[] {
  if (!pattern.includes('/**')) return [pattern];
  const dir = pattern.slice(0, pattern.indexOf('/**'));
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => `${dir}/${name}`);
}

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

describe('test files that share their worker’s modules', () => {
  it('replace no module or global and fake no timers', () => {
    // The shared project excludes IN_PROCESS_E2E from its test/e2e glob.
    const files = SHARED.flatMap(filesOf).filter((file) => !IN_PROCESS_E2E.includes(file));
    expect(files.length).toBeGreaterThan(100);
    const leaking = files.filter(
      (file) => file !== 'test/unit/shared-files.test.ts' && LEAKS.test(read(file)),
    );
    expect(leaking).toEqual([]);
  });

  it('under test/cli: spy on nothing, patch no stream and send the process no signal (else ISOLATED_CLI)', () => {
    const cli = SHARED.filter((file) => file.startsWith('test/cli/'));
    expect(cli.length).toBeGreaterThan(50);
    expect(cli.filter((file) => CLI_LEAKS.test(read(file)) || LEAKS.test(read(file)))).toEqual([]);
  });

  it('ISOLATED_CLI and IN_PROCESS_CLI name test/cli files that exist and are not shared', () => {
    const names = new Set(readdirSync(join(ROOT, 'test/cli')).map((name) => `test/cli/${name}`));
    expect(ISOLATED_CLI.filter((file) => !names.has(file))).toEqual([]);
    expect(ISOLATED_CLI.filter((file) => SHARED.includes(file))).toEqual([]);
    expect(IN_PROCESS_CLI.filter((file) => !names.has(file) || SHARED.includes(file))).toEqual([]);
    expect(IN_PROCESS_CLI.filter((file) => ISOLATED_CLI.includes(file))).toEqual([]);
    const e2e = new Set(readdirSync(join(ROOT, 'test/e2e')).map((name) => `test/e2e/${name}`));
    expect(IN_PROCESS_E2E.filter((file) => !e2e.has(file))).toEqual([]);
  });

  it('the checks see a leak when there is one', () => {
    expect(LEAKS.test("vi.mock('../../src/aws/clients.js')")).toBe(true);
    expect(LEAKS.test("process.env['AWS_REGION'] = 'x'")).toBe(true);
    expect(LEAKS.test("process.env.LSHIFT_SANDBOX = 'x'")).toBe(true);
    expect(LEAKS.test('delete process.env.LSHIFT_SANDBOX')).toBe(true);
    expect(LEAKS.test("import { runCliInProcess } from '../helpers/run-cli-in-process.js'")).toBe(true);
    expect(LEAKS.test("process.env['AWS_REGION'] === 'x'")).toBe(false);
    expect(LEAKS.test("process.env.AWS_REGION === 'x'")).toBe(false);
    expect(CLI_LEAKS.test("vi.spyOn(process.stdout, 'write')")).toBe(true);
    expect(CLI_LEAKS.test("process.emit('SIGINT')")).toBe(true);
    expect(CLI_LEAKS.test('process.exitCode = 2')).toBe(true);
    expect(CLI_LEAKS.test('process.stderr.write = () => true')).toBe(true);
    expect(CLI_LEAKS.test("import { useNock } from '../helpers/aws-nock.js'")).toBe(true);
    expect(CLI_LEAKS.test('expect(process.exitCode).toBe(2)')).toBe(false);
  });
});
