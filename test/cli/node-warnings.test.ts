/**
 * Node's process warnings go through lshift's output choke point (src/cli/node-warnings.ts): one
 * `Warning: …` line on stderr each, never Node's multi-line `(node:1234) …` text, never stdout.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeNodeWarning, routeNodeWarnings } from '../../src/cli/node-warnings.js';
import { runCli } from '../helpers/run-cli.js';

function warning(name: string, message: string, extra: { code?: string; detail?: string } = {}) {
  return Object.assign(new Error(message), { name }, extra);
}

describe('describeNodeWarning', () => {
  const cases: [string, ReturnType<typeof warning>, string][] = [
    [
      'name and message',
      warning('MaxListenersExceededWarning', 'Possible EventEmitter memory leak detected.'),
      'Warning: Node.js MaxListenersExceededWarning: Possible EventEmitter memory leak detected.',
    ],
    [
      'a code',
      warning('DeprecationWarning', 'The punycode module is deprecated.', { code: 'DEP0040' }),
      'Warning: Node.js DeprecationWarning [DEP0040]: The punycode module is deprecated.',
    ],
    [
      'a multi-line message and detail: one line',
      warning('ExperimentalWarning', 'first\nsecond\r\n', { detail: '  more\n\ndetail ' }),
      'Warning: Node.js ExperimentalWarning: first second more detail',
    ],
    [
      'terminal control in it is made printable',
      warning('Warning', 'clear \u001b[2J here'),
      'Warning: Node.js Warning: clear \uFFFD[2J here',
    ],
  ];
  it.each(cases)('%s', (_, given, line) => {
    expect(describeNodeWarning(given)).toBe(line);
  });
});

describe('routeNodeWarnings', () => {
  it("takes the place of Node's printer and says each distinct warning once", () => {
    const source = new EventEmitter();
    const nodePrinter = () => {
      throw new Error('Node’s printer must not run');
    };
    source.on('warning', nodePrinter);
    const written: string[] = [];
    routeNodeWarnings((t) => written.push(t), source);
    source.emit('warning', warning('Warning', 'one'));
    source.emit('warning', warning('Warning', 'one'));
    source.emit('warning', warning('Warning', 'two'));
    expect(written).toEqual(['Warning: Node.js Warning: one\n', 'Warning: Node.js Warning: two\n']);
  });

  it('debug: the stack follows the line, made printable by the writer as any stderr text', () => {
    const source = new EventEmitter();
    source.on('warning', () => {});
    const written: string[] = [];
    routeNodeWarnings((t) => written.push(t), source, true);
    const given = warning('Warning', 'one');
    source.emit('warning', given);
    expect(written).toEqual(['Warning: Node.js Warning: one\n', `${given.stack}\n`]);
  });

  it('says nothing when Node installed no printer (--no-warnings, NODE_NO_WARNINGS=1)', () => {
    const source = new EventEmitter();
    const written: string[] = [];
    routeNodeWarnings((t) => written.push(t), source);
    source.emit('warning', warning('Warning', 'one'));
    expect(written).toEqual([]);
    expect(source.listenerCount('warning')).toBe(0);
  });
});

describe('the built CLI with Node warnings', () => {
  /**
   * A preload that makes Node warn once lshift is running: at its first write to stdout (so the
   * order is fixed by the program, not by timing) it emits a multi-line warning and a real
   * MaxListenersExceededWarning.
   */
  function preload(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'h-polish-node-warnings-')), 'warn.mjs');
    writeFileSync(
      file,
      `import { EventEmitter } from 'node:events';
const write = process.stdout.write;
let warned = false;
process.stdout.write = function (...args) {
  if (!warned) {
    warned = true;
    process.emitWarning('first line\\nsecond line', { type: 'ExperimentalWarning', code: 'TEST_CODE', detail: 'the detail' });
    const emitter = new EventEmitter();
    for (let i = 0; i < 11; i++) emitter.on('tick', () => {});
  }
  return write.apply(this, args);
};
`,
    );
    return file;
  }

  it('--json: stdout is the result alone; each warning is one lshift line on stderr', async () => {
    const run = await runCli(['plan', 'canary:10%:5m', '--json'], {
      env: { NODE_OPTIONS: `--import=${preload()}` },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 4 });
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'Warning: Node.js ExperimentalWarning [TEST_CODE]: first line second line the detail',
      expect.stringMatching(
        /^Warning: Node\.js MaxListenersExceededWarning: Possible EventEmitter memory leak detected\. 11 tick listeners added to \[EventEmitter\]\./,
      ),
    ]);
    expect(run.stderr).not.toMatch(/\(node:\d+\)|--trace-warnings/);
  });

  it('--debug: each warning line is followed by its stack, as an error is (LSHIFT_DEBUG too)', async () => {
    const env = { NODE_OPTIONS: `--import=${preload()}` };
    for (const run of [
      await runCli(['plan', 'canary:10%:5m', '--json', '--debug'], { env }),
      await runCli(['plan', 'canary:10%:5m', '--json'], { env: { ...env, LSHIFT_DEBUG: '1' } }),
    ]) {
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 4 });
      const lines = run.stderr.trimEnd().split('\n');
      const first = lines.indexOf(
        'Warning: Node.js ExperimentalWarning [TEST_CODE]: first line second line the detail',
      );
      expect(first, run.stderr).toBe(0);
      // The stack: Node's own first line (name and message), then where it was emitted from.
      expect(lines[first + 1]).toBe('ExperimentalWarning: first line');
      expect(lines.slice(first + 2).find((l) => !l.startsWith('second line'))).toMatch(/^ {4}at /);
      expect(lines.some((l) => l.startsWith('Warning: Node.js MaxListenersExceededWarning'))).toBe(true);
    }
  });

  it('--debug after -- is an argument, not the flag: no stack, of a warning or of the error', async () => {
    const run = await runCli(['plan', 'canary:10%:5m', '--json', '--', '--debug'], {
      env: { NODE_OPTIONS: `--import=${preload()}` },
    });
    // A usage error (plan takes one strategy), with the warnings, and neither's stack.
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('Warning: Node.js ExperimentalWarning [TEST_CODE]');
    expect(run.stderr).not.toMatch(/^ {4}at /m);
  });

  it('NODE_NO_WARNINGS=1 keeps them all quiet, as it does for node', async () => {
    const run = await runCli(['plan', 'canary:10%:5m', '--json'], {
      env: { NODE_OPTIONS: `--import=${preload()}`, NODE_NO_WARNINGS: '1' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ schemaVersion: 4 });
    expect(run.stderr).toBe('');
  });
});
