/**
 * Outside text (a function name, an alarm name, an AWS error message, a hook's output, an
 * operator's reason) on every path lshift prints by: nothing raw reaches stdout or stderr. An ESC
 * would drive the terminal (`ESC[2J` clears it), a carriage return overwrite the line, U+2028 start
 * a line in some viewers, U+202E reverse what follows; a newline inside a value must not start a
 * line of its own (in a CI log `::error::` there is a workflow command).
 */
import type { Config } from '@oclif/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BaseCommand } from '../../src/cli/base-command.js';
import { describeError, formatErrorText } from '../../src/cli/format-error.js';
import { renderDeployResult } from '../../src/cli/render-result.js';
import { createNdjsonRenderer, createPlainRenderer } from '../../src/cli/renderers/line-renderers.js';
import { createListrRenderer } from '../../src/cli/renderers/listr-renderer.js';
import { createReleaseLineRenderer } from '../../src/cli/renderers/release-lines.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { renderReleaseStatus } from '../../src/cli/renderers/status-release-text.js';
import { renderStatus } from '../../src/cli/renderers/status-text.js';
import type { DeployResult, EngineEvent } from '../../src/domain/events.js';
import type { AliasStatus } from '../../src/engine/status.js';
import { createTestLambdaAdapter, fnPath, lambdaError, lambdaNock, useNock } from '../helpers/aws-nock.js';
import { demoPreflightDone, demoShiftStarted } from '../helpers/demo-events.js';

/** What each character does: clear the screen, go back to the line's start, new line, reverse. */
const CONTROLS = ['\u001b[2J', '\r', '\u2028', '\u202e'];
const RAW = ['\u001b', '\r', '\u2028', '\u202e'];

/** An outside value: every control above, then a newline that would start a forged CI command. */
function hostile(what: string): string {
  return `${what}${CONTROLS.join('')}\n::error::forged`;
}

function expectNothingRaw(text: string): void {
  for (const char of RAW) expect(text, JSON.stringify(text)).not.toContain(char);
  expect(text, 'a newline inside a value started a line').not.toMatch(/^::error::forged/m);
}

const FN = hostile('fn');
const ALARM = hostile('alarm');
const AWS_MESSAGE = hostile('AWS says');

const result: DeployResult & { reason: string } = {
  status: 'rolled_back',
  functionName: FN,
  alias: 'live',
  fromVersion: '1',
  toVersion: '2',
  steps: [],
  verdicts: [{ outcome: 'inconclusive', gate: 'error-rate-increase', summary: AWS_MESSAGE, at: 0 }],
  warnings: [hostile('warning')],
  trafficMoved: true,
  reason: AWS_MESSAGE,
};

/** One event of each kind that quotes an outside value. */
function hostileEvents(): EngineEvent[] {
  const at = 0;
  return [
    { type: 'publish.started', at, functionName: FN },
    { type: 'preflight.started', at, functionName: FN, alias: 'live' },
    { type: 'preflight.check', at, check: 'alarms', ok: false, message: `alarm ${ALARM} does not exist` },
    {
      type: 'health.polled',
      at,
      index: 0,
      percent: 10,
      alarms: [{ name: ALARM, state: 'ALARM', reason: AWS_MESSAGE }],
      verdicts: [{ outcome: 'fail', gate: 'alarms', summary: `alarm ${ALARM} is ALARM`, at }],
      remainingSeconds: 60,
    },
    { type: 'health.error', at, message: AWS_MESSAGE, consecutive: 1, limit: 3 },
    { type: 'hook.started', at, phase: 'pre', hook: `lambda:${FN}` },
    { type: 'hook.output', at, phase: 'pre', hook: `lambda:${FN}`, line: hostile('hook says') },
    {
      type: 'hook.completed',
      at,
      phase: 'pre',
      hook: `lambda:${FN}`,
      ok: false,
      durationMs: 5,
      reason: AWS_MESSAGE,
    },
    {
      type: 'operator.command',
      at,
      verb: 'abort',
      by: hostile('me@host'),
      reason: hostile('why'),
      obeyed: true,
    },
    {
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: AWS_MESSAGE,
      fromPercent: 10,
      toVersion: '1',
    },
    { type: 'rollback.failed', at, message: AWS_MESSAGE },
    { type: 'log', at, level: 'warn', message: AWS_MESSAGE },
    { type: 'deploy.finished', at, result },
  ];
}

function collect(): { write: (text: string) => void; text: () => string } {
  const out: string[] = [];
  return { write: (text) => out.push(text), text: () => out.join('') };
}

describe('renderers: outside values never print raw', () => {
  it('the plain renderer (CI lines): one line per event, nothing raw', () => {
    const out = collect();
    const sink = createPlainRenderer(out.write);
    for (const event of hostileEvents()) sink.emit(event);
    expect(out.text()).toContain('\uFFFD[2J');
    expectNothingRaw(out.text());
    for (const line of out.text().trimEnd().split('\n')) expect(line).toMatch(/^1970-01-01T/);
  });

  it("a release's plain lines, which add the function's name", () => {
    const out = collect();
    const sink = createReleaseLineRenderer(out.write);
    const target = { functionName: FN, alias: 'live' };
    for (const event of hostileEvents()) sink.emit({ ...event, target } as EngineEvent);
    expectNothingRaw(out.text());
  });

  it('NDJSON: the same values, escaped (JSON.stringify leaves U+2028 and U+202E raw)', () => {
    const out = collect();
    const sink = createNdjsonRenderer(out.write);
    const events = hostileEvents();
    for (const event of events) sink.emit(event);
    expectNothingRaw(out.text());
    const lines = out.text().trimEnd().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(JSON.parse(lines[4]!).message).toBe(AWS_MESSAGE);
  });

  it('the status text: function, alarm names and reasons, the record error', () => {
    const status: AliasStatus = {
      functionName: FN,
      alias: 'live',
      functionVersion: '1',
      additionalWeights: {},
      split: false,
      revisionId: 'r',
      alarms: [{ name: ALARM, state: 'ALARM', reason: AWS_MESSAGE }],
      recordError: AWS_MESSAGE,
    };
    expectNothingRaw(renderStatus(status));
    expectNothingRaw(renderReleaseStatus([status, { ...status, alias: 'other' }]));
    expect(renderStatus(status).split('\n')).toHaveLength(5);
  });

  it("a deploy's and a release's result", () => {
    expectNothingRaw(renderDeployResult(result));
    expectNothingRaw(renderDeployResult({ ...result, status: 'promoted' }));
    expectNothingRaw(renderDeployResult({ ...result, status: 'unsafe', fixCommand: hostile('fix') }));
    expectNothingRaw(
      renderReleaseResult({
        releaseId: 'r-k3j9x2',
        mode: 'lockstep',
        status: 'rolled_back',
        startedAt: 0,
        endedAt: 1000,
        functions: [result],
        reason: AWS_MESSAGE,
        rollbackCommand: hostile('lshift rollback'),
      } as Parameters<typeof renderReleaseResult>[0]),
    );
  });
});

describe('the TTY renderer (listr2): titles, task output and errors', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows outside values printable', async () => {
    const printed: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      printed.push(String(text));
      return true;
    });
    const { bus, done } = createListrRenderer({
      publish: true,
      shift: true,
      preHooks: 1,
      bakeSeconds: 0,
      postHooks: 0,
    });
    const at = 0;
    bus.emit({ type: 'publish.completed', at, functionName: FN, version: hostile('7'), created: true });
    bus.emit({ type: 'preflight.check', at, check: 'alarms', ok: true, message: `alarm ${ALARM} exists` });
    bus.emit(demoPreflightDone({ functionName: FN }));
    bus.emit(demoShiftStarted({ functionName: FN }));
    bus.emit({ type: 'hook.output', at, phase: 'pre', hook: 'cmd:x', line: hostile('hook says') });
    bus.emit({ type: 'hook.completed', at, phase: 'pre', hook: 'cmd:x', ok: true, durationMs: 1 });
    bus.emit({ type: 'step.started', at, index: 0, total: 2, percent: 10, holdSeconds: 300 });
    for (const event of hostileEvents().filter((e) => e.type === 'health.polled')) bus.emit(event);
    bus.emit({
      type: 'rollback.started',
      functionName: 'demo',
      alias: 'live',
      at,
      reason: AWS_MESSAGE,
      fromPercent: 10,
      toVersion: '1',
    });
    bus.emit({ type: 'rollback.failed', at, message: AWS_MESSAGE });
    bus.close();
    await done;
    const text = printed.join('');
    expect(text).toContain('\uFFFD[2J');
    expect(text).not.toContain('\u001b[2J');
    for (const char of ['\u2028', '\u202e']) expect(text).not.toContain(char);
    expect(text).not.toMatch(/^::error::forged/m);
  });
});

class Probe extends BaseCommand {
  async run(): Promise<void> {}
  speak(text: string): void {
    this.say(text);
    this.note(text);
    this.log(text);
    this.logToStderr(text);
    this.warn(text);
  }
  json(value: unknown): void {
    this.logJson(value);
  }
  fail(error: Error): Promise<void> {
    return this.catch(error);
  }
}

describe("a command's own output (say, note, log, warn, logJson, errors)", () => {
  useNock();
  let out: string[];
  let err: string[];

  beforeEach(() => {
    out = [];
    err = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((text) => out.push(String(text)) > 0);
    vi.spyOn(process.stderr, 'write').mockImplementation((text) => err.push(String(text)) > 0);
  });
  afterEach(() => vi.restoreAllMocks());

  const probe = (argv: string[] = []) => new Probe(argv, {} as Config);

  it('say, note, log, logToStderr and warn: controls shown as �', () => {
    probe().speak(`function ${CONTROLS.join('')} done`);
    expect(out.join('').split('\n')).toHaveLength(3);
    expect(err.join('').split('\n')).toHaveLength(4);
    expectNothingRaw(out.join('') + err.join(''));
    expect(out.join('')).toContain('function \uFFFD[2J\uFFFD\uFFFD\\u{202E} done');
  });

  it('logJson: the value survives, escaped', () => {
    probe(['--json']).json({ functionName: FN, note: '##[error]x' });
    const text = out.join('');
    expectNothingRaw(text);
    expect(text).not.toContain('##[');
    expect(JSON.parse(text)).toEqual({ functionName: FN, note: '##[error]x' });
  });

  it('an argument oclif repeats in its parse error cannot start a line', async () => {
    const typed = hostile('extra');
    const parseError = Object.assign(new Error(`Unexpected argument: ${typed}\nSee more help with --help`), {
      oclif: { exit: 2 },
    });
    await probe(['my-fn', typed]).fail(parseError);
    expectNothingRaw(err.join(''));
    expect(err.join('')).toContain('Unexpected argument: extra\uFFFD[2J');
  });

  it("an AWS error's message: one printable line in the report, bounded", async () => {
    lambdaNock()
      .get(fnPath('my-fn', '/aliases/live'))
      .reply(...lambdaError(400, 'InvalidParameterValueException', `${AWS_MESSAGE} ${'x'.repeat(5000)}`));
    const lambda = await createTestLambdaAdapter();
    const error = await lambda.getAlias('my-fn', 'live').catch((e: unknown) => e);
    const report = describeError(error);
    expect(report.code).toBe('INVALID_PARAMETER');
    expectNothingRaw(formatErrorText(report));
    expect(report.message.length).toBeLessThan(700);
    expect(report.message).toContain('AWS says\uFFFD[2J');

    await probe().fail(error as Error);
    expectNothingRaw(err.join(''));
    await probe(['--json']).fail(error as Error);
    expectNothingRaw(out.join(''));
    expect(JSON.parse(out.join('')).code).toBe('INVALID_PARAMETER');
  });
});
