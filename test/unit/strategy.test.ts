import { describe, expect, it } from 'vitest';
import { planShift } from '../../src/domain/plan.js';
import {
  CODEDEPLOY_PREDEFINED_NAMES,
  formatStrategy,
  parseStrategy,
  toCodeDeployConfigName,
} from '../../src/domain/strategy.js';

/** [percent, holdSeconds, offsetSeconds] for each plan step. */
type Timeline = [number, number, number][];

const MIN = 60;

function canaryTimeline(minutes: number): Timeline {
  return [
    [10, minutes * MIN, 0],
    [100, 0, minutes * MIN],
  ];
}

/** 10%, 20%, … 90% each held `minutes`, then 100%: the CodeDeploy linear timeline. */
function linearTimeline(minutes: number): Timeline {
  const steps: Timeline = [];
  for (let i = 0; i < 9; i++) steps.push([10 * (i + 1), minutes * MIN, i * minutes * MIN]);
  steps.push([100, 0, 9 * minutes * MIN]);
  return steps;
}

interface Predefined {
  sam: string;
  short: string;
  total: number;
  timeline: Timeline;
}

const PREDEFINED: Predefined[] = [
  { sam: 'Canary10Percent5Minutes', short: 'canary:10%:5m', total: 5 * MIN, timeline: canaryTimeline(5) },
  { sam: 'Canary10Percent10Minutes', short: 'canary:10%:10m', total: 10 * MIN, timeline: canaryTimeline(10) },
  { sam: 'Canary10Percent15Minutes', short: 'canary:10%:15m', total: 15 * MIN, timeline: canaryTimeline(15) },
  { sam: 'Canary10Percent30Minutes', short: 'canary:10%:30m', total: 30 * MIN, timeline: canaryTimeline(30) },
  {
    sam: 'Linear10PercentEvery1Minute',
    short: 'linear:10%:1m',
    total: 9 * MIN,
    // Written out once in full so the helper above is checked against literal numbers.
    timeline: [
      [10, 60, 0],
      [20, 60, 60],
      [30, 60, 120],
      [40, 60, 180],
      [50, 60, 240],
      [60, 60, 300],
      [70, 60, 360],
      [80, 60, 420],
      [90, 60, 480],
      [100, 0, 540],
    ],
  },
  {
    sam: 'Linear10PercentEvery2Minutes',
    short: 'linear:10%:2m',
    total: 18 * MIN,
    timeline: linearTimeline(2),
  },
  {
    sam: 'Linear10PercentEvery3Minutes',
    short: 'linear:10%:3m',
    total: 27 * MIN,
    timeline: linearTimeline(3),
  },
  {
    sam: 'Linear10PercentEvery10Minutes',
    short: 'linear:10%:10m',
    total: 90 * MIN,
    timeline: linearTimeline(10),
  },
  { sam: 'AllAtOnce', short: 'all-at-once', total: 0, timeline: [[100, 0, 0]] },
];

function spellingsOf(p: Predefined): string[] {
  const long = `CodeDeployDefault.Lambda${p.sam}`;
  return [
    long,
    p.sam,
    long.toLowerCase(),
    long.toUpperCase(),
    p.sam.toLowerCase(),
    p.sam.toUpperCase(),
    `  ${long}\t`,
    `\n${p.sam} `,
  ];
}

function timelineOf(text: string): { timeline: Timeline; total: number } {
  const plan = planShift(parseStrategy(text));
  plan.steps.forEach((step, i) => {
    expect(step.index).toBe(i);
  });
  return {
    timeline: plan.steps.map((s) => [s.percent, s.holdSeconds, s.offsetSeconds]),
    total: plan.totalSeconds,
  };
}

describe('parseStrategy: the 9 CodeDeploy predefined configurations', () => {
  const cases = PREDEFINED.flatMap((p) => spellingsOf(p).map((text) => ({ text, ...p })));

  it.each(cases)('$text → $short', ({ text, short, total, timeline }) => {
    const strategy = parseStrategy(text);
    expect(strategy.name).toBe(text.trim());
    expect(formatStrategy(strategy)).toBe(short);
    expect(timelineOf(text)).toEqual({ timeline, total });
  });

  it.each(PREDEFINED)('$sam maps back to its CodeDeploy name', ({ sam }) => {
    expect(toCodeDeployConfigName(parseStrategy(sam))).toBe(`CodeDeployDefault.Lambda${sam}`);
  });

  it('lists all nine long names', () => {
    expect(CODEDEPLOY_PREDEFINED_NAMES).toEqual(PREDEFINED.map((p) => `CodeDeployDefault.Lambda${p.sam}`));
  });
});

describe('parseStrategy: custom forms', () => {
  const cases: { text: string; short: string; total: number; timeline: Timeline }[] = [
    { text: 'canary:10%:5m', short: 'canary:10%:5m', total: 300, timeline: canaryTimeline(5) },
    { text: 'canary:10:5m', short: 'canary:10%:5m', total: 300, timeline: canaryTimeline(5) },
    { text: 'CANARY:10%:5M', short: 'canary:10%:5m', total: 300, timeline: canaryTimeline(5) },
    { text: ' canary : 10 % : 5m ', short: 'canary:10%:5m', total: 300, timeline: canaryTimeline(5) },
    { text: 'canary:10%:300s', short: 'canary:10%:5m', total: 300, timeline: canaryTimeline(5) },
    {
      text: 'canary:0.5%:1h30m',
      short: 'canary:0.5%:1h30m',
      total: 5400,
      timeline: [
        [0.5, 5400, 0],
        [100, 0, 5400],
      ],
    },
    {
      text: 'canary:10%:1d',
      short: 'canary:10%:1d',
      total: 86_400,
      timeline: [
        [10, 86_400, 0],
        [100, 0, 86_400],
      ],
    },
    {
      text: 'canary:25%:45s',
      short: 'canary:25%:45s',
      total: 45,
      timeline: [
        [25, 45, 0],
        [100, 0, 45],
      ],
    },
    { text: 'linear:10%:1m', short: 'linear:10%:1m', total: 540, timeline: linearTimeline(1) },
    { text: 'Linear:10:60s', short: 'linear:10%:1m', total: 540, timeline: linearTimeline(1) },
    {
      text: 'linear:25%:2m',
      short: 'linear:25%:2m',
      total: 360,
      timeline: [
        [25, 120, 0],
        [50, 120, 120],
        [75, 120, 240],
        [100, 0, 360],
      ],
    },
    {
      text: 'linear:30%:1m',
      short: 'linear:30%:1m',
      total: 180,
      timeline: [
        [30, 60, 0],
        [60, 60, 60],
        [90, 60, 120],
        [100, 0, 180],
      ],
    },
    { text: 'all-at-once', short: 'all-at-once', total: 0, timeline: [[100, 0, 0]] },
    { text: 'ALL-AT-ONCE', short: 'all-at-once', total: 0, timeline: [[100, 0, 0]] },
    { text: 'allatonce', short: 'all-at-once', total: 0, timeline: [[100, 0, 0]] },
    {
      text: 'steps:1%@2m,10%@5m,50%@10m,100%',
      short: 'steps:1%@2m,10%@5m,50%@10m,100%',
      total: 17 * MIN,
      timeline: [
        [1, 120, 0],
        [10, 300, 120],
        [50, 600, 420],
        [100, 0, 1020],
      ],
    },
    {
      text: 'STEPS: 0.5 @ 90s , 5@1h30m, 100 ',
      short: 'steps:0.5%@1m30s,5%@1h30m,100%',
      total: 90 + 5400,
      timeline: [
        [0.5, 90, 0],
        [5, 5400, 90],
        [100, 0, 5490],
      ],
    },
    { text: 'steps:100%', short: 'steps:100%', total: 0, timeline: [[100, 0, 0]] },
  ];

  it.each(cases)('$text → $short', ({ text, short, total, timeline }) => {
    const strategy = parseStrategy(text);
    expect(strategy.name).toBe(text.trim());
    expect(formatStrategy(strategy)).toBe(short);
    expect(timelineOf(text)).toEqual({ timeline, total });
  });

  // What is recorded is formatStrategy's text, read back with parseStrategy (a record that does
  // not parse strands rollback, resume and check): for any strategy that parses, so does its form.
  it.each([
    'canary:0.0000001%:1m',
    'canary:33.3333333333%:1m',
    'steps:0.000000001%@1m,0.000000002%@1m,100%',
    'linear:0.09999999999%:1s',
  ])('%s: its recorded form parses back to the same plan', (text) => {
    const strategy = parseStrategy(text, { allowLong: true });
    const again = parseStrategy(formatStrategy(strategy), { recorded: true, allowLong: true });
    expect(planShift(again).steps).toEqual(planShift(strategy).steps);
  });

  it.each(cases)('formatStrategy output of $text parses back to the same plan', ({ text }) => {
    const again = parseStrategy(formatStrategy(parseStrategy(text)));
    expect(planShift(again).steps).toEqual(planShift(parseStrategy(text)).steps);
  });

  it('returns the typed shape', () => {
    expect(parseStrategy('canary:5%:15m')).toEqual({
      kind: 'canary',
      name: 'canary:5%:15m',
      percent: 5,
      intervalSeconds: 900,
    });
    expect(parseStrategy('steps:5%@1m,100%')).toEqual({
      kind: 'steps',
      name: 'steps:5%@1m,100%',
      steps: [
        { percent: 5, holdSeconds: 60 },
        { percent: 100, holdSeconds: 0 },
      ],
    });
  });

  it('has no CodeDeploy name for custom shapes', () => {
    expect(toCodeDeployConfigName(parseStrategy('canary:10%:7m'))).toBeUndefined();
    expect(toCodeDeployConfigName(parseStrategy('steps:10%@5m,100%'))).toBeUndefined();
    expect(toCodeDeployConfigName(parseStrategy('canary:10%:300s'))).toBe(
      'CodeDeployDefault.LambdaCanary10Percent5Minutes',
    );
  });
});

describe('parseStrategy: the 48 h limit', () => {
  it('accepts exactly 48 h', () => {
    expect(planShift(parseStrategy('canary:10%:48h')).totalSeconds).toBe(48 * 3600);
    expect(planShift(parseStrategy('linear:10%:320m')).totalSeconds).toBe(48 * 3600);
  });

  it('accepts a longer shift with allowLong', () => {
    expect(planShift(parseStrategy('canary:10%:72h', { allowLong: true })).totalSeconds).toBe(72 * 3600);
    expect(planShift(parseStrategy('linear:10%:6h', { allowLong: true })).totalSeconds).toBe(54 * 3600);
  });

  it('refuses a shift over 30 days even with allowLong, but reads a recorded one back (a resume)', () => {
    expect(() => parseStrategy('linear:1%:1d', { allowLong: true })).toThrow(
      expect.objectContaining({ code: 'DURATION_TOO_LONG', exitCode: 2 }),
    );
    const recorded = parseStrategy('linear:1%:1d', { allowLong: true, recorded: true });
    expect(planShift(recorded).totalSeconds).toBe(99 * 86_400);
  });
});
