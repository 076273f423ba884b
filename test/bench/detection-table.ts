/**
 * The detection bench's table: one row per strategy and delay, the targets beside each
 * number (issue 11).
 */
import { formatPercent, median } from './bench-world.js';

export type Ending = 'rolled_back' | 'promoted_pass' | 'promoted_inconclusive' | 'other';

export interface RunOutcome {
  seed: number;
  ending: Ending;
  /** The failing poll was at a weight below 100% (before all traffic moved). */
  before100: boolean;
  /** Seconds from the first weight write to the failing poll. */
  detectSeconds?: number;
  example?: string;
  status: string;
  polls: number;
  getMetricDataCalls: number;
}

export interface Cell {
  strategy: string;
  delay: number;
  scenario: { key: string; label: string };
  outcomes: RunOutcome[];
  seconds: number;
}

/** Strategies held to the ≥ 99% detection target (the list). */
const DETECTION_TARGETS = new Set([
  'Linear10PercentEvery1Minute',
  'Linear10PercentEvery3Minutes',
  'Canary10Percent5Minutes',
  'steps:1%@5m,10%@5m,100%',
]);

function rate(outcomes: RunOutcome[], keep: (o: RunOutcome) => boolean): string {
  return `${formatPercent(outcomes.filter(keep).length, outcomes.length)} of ${outcomes.length}`;
}

function find(cells: Cell[], strategy: string, delay: number, key: string): RunOutcome[] | undefined {
  return cells.find((c) => c.strategy === strategy && c.delay === delay && c.scenario.key === key)?.outcomes;
}

export function printDetectionTable(cells: Cell[]): void {
  const rows: string[][] = [
    [
      'strategy',
      'delay',
      '(a) false rollbacks [≤ 0.5%]',
      '(b) 5% vs 1% before 100% [≥ 99%*]',
      '(b) median TTD [≤ 210 s at 1m, 10%]',
      '(c) p99 2x before 100% [≥ 99%*]',
      '(e) p99 +50% before 100% [≥ 95%*]',
      '(f) p50/p99 +50% before 100% [≥ 95%*]',
      '(d) 5 req/min [inconclusive, never pass]',
      'GetMetricData per poll [1]',
    ],
  ];
  const pairs = [...new Set(cells.map((c) => `${c.strategy}\u0000${c.delay}`))];
  for (const pair of pairs) {
    const [strategy = '', delayText = '0'] = pair.split('\u0000');
    const delay = Number(delayText);
    const get = (key: string) => find(cells, strategy, delay, key);
    const a = get('a');
    const b = get('b');
    const c = get('c');
    const e = get('e');
    const f = get('f');
    const d = get('d');
    const before = (o: RunOutcome) => o.ending === 'rolled_back' && o.before100;
    const ttd = b?.flatMap((o) => (o.detectSeconds === undefined ? [] : [o.detectSeconds])) ?? [];
    const all = cells.filter((x) => x.strategy === strategy && x.delay === delay).flatMap((x) => x.outcomes);
    const perPoll = all.every((o) => o.getMetricDataCalls <= o.polls) ? '≤ 1' : 'MORE';
    rows.push([
      strategy + (DETECTION_TARGETS.has(strategy) ? '*' : ''),
      `${delay}m`,
      a ? rate(a, (o) => o.ending === 'rolled_back') : '–',
      b ? rate(b, before) : '–',
      b ? `${Number.isNaN(median(ttd)) ? '–' : median(ttd).toFixed(0)} s` : '–',
      c ? rate(c, before) : '–',
      e ? rate(e, before) : '–',
      f ? rate(f, before) : '–',
      d ? describeLow(d) : '–',
      perPoll,
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | '));
  console.log('* held to the detection targets. AllAtOnce: judged only in a 10-minute bake (after 100%).');
  const examples = cells.flatMap((c) =>
    c.outcomes.filter((o) => o.ending === 'other').map((o) => [c, o] as const),
  );
  for (const [c, o] of examples.slice(0, 5)) {
    console.log(
      `  other ending: ${c.strategy} ${c.delay}m (${c.scenario.key}) seed ${o.seed}: ${o.status}: ${o.example}`,
    );
  }
  const missed = cells
    .filter((c) => ['b', 'c', 'e', 'f'].includes(c.scenario.key) && c.strategy !== 'AllAtOnce')
    .flatMap((c) => c.outcomes.filter((o) => !o.before100).map((o) => [c, o] as const));
  for (const [c, o] of missed.slice(0, 5)) {
    console.log(
      `  missed before 100%: ${c.strategy} ${c.delay}m (${c.scenario.key}) seed ${o.seed}: ${o.ending}: ${o.example}`,
    );
  }
  const falseRollbacks = cells
    .filter((c) => c.scenario.key === 'a' || c.scenario.key === 'd')
    .flatMap((c) => c.outcomes.filter((o) => o.ending === 'rolled_back').map((o) => [c, o] as const));
  for (const [c, o] of falseRollbacks.slice(0, 5)) {
    console.log(
      `  false rollback: ${c.strategy} ${c.delay}m (${c.scenario.key}) seed ${o.seed}: ${o.example}`,
    );
  }
}

function describeLow(outcomes: RunOutcome[]): string {
  const n = outcomes.length;
  const count = (e: Ending) => outcomes.filter((o) => o.ending === e).length;
  return `${count('promoted_inconclusive')}/${n} inconcl., ${count('promoted_pass')} pass, ${count('rolled_back')} rb`;
}
