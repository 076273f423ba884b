import { describe, expect, it } from 'vitest';
import { type DeployOptions, shiftSettingsOf } from '../../src/cli/deploy-options.js';
import { withReleaseReason } from '../../src/cli/describe-release.js';
import {
  aliasOf,
  releaseFunctions,
  resolveReleaseOptions,
  resolveSingleOptions,
} from '../../src/cli/release-options.js';
import { redrawText, rowsTaken } from '../../src/cli/release-progress.js';
import { describeReleaseStart } from '../../src/cli/renderers/describe-event.js';
import { renderReleaseResult } from '../../src/cli/renderers/release-result-text.js';
import { createReleaseTable } from '../../src/cli/renderers/release-table.js';
import { parseSandboxScenarios } from '../../src/cli/sandbox-session.js';
import type { DeployResult } from '../../src/domain/events.js';
import { fingerprintJudging } from '../../src/domain/judging-fingerprint.js';
import { causeOf } from '../../src/domain/outcome.js';
import { createScreen } from '../helpers/fake-screen.js';

describe('the options of each function of a release', () => {
  it('fills {function} in alarms, hooks and code flags; hooks without it belong to the release', () => {
    const { members, releaseHooks } = resolveReleaseOptions(
      {
        alarm: ['{function}-errors', 'shared-latency'],
        'pre-hook': ['cmd:./migrate.sh', 'cmd:./smoke.sh {function}'],
        'rollback-hook': ['cmd:./page.sh'],
        zip: 'build/{function}.zip',
      },
      {},
      ['orders', 'billing'],
    );
    expect(members.map((m) => m.options.alarms)).toEqual([
      ['orders-errors', 'shared-latency'],
      ['billing-errors', 'shared-latency'],
    ]);
    expect(members[1]?.options.code).toEqual({ kind: 'zip', path: 'build/billing.zip' });
    expect(members[0]?.options.hooks.pre.map((h) => h.raw)).toEqual(['cmd:./smoke.sh orders']);
    expect(members[0]?.options.hooks.rollback.map((h) => h.raw)).toEqual(['cmd:./page.sh']);
    expect(releaseHooks.pre.map((h) => h.raw)).toEqual(['cmd:./migrate.sh']);
  });

  it('fills {alias} with the alias each function moves, as status and check fill it', () => {
    const config = {
      alarms: ['{function}-{alias}-errors'],
      functions: ['orders', { name: 'billing', alias: 'prod', alarms: ['{alias}-billing-5xx'] }],
    };
    const { members } = resolveReleaseOptions({}, config, releaseFunctions([], config));
    expect(members.map((m) => m.options.alarms)).toEqual([['orders-live-errors'], ['prod-billing-5xx']]);
    expect(resolveSingleOptions({ alarm: ['{alias}-errors'], alias: 'beta' }, {}, 'orders').alarms).toEqual([
      'beta-errors',
    ]);
    expect(
      resolveSingleOptions({}, config, { name: 'billing', alias: 'prod', alarms: ['{alias}-x'] }).alarms,
    ).toEqual(['prod-x']);
  });

  it('fills {function} with the function’s name when it is given as an ARN or a partial ARN', () => {
    const { members } = resolveReleaseOptions(
      { alarm: ['{function}-errors'], zip: 'build/{function}.zip' },
      {},
      ['arn:aws:lambda:us-east-1:123456789012:function:orders', '123456789012:function:billing'],
    );
    expect(members.map((m) => m.options.alarms)).toEqual([['orders-errors'], ['billing-errors']]);
    expect(members[1]?.options.code).toEqual({ kind: 'zip', path: 'build/billing.zip' });
  });

  it('a single function fills {function} too: in alarms, hooks, code flags and the config file’s alarms', () => {
    const options = resolveSingleOptions(
      {
        alarm: ['{function}-errors'],
        'pre-hook': ['cmd:./smoke.sh {function}', 'cmd:./migrate.sh'],
        zip: 'build/{function}.zip',
      },
      { alarms: ['{function}-latency'] },
      'arn:aws:lambda:us-east-1:123456789012:function:orders',
    );
    expect(options.alarms).toEqual(['orders-errors']);
    expect(options.hooks.pre.map((h) => h.raw)).toEqual(['cmd:./smoke.sh orders', 'cmd:./migrate.sh']);
    expect(options.code).toEqual({ kind: 'zip', path: 'build/orders.zip' });
    expect(resolveSingleOptions({}, { alarms: ['{function}-latency'] }, 'orders').alarms).toEqual([
      'orders-latency',
    ]);
  });

  const billing = {
    name: 'billing',
    alias: 'prod',
    alarms: ['billing-errors', '{function}-latency'],
    zip: 'build/{function}.zip',
    hooks: { post: ['cmd:./smoke.sh {function}'] },
    'max-error-rate-increase': '0.2pp',
  };

  it("a single function listed in the config file's functions: takes its entry's settings (its alias first)", () => {
    const config = {
      alias: 'live',
      alarms: ['shared'],
      hooks: { post: ['cmd:./notify.sh'] },
      functions: [billing],
    };
    const options = resolveSingleOptions({}, config, billing);
    expect(options.alias).toBe('prod');
    expect(options.alarms).toEqual(['billing-errors', 'billing-latency']);
    expect(options.code).toEqual({ kind: 'zip', path: 'build/billing.zip' });
    expect(options.hooks.post.map((h) => h.raw)).toEqual(['cmd:./notify.sh', 'cmd:./smoke.sh billing']);
    expect(options.analysis.maxErrorRateIncreasePp).toBe(0.2);
    // Flags still win.
    const flagged = resolveSingleOptions(
      { alias: 'canary', alarm: ['other'], zip: 'x.zip' },
      config,
      billing,
    );
    expect([flagged.alias, flagged.alarms, flagged.code]).toEqual([
      'canary',
      ['other'],
      { kind: 'zip', path: 'x.zip' },
    ]);
  });

  it('an entry’s alarm too long once {function} is filled names the entry as the config file’s other errors do, release or single', () => {
    const long = `{function}-${'x'.repeat(250)}`;
    const config = { functions: ['orders', { name: 'billing', alarms: [long] }] };
    const expected =
      /^The config file’s functions\[1\] \(billing\): alarms\[0\] \(`\{function\}-x+…`\) is `billing-x+…` once filled, 258 characters, longer than CloudWatch's 255\.$/;
    expect(() => resolveReleaseOptions({}, config, config.functions)).toThrow(expected);
    expect(() => resolveSingleOptions({}, config, config.functions[1]!)).toThrow(expected);
  });

  it.each<[string, string | undefined, Record<string, unknown>, string]>([
    ['the entry of a listed function', undefined, { alias: 'live', functions: [billing] }, 'prod'],
    ['--alias wins', 'canary', { functions: [billing] }, 'canary'],
    ['a function not listed: the file', undefined, { alias: 'stage', functions: [billing] }, 'stage'],
    ['no file: live', undefined, {}, 'live'],
  ])('aliasOf: %s', (_name, flag, config, alias) => {
    const name = alias === 'stage' ? 'orders' : 'billing';
    expect(aliasOf(name, flag, config)).toBe(alias);
  });

  it('a function named on the command line that the config file lists keeps its entry, under the name as typed', () => {
    const config = { functions: ['orders', billing] };
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:billing';
    expect(releaseFunctions(['billing'], config)).toEqual([billing]);
    expect(releaseFunctions([arn, 'mailer'], config)).toEqual([{ ...billing, name: arn }, 'mailer']);
    expect(releaseFunctions(['orders'], config)).toEqual(['orders']);
  });

  it('shares the release’s false-rollback budget between its functions (α / N each)', () => {
    const three = resolveReleaseOptions({ confidence: '99%' }, {}, ['a', 'b', 'c']).members;
    for (const m of three) expect(1 - m.options.analysis.confidence).toBeCloseTo(0.01 / 3, 12);
    const one = resolveReleaseOptions({ confidence: '99%' }, {}, ['a']).members;
    expect(one[0]?.options.analysis.confidence).toBe(0.99);
  });

  it('the record keeps the settings as given (jd=), not the share: a function resumed on its own with the same flags matches', () => {
    const flags = { confidence: '99%', 'max-error-rate': '2%' };
    const three = resolveReleaseOptions(flags, {}, ['a', 'b', 'c']).members;
    const alone = resolveSingleOptions(flags, {}, 'a');
    const fingerprint = (o: DeployOptions) => fingerprintJudging(shiftSettingsOf(o).judging);
    for (const m of three) expect(fingerprint(m.options)).toEqual(fingerprint(alone));
    // The share itself still judges each function of the release.
    expect(three[0]?.options.analysis.confidence).not.toBe(alone.analysis.confidence);
  });

  it('a functions: entry may set its own canary-analysis gates; the others keep the release’s', () => {
    const { members } = resolveReleaseOptions(
      {},
      {
        'max-error-rate-increase': '1pp',
        functions: ['orders', { name: 'billing', 'max-error-rate-increase': '0.2pp', 'max-p99': '800ms' }],
      },
      ['orders', { name: 'billing', 'max-error-rate-increase': '0.2pp', 'max-p99': '800ms' }],
    );
    expect(members.map((m) => m.options.analysis.maxErrorRateIncreasePp)).toEqual([1, 0.2]);
    expect(members[0]?.options.analysis.maxLatency).toBeUndefined();
    expect(members[1]?.options.analysis.maxLatency).toMatchObject({ percentile: 'p99', ms: 800 });
  });

  it('takes the config file’s functions: with their own alias, alarms, hooks and version; flags still win', () => {
    const config = {
      alarms: ['{function}-errors'],
      functions: [
        'orders',
        {
          name: 'billing',
          alias: 'prod',
          alarms: ['billing-5xx'],
          version: '12',
          hooks: { post: ['cmd:./b.sh'] },
        },
      ],
    };
    const entries = releaseFunctions([], config);
    const { members } = resolveReleaseOptions({}, config, entries);
    expect(members.map((m) => [m.functionName, m.options.alias, m.options.alarms])).toEqual([
      ['orders', 'live', ['orders-errors']],
      ['billing', 'prod', ['billing-5xx']],
    ]);
    expect(members[1]?.options.code).toEqual({ kind: 'version', version: '12' });
    expect(members[1]?.options.hooks.post.map((h) => h.raw)).toEqual(['cmd:./b.sh']);
    const flagged = resolveReleaseOptions({ alias: 'canary' }, config, entries);
    expect(flagged.members.map((m) => m.options.alias)).toEqual(['canary', 'canary']);
    // Named functions replace the configured list.
    expect(releaseFunctions(['x', 'y'], config)).toEqual(['x', 'y']);
  });

  it('a blank alarm in a functions: entry names that entry, not the top-level `alarms`', () => {
    const config = {
      alarms: ['shared-errors'],
      functions: ['orders', 'stock', { name: 'billing', alarms: ['billing-5xx', ' '] }],
    };
    const resolve = () => resolveReleaseOptions({}, config, releaseFunctions([], config));
    expect(resolve).toThrow(
      expect.objectContaining({
        code: 'ALARM_NAME_INVALID',
        message:
          'The config file’s functions[2] (billing): alarms[1] is blank: there is no alarm to watch by that name.',
      }),
    );
    // The top-level list is still named as such; --alarm replaces both and is named as the flag.
    const top = { ...config, alarms: [''], functions: ['orders'] };
    expect(() => resolveReleaseOptions({}, top, releaseFunctions([], top))).toThrow(
      '(the config file’s `alarms`)',
    );
    expect(
      resolveReleaseOptions({ alarm: ['x'] }, config, releaseFunctions([], config)).members,
    ).toHaveLength(3);
  });

  it('refuses a function named twice', () => {
    expect(() => releaseFunctions(['a', 'b', 'a'], {})).toThrow(/named twice/);
  });

  it('--sandbox-scenario: a scenario for all, or <scenario>:<function> for one', () => {
    expect(parseSandboxScenarios(['bad:b'], ['a', 'b', 'c'])).toEqual({
      a: 'healthy',
      b: 'bad',
      c: 'healthy',
    });
    expect(parseSandboxScenarios(['slow', 'bad:c'], ['a', 'c'])).toEqual({ a: 'slow', c: 'bad' });
    expect(() => parseSandboxScenarios(['bad:z'], ['a'])).toThrow(/z is not a function/);
  });

  // The last one won without a word (hostile pass): `bad` then `slow` deployed a slow demo.
  it('--sandbox-scenario: two that differ for one function are refused naming both', () => {
    expect(() => parseSandboxScenarios(['bad', 'slow'], ['a', 'b'])).toThrow(
      expect.objectContaining({
        code: 'CONFLICTING_FLAGS',
        exitCode: 2,
        message:
          '--sandbox-scenario "bad" and --sandbox-scenario "slow" both say what every function’s new version does.',
        hint: 'Keep one of them; to give one function another scenario, add <scenario>:<function> (e.g. --sandbox-scenario slow:b), which wins over the bare one for that function.',
      }),
    );
    expect(() => parseSandboxScenarios(['bad:b', 'slow', 'healthy:b'], ['a', 'b'])).toThrow(
      expect.objectContaining({
        code: 'CONFLICTING_FLAGS',
        message:
          '--sandbox-scenario "bad:b" and --sandbox-scenario "healthy:b" both say what b’s new version does.',
      }),
    );
    expect(() => parseSandboxScenarios(['bad', 'slow'], ['demo'])).toThrow(
      expect.objectContaining({
        message:
          '--sandbox-scenario "bad" and --sandbox-scenario "slow" both say what demo’s new version does.',
        hint: 'Keep one of them for demo.',
      }),
    );
  });

  it('--sandbox-scenario: one for a function wins over a bare one in either order; a repeat is no conflict', () => {
    expect(parseSandboxScenarios(['bad:c', 'slow'], ['a', 'c'])).toEqual({ a: 'slow', c: 'bad' });
    expect(parseSandboxScenarios(['bad', 'bad', 'slow:a', 'slow:a'], ['a', 'c'])).toEqual({
      a: 'slow',
      c: 'bad',
    });
  });

  it('a scenario with nothing after its colon names no function: said so, not " is not a function"', () => {
    for (const value of ['bad:', 'bad: ']) {
      expect(() => parseSandboxScenarios([value], ['a', 'b'])).toThrow(
        expect.objectContaining({
          code: 'INVALID_FLAG',
          message: `--sandbox-scenario "${value}" names no function after its colon.`,
          hint: 'Write bad:<function> (one of a, b), or bad alone for every function.',
        }),
      );
    }
  });
});

function fn(
  functionName: string,
  status: DeployResult['status'],
  extra: Partial<DeployResult> = {},
): DeployResult {
  return {
    status,
    functionName,
    alias: 'live',
    fromVersion: '1',
    toVersion: '2',
    steps: [],
    verdicts: [],
    ...extra,
  };
}

describe('the words of a release result', () => {
  const failing = causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm b-errors is ALARM');
  const release = {
    releaseId: 'r-abc123',
    mode: 'lockstep' as const,
    status: 'rolled_back' as const,
    failed: { functionName: 'b', alias: 'live' },
    startedAt: 0,
    endedAt: 120_000,
    functions: [
      fn('a', 'rolled_back', { cause: { ...failing, detail: 'function b failed: alarm b-errors is ALARM' } }),
      fn('b', 'rolled_back', { cause: failing, position: { kind: 'step', index: 0, percent: 10 } }),
    ],
  };

  it('names the failing function and says every function is back', () => {
    const worded = withReleaseReason(release);
    expect(worded.reason).toMatch(
      /^function b failed: rolled back at step 1 \(10%\): alarm b-errors is ALARM/,
    );
    expect(worded.reason).toMatch(/all 2 functions of release r-abc123 are back on their stable versions$/);
    const text = renderReleaseResult(worded);
    expect(text).toMatch(/^✖ Release r-abc123 rolled back \(lockstep, 2m\)/);
    expect(text).toContain('↩ a:live');
  });

  it("an interrupt is the release's, not a failure of the function that noticed it first", () => {
    const interrupted = causeOf('INTERRUPTED', { left: false });
    const worded = withReleaseReason({
      ...release,
      failed: { functionName: 'a', alias: 'live' },
      functions: [
        fn('a', 'rolled_back', { cause: interrupted, position: { kind: 'step', index: 2, percent: 30 } }),
        fn('b', 'rolled_back', { cause: interrupted, position: { kind: 'step', index: 2, percent: 30 } }),
      ],
    });
    expect(worded.reason).toMatch(/^the release was interrupted at step 3 \(30%\)/);
    expect(worded.reason).not.toContain('function a failed');
  });

  // Seen at a terminal (SIGINT between two levels, fa and fb on 14, fc on 9): "the release was
  // interrupted at step 2 (50%); all traffic is back on version 14; all 3 functions … are back
  // on their stable versions" — fc's traffic was on 9, the first function's stable version was
  // said of the whole release.
  it("an interrupt does not give the first function's stable version as every function's", () => {
    const interrupted = causeOf('INTERRUPTED', { left: false });
    const at = { kind: 'step', index: 1, percent: 50 } as const;
    const worded = withReleaseReason({
      ...release,
      failed: { functionName: 'fa', alias: 'live' },
      functions: [
        fn('fa', 'rolled_back', { cause: interrupted, position: at, fromVersion: '14', toVersion: '16' }),
        fn('fc', 'rolled_back', { cause: interrupted, position: at, fromVersion: '9', toVersion: '11' }),
      ],
    });
    expect(worded.reason).toBe(
      'the release was interrupted at step 2 (50%); all 2 functions of release r-abc123 are back on their stable versions',
    );
    // Each function's own reason still names its own stable version.
    expect(worded.functions.map((f) => f.reason)).toEqual([
      'interrupted at step 2 (50%); all traffic is back on version 14',
      'interrupted at step 2 (50%); all traffic is back on version 9',
    ]);
  });

  // Seen at a terminal (`deploy fa fb fc --on-interrupt leave`, SIGINT at 20%, exit 4): the
  // release's reason gave fa's weights and `lshift rollback fa --alias live` as the way back,
  // while fb and fc were left split too.
  it('--on-interrupt leave: names every function left split and the one rollback that undoes them all', () => {
    const left = causeOf('INTERRUPTED', { left: true });
    const at = { kind: 'step', index: 1, percent: 20 } as const;
    const split = (stable: string, target: string) => ({
      functionVersion: stable,
      additionalWeights: { [target]: 0.2 },
    });
    const worded = withReleaseReason({
      ...release,
      status: 'paused',
      failed: { functionName: 'fa', alias: 'live' },
      functions: [
        fn('fa', 'paused', {
          cause: left,
          position: at,
          fromVersion: '14',
          toVersion: '17',
          aliasState: split('14', '17'),
        }),
        fn('fb', 'paused', {
          cause: left,
          position: at,
          fromVersion: '14',
          toVersion: '17',
          aliasState: split('14', '17'),
        }),
        fn('fc', 'paused', {
          cause: left,
          position: at,
          fromVersion: '9',
          toVersion: '12',
          aliasState: split('9', '12'),
        }),
      ],
    });
    expect(worded.reason).toBe(
      'the release was interrupted at step 2 (20%); weights left as they are (--on-interrupt leave) on 3 functions: ' +
        'fa:live (version 14 (80%) + version 17 (20%)), fb:live (version 14 (80%) + version 17 (20%)), ' +
        'fc:live (version 9 (80%) + version 12 (20%)); undo them all with `lshift rollback --release r-abc123 fa fb fc`',
    );
    expect(worded.rollbackCommand).toBe('lshift rollback --release r-abc123 fa fb fc');
    expect(renderReleaseResult(worded)).toContain('  Fix: lshift rollback --release r-abc123 fa fb fc\n');
  });

  it('an interrupt before any traffic moved says no alias changed, not one alias of one function', () => {
    const interrupted = causeOf('INTERRUPTED', { left: false });
    const worded = withReleaseReason({
      ...release,
      failed: { functionName: 'fa', alias: 'live' },
      functions: [
        fn('fa', 'rolled_back', { cause: interrupted, trafficMoved: false }),
        fn('fb', 'rolled_back', { cause: interrupted, trafficMoved: false, alias: 'beta' }),
      ],
    });
    expect(worded.reason).toBe(
      'the release was interrupted before any traffic moved; all 2 functions of release r-abc123 are unchanged, all traffic still on their stable versions',
    );
  });

  it('has no reason when every function was promoted', () => {
    const worded = withReleaseReason({
      ...release,
      status: 'promoted',
      failed: undefined,
      functions: [fn('a', 'promoted')],
    });
    expect(worded.reason).toBeUndefined();
    expect(renderReleaseResult(worded)).toMatch(/^✔ Release r-abc123 promoted: 1 function in/);
  });

  it('says a warning every function has once, and names the functions of the others', () => {
    const worded = withReleaseReason({
      ...release,
      status: 'promoted',
      failed: undefined,
      functions: [
        fn('a', 'promoted', { warnings: ['no --alarm given: …'] }),
        fn('b', 'promoted', {
          warnings: ['no --alarm given: …', 'the canary analysis never judged version 2'],
        }),
      ],
    });
    expect(
      renderReleaseResult(worded)
        .split('\n')
        .filter((l) => l.includes('Warning')),
    ).toEqual([
      '  Warning: no --alarm given: …',
      '  Warning: b:live: the canary analysis never judged version 2',
    ]);
  });

  it('says plainly when every function already pointed at its target (not "✖ … Reason: unknown")', () => {
    const worded = withReleaseReason({
      ...release,
      status: 'nothing_to_deploy',
      failed: undefined,
      functions: [fn('a', 'nothing_to_deploy'), fn('b', 'nothing_to_deploy')],
    });
    const text = renderReleaseResult(worded);
    expect(text.split('\n')[0]).toBe(
      '✔ Nothing to deploy: every function of release r-abc123 already points at its target version.',
    );
    expect(text).not.toMatch(/unknown|✖/);
  });

  describe('rollbacks AWS refused (expired credentials)', () => {
    const refused = (name: string) =>
      fn(name, 'unsafe', {
        aliasState: { functionVersion: '1', additionalWeights: { '2': 0.1 } },
        fixCommand: `aws lambda update-alias --function-name ${name} --name live --function-version 1`,
        rollbackCommand: `lshift rollback ${name} --alias live`,
        position: { kind: 'step', index: 0, percent: 10 },
        cause: causeOf('ROLLBACK_FAILED', {
          attempts: 4,
          error: 'CREDENTIALS_INVALID: expired',
          errorCode: 'CREDENTIALS_INVALID',
          after: failing,
        }),
      });
    const unsafe = { ...release, status: 'unsafe' as const, functions: [refused('a'), refused('b')] };

    it('several functions left split: one `lshift rollback --release` in the reason, --json and the summary', () => {
      const worded = withReleaseReason(unsafe);
      const command = 'lshift rollback --release r-abc123 a b';
      expect(worded.rollbackCommand).toBe(command);
      expect(worded.reason).toMatch(
        /^function b failed: .*with fresh credentials run `lshift rollback --release r-abc123 a b`$/,
      );
      expect(worded.reason).not.toContain('lshift rollback b --alias');
      for (const f of worded.functions) expect(f.reason).toContain(`run \`${command}\``);
      const text = renderReleaseResult(worded);
      expect(text).toContain(`\n  Fix: ${command}\n`);
      expect(text).toMatch(/✖ b:live .* without lshift: aws lambda update-alias --function-name b /);
      expect(text).not.toContain('lshift rollback b --alias');
    });

    it('names the alias when it is not live, and keeps per-function commands across aliases', () => {
      const onProd = (name: string) => ({ ...refused(name), alias: 'prod' });
      expect(withReleaseReason({ ...unsafe, functions: [onProd('a'), onProd('b')] }).rollbackCommand).toBe(
        'lshift rollback --release r-abc123 a b --alias prod',
      );
      const mixed = withReleaseReason({ ...unsafe, functions: [onProd('a'), refused('b')] });
      expect(mixed.rollbackCommand).toBeUndefined();
      expect(mixed.reason).toMatch(/run `lshift rollback b --alias live`$/);
    });

    it('one function left split keeps its own command, lshift first in its row', () => {
      const worded = withReleaseReason({
        ...unsafe,
        functions: [fn('a', 'rolled_back', { cause: failing }), refused('b')],
      });
      expect(worded.rollbackCommand).toBeUndefined();
      expect(worded.reason).toMatch(/run `lshift rollback b --alias live`$/);
      expect(renderReleaseResult(worded)).toMatch(
        /✖ b:live .* fix: lshift rollback b --alias live \(without lshift: aws lambda update-alias --function-name b .*\)/,
      );
    });
  });
});

describe('the release table at a terminal', () => {
  it('a row per function: weight, health as last polled, what it does', () => {
    const drawn: string[][] = [];
    const table = createReleaseTable(['orders', 'billing'], (lines) => drawn.push(lines));
    const target = (functionName: string) => ({ functionName, alias: 'live' });
    table.emit({
      type: 'step.started',
      at: 0,
      index: 0,
      total: 4,
      percent: 25,
      holdSeconds: 60,
      target: target('billing'),
    });
    table.emit({
      type: 'health.polled',
      at: 1,
      index: 0,
      percent: 25,
      alarms: [],
      verdicts: [{ outcome: 'fail', gate: 'alarms', summary: 'alarm billing-errors is ALARM', at: 1 }],
      remainingSeconds: 30,
      target: target('billing'),
    } as never);
    expect(table.lines()).toEqual([
      'FUNCTION  WEIGHT  HEALTH          STATE',
      'orders        0%  —               checking',
      'billing      25%  FAILING         holding, 30s left',
    ]);
    expect(drawn).toHaveLength(2);
  });

  const started = (functions: string[], alias: string, mode: 'lockstep' | 'stagger' = 'lockstep') =>
    ({
      type: 'release.started',
      at: 1,
      releaseId: 'r-k3j9x2',
      mode,
      functions: functions.map((functionName) => ({ functionName, alias })),
    }) as const;

  it('the title line (the release id, once it started) goes above the header and redraws', () => {
    const drawn: string[][] = [];
    const table = createReleaseTable(['orders'], (lines) => drawn.push(lines));
    table.emit(started(['orders'], 'live'));
    expect(table.lines()).toEqual([
      'release r-k3j9x2 (lockstep, 1 function); abort it with `lshift abort --release r-k3j9x2 orders`',
      'FUNCTION  WEIGHT  HEALTH          STATE',
      'orders        0%  —               checking',
    ]);
    expect(drawn).toEqual([table.lines()]);
  });

  it('a function with nothing to deploy says so in words', () => {
    const table = createReleaseTable(['orders'], () => {});
    table.emit({
      type: 'deploy.finished',
      at: 0,
      result: { status: 'nothing_to_deploy' },
      target: { functionName: 'orders', alias: 'live' },
    } as never);
    // Its alias is all on the version the release names, as the CI summary's row says (final-percent.ts).
    expect(table.lines().at(-1)).toBe('orders      100%  —               nothing to deploy');
  });

  it.each<[string, string[], number | undefined, number]>([
    ['unknown width: a row a line', ['x'.repeat(300), 'y'], undefined, 2],
    ['short lines', ['ab', 'cd'], 80, 2],
    ['exactly the width is one row', ['x'.repeat(80)], 80, 1],
    ['a warning wider than the terminal wraps', ['x'.repeat(161), 'y'], 80, 4],
    ['an empty line still takes a row', [''], 80, 1],
  ])('redraws go up by the rows the lines took: %s', (_name, lines, columns, rows) => {
    expect(rowsTaken(lines, columns)).toBe(rows);
  });

  it('a redraw leaves no old text behind when wrapped lines shift (the title arrives above a warning)', () => {
    const columns = 20;
    const screen = createScreen(columns, 12);
    const frames = [
      [`Warning: ${'w'.repeat(45)}`, 'FUNCTION  STATE', 'orders    checking'],
      ['release r-1 (lockstep); abort it', `Warning: ${'w'.repeat(45)}`, 'FUNCTION  STATE', 'orders    ok'],
    ];
    let drawn = 0;
    for (const lines of frames) {
      const { control, text } = redrawText(drawn, lines);
      screen.write(control + text);
      drawn = rowsTaken(lines, columns);
    }
    const wrapped = frames[1]!.flatMap((l) => l.match(/.{1,20}/g) ?? ['']);
    expect(screen.rows().slice(0, wrapped.length + 1)).toEqual([...wrapped, '']);
  });

  it("the release's own warnings (no function named) stay above the header, under the title", () => {
    const table = createReleaseTable(['orders'], () => {});
    table.emit({ type: 'log', at: 0, level: 'warn', message: 'no --alarm given: …' });
    table.emit({ type: 'log', at: 0, level: 'info', message: 'not a warning' });
    table.emit(started(['orders'], 'live'));
    expect(table.lines()).toEqual([
      'release r-k3j9x2 (lockstep, 1 function); abort it with `lshift abort --release r-k3j9x2 orders`',
      'Warning: no --alarm given: …',
      'FUNCTION  WEIGHT  HEALTH          STATE',
      'orders        0%  —               checking',
    ]);
  });

  it('the release line says the mode and the whole abort command (with --alias when all share one)', () => {
    expect(describeReleaseStart(started(['orders', 'billing'], 'live'))).toBe(
      'release r-k3j9x2 (lockstep, 2 functions); abort it with `lshift abort --release r-k3j9x2 orders billing`',
    );
    expect(describeReleaseStart(started(['orders', 'billing'], 'prod', 'stagger'))).toBe(
      'release r-k3j9x2 (stagger, 2 functions); abort it with `lshift abort --release r-k3j9x2 orders billing --alias prod`',
    );
    // Over several aliases one command for all was refused away from the config file (session 61):
    // the release's command reader at its own alias is enough.
    const mixed = started(['orders', 'billing'], 'live');
    mixed.functions[1] = { functionName: 'billing', alias: 'prod' };
    expect(describeReleaseStart(mixed)).toBe(
      'release r-k3j9x2 (lockstep, 2 functions); abort it with `lshift abort --release r-k3j9x2 billing --alias prod` (one function is enough: its runner rolls every function of the release back, whatever their aliases)',
    );
    expect(describeReleaseStart({ ...started(['orders'], 'live'), resumed: true })).toBe(
      'release r-k3j9x2 resumed (lockstep, 1 function); abort it with `lshift abort --release r-k3j9x2 orders`',
    );
  });

  it('a paused release shows every holding function paused, whichever function obeyed the pause', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const holding = (functionName: string) =>
      ({
        type: 'health.polled',
        at: 1,
        index: 0,
        percent: 20,
        alarms: [],
        verdicts: [],
        remainingSeconds: 50,
        target: { functionName, alias: 'live' },
      }) as never;
    table.emit(holding('orders'));
    table.emit(holding('billing'));
    const command = (verb: 'pause' | 'resume') =>
      ({
        type: 'operator.command',
        at: 2,
        verb,
        by: 'ann@laptop:9',
        obeyed: true,
        target: { functionName: 'orders', alias: 'live' },
      }) as never;
    table.emit(command('pause'));
    expect(
      table
        .lines()
        .slice(1)
        .map((l) => l.split('  ').at(-1)?.trim()),
    ).toEqual(['paused, watched', 'paused, watched']);
    table.emit(command('resume'));
    expect(
      table
        .lines()
        .slice(1)
        .map((l) => l.split('  ').at(-1)?.trim()),
    ).toEqual(['holding, 50s left', 'holding, 50s left']);
  });

  it('--stagger: a function watched while another holds says so, promoted or waiting its turn', () => {
    const table = createReleaseTable(['orders', 'billing'], () => {});
    const polled = (functionName: string, percent: number) =>
      ({
        type: 'health.polled',
        at: 1,
        index: 0,
        percent,
        alarms: [],
        verdicts: [{ outcome: 'pass', gate: 'alarms', summary: 'no alarm in ALARM', at: 1 }],
        remainingSeconds: 0,
        alongside: true,
        target: { functionName, alias: 'live' },
      }) as never;
    table.emit(polled('orders', 100));
    table.emit(polled('billing', 0));
    expect(table.lines().slice(1)).toEqual([
      'orders      100%  ok              promoted, watched',
      'billing       0%  ok              waiting its turn, watched',
    ]);
  });
});
