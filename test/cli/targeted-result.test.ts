/**
 * The fix commands of a result carry the run's --profile/--region/--endpoint-url (targeted-result.ts):
 * copied as printed, they act where the run acted, not on the shell's default account and region.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoundedCaller } from '../../src/aws/bounded-caller.js';
import { targetWatch, watchAlias, watchCodeDeploy } from '../../src/cli/alias-watch.js';
import type { AwsTargetFlags } from '../../src/cli/aws-target.js';
import { withReason } from '../../src/cli/describe-outcome.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import { GuardedStream } from '../../src/cli/output.js';
import { awsMessages, noteAwsMessage } from '../../src/cli/outside-text.js';
import { githubAnnotation } from '../../src/cli/renderers/github-summary.js';
import { githubWarnings } from '../../src/cli/renderers/github-warnings.js';
import { combineSinks, createNdjsonRenderer } from '../../src/cli/renderers/line-renderers.js';
import { createPlainRenderer } from '../../src/cli/renderers/plain-renderer.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { forgetRunTarget, noteRunTarget, targetJson } from '../../src/cli/run-target.js';
import {
  commandTargetOf,
  targetCommandsIn,
  targetCommandsInJson,
  targetErrors,
  targetFixLines,
  targetResult,
} from '../../src/cli/targeted-result.js';
import type { DeployResult } from '../../src/domain/events.js';
import { causeOf } from '../../src/domain/outcome.js';
import { demoShiftStarted } from '../helpers/demo-events.js';

const TARGET = { profile: 'prod', region: 'eu-west-1' };
const FLAGS = ' --profile prod --region eu-west-1';
const FIX = `aws lambda update-alias --function-name fa --name live --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`;

function fn(functionName: string, extra: Partial<DeployResult> = {}): DeployResult {
  return {
    status: 'unsafe',
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    ...extra,
  };
}

const MERGED: AwsTargetFlags = { profile: 'prod', region: 'eu-west-1', fromConfig: ['region'] };

describe('commandTargetOf', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('keeps the three target flags and nothing else (fromConfig is how errors name them)', () => {
    vi.stubEnv('LSHIFT_SANDBOX', '');
    expect(commandTargetOf(MERGED)).toEqual({
      profile: 'prod',
      region: 'eu-west-1',
      'endpoint-url': undefined,
    });
  });

  // A config file's `profile: prod` beside a sandbox was never used: a fix naming it would act on prod.
  // Its `aws …` lines name the sandbox, or they go to AWS: the AWS CLI does not read LSHIFT_SANDBOX.
  it('a kept sandbox (LSHIFT_SANDBOX) keeps the region, and its address for aws lines only: its profile and endpoint were not used', () => {
    const given = { ...MERGED, 'endpoint-url': 'https://lambda.example' };
    vi.stubEnv('LSHIFT_SANDBOX', ' http://127.0.0.1:4921 ');
    const target = commandTargetOf(given);
    expect(target).toEqual({ region: 'eu-west-1', awsEndpointUrl: 'http://127.0.0.1:4921' });
    expect(targetCommandsIn('Fix: aws lambda get-alias --function-name fa --name live', target)).toBe(
      'Fix: aws lambda get-alias --function-name fa --name live --region eu-west-1 --endpoint-url http://127.0.0.1:4921',
    );
    expect(targetCommandsIn('Run `lshift status fa --alias live`.', target)).toBe(
      'Run `lshift status fa --alias live --region eu-west-1`.',
    );
  });

  // With `--region` alone, a fix printed by `deploy --sandbox` went to AWS once its sandbox was
  // gone, to a function of the same name in the default account: it names the sandbox it was for.
  it("`deploy --sandbox` (in-process, gone at exit): the fixes name that sandbox's endpoint, never AWS", () => {
    vi.stubEnv('LSHIFT_SANDBOX', '');
    const given = { ...MERGED, 'endpoint-url': 'https://lambda.example' };
    expect(commandTargetOf(given, 'http://127.0.0.1:40123')).toEqual({
      region: 'eu-west-1',
      'endpoint-url': 'http://127.0.0.1:40123',
    });
  });
});

// `--on-interrupt leave`'s reason said "Run `lshift rollback fa --alias live` to undo" with no
// target: the result had no rollbackCommand to target (h2's pass, session 65).
it('--on-interrupt leave: the reason names the rollbackCommand, with the run target', () => {
  const left = fn('fa', {
    status: 'paused',
    aliasState: { functionVersion: '1', additionalWeights: { '2': 0.2 } },
    cause: causeOf('INTERRUPTED', { left: true }),
    rollbackCommand: 'lshift rollback fa --alias live',
  });
  const worded = withReason(targetResult(left, TARGET));
  expect(worded.rollbackCommand).toBe(`lshift rollback fa --alias live${FLAGS}`);
  expect(worded.reason).toContain(`Run \`lshift rollback fa --alias live${FLAGS}\` to undo.`);
});

describe('targetCommandsIn (every text lshift prints, once the run target is known)', () => {
  it.each([
    // A preflight refusal's hint, STALLED's way out, a resume hint: quoted commands.
    [
      'See `lshift status fa --alias live` and `lshift check fa`.',
      `See \`lshift status fa --alias live${FLAGS}\` and \`lshift check fa${FLAGS}\`.`,
    ],
    ['Resume it: `lshift deploy fa --resume`.', `Resume it: \`lshift deploy fa --resume${FLAGS}\`.`],
    [
      `untag it: \`aws lambda untag-resource --resource arn --tag-keys lshift:live\``,
      `untag it: \`aws lambda untag-resource --resource arn --tag-keys lshift:live${FLAGS}\``,
    ],
    // The verb named, not a command to run: left as it is.
    ["`lshift check`'s claim", "`lshift check`'s claim"],
    [
      '`lshift abort` acts on a deployment while it runs',
      '`lshift abort` acts on a deployment while it runs',
    ],
    ['run `lshift check` again', `run \`lshift check${FLAGS}\` again`],
    ['no command here: `--alias live`', 'no command here: `--alias live`'],
    // Second-signal lines of `lshift alias` and `lshift check`, and `lshift wait`'s See line.
    [
      'The move stopped.\nFix: lshift alias fa live 3',
      `The move stopped.\nFix: lshift alias fa live 3${FLAGS}`,
    ],
    [
      '  or: lshift rollback <function> --alias <alias>',
      `  or: lshift rollback <function> --alias <alias>${FLAGS}`,
    ],
    ['See: lshift status fa --alias live', `See: lshift status fa --alias live${FLAGS}`],
    // A Fix line with prose after its command: each quoted command, never the flags after the prose.
    [
      '    Fix: `aws deploy stop-deployment --deployment-id d-1 --no-auto-rollback-enabled` (keeps it), or `lshift rollback fa --alias live` (stops it)',
      `    Fix: \`aws deploy stop-deployment --deployment-id d-1 --no-auto-rollback-enabled${FLAGS}\` (keeps it), or \`lshift rollback fa --alias live${FLAGS}\` (stops it)`,
    ],
    [
      'Fix: lshift rollback fa --alias live, or `lshift status fa`',
      `Fix: lshift rollback fa --alias live, or \`lshift status fa${FLAGS}\``,
    ],
  ])('%s', (text, expected) => {
    expect(targetCommandsIn(text, TARGET)).toBe(expected);
  });

  it('adds nothing twice (a line targeted by its renderer, then by the output) nor a flag the command has', () => {
    const once = targetCommandsIn('Run `lshift rollback fa --alias live` to undo.', TARGET);
    expect(targetCommandsIn(once, TARGET)).toBe(once);
    expect(targetCommandsIn('`lshift status fa --region us-west-2`', TARGET)).toBe(
      '`lshift status fa --region us-west-2 --profile prod`',
    );
  });

  it('quotes a value for a POSIX shell and masks an endpoint password', () => {
    const target = { profile: "ops 'a'", 'endpoint-url': 'http://u:SECRET@127.0.0.1:9' };
    const said = targetCommandsIn('see `lshift status fa`', target);
    expect(said).toBe(
      `see \`lshift status fa --profile 'ops '\\''a'\\''' --endpoint-url 'http://***@127.0.0.1:9'\``,
    );
    expect(said).not.toContain('SECRET');
  });

  it('leaves the text as it is when the run named no target', () => {
    expect(targetCommandsIn('Fix: lshift rollback fa --alias live', {})).toBe(
      'Fix: lshift rollback fa --alias live',
    );
  });
});

describe('targetCommandsInJson (--json, NDJSON, a second signal’s report)', () => {
  it('targets every string of the object and each …Command field, and nothing else', () => {
    const report = {
      status: 'error',
      code: 'RECORD_INVALID',
      message: 'its record is unreadable',
      hint: 'Remove it: `aws lambda untag-resource --resource fa --tag-keys lshift:live`.',
      warnings: [{ message: 'see `lshift status fa`' }],
      rollbackCommand: 'lshift rollback fa --alias live',
      exitCode: 4,
      at: 3,
    };
    expect(targetCommandsInJson(report, TARGET)).toEqual({
      ...report,
      hint: `Remove it: \`aws lambda untag-resource --resource fa --tag-keys lshift:live${FLAGS}\`.`,
      warnings: [{ message: `see \`lshift status fa${FLAGS}\`` }],
      rollbackCommand: `lshift rollback fa --alias live${FLAGS}`,
    });
  });
});

describe('targetResult', () => {
  it.each([
    [
      { fixCommand: FIX, rollbackCommand: 'lshift rollback fa --alias live' },
      { fixCommand: FIX + FLAGS, rollbackCommand: `lshift rollback fa --alias live${FLAGS}` },
    ],
    [{ fixCommand: FIX }, { fixCommand: FIX + FLAGS }],
    // No fix offered: none made up, no field added (--json keeps its shape).
    [{}, {}],
  ])('%j', (commands, expected) => {
    const result = targetResult(fn('fa', commands), TARGET);
    expect(result).toMatchObject(expected);
    expect(Object.keys(result).filter((k) => k.endsWith('Command'))).toEqual(Object.keys(expected));
  });

  it('a run given no target flags prints the commands as before', () => {
    const commands = { fixCommand: FIX, rollbackCommand: 'lshift rollback fa --alias live' };
    expect(targetResult(fn('fa', commands), {})).toMatchObject(commands);
  });
});

describe('withReleaseReason with the run target', () => {
  const left = causeOf('INTERRUPTED', { left: true });
  const at = { kind: 'step', index: 1, percent: 20 } as const;
  const split = { functionVersion: '1', additionalWeights: { '2': 0.2 } };
  const release = {
    releaseId: 'r-abc123',
    mode: 'lockstep' as const,
    status: 'paused' as const,
    failed: { functionName: 'fa', alias: 'live' },
    startedAt: 0,
    endedAt: 120_000,
    functions: ['fa', 'fb'].map((name) =>
      fn(name, {
        status: 'paused',
        cause: left,
        position: at,
        aliasState: split,
        fixCommand: FIX.replace('fa', name),
      }),
    ),
  };

  it('the release rollback, its reason, its Fix line and each function’s own fix name the target', () => {
    const worded = withReleaseReason(release, TARGET);
    expect(worded.rollbackCommand).toBe(`lshift rollback --release r-abc123 fa fb${FLAGS}`);
    expect(worded.reason).toMatch(
      /undo them all with `lshift rollback --release r-abc123 fa fb --profile prod --region eu-west-1`$/,
    );
    expect(worded.functions.map((f) => f.fixCommand)).toEqual([FIX + FLAGS, FIX.replace('fa', 'fb') + FLAGS]);
    expect(renderReleaseResult(worded)).toContain(
      `  Fix: lshift rollback --release r-abc123 fa fb${FLAGS}\n`,
    );
  });

  it('without a target the words are as they were', () => {
    expect(withReleaseReason(release).rollbackCommand).toBe('lshift rollback --release r-abc123 fa fb');
  });
});

describe("targetFixLines (a second signal's message)", () => {
  it.each([
    ['Fix: lshift rollback demo --alias live', `Fix: lshift rollback demo --alias live${FLAGS}`],
    [
      '  or: aws deploy stop-deployment --deployment-id d-1',
      `  or: aws deploy stop-deployment --deployment-id d-1${FLAGS}`,
    ],
    ['  or follow it: lshift wait d-1', `  or follow it: lshift wait d-1${FLAGS}`],
    [
      'Or all of them at once: lshift rollback --release r-1 a b',
      `Or all of them at once: lshift rollback --release r-1 a b${FLAGS}`,
    ],
    // `lshift wait`'s result lines are indented.
    ['  Fix: lshift rollback fa --alias live', `  Fix: lshift rollback fa --alias live${FLAGS}`],
    // The note after the command stays after the flags.
    [
      'Fix: lshift wait d-1   (reads the alias and closes the record)',
      `Fix: lshift wait d-1${FLAGS}   (reads the alias and closes the record)`,
    ],
    // Prose and a fix that is no command are left alone.
    [
      'Alias demo:live as lshift last set it: all on version 1.',
      'Alias demo:live as lshift last set it: all on version 1.',
    ],
    ['Fix: run the same `lshift check` again', 'Fix: run the same `lshift check` again'],
  ])('%s', (line, expected) => {
    expect(targetFixLines([line], TARGET)).toEqual([expected]);
  });

  it("a deploy's second signal mid-shift names the target in both fixes", () => {
    const watch = watchAlias('demo', 'live', { target: TARGET });
    watch.sink.emit(demoShiftStarted());
    watch.sink.emit({ type: 'step.started', at: 0, index: 0, total: 2, percent: 10, holdSeconds: 60 });
    const [, fix, aws] = watch.describe();
    expect(fix).toBe(`Fix: lshift rollback demo --alias live${FLAGS}`);
    expect(aws).toMatch(
      /^ {2}or: aws lambda update-alias --function-name demo .* --profile prod --region eu-west-1$/,
    );
  });
});

it("`lshift wait`'s second signal names the target in its stop and its rollback", () => {
  const moves = { functionName: 'demo', alias: 'live' };
  const lines = targetWatch(watchCodeDeploy('d-ABCDEF123', moves, undefined, true), TARGET).describe();
  const fixes = lines.filter((l) => /^(Fix:|\s+or)/.test(l));
  expect(fixes.length).toBeGreaterThanOrEqual(2);
  for (const fix of fixes) expect(fix).toMatch(/ --profile prod --region eu-west-1$/);
  expect(lines).toContain(
    `Fix: aws deploy stop-deployment --deployment-id d-ABCDEF123 --auto-rollback-enabled${FLAGS}`,
  );
});

it('--progress ndjson: the deploy.finished result carries the target in its fix commands, as --json does', () => {
  const lines: string[] = [];
  const result = fn('fa', { fixCommand: FIX, rollbackCommand: 'lshift rollback fa --alias live' });
  createNdjsonRenderer((t) => lines.push(t), TARGET).emit({ type: 'deploy.finished', at: 0, result });
  const said = JSON.parse(lines.join(''));
  expect(said.result).toMatchObject({
    fixCommand: FIX + FLAGS,
    rollbackCommand: `lshift rollback fa --alias live${FLAGS}`,
  });
});

describe('targetErrors', () => {
  it("gives a rollback --release error's aws fix the run's target flags; one without a fix stays as it is", () => {
    const errors = [
      {
        functionName: 'orders',
        alias: 'live',
        message: 'claim not read back',
        fixCommand:
          'aws lambda update-alias --function-name orders --name live --function-version 1 --routing-config \'{"AdditionalVersionWeights":{}}\'',
      },
      { functionName: 'billing', alias: 'live', message: 'record unreadable' },
    ];
    const targeted = targetErrors(errors, { profile: 'prod', region: 'eu-west-1' });
    expect(targeted[0]?.fixCommand).toMatch(/ --profile prod --region eu-west-1$/);
    expect(targeted[1]).toEqual(errors[1]);
  });
});

describe('the run target, once noted, on everything written (run-target.ts, output.ts)', () => {
  afterEach(() => forgetRunTarget());

  function collected(): { stream: Writable; text: () => string } {
    let text = '';
    const stream = new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    });
    return { stream, text: () => text };
  }

  it('a text write gets the target; a JSON text is left to its writer; forgotten, nothing is added', () => {
    const sink = collected();
    const out = new GuardedStream(sink.stream);
    noteRunTarget(TARGET);
    out.write('Hint: see `lshift status fa --alias live`.\n');
    out.writeNow('  Fix: lshift alias fa live 2\n');
    out.write('{"hint":"see `lshift status fa`"}\n');
    out.write('[\n  {"hint":"see `lshift status fa`"}\n]\n');
    out.write('[alpha] see `lshift status alpha`\n');
    forgetRunTarget();
    out.write('see `lshift status fb`\n');
    expect(sink.text()).toBe(
      `Hint: see \`lshift status fa --alias live${FLAGS}\`.\n  Fix: lshift alias fa live 2${FLAGS}\n{"hint":"see \`lshift status fa\`"}\n[\n  {"hint":"see \`lshift status fa\`"}\n]\n[alpha] see \`lshift status alpha${FLAGS}\`\nsee \`lshift status fb\`\n`,
    );
  });

  it("--progress ndjson: a warning event offers its command with the target (the runtime's by default)", () => {
    noteRunTarget(TARGET);
    const lines: string[] = [];
    const message =
      'billed until removed: `aws lambda delete-provisioned-concurrency-config --function-name fa --qualifier 2`';
    createNdjsonRenderer((t) => lines.push(t)).emit({ type: 'log', at: 0, level: 'warn', message });
    expect(JSON.parse(lines[0] ?? '').message).toBe(message.replace(/`$/, `${FLAGS}\``));
  });

  it('targetJson: a JSON output (an error report, a result) with the noted target', () => {
    noteRunTarget(TARGET);
    expect(
      targetJson({ hint: 'see `lshift status fa`', rollbackCommand: 'lshift rollback fa --alias live' }),
    ).toEqual({
      hint: `see \`lshift status fa${FLAGS}\``,
      rollbackCommand: `lshift rollback fa --alias live${FLAGS}`,
    });
  });
});

// A hook's own output had the run's flags appended to the commands it printed: lshift showed,
// under the hook's name, commands the hook never wrote, aimed at the run's account (h1's pass,
// session 65). What lshift quotes from outside keeps its words; lshift's own hints are targeted.
describe('text from outside (a hook, an alarm) is quoted as it was written', () => {
  afterEach(() => forgetRunTarget());
  const HOOK_LINES = [
    'cleanup: run `aws s3 rm s3://bucket/x --recursive`',
    'Fix: aws lambda delete-function --function-name demo',
    'see `lshift rollback other --alias live --region eu-west-1 | tee log`',
  ];
  const hook = { phase: 'pre' as const, hook: 'cmd:./hook.sh' };

  it('targetCommandsIn leaves a command inside a quoted text alone, and targets the rest', () => {
    const text = [
      ...HOOK_LINES,
      'the command exited with code 1 (output: see `lshift rollback other --alias live --region eu-west-1 | tee log`); run `lshift status demo --alias live`',
      'Fix: lshift rollback demo --alias live',
    ].join('\n');
    expect(targetCommandsIn(text, TARGET, HOOK_LINES)).toBe(
      [
        ...HOOK_LINES,
        `the command exited with code 1 (output: see \`lshift rollback other --alias live --region eu-west-1 | tee log\`); run \`lshift status demo --alias live${FLAGS}\``,
        `Fix: lshift rollback demo --alias live${FLAGS}`,
      ].join('\n'),
    );
  });

  it("the same words in lshift's own text, not quoted from outside, are lshift's: targeted", () => {
    const hint = 'Hint: the alias moved; see `lshift status demo --alias live`.';
    expect(targetCommandsIn(hint, TARGET, ['see `lshift status demo --alias live`.'])).toBe(
      `Hint: the alias moved; see \`lshift status demo --alias live${FLAGS}\`.`,
    );
  });

  it('the text progress (its written lines) and NDJSON keep a hook output line as the hook wrote it', () => {
    noteRunTarget(TARGET);
    const text: string[] = [];
    const ndjson: string[] = [];
    const out = new GuardedStream(
      new Writable({
        write(chunk, _encoding, done) {
          text.push(String(chunk));
          done();
        },
      }),
    );
    const sinks = combineSinks(
      createPlainRenderer((t) => out.write(t)),
      createNdjsonRenderer((t) => ndjson.push(t)),
    );
    sinks.emit({ type: 'hook.started', at: 0, ...hook });
    for (const line of HOOK_LINES) sinks.emit({ type: 'hook.output', at: 1, ...hook, line });
    const written = text.join('');
    for (const line of HOOK_LINES) expect(written).toContain(`hook pre | ${line}\n`);
    expect(ndjson.slice(1).map((l) => JSON.parse(l).line)).toEqual(HOOK_LINES);
    // lshift's own words after them still offer their commands with the target.
    out.write('Hint: see `lshift status demo --alias live`.\n');
    expect(text.at(-1)).toBe(`Hint: see \`lshift status demo --alias live${FLAGS}\`.\n`);
  });

  it("a failed hook's reason (hook.completed) and an alarm's reason are quoted as they came", () => {
    noteRunTarget(TARGET);
    const said: string[] = [];
    const sinks = combineSinks(createNdjsonRenderer((t) => said.push(t)));
    const reason =
      'the command exited with code 1 (output: Fix: aws lambda delete-function --function-name demo)';
    sinks.emit({ type: 'hook.completed', at: 0, ...hook, ok: false, reason, durationMs: 5 });
    expect(JSON.parse(said[0] ?? '').reason).toBe(reason);
    const alarmReason = 'Threshold crossed: see `aws cloudwatch describe-alarms`';
    const flap = `alarm demo-errors went to ALARM at 2026-12-05T10:00:00Z (${alarmReason}) and cleared`;
    expect(targetJson({ reason: flap })).toEqual({
      reason: flap.replace('describe-alarms`', `describe-alarms${FLAGS}\``),
    });
    sinks.emit({
      type: 'health.polled',
      at: 1,
      index: 0,
      percent: 10,
      alarms: [{ name: 'demo-errors', state: 'ALARM', reason: alarmReason }],
      verdicts: [],
      remainingSeconds: 10,
    });
    expect(targetJson({ reason: flap })).toEqual({ reason: flap });
  });

  it("a failed hook's last lines in the result (HOOK_FAILED's output) keep their words in --json", () => {
    noteRunTarget(TARGET);
    const result = fn('demo', {
      status: 'rolled_back',
      cause: causeOf('HOOK_FAILED', { phase: 'pre', hooks: ['cmd:./hook.sh'], output: HOOK_LINES }),
    });
    combineSinks().emit({ type: 'deploy.finished', at: 0, result });
    const json = targetJson({ cause: result.cause }) as { cause: { data: { output: string[] } } };
    expect(json.cause.data.output).toEqual(HOOK_LINES);
  });
});

// The `::error`/`::warning` lines were targeted as written, after their escaping: a `%` in a flag's
// value reached GitHub unescaped and was decoded (`pct%0Ax` became a line break) (h1's pass, s65).
describe('GitHub workflow commands: targeted before their escaping', () => {
  afterEach(() => forgetRunTarget());
  const PCT = { profile: 'pct%0Ax', region: 'us-east-1' };

  it("the annotation's and a warning's commands carry the flags escaped as the rest", () => {
    noteRunTarget(PCT);
    const result = {
      ...fn('demo'),
      reason: 'stalled; see `lshift status demo --alias live`',
      warnings: [
        'billed until removed: `aws lambda delete-provisioned-concurrency-config --function-name demo`',
      ],
    };
    const annotation = githubAnnotation(result) ?? '';
    expect(annotation).toContain(
      "`lshift status demo --alias live --profile 'pct%250Ax' --region us-east-1`",
    );
    expect(githubWarnings(result)[0]).toContain(
      "--function-name demo --profile 'pct%250Ax' --region us-east-1`",
    );
  });

  it('the stream writes a workflow command as its builder made it (no flag added after escaping)', () => {
    noteRunTarget(PCT);
    let written = '';
    const out = new GuardedStream(
      new Writable({
        write(chunk, _encoding, done) {
          written += String(chunk);
          done();
        },
      }),
    );
    const line = '::error title=lshift::demo:live: see `lshift status demo --alias live`';
    out.writeWorkflowCommand(line);
    expect(written).toBe(`${line}\n`);
  });
});

// AWS's own messages, quoted by lshift's errors, had the run's flags put into the commands they
// name: printed as AWS's words, a command AWS never wrote (session 66). BoundedCaller tells the CLI
// each message (onAwsMessage → noteAwsMessage); the pass leaves it as AWS wrote it, wherever quoted.
describe("AWS's messages keep their words", () => {
  afterEach(() => forgetRunTarget());
  const SAID = 'The function is Pending; see `aws lambda get-function --function-name f --region us-west-2`.';
  const awsError = () =>
    Object.assign(new Error(SAID), { name: 'OddException', $metadata: { httpStatusCode: 400 } });

  it('a failed call quoting a command: kept in the error as written, lshift’s own hint targeted', async () => {
    noteRunTarget(TARGET);
    const caller = new BoundedCaller(
      {},
      { prefix: 'lambda', envSuffix: 'LAMBDA', host: 'lambda' },
      { onAwsMessage: noteAwsMessage },
    );
    const error = await caller
      .call('GetAlias', { functionName: 'f' }, () => Promise.reject(awsError()))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    const text = `Error: ${error?.message}\n  Hint: see \`lshift status f --alias live\`.`;
    const sink = { text: '' };
    const out = new GuardedStream(
      new Writable({
        write(chunk, _encoding, done) {
          sink.text += String(chunk);
          done();
        },
      }),
    );
    out.write(`${text}\n`);
    expect(error?.message).toContain(SAID);
    expect(sink.text).toContain(SAID);
    expect(sink.text).toContain(`\`lshift status f --alias live${FLAGS}\``);
    // --json too.
    expect(targetJson({ message: error?.message })).toEqual({ message: error?.message });
  });

  it('quoted without its trailing dot (a credentials detail), still kept', () => {
    noteAwsMessage(SAID);
    const text = `AWS rejected the credentials: ${SAID.replace(/\.$/, '')}; run \`lshift status f\``;
    expect(targetCommandsIn(text, TARGET, [], awsMessages())).toBe(
      `AWS rejected the credentials: ${SAID.replace(/\.$/, '')}; run \`lshift status f${FLAGS}\``,
    );
  });
});
