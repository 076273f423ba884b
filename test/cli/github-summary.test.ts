import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReasonedResult } from '../../src/cli/describe-outcome.js';
import {
  createGithubReporter,
  escapeData,
  escapeProperty,
  githubAnnotation,
  renderGithubSummary,
} from '../../src/cli/renderers/github-summary.js';
import type { DeployStatus, EngineEvent, WarningTopic } from '../../src/domain/events.js';

const T = Date.UTC(2026, 0, 1);

function rolledBack(overrides: Partial<ReasonedResult> = {}): ReasonedResult {
  return {
    status: 'rolled_back',
    deploymentId: 'd-abc123',
    functionName: 'orders',
    alias: 'live',
    fromVersion: '6',
    toVersion: '7',
    strategy: 'linear:10%:1m',
    startedAt: T,
    endedAt: T + 150_000,
    steps: [
      {
        index: 0,
        percent: 10,
        holdSeconds: 60,
        startedAt: T + 5_000,
        endedAt: T + 65_000,
        result: 'completed',
      },
      {
        index: 1,
        percent: 20,
        holdSeconds: 60,
        startedAt: T + 65_000,
        endedAt: T + 130_000,
        result: 'failed',
      },
    ],
    verdicts: [
      {
        outcome: 'fail',
        gate: 'alarms',
        summary: 'alarm orders-errors is ALARM: Threshold | crossed <5>',
        at: T + 130_000,
      },
    ],
    reason: 'rolled back at step 2 (20%): alarm orders-errors is ALARM',
    ...overrides,
  };
}

const EVENTS: EngineEvent[] = [
  {
    type: 'hook.completed',
    at: T + 4_000,
    phase: 'pre',
    hook: 'https://user:pw@ci.example.com/hook?token=s3cret',
    ok: true,
    durationMs: 2_000,
  },
  { type: 'hook.output', at: T + 3_000, phase: 'pre', hook: 'cmd:./x', line: 'noise' },
  {
    type: 'rollback.started',
    functionName: 'demo',
    alias: 'live',
    at: T + 130_000,
    reason: 'alarm orders-errors is ALARM',
    fromPercent: 20,
    toVersion: '6',
  },
  { type: 'rollback.completed', at: T + 131_000, toVersion: '6' },
];

const EXPECTED_ROLLED_BACK = `## ↩️ lshift: \`orders:live\` rolled back to version 6

| | |
|---|---|
| deployment | d-abc123 |
| versions | 6 → 7 |
| strategy | linear:10%:1m |
| duration | 2m 30s |
| exit code | 3 |

### Timeline

| step | weight | started | result |
|---|---|---|---|
| pre hook https://ci.example.com/hook?… |  | +2s | ✅ passed in 2.0s |
| 1 | 10% | +5s | ✅ held 1m |
| 2 | 20% | +1m 5s | ❌ failed after 1m 5s |
| rollback | 20% → 0% | +2m 10s | ✅ all traffic on version 6 (alarm orders-errors is ALARM) |

### Verdicts

| gate | outcome | summary |
|---|---|---|
| alarms | ❌ fail | alarm orders-errors is ALARM: Threshold \\| crossed &lt;5&gt; |

**Result: rolled back** — rolled back at step 2 (20%): alarm orders-errors is ALARM
`;

describe('renderGithubSummary', () => {
  it('renders title, facts, timeline (steps, hooks, rollback), verdicts and result', () => {
    expect(renderGithubSummary(rolledBack(), EVENTS)).toBe(EXPECTED_ROLLED_BACK);
  });

  it('a step stopped from outside (a takeover, an operator) says so in words, not "failed"', () => {
    const steps = rolledBack().steps.map((step) => ({ ...step }));
    steps[1]!.result = 'stopped';
    const md = renderGithubSummary(rolledBack({ status: 'conflict', steps }), []);
    expect(md).toContain('| 2 | 20% | +1m 5s | 🛑 stopped (not by its health) after 1m 5s |');
    expect(md).not.toContain('failed after');
  });

  it('a CodeDeploy deployment stopped from outside: the headline says so, not "rolled back" as for a gate', () => {
    const steps = rolledBack().steps.map((step) => ({ ...step }));
    steps[1]!.result = 'stopped';
    const cause = { code: 'STOPPED_IN_CODEDEPLOY', data: { deploymentId: 'd-CD1' } } as const;
    const md = renderGithubSummary(rolledBack({ steps, cause }), []);
    expect(md.split('\n')[0]).toBe(
      '## ↩️ lshift: `orders:live` back on version 6: AWS CodeDeploy deployment d-CD1 was stopped from outside this run, not by its health',
    );
    expect(md).toContain('| exit code | 3 |');
  });

  it('a rollback before any weight was written says no traffic moved (it showed "0% → 0%")', () => {
    const events: EngineEvent[] = [
      {
        type: 'rollback.started',
        functionName: 'demo',
        alias: 'live',
        at: T + 4_000,
        reason: 'pre-traffic hook failed',
        fromPercent: 0,
        toVersion: '6',
      },
      { type: 'rollback.completed', at: T + 4_500, toVersion: '6' },
    ];
    const summary = renderGithubSummary(rolledBack({ steps: [] }), events);
    expect(summary).toContain(
      '| rollback |  | +4s | ✅ no traffic had moved: all of it stayed on version 6 (pre-traffic hook failed) |',
    );
    expect(summary).not.toContain('0% → 0%');
  });

  it('never shows a hook URL’s credentials or query', () => {
    const md = renderGithubSummary(rolledBack(), EVENTS);
    expect(md).not.toContain('s3cret');
    expect(md).not.toContain('pw@');
  });

  it('makes no link, image, HTML or new line from a hostile reason, in a cell or in the result line', () => {
    const hostile =
      'x ![t](https://evil.example/t.png) [Re-run](https://evil.example) \\[y](https://evil.example) <img src=x onerror=alert(1)>\rnext';
    const md = renderGithubSummary(
      rolledBack({
        reason: hostile,
        verdicts: [{ outcome: 'fail', gate: 'alarms', summary: hostile, at: T }],
      }),
      [],
    );
    const escaped =
      'x !\\[t\\](https://evil.example/t.png) \\[Re-run\\](https://evil.example) \\\\\\[y\\](https://evil.example) &lt;img src=x onerror=alert(1)&gt;<br>next';
    expect(md).toContain(`| alarms | ❌ fail | ${escaped} |`);
    expect(md).toContain(`**Result: rolled back** — ${escaped}`);
    expect(md).not.toContain('\r');
  });

  it('renders a promoted deployment with a bake and no verdicts section when there are none', () => {
    const promoted = rolledBack({
      status: 'promoted',
      reason: undefined,
      verdicts: [],
      steps: [{ index: 0, percent: 100, holdSeconds: 0, startedAt: T, endedAt: T, result: 'completed' }],
    });
    const events: EngineEvent[] = [
      { type: 'bake.started', at: T + 1_000, seconds: 600 },
      { type: 'bake.completed', at: T + 601_000 },
    ];
    const md = renderGithubSummary(promoted, events);
    expect(md.split('\n')[0]).toBe('## ✅ lshift: `orders:live` promoted to version 7');
    expect(md).toContain('| bake 10m | 100% | +1s | ✅ healthy |');
    // The 100% step holds nothing: "✅ held 0s" read as a health read at 100% that never was.
    expect(md).toContain('| 1 | 100% | +0s | ✅ written |');
    expect(md).toContain('| exit code | 0 |');
    expect(md).not.toContain('### Verdicts');
    expect(md).toContain('**Result: promoted**\n');
  });

  // An alarm that never had data passes (not alarming), but "✅ pass" read as measured.
  it('a pass of alarms that were all INSUFFICIENT_DATA reads "❔ pass, no data"', () => {
    const alarms = (states: string[]) => ({
      outcome: 'pass' as const,
      gate: 'alarms',
      summary: 's',
      at: T,
      details: {
        alarms: states.map((state, i) => ({ name: `a${i}`, state })),
        insufficientData: states.flatMap((st, i) => (st === 'INSUFFICIENT_DATA' ? [`a${i}`] : [])),
      },
    });
    const md = (v: ReturnType<typeof alarms>) =>
      renderGithubSummary(rolledBack({ status: 'promoted', reason: undefined, verdicts: [v] }), []);
    expect(md(alarms(['INSUFFICIENT_DATA']))).toContain('| alarms | ❔ pass, no data | s |');
    expect(md(alarms(['OK', 'INSUFFICIENT_DATA']))).toContain('| alarms | ✅ pass | s |');
  });

  it('a bake an operator ended early says so, not just healthy', () => {
    const promoted = rolledBack({
      status: 'promoted',
      reason: undefined,
      verdicts: [],
      steps: [{ index: 0, percent: 100, holdSeconds: 0, startedAt: T, endedAt: T, result: 'completed' }],
    });
    const events: EngineEvent[] = [
      { type: 'bake.started', at: T + 1_000, seconds: 1800 },
      { type: 'bake.completed', at: T + 565_000, endedEarly: { afterSeconds: 564, plannedSeconds: 1800 } },
    ];
    const md = renderGithubSummary(promoted, events);
    expect(md).toContain('| bake 30m | 100% | +1s | ✅ healthy until a promote ended it after 9m 24s |');
  });

  // A bake nothing judged (no alarm, the analysis inconclusive) read "✅ healthy" (session 61).
  it('a bake no gate judged says not judged, not healthy', () => {
    const promoted = rolledBack({
      status: 'promoted',
      reason: undefined,
      verdicts: [],
      steps: [{ index: 0, percent: 100, holdSeconds: 0, startedAt: T, endedAt: T, result: 'completed' }],
    });
    const events: EngineEvent[] = [
      { type: 'bake.started', at: T + 1_000, seconds: 300 },
      { type: 'bake.completed', at: T + 301_000, unjudged: true },
    ];
    const md = renderGithubSummary(promoted, events);
    expect(md).toContain(
      '| bake 5m | 100% | +1s | ❔ not judged (no alarm watched, the analysis inconclusive) |',
    );
    expect(md).not.toContain('✅ healthy');
  });

  it('shows the alias state and the fix command of an unsafe outcome', () => {
    const unsafe = rolledBack({
      status: 'unsafe',
      reason: 'could not roll back: the alias write failed 3 times',
      aliasState: { functionVersion: '6', additionalWeights: { '7': 0.2 } },
      fixCommand: 'aws lambda update-alias --function-name orders --name live --function-version 6',
    });
    const events: EngineEvent[] = [
      {
        type: 'rollback.started',
        functionName: 'demo',
        alias: 'live',
        at: T + 130_000,
        reason: 'alarm',
        fromPercent: 20,
        toVersion: '6',
      },
      { type: 'rollback.failed', at: T + 140_000, message: 'ServiceException' },
    ];
    const md = renderGithubSummary(unsafe, events);
    expect(md.split('\n')[0]).toBe('## 🚨 lshift: `orders:live` needs a human, the rollback did not finish');
    expect(md).toContain('| rollback | 20% → 0% | +2m 10s | ❌ ServiceException (alarm) |');
    expect(md).toContain('Alias as last seen: version 6 (80%) + version 7 (20%)');
    expect(md).toContain(
      '```sh\naws lambda update-alias --function-name orders --name live --function-version 6\n```',
    );
    expect(md).toContain('| exit code | 4 |');
  });

  it('keeps a multi-line reason on one table line / paragraph', () => {
    const md = renderGithubSummary(rolledBack({ reason: 'line one\nline two' }), []);
    expect(md).toContain('**Result: rolled back** — line one<br>line two');
  });
});

describe('githubAnnotation', () => {
  it.each<[DeployStatus, string | undefined]>([
    ['promoted', undefined],
    ['nothing_to_deploy', undefined],
    ['rolled_back', 'lshift rolled back'],
    ['unsafe', 'lshift rollback failed'],
    ['conflict', 'lshift conflict'],
    ['failed', 'lshift deploy failed'],
    ['paused', 'lshift paused'],
  ])('%s → %s', (status, title) => {
    const line = githubAnnotation(rolledBack({ status, reason: 'why' }));
    expect(line).toBe(title === undefined ? undefined : `::error title=${title}::orders:live: why`);
  });

  it('escapes %, CR and LF in the message so the command stays on one line', () => {
    const line = githubAnnotation(rolledBack({ reason: 'error rate 4.8% > 1%\r\nat step 2' }))!;
    expect(line).toBe(
      '::error title=lshift rolled back::orders:live: error rate 4.8%25 > 1%25%0D%0Aat step 2',
    );
    expect(line).not.toMatch(/[\r\n]/);
  });

  it('names the lshift rollback line first and the AWS CLI line as the fallback', () => {
    const result = rolledBack({
      status: 'unsafe',
      reason: 'stuck',
      rollbackCommand: 'lshift rollback orders --alias live',
      fixCommand: 'aws lambda update-alias …',
    });
    expect(githubAnnotation(result)).toBe(
      '::error title=lshift rollback failed::orders:live: stuck%0AFix: lshift rollback orders --alias live%0AWithout lshift: aws lambda update-alias …',
    );
    const md = renderGithubSummary(result, []);
    expect(md).toContain(
      'Fix:\n\n```sh\nlshift rollback orders --alias live\n```\n\nWithout lshift:\n\n```sh\naws lambda update-alias …\n```',
    );
  });

  it('appends the fix command on a new (escaped) line', () => {
    const line = githubAnnotation(
      rolledBack({ status: 'unsafe', reason: 'stuck', fixCommand: 'aws lambda update-alias …' }),
    );
    expect(line).toBe(
      '::error title=lshift rollback failed::orders:live: stuck%0AFix: aws lambda update-alias …',
    );
  });

  it.each([
    ['100%', '100%25', '100%25'],
    ['a\nb\rc', 'a%0Ab%0Dc', 'a%0Ab%0Dc'],
    ['fn:live, step 2', 'fn:live, step 2', 'fn%3Alive%2C step 2'],
    ['%0A literal', '%250A literal', '%250A literal'],
  ])('escapes %j: data %j, property %j', (input, data, property) => {
    expect(escapeData(input)).toBe(data);
    expect(escapeProperty(input)).toBe(property);
  });
});

describe('createGithubReporter', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function tempSummary(existing = ''): string {
    const dir = mkdtempSync(join(tmpdir(), 'lshift-gh-'));
    dirs.push(dir);
    const file = join(dir, 'step_summary.md');
    writeFileSync(file, existing);
    return file;
  }

  function capture() {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      stdout: (t: string) => {
        out.stdout += t;
      },
      stderr: (t: string) => {
        out.stderr += t;
      },
    };
  }

  it('appends the summary to GITHUB_STEP_SUMMARY and prints the annotation on stdout', () => {
    const file = tempSummary('# earlier step\n');
    const io = capture();
    const reporter = createGithubReporter({ GITHUB_STEP_SUMMARY: file }, io);
    expect(reporter.enabled).toBe(true);
    for (const e of EVENTS) reporter.sink.emit(e);
    reporter.finish(rolledBack());
    expect(readFileSync(file, 'utf8')).toBe(`# earlier step\n${EXPECTED_ROLLED_BACK}\n`);
    expect(io.out.stdout).toBe(
      '::error title=lshift rolled back::orders:live: rolled back at step 2 (20%25): alarm orders-errors is ALARM\n',
    );
    expect(io.out.stderr).toBe('');
  });

  it('prints the annotation on stderr in json mode, keeping stdout for the result object', () => {
    const io = capture();
    const reporter = createGithubReporter({ GITHUB_STEP_SUMMARY: tempSummary() }, { ...io, json: true });
    reporter.finish(rolledBack());
    expect(io.out.stdout).toBe('');
    expect(io.out.stderr).toMatch(/^::error title=lshift rolled back::/);
  });

  it('turns the result warnings into ::warning:: lines and a Warnings section, also on success', () => {
    const file = tempSummary();
    const io = capture();
    const warning =
      'the canary analysis never judged version 7: every gate ended inconclusive (too few calls)';
    // Said after the shift, never as an event: the CLI says what it is about.
    createGithubReporter({ GITHUB_STEP_SUMMARY: file }, io).finish(
      rolledBack({ status: 'promoted', warnings: [warning] }),
      new Map([[warning, 'analysis']]),
    );
    expect(io.out.stdout).toBe(`::warning title=lshift analysis::orders:live: ${warning}\n`);
    expect(readFileSync(file, 'utf8')).toContain(`### Warnings\n\n- ⚠️ ${warning}\n`);
  });

  it("titles each warning by what it is about, as its log event said; 'lshift warning' when nobody said", () => {
    const io = capture();
    const reporter = createGithubReporter({ GITHUB_STEP_SUMMARY: tempSummary() }, io);
    const said: [string, WarningTopic | undefined][] = [
      ['no --alarm given: health is judged by the canary analysis alone', 'health'],
      ['at about 3 requests a minute the new version gets few calls', 'analysis'],
      ['the credentials expire before this deployment can end', 'credentials'],
      ['event source mapping 1234 invokes version 6, not alias live', 'event-source'],
      ["could not check that CodeDeploy's hook pre exists", 'hook'],
      ['architecture differs: both take traffic during the shift', 'preflight'],
      ['something else', undefined],
    ];
    for (const [message, about] of said)
      reporter.sink.emit({ type: 'log', at: T, level: 'warn', message, ...(about ? { about } : {}) });
    reporter.finish(rolledBack({ status: 'promoted', warnings: said.map(([m]) => m) }));
    expect(
      io.out.stdout
        .trimEnd()
        .split('\n')
        .map((l) => /^::warning title=([^:]*)::/.exec(l)?.[1]),
    ).toEqual([
      'lshift health watch',
      'lshift analysis',
      'lshift credentials',
      'lshift event source mapping',
      'lshift hook',
      'lshift preflight',
      'lshift warning',
    ]);
  });

  it('prints no annotation on success', () => {
    const file = tempSummary();
    const io = capture();
    createGithubReporter({ GITHUB_STEP_SUMMARY: file }, io).finish(rolledBack({ status: 'promoted' }));
    expect(io.out.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toContain('promoted to version 7');
  });

  it('does nothing outside GitHub Actions', () => {
    const io = capture();
    const reporter = createGithubReporter({}, io);
    expect(reporter.enabled).toBe(false);
    reporter.sink.emit(EVENTS[0]!);
    reporter.finish(rolledBack());
    expect(io.out).toEqual({ stdout: '', stderr: '' });
  });

  it('turns an unwritable summary file into a warning, still printing the annotation', () => {
    const io = capture();
    const missingDir = join(tempSummary(), 'not-a-dir', 'summary.md');
    createGithubReporter({ GITHUB_STEP_SUMMARY: missingDir }, io).finish(rolledBack());
    expect(io.out.stderr).toMatch(/^warning: could not write the GitHub step summary: /);
    expect(io.out.stdout).toMatch(/^::error /);
  });
});
