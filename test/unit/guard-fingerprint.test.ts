import { describe, expect, it } from 'vitest';
import {
  decodeGuards,
  describeGuardDifference,
  describeGuards,
  describeGuardsToRepeat,
  describeReleaseResumeFlags,
  describeResumeFlags,
  encodeGuards,
  fingerprintGuards,
  type GuardSet,
  sameGuards,
} from '../../src/domain/guard-fingerprint.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';

const hook = (spec: string) => parseHookSpec(spec, '--pre-hook');

const FIRST: GuardSet = {
  alarms: ['orders-errors', 'orders-p99'],
  hooks: [{ pre: [hook('cmd:./smoke.sh')] }],
  bakeSeconds: 600,
  analysis: true,
};

describe('fingerprintGuards', () => {
  it('counts the alarms, the hooks of each phase, the bake and the analysis, with a 7-character hash', () => {
    const fp = fingerprintGuards({
      ...FIRST,
      hooks: [
        { pre: [hook('cmd:a')], post: [hook('cmd:b'), hook('lambda:check')] },
        { step: [hook('cmd:c')] },
      ],
    });
    expect(fp).toMatchObject({
      alarms: 2,
      hooks: { pre: 1, step: 1, post: 2, rollback: 0 },
      bakeSeconds: 600,
      analysis: true,
    });
    expect(fp.hash).toMatch(/^[0-9a-z]{7}$/);
  });

  it('does not depend on the order of alarms or hooks, nor on an alarm named twice', () => {
    const a = fingerprintGuards(FIRST);
    const reordered = fingerprintGuards({
      ...FIRST,
      alarms: ['orders-p99', 'orders-errors', 'orders-p99'],
      hooks: [undefined, { pre: [hook('cmd:./smoke.sh')], step: [] }],
    });
    expect(reordered).toEqual(a);
  });

  const changes: [string, Partial<GuardSet>][] = [
    ['another alarm name', { alarms: ['orders-errors', 'orders-p90'] }],
    ['one alarm fewer', { alarms: ['orders-errors'] }],
    ['no alarm', { alarms: [] }],
    ['another pre-traffic hook', { hooks: [{ pre: [hook('cmd:./other.sh')] }] }],
    ['the same hook in another phase', { hooks: [{ post: [hook('cmd:./smoke.sh')] }] }],
    ['no hook', { hooks: [] }],
    ['a shorter bake', { bakeSeconds: 300 }],
    ['no bake', { bakeSeconds: 0 }],
    ['the analysis off', { analysis: false }],
  ];
  it.each(changes)('differs with %s', (_, change) => {
    expect(sameGuards(fingerprintGuards({ ...FIRST, ...change }), fingerprintGuards(FIRST))).toBe(false);
  });

  it('hashes hooks as shown: a rotated token in a hook URL is the same guard, and never hashed raw', () => {
    const url = (token: string) => ({
      ...FIRST,
      hooks: [{ post: [hook(`https://ci.example/h?token=${token}`)] }],
    });
    expect(fingerprintGuards(url('old'))).toEqual(fingerprintGuards(url('new')));
  });

  it('ignores hook timeouts (not a guard)', () => {
    const timed = { ...hook('cmd:./smoke.sh'), timeoutSeconds: 30 };
    expect(fingerprintGuards({ ...FIRST, hooks: [{ pre: [timed] }] })).toEqual(fingerprintGuards(FIRST));
  });
});

describe('encodeGuards / decodeGuards', () => {
  const cases: [string, GuardSet, RegExp][] = [
    ['alarms, a pre hook, a bake', FIRST, /^2\.p1\.600\.1\.[0-9a-z]{7}$/],
    [
      'nothing at all',
      { alarms: [], hooks: [], bakeSeconds: 0, analysis: true },
      /^0\.-\.0\.1\.[0-9a-z]{7}$/,
    ],
    [
      'every phase, analysis off',
      {
        alarms: ['a'],
        hooks: [
          {
            pre: [hook('cmd:1')],
            step: [hook('cmd:2'), hook('cmd:3')],
            post: [hook('cmd:4')],
            rollback: [hook('cmd:5')],
          },
        ],
        bakeSeconds: 14 * 86_400,
        analysis: false,
      },
      /^1\.p1s2o1r1\.1209600\.0\.[0-9a-z]{7}$/,
    ],
  ];
  it.each(cases)('%s round-trips', (_, set, form) => {
    const fp = fingerprintGuards(set);
    const text = encodeGuards(fp);
    expect(text).toMatch(form);
    expect(decodeGuards(text)).toEqual(fp);
  });

  const garbage = [
    '',
    'yes',
    '2.p1.600.1',
    '2.p1.600.1.abc',
    '2.p1.600.1.ABCDEFG',
    '2.p1.600.2.abcdefg',
    '2.x1.600.1.abcdefg',
    '2.o1p1.600.1.abcdefg',
    '2.p0.600.1.abcdefg',
    '2..600.1.abcdefg',
    '-1.p1.600.1.abcdefg',
    '2.p1.6e2.1.abcdefg',
    '2.p1.600.1.abcdefg.extra',
  ];
  it.each(garbage)('refuses %j', (text) => {
    expect(decodeGuards(text)).toBeUndefined();
  });
});

describe('describing guards', () => {
  const fp = (set: Partial<GuardSet>) => fingerprintGuards({ ...FIRST, ...set });
  const none = fp({ alarms: [], hooks: [], bakeSeconds: 0 });

  it.each([
    [fp({}), 'past', 'watched 2 alarms, ran a pre-traffic hook and baked 10m'],
    [none, 'present', 'watches 0 alarms, runs no hook and does not bake'],
    [
      fp({
        alarms: ['x'],
        hooks: [{ post: [hook('cmd:a'), hook('cmd:b')], rollback: [hook('cmd:c')] }],
        analysis: false,
      }),
      'present',
      'watches 1 alarm, runs 2 post-traffic hooks and a rollback hook, bakes 10m and has the canary analysis off',
    ],
  ] as const)('%#: %s', (guards, tense, words) => {
    expect(describeGuards(guards, tense)).toBe(words);
  });

  it('says what the first run had and what this resume has', () => {
    expect(describeGuardDifference(fp({}), none)).toBe(
      'the first run watched 2 alarms, ran a pre-traffic hook and baked 10m; this resume watches 0 alarms, runs no hook and does not bake',
    );
  });

  it('names the analysis on both sides when one has it off', () => {
    expect(describeGuardDifference(fp({}), fp({ analysis: false }))).toBe(
      'the first run watched 2 alarms, ran a pre-traffic hook, baked 10m and had the canary analysis on; this resume watches 2 alarms, runs a pre-traffic hook, bakes 10m and has the canary analysis off',
    );
  });

  it('does not name the analysis when both sides have it the same (off too)', () => {
    expect(describeGuardDifference(fp({ analysis: false }), fp({ analysis: false, bakeSeconds: 0 }))).toBe(
      'the first run watched 2 alarms, ran a pre-traffic hook and baked 10m; this resume watches 2 alarms, runs a pre-traffic hook and does not bake',
    );
  });

  it('when every count agrees, says the names or specs differ', () => {
    const other = fp({ alarms: ['orders-errors', 'orders-p90'] });
    expect(describeGuardDifference(fp({}), other)).toBe(
      `the first run watched 2 alarms, ran a pre-traffic hook and baked 10m, and so does this resume, but not with the same alarm names or hook specs (fingerprints ${fp({}).hash} and ${other.hash})`,
    );
  });

  it('says what a resume must pass again, or nothing when there is nothing', () => {
    expect(describeGuardsToRepeat(fp({}))).toBe('it watched 2 alarms, ran a pre-traffic hook and baked 10m');
    expect(
      describeGuardsToRepeat(fp({ alarms: [], bakeSeconds: 0, hooks: [{ post: [hook('cmd:a')] }] })),
    ).toBe('it ran a post-traffic hook');
    expect(describeGuardsToRepeat(fp({ alarms: [], hooks: [], bakeSeconds: 0, analysis: false }))).toBe(
      'it had the canary analysis off',
    );
    expect(describeGuardsToRepeat(none)).toBeUndefined();
  });

  it.each([
    [
      undefined,
      " plus the first run's --alarm, hook and --bake flags, if it had any (its record does not keep them)",
    ],
    [none, ''],
    [fp({ hooks: [] }), " plus the first run's --alarm and --bake flags (it watched 2 alarms and baked 10m)"],
    [
      fp({ alarms: [], bakeSeconds: 0, analysis: false }),
      " plus the first run's hook and --no-analysis flags (it ran a pre-traffic hook and had the canary analysis off)",
    ],
    [
      fp({ alarms: ['x'], hooks: [], bakeSeconds: 0 }),
      " plus the first run's --alarm flag (it watched 1 alarm)",
    ],
  ])('a resume hint adds %#: %j', (guards, words) => {
    expect(describeResumeFlags(guards)).toBe(words);
  });

  // A lockstep release's resume names every function: what each needs again, when they differ.
  it('a release’s resume hint: one set of flags when all agree, else each function’s', () => {
    const alarm = fp({ alarms: ['x'], hooks: [], bakeSeconds: 0 });
    const same = [
      { functionName: 'fa', guards: alarm },
      { functionName: 'fb', guards: fp({ alarms: ['y'], hooks: [], bakeSeconds: 0 }) },
    ];
    expect(describeReleaseResumeFlags(same)).toBe(" plus the first run's --alarm flag (it watched 1 alarm)");
    expect(describeReleaseResumeFlags([same[0]!, { functionName: 'fb', guards: none }])).toBe(
      " plus the first run's flags and config file, not the same for every function (fa watched 1 alarm)",
    );
    expect(describeReleaseResumeFlags([same[0]!, { functionName: 'fb', guards: undefined }])).toBe(
      " plus the first run's flags and config file, not the same for every function (fa watched 1 alarm; fb's record does not keep them)",
    );
  });
});
