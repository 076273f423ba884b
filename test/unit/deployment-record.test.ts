import { describe, expect, it } from 'vitest';
import { type AnalysisConfig, DEFAULT_ANALYSIS_CONFIG } from '../../src/domain/analysis/config.js';
import {
  createDeploymentId,
  createReleaseId,
  type DeploymentPhase,
  type DeploymentRecord,
  decodeRecord,
  encodeRecord,
  isReleaseId,
  MAX_JUDGED_GAP_SECONDS,
  MAX_TAG_VALUE_LENGTH,
  RECORD_TAG_PREFIX,
  type RecordCause,
  recordableOwner,
  recordCauseOf,
  recordTagKey,
} from '../../src/domain/deployment-record.js';
import { ExitCode, OperationError, UsageError } from '../../src/domain/errors.js';
import { encodeGuards, fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { causeOf } from '../../src/domain/outcome.js';
import { KEEP_MOVE_UNCONFIRMED_REASON } from '../../src/domain/record-end-reason.js';
import { escapeText } from '../../src/domain/record-text.js';

/** The characters AWS allows in a tag value (letters, spaces, digits and `_ . : / = + - @`). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const BASE: DeploymentRecord = {
  id: 'd-k3j9x2',
  stableVersion: '6',
  targetVersion: '7',
  strategy: 'canary:10%:5m',
  stepIndex: 0,
  percent: 10,
  phase: 'shifting',
  startedAt: 1_795_000_000_123,
  owner: 'alice@laptop:4242',
  heartbeatAt: 1_795_000_030_456,
  history: ['6', '5'],
};

function roundTrip(r: DeploymentRecord): DeploymentRecord {
  const value = encodeRecord(r);
  expect(value).toMatch(TAG_VALUE);
  expect(value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
  return decodeRecord(value);
}

function errorOf(run: () => unknown): OperationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OperationError);
    return error as OperationError;
  }
  throw new Error('expected an OperationError');
}

describe('recordTagKey', () => {
  it('prefixes the alias', () => {
    expect(RECORD_TAG_PREFIX).toBe('lshift:');
    expect(recordTagKey('live')).toBe('lshift:live');
  });

  it('refuses an alias that would make the key longer than 128 characters', () => {
    expect(recordTagKey('a'.repeat(121))).toHaveLength(128);
    expect(() => recordTagKey('a'.repeat(122))).toThrow(UsageError);
  });
});

describe('createDeploymentId', () => {
  it('is d- and six base-36 characters drawn from the random source', () => {
    const values = [0, 0.999999, 0.5, 0.1, 0.72, 0.03];
    let i = 0;
    expect(createDeploymentId(() => values[i++]!)).toBe('d-0zi3p1');
  });

  it('stays in range for out-of-range random values', () => {
    expect(createDeploymentId(() => 1)).toBe('d-zzzzzz');
    expect(createDeploymentId(() => -0.5)).toBe('d-000000');
  });

  it('matches the id pattern', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let n = 0; n < 50; n++) expect(createDeploymentId(random)).toMatch(/^d-[0-9a-z]{6}$/);
  });
});

describe('encodeRecord / decodeRecord', () => {
  it('writes a compact, versioned value', () => {
    expect(encodeRecord(BASE)).toBe(
      `v1 id=d-k3j9x2 s=6 t=7 st=canary:10=:5m i=0 p=10 ph=shifting a=${(1_795_000_000_123).toString(36)} ` +
        `hb=${(1_795_000_030_456).toString(36)} o=alice@laptop:4242 h=6.5`,
    );
  });

  const variants: [string, DeploymentRecord][] = [
    ['the base record', BASE],
    [
      'an ended record',
      { ...BASE, phase: 'promoted', percent: 100, stepIndex: 1, endedAt: 1_795_000_400_000 },
    ],
    ['a decimal weight', { ...BASE, percent: 0.5 }],
    ['a --warm amount', { ...BASE, warm: 12 }],
    ['a float-noise weight', { ...BASE, percent: 0.1 * 3 }],
    ['no history', { ...BASE, history: [] }],
    ['an empty owner', { ...BASE, owner: '' }],
    [
      'a step-list strategy',
      { ...BASE, strategy: 'steps:1%@2m,10%@5m,50%@10m,100%', stepIndex: 2, percent: 50 },
    ],
    ['a CodeDeploy name', { ...BASE, strategy: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute' }],
    ['odd characters in strings', { ...BASE, strategy: 'a b+c%d=e_f/g,h ü 漢 😀', stableVersion: '$LATEST' }],
    ['a strategy with escape look-alikes', { ...BASE, strategy: '+25+2C=/%,' }],
    ['dots in history entries', { ...BASE, history: ['1.2', '3'] }],
    ['a --stagger release', { ...BASE, releaseId: 'r-abc123', stagger: true }],
    ['epoch zero', { ...BASE, startedAt: 0, heartbeatAt: 0, endedAt: 0 }],
  ];
  it.each(variants)('round-trips %s', (_, record) => {
    expect(roundTrip(record)).toEqual(record);
  });

  it.each<DeploymentPhase>([
    'started',
    'pre-hook',
    'shifting',
    'baking',
    'post-hook',
    'promoted',
    'rolling-back',
    'rolled-back',
    'paused',
    'failed',
  ])('round-trips phase %s', (phase) => {
    expect(roundTrip({ ...BASE, phase }).phase).toBe(phase);
  });

  it('sanitises the owner to plain tag characters', () => {
    const decoded = roundTrip({ ...BASE, owner: 'Jo Smith+ci (runner #3)@host:1' });
    expect(decoded.owner).toBe('Jo_Smith_ci__runner__3_@host:1');
  });

  it('truncates a long owner to 64 characters', () => {
    expect(roundTrip({ ...BASE, owner: 'x'.repeat(500) }).owner).toBe('x'.repeat(64));
  });

  // A claimer (check-claim.ts) reads its claim back and compares owners: it compares this.
  it.each([
    ['a plain owner', 'check:alice@laptop:4242'],
    ['a long one', `rollback:gha:${'org/'.repeat(30)}12345`],
    ['one with characters a tag cannot hold', 'rollback:Jo Smith+ci@host:1'],
  ])('recordableOwner is the owner as it reads back (%s)', (_, owner) => {
    expect(roundTrip({ ...BASE, owner }).owner).toBe(recordableOwner(owner));
  });

  it('fits in 256 characters with a long owner and history, dropping the oldest history first', () => {
    const history = Array.from({ length: 200 }, (_, i) => String(1_000_000 - i));
    const record: DeploymentRecord = {
      ...BASE,
      id: 'd-zzzzzz',
      stableVersion: '999999',
      targetVersion: '1000000',
      strategy: 'steps:1%@2m,10%@5m,50%@10m,100%',
      percent: 33.333333333333336,
      phase: 'rolling-back',
      endedAt: 4_102_444_800_000,
      owner: `${'runner-'.repeat(60)}@host:99999`,
      history,
    };
    const value = encodeRecord(record);
    expect(value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    expect(value).toMatch(TAG_VALUE);
    const decoded = decodeRecord(value);
    expect(decoded.history.length).toBeGreaterThan(1);
    expect(decoded.history.length).toBeLessThan(history.length);
    expect(decoded.history).toEqual(history.slice(0, decoded.history.length));
    expect(decoded.owner).toBe(record.owner.slice(0, 64));
    expect({ ...decoded, owner: record.owner, history }).toEqual(record);
  });

  it('keeps the most recent history entry even when the owner takes the room', () => {
    const long = 'x'.repeat(60);
    const record: DeploymentRecord = {
      ...BASE,
      strategy: `steps:${Array.from({ length: 9 }, (_, i) => `${i + 1}%@1m`).join(',')},100%`,
      owner: 'o'.repeat(300),
      history: [long, 'older'],
    };
    const decoded = decodeRecord(encodeRecord(record));
    expect(decoded.history).toEqual([long]);
    expect(encodeRecord(record).length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
  });

  it('refuses a record that cannot fit even without owner and older history', () => {
    const strategy = `steps:${Array.from({ length: 40 }, (_, i) => `${i + 1}%@1m`).join(',')},100%`;
    const error = (() => {
      try {
        encodeRecord({ ...BASE, strategy });
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('expected RECORD_TOO_LARGE');
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.hint).toContain('fewer');
  });

  it('quotes a long strategy in RECORD_TOO_LARGE cut to 200 characters and its size, as every error repeats input', () => {
    const strategy = `steps:${Array.from({ length: 60 }, (_, i) => `${i + 1.5}%@1m`).join(',')},100%`;
    expect(strategy).toHaveLength(541);
    const error = (() => {
      try {
        encodeRecord({ ...BASE, strategy });
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('expected RECORD_TOO_LARGE');
    })();
    expect(error.code).toBe('RECORD_TOO_LARGE');
    expect(error.message).toContain(`\`${strategy.slice(0, 200)}… (541 characters)\``);
    expect(error.message).not.toContain(strategy.slice(0, 201));
  });

  describe('a record that a release’s own fields push over a tag value', () => {
    const steps = (n: number) =>
      `steps:${Array.from({ length: n }, (_, i) => `${i + 1}%@1m`).join(',')},100%`;
    const refusal = (r: DeploymentRecord): UsageError => {
      try {
        encodeRecord(r);
      } catch (e) {
        expect(e).toBeInstanceOf(UsageError);
        return e as UsageError;
      }
      throw new Error('expected RECORD_TOO_LARGE');
    };
    const fits = (r: DeploymentRecord) => {
      try {
        return encodeRecord(r).length > 0;
      } catch {
        return false;
      }
    };
    /** The shortest step list whose record fits for one function but not with ` rl=r-…` (12 more). */
    const boundary = (() => {
      for (let n = 1; n < 60; n++) {
        const strategy = steps(n);
        if (fits({ ...BASE, strategy }) && !fits({ ...BASE, strategy, releaseId: 'r-abc123' }))
          return strategy;
      }
      throw new Error('no strategy on the boundary');
    })();

    it('says that rl= is what pushes it over, and that one function alone fits', () => {
      const error = refusal({ ...BASE, strategy: boundary, releaseId: 'r-abc123' });
      expect(error.code).toBe('RECORD_TOO_LARGE');
      const [, needed, alone] =
        /needs (\d+) characters; a Lambda tag value holds 256: the release's own field `rl=` \(its id\) adds 12 of them: a single function's record needs (\d+), which fits$/.exec(
          error.message,
        ) ?? [];
      expect(Number(needed) - Number(alone)).toBe(12);
      expect(Number(alone)).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
      expect(error.hint).toMatch(/^The same strategy works for each function deployed on its own /);
      expect(error.hint).toContain('deploy them one at a time');
      expect(error.hint).toContain(
        `its record is ${Number(needed) - MAX_TAG_VALUE_LENGTH} characters too long`,
      );
    });

    it('one character over is "1 character too long" (found by a garbage-input pass: "1 characters")', () => {
      const over = (() => {
        for (let n = 1; n < 60; n++)
          for (let k = 1; k < 30; k++) {
            const r = { ...BASE, strategy: steps(n), releaseId: `r-${'a'.repeat(k)}` };
            if (!fits(r) && /needs 257 characters/.test(refusal(r).message)) return r;
          }
        throw new Error('no record one character over');
      })();
      expect(refusal(over).hint).toMatch(/ is 1 character too long\.$/);
    });

    it('counts sg=1 of a --stagger release with rl=', () => {
      const error = refusal({ ...BASE, strategy: boundary, releaseId: 'r-abc123', stagger: true });
      expect(error.message).toMatch(/own fields `rl=` \(its id\) and `sg=1` \(--stagger\) add 17 of them: /);
    });

    it('a record too large even for one function: only fewer steps, no word of the release', () => {
      const error = refusal({ ...BASE, strategy: steps(40), releaseId: 'r-abc123' });
      expect(error.message).not.toMatch(/release|rl=/);
      expect(error.hint).toMatch(
        /^Use a strategy with fewer or shorter steps .*: the record is \d+ characters too long\.$/,
      );
    });
  });

  it('refuses non-integer times', () => {
    expect(() => encodeRecord({ ...BASE, startedAt: 1.5 })).toThrow(/startedAt/);
    expect(() => encodeRecord({ ...BASE, percent: Number.NaN })).toThrow(/percent/);
  });

  it("writes --warm's amount as w= (decimal)", () => {
    expect(encodeRecord({ ...BASE, warm: 12 })).toContain(' w=12 ');
  });

  it('ignores keys it does not know, so v1 can grow', () => {
    expect(decodeRecord(`${encodeRecord(BASE)} zz=future`)).toEqual(BASE);
  });

  it('reads control characters another writer escaped into its texts as U+FFFD, a bidi override as \\u{202E}, never raw', () => {
    // An operator's reason and a foreign owner: a newline, ESC and a right-to-left override.
    const value = `${encodeRecord(BASE)} c=abort.k3j9.sent.eve+0A@x.ok+0A::stop-commands::x+1B+5B8m+E2+80+AE`;
    const decoded = decodeRecord(value.replace('o=alice@laptop:4242', 'o=ev+0Ae+1B+5B2J'));
    expect(decoded.command).toMatchObject({
      by: 'eve\uFFFD@x',
      reason: 'ok\uFFFD::stop-commands::x\uFFFD[8m\\u{202E}',
    });
    expect(decoded.owner).toBe('ev\uFFFDe\uFFFD[2J');
  });
});

// Session 65: written in words the keep-move mark took 76 of the 256 characters, and a long CI
// owner (its machine token at the end) was cut: only the 3-minute heartbeat rule then told
// whether its run still lived.
describe('the keep-move mark (record-end-reason.ts)', () => {
  const owner = 'gha:my-organization/payments-orders-service/12345678901/f69bed9a';
  const marked: DeploymentRecord = {
    ...BASE,
    owner,
    engine: 'codedeploy',
    codeDeployId: 'd-1CB7D0908',
    runnerToken: 'qpmw84',
    aliasRevision: 'd4193628',
    guards: {
      alarms: 2,
      hooks: { pre: 1, step: 0, post: 1, rollback: 0 },
      bakeSeconds: 600,
      analysis: true,
      hash: 'jg6gwvm',
      judging: { absoluteGates: 2, hash: '0gi3uo6' },
    },
    endReason: KEEP_MOVE_UNCONFIRMED_REASON,
  };

  it('is written as a code: a 64-character owner stays whole beside it', () => {
    expect(encodeRecord(marked)).toContain(' r=@km ');
    const decoded = roundTrip(marked);
    expect(decoded.owner).toBe(owner);
    expect(decoded.endReason).toBe(KEEP_MOVE_UNCONFIRMED_REASON);
  });

  it('an older record in words reads the same', () => {
    const old = encodeRecord({ ...BASE, endReason: 'x' }).replace(
      ' r=x ',
      ` r=${escapeText(KEEP_MOVE_UNCONFIRMED_REASON)} `,
    );
    expect(decodeRecord(old).endReason).toBe(KEEP_MOVE_UNCONFIRMED_REASON);
  });

  it('a code this lshift does not know reads as its text, not as RECORD_CORRUPT', () => {
    const newer = encodeRecord({ ...BASE, endReason: 'x' }).replace(' r=x ', ' r=@zz ');
    expect(decodeRecord(newer).endReason).toBe('@zz');
  });

  // h2's pass: a crafted code named a built-in of a plain object (`function Object() …` in status,
  // and re-encoding the record threw).
  it.each(['@constructor', '@toString', '@hasOwnProperty', '@__proto__', '@valueOf'])(
    'a crafted code %s reads as its text and re-encodes',
    (code) => {
      const crafted = encodeRecord({ ...BASE, endReason: 'x' }).replace(' r=x ', ` r=${code} `);
      const read = decodeRecord(crafted);
      expect(read.endReason).toBe(code);
      expect(encodeRecord(read)).toContain(` r=${code} `);
    },
  );
});

describe('decodeRecord errors', () => {
  const good = encodeRecord(BASE);
  const bad: [string, string, string][] = [
    ['an empty value', '', 'does not start with a record format version'],
    ['JSON', '{"id":"d-1"}', 'does not start with a record format version'],
    ['a newer version', good.replace('v1 ', 'v2 '), 'uses record format v2, which this lshift does not read'],
    ['a missing field', good.replace(/ ph=\S+/, ''), 'has no `ph=`'],
    ['an unknown phase', good.replace('ph=shifting', 'ph=dancing'), 'has an unknown phase `dancing`'],
    ['a bad number', good.replace('i=0', 'i=x'), 'has an invalid number `x`'],
    ['a bad time', good.replace(/ a=\S+/, ' a=-1'), 'has an invalid number `-1`'],
    ['a bad percent', good.replace('p=10', 'p=ten'), 'has an invalid percentage `ten`'],
    ['a duplicate key', `${good} id=d-2`, 'has `id=` twice'],
    ['a pair without =', `${good} garbage`, 'has a malformed part `garbage`'],
    ['a bad escape', good.replace('st=canary:10=', 'st=canary:10+2'), 'has a badly escaped value'],
    ['invalid UTF-8', good.replace('st=canary:10=', 'st=canary:10+FF'), 'has invalid escaped text `+FF`'],
  ];
  it.each(bad)('%s → %s', (_, value, fragment) => {
    const error = errorOf(() => decodeRecord(value));
    expect(error.code).toBe('RECORD_CORRUPT');
    expect(error.exitCode).toBe(ExitCode.Failed);
    expect(error.message).toContain(fragment);
    expect(error.hint).toBeTruthy();
  });

  it('names the function and alias when given, and says how to clear the tag', () => {
    const error = errorOf(() => decodeRecord('garbage', { functionName: 'orders', alias: 'live' }));
    expect(error.message).toContain('Tag `lshift:live` on function orders');
    expect(error.hint).toContain('--tag-keys lshift:live');
    expect(error.context).toEqual({ functionName: 'orders', alias: 'live' });
  });

  it('tells the user to upgrade for a newer format', () => {
    expect(errorOf(() => decodeRecord('v9 id=x')).hint).toContain('upgrade lshift');
  });
});

describe('the release key (rl=, issue 13)', () => {
  it('round-trips the release id and leaves records without one as they were', () => {
    const value = encodeRecord({ ...BASE, releaseId: 'r-k3j9x2' });
    expect(value).toContain(' rl=r-k3j9x2');
    expect(decodeRecord(value).releaseId).toBe('r-k3j9x2');
    expect(encodeRecord(BASE)).not.toContain('rl=');
    expect(decodeRecord(encodeRecord(BASE))).not.toHaveProperty('releaseId');
  });

  it('makes release ids as r- and six base-36 characters, and knows them', () => {
    const id = createReleaseId(() => 0.5);
    expect(id).toMatch(/^r-[0-9a-z]{6}$/);
    expect(isReleaseId(id)).toBe(true);
    expect(isReleaseId('d-abc123')).toBe(false);
    expect(isReleaseId('r-abc')).toBe(false);
  });
});

describe('engine keys (issue 12)', () => {
  it('writes en=cd and cd=<id> for a CodeDeploy deployment and reads them back', () => {
    const record: DeploymentRecord = { ...BASE, engine: 'codedeploy', codeDeployId: 'd-ABCDEF123' };
    const value = encodeRecord(record);
    expect(value).toContain(' en=cd cd=d-ABCDEF123 ');
    expect(roundTrip(record)).toEqual(record);
  });

  it('writes neither for the native engine', () => {
    expect(encodeRecord(BASE)).not.toMatch(/ en=| cd=/);
    expect(roundTrip(BASE)).toEqual(BASE);
  });

  it('refuses an engine it does not know', () => {
    expect(() => decodeRecord(`${encodeRecord(BASE)} en=xx`)).toThrow(/unknown engine `xx`/);
  });
});

/** `steps:1%@1m,2%@1m,…,100%`: n steps, each a few characters of the record. */
const steps = (n: number) => `steps:${Array.from({ length: n }, (_, i) => `${i + 1}%@1m`).join(',')},100%`;

/** The number of steps whose record fits without these guards and not with them. */
function stepsThatFitOnlyWithout(guards: DeploymentRecord['guards']): number | undefined {
  const fits = (r: DeploymentRecord) => {
    try {
      return encodeRecord(r).length > 0;
    } catch {
      return false;
    }
  };
  return Array.from({ length: 60 }, (_, i) => i + 1).find(
    (k) => fits({ ...BASE, strategy: steps(k) }) && !fits({ ...BASE, strategy: steps(k), guards }),
  );
}

describe('the guard fingerprint (gd=)', () => {
  const guards = fingerprintGuards({
    alarms: ['orders-errors', 'orders-p99'],
    hooks: [{ post: [parseHookSpec('cmd:./smoke.sh', '--post-hook')] }],
    bakeSeconds: 600,
    analysis: true,
  });
  it('round-trips, and a record without it (an older lshift) reads as before', () => {
    const record = { ...BASE, guards };
    const value = encodeRecord(record);
    expect(value).toContain(` gd=${encodeGuards(guards)} o=`);
    expect(roundTrip(record)).toEqual(record);
    expect(encodeRecord(BASE)).not.toContain('gd=');
    expect(decodeRecord(encodeRecord(BASE))).not.toHaveProperty('guards');
  });

  it('is never dropped for room: the owner, the command texts and older history go first', () => {
    const history = Array.from({ length: 100 }, (_, i) => String(1000 - i));
    const record: DeploymentRecord = {
      ...BASE,
      strategy: steps(6),
      owner: 'o'.repeat(300),
      history,
      guards,
      command: {
        verb: 'abort',
        nonce: 'k3j9',
        state: 'sent',
        by: 'ann@laptop:41',
        reason: 'p99 is bad '.repeat(5),
      },
    };
    const value = encodeRecord(record);
    expect(value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
    const decoded = decodeRecord(value);
    expect(decoded.guards).toEqual(guards);
    expect(decoded.history.length).toBeLessThan(history.length);
  });

  it('a strategy whose record fits only without it is refused (RECORD_TOO_LARGE), not written without it', () => {
    const n = stepsThatFitOnlyWithout(guards);
    expect(n).toBeDefined();
    expect(() => encodeRecord({ ...BASE, strategy: steps(n!), guards })).toThrow(
      expect.objectContaining({
        code: 'RECORD_TOO_LARGE',
        hint: expect.stringContaining(
          `fewer steps; the guard fingerprint \`gd=\` that --resume checks takes ${encodeGuards(guards).length + 4}): the record is`,
        ),
      }),
    );
  });

  it.each([
    ['a word', 'yes'],
    ['a truncated value', '2.o1.600.1'],
    ['an unknown hook letter', '2.x1.600.1.abcdefg'],
    ['a bad analysis flag', '2.o1.600.7.abcdefg'],
    ['an empty value', ''],
  ])('refuses %s in a hand-edited tag as RECORD_CORRUPT, naming it', (_, text) => {
    const error = errorOf(() => decodeRecord(`${encodeRecord(BASE)} gd=${text}`));
    expect(error.code).toBe('RECORD_CORRUPT');
    expect(error.message).toContain(`has an unreadable guard fingerprint \`gd=${text}\``);
  });
});

describe('up to when the alarm polls judged (aj=)', () => {
  const ended: DeploymentRecord = {
    ...BASE,
    phase: 'promoted',
    percent: 100,
    endedAt: BASE.startedAt + 600_000,
  };

  it('writes whole seconds before the end, base 36, and reads the instant back', () => {
    const record = { ...ended, alarmsJudgedUntil: ended.endedAt! - 20_000 };
    expect(encodeRecord(record)).toContain(` e=${ended.endedAt!.toString(36)} aj=k `);
    expect(roundTrip(record)).toEqual(record);
  });

  it('rounds the gap up: the instant read back is never later than the one judged', () => {
    const record = { ...ended, alarmsJudgedUntil: ended.endedAt! - 1_001 };
    expect(roundTrip(record).alarmsJudgedUntil).toBe(ended.endedAt! - 2_000);
  });

  it('writes nothing for a record without it or without an end', () => {
    expect(encodeRecord(ended)).not.toContain('aj=');
    expect(roundTrip(ended)).not.toHaveProperty('alarmsJudgedUntil');
    expect(encodeRecord({ ...BASE, alarmsJudgedUntil: BASE.startedAt })).not.toContain('aj=');
  });

  it('caps the gap at MAX_JUDGED_GAP_SECONDS (the room the size check reserves)', () => {
    const record = { ...ended, alarmsJudgedUntil: ended.endedAt! - (MAX_JUDGED_GAP_SECONDS + 99) * 1000 };
    expect(encodeRecord(record)).toContain(` aj=${MAX_JUDGED_GAP_SECONDS.toString(36)} `);
    expect(MAX_JUDGED_GAP_SECONDS.toString(36)).toBe('zzzzz');
  });

  it('refuses aj= without an end time, or not a number', () => {
    expect(() => decodeRecord(`${encodeRecord(BASE)} aj=k`)).toThrow(/has `aj=k` but no end time `e=`/);
    expect(() => decodeRecord(`${encodeRecord(ended)} aj=-1`)).toThrow(/has an invalid number `-1`/);
  });
});

describe('the judging fingerprint (jd=): absolute gates and analysis settings', () => {
  const judging: AnalysisConfig = { ...DEFAULT_ANALYSIS_CONFIG, maxErrorRate: 0.02 };
  const guards = fingerprintGuards({ alarms: [], hooks: [], bakeSeconds: 0, analysis: true, judging });

  it('is written beside gd= and round-trips', () => {
    const record = { ...BASE, guards };
    const value = encodeRecord(record);
    expect(value).toMatch(/ gd=0\.-\.0\.1\.[0-9a-z]{7} jd=1\.[0-9a-z]{7} o=/);
    expect(roundTrip(record)).toEqual(record);
  });

  it('a record with gd= and no jd= (an older lshift) reads without judging', () => {
    const { judging: _, ...older } = guards;
    expect(decodeRecord(encodeRecord({ ...BASE, guards: older })).guards).toEqual(older);
  });

  it('a strategy whose record fits only without it is refused, naming both fingerprints', () => {
    const n = stepsThatFitOnlyWithout(guards);
    expect(() => encodeRecord({ ...BASE, strategy: steps(n!), guards })).toThrow(
      expect.objectContaining({
        code: 'RECORD_TOO_LARGE',
        hint: expect.stringContaining(
          `the guard fingerprints \`gd=\` and \`jd=\` that --resume checks take ${encodeGuards(guards).length + 4 + 13}): the record is`,
        ),
      }),
    );
  });

  it.each([
    ['a word', 'yes'],
    ['four absolute gates', '4.abcdefg'],
    ['a short hash', '1.abc'],
    ['an empty value', ''],
  ])('refuses %s in a hand-edited tag as RECORD_CORRUPT, naming it', (_, text) => {
    const error = errorOf(() =>
      decodeRecord(`${encodeRecord({ ...BASE, guards })} jd=${text}`.replace(/ jd=1\.\w+/, '')),
    );
    expect(error.code).toBe('RECORD_CORRUPT');
    expect(error.message).toContain(`has an unreadable judging fingerprint \`jd=${text}\``);
  });

  it('without gd= it is refused as RECORD_CORRUPT', () => {
    const error = errorOf(() => decodeRecord(`${encodeRecord(BASE)} jd=1.abcdefg`));
    expect(error.code).toBe('RECORD_CORRUPT');
    expect(error.message).toContain('has `jd=` without `gd=`');
  });
});

describe('why lshift rolled it back (y=)', () => {
  const ENDED: DeploymentRecord = {
    ...BASE,
    phase: 'rolled-back',
    percent: 0,
    endedAt: 1_795_000_060_789,
  };
  const gate: RecordCause = { code: 'GATE_FAILED', gates: ['alarms', 'analysis'] };

  it.each<[string, RecordCause, string]>([
    ['a gate failure with its gates', gate, ' y=GATE_FAILED.alarms.analysis'],
    [
      'an inconclusive step with its gate',
      { code: 'INCONCLUSIVE', gates: ['analysis'] },
      ' y=INCONCLUSIVE.analysis',
    ],
    ['a failed hook with its phase', { code: 'HOOK_FAILED', phase: 'pre' }, ' y=HOOK_FAILED.pre'],
    ["an operator's abort", { code: 'OPERATOR_ABORTED' }, ' y=OPERATOR_ABORTED'],
    ['unreadable health', { code: 'HEALTH_UNREADABLE' }, ' y=HEALTH_UNREADABLE'],
    [
      'an interrupt whose CodeDeploy stop ran over a move by hand',
      { code: 'INTERRUPTED', overHandMove: true },
      ' y=INTERRUPTED.hand',
    ],
  ])('round-trips %s, written after the owner', (_, cause, field) => {
    const record = { ...ENDED, cause };
    const value = encodeRecord(record);
    expect(value).toContain(` o=${BASE.owner}${field} h=`);
    expect(roundTrip(record)).toEqual(record);
  });

  it('escapes gate names like every other text (a `.` too, which separates them)', () => {
    const record = { ...ENDED, cause: { code: 'GATE_FAILED' as const, gates: ['p99 > 2.5s', 'ünïcode'] } };
    expect(roundTrip(record)).toEqual(record);
  });

  it('costs nothing without one: a record of an older lshift reads without it', () => {
    expect(encodeRecord(ENDED)).not.toContain('y=');
    expect(decodeRecord(encodeRecord(ENDED))).not.toHaveProperty('cause');
  });

  it('is the first thing dropped for room: its gates, then the code; the rest is as without it', () => {
    const record: DeploymentRecord = {
      ...ENDED,
      owner: 'o'.repeat(64),
      history: ['6', '5', '4', '3', '2'],
      cause: gate,
    };
    const seen = new Set<string>();
    for (let n = 1; n < 60; n++) {
      const strategy = steps(n);
      let without: string;
      try {
        without = encodeRecord({ ...record, strategy, cause: undefined });
      } catch {
        // Too large without it: never larger with it (the head does not grow).
        expect(() => encodeRecord({ ...record, strategy })).toThrow(
          expect.objectContaining({ code: 'RECORD_TOO_LARGE' }),
        );
        continue;
      }
      const value = encodeRecord({ ...record, strategy });
      expect(value.length).toBeLessThanOrEqual(MAX_TAG_VALUE_LENGTH);
      // Every other field exactly as it is without the cause: nothing gives room up for it.
      expect(value.replace(/ y=\S+/, '')).toBe(without);
      const kept = decodeRecord(value).cause;
      seen.add(kept === undefined ? 'none' : kept.gates ? 'rich' : 'bare');
      if (kept) expect(kept).toEqual(kept.gates ? gate : { code: 'GATE_FAILED' });
    }
    // The strategies walk through all three: with its gates, the code alone, nothing.
    expect([...seen].sort()).toEqual(['bare', 'none', 'rich']);
  });

  it('a record at the size limit without it is written unchanged with it (dropped)', () => {
    const record: DeploymentRecord = { ...ENDED, history: [] };
    const n = Array.from({ length: 60 }, (_, i) => 60 - i).find((k) => {
      try {
        return encodeRecord({ ...record, strategy: steps(k), owner: '' }).length > 0;
      } catch {
        return false;
      }
    });
    const full = { ...record, strategy: steps(n!), owner: 'o'.repeat(64) };
    const without = encodeRecord(full);
    expect(MAX_TAG_VALUE_LENGTH - without.length).toBeLessThan(' y=OPERATOR_ABORTED'.length);
    expect(encodeRecord({ ...full, cause: { code: 'OPERATOR_ABORTED' } })).toBe(without);
  });

  it.each([
    ['an unknown code (a newer lshift’s)', 'BRAND_NEW'],
    ['a result code no record names', 'ROLLBACK_FAILED'],
    ['an empty value', ''],
    ['a lower-case code', 'gate_failed'],
    ['a bad escape in a gate', 'GATE_FAILED.al+ZZrms'],
    ['an empty gate', 'GATE_FAILED..alarms'],
    ['an unknown hook phase', 'HOOK_FAILED.sideways'],
    ['two hook phases', 'HOOK_FAILED.pre.post'],
    ['parts on a code that has none', 'OPERATOR_ABORTED.ann'],
    ['an unknown part on an interrupt', 'INTERRUPTED.foot'],
    ['the hand part on another code', 'OPERATOR_ABORTED.hand'],
    ['invalid UTF-8', 'GATE_FAILED.+FF'],
  ])('reads %s as no cause, and the rest of the record as it is', (_, text) => {
    const value = `${encodeRecord(ENDED)} y=${text}`;
    expect(decodeRecord(value)).toEqual(ENDED);
  });

  it('recordCauseOf keeps the gates or hook phase, and names no cause a record does not keep', () => {
    expect(recordCauseOf(causeOf('GATE_FAILED', { gates: ['alarms'] }, 'alarm x is ALARM'))).toEqual({
      code: 'GATE_FAILED',
      gates: ['alarms'],
    });
    expect(recordCauseOf(causeOf('HOOK_FAILED', { phase: 'post', hooks: ['cmd:./smoke.sh'] }))).toEqual({
      code: 'HOOK_FAILED',
      phase: 'post',
    });
    expect(recordCauseOf(causeOf('OPERATOR_ABORTED', { by: 'ann', reason: 'p99' }))).toEqual({
      code: 'OPERATOR_ABORTED',
    });
    expect(recordCauseOf(causeOf('TAKEN_OVER', {}))).toBeUndefined();
    expect(recordCauseOf(undefined)).toBeUndefined();
  });
});
