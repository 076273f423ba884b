/**
 * One evaluation of a metric alarm, following CloudWatch's documented rules:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html
 * - CloudWatch reads more periods than EvaluationPeriods (here N + EXTRA_PERIODS) so late
 *   datapoints do not look missing; the newest N datapoints present are evaluated.
 * - With at least M (DatapointsToAlarm) of them present, missing data is not needed: ALARM when
 *   M or more breach, else OK.
 * - With fewer, missing periods are filled per TreatMissingData: breaching / notBreaching count
 *   them; `ignore` keeps the current state when nothing is present; `missing` goes to
 *   INSUFFICIENT_DATA when nothing is present. With some but fewer than M present (missing or
 *   ignore), ALARM only if every present datapoint breaches (sandbox reading of the docs' table).
 */
import type { Point } from './metric-query.js';
import type { AlarmStateValue } from './types.js';

export const EXTRA_PERIODS = 3;

export interface AlarmRule {
  periodSeconds: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  threshold: number;
  comparisonOperator: string;
  treatMissingData: string;
  statistic: string;
}

export interface AlarmEvaluation {
  state: AlarmStateValue;
  reason: string;
  reasonData: string;
}

const OPERATOR_WORDS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export const COMPARISON_OPERATORS = Object.keys(OPERATOR_WORDS);
export const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];

export function isBreaching(rule: AlarmRule, value: number): boolean {
  switch (rule.comparisonOperator) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= rule.threshold;
    case 'GreaterThanThreshold':
      return value > rule.threshold;
    case 'LessThanThreshold':
      return value < rule.threshold;
    default:
      return value <= rule.threshold;
  }
}

/**
 * `points`: datapoints of the evaluation range (ascending), as visible at `tickMs`.
 * Returns undefined when the alarm keeps its current state (`ignore` with no data).
 */
export function evaluateAlarm(rule: AlarmRule, points: Point[], tickMs: number): AlarmEvaluation | undefined {
  const n = rule.evaluationPeriods;
  const m = rule.datapointsToAlarm;
  const evaluated = [...points].sort((a, b) => b.ts - a.ts).slice(0, n);
  const breaching = evaluated.filter((p) => isBreaching(rule, p.value)).length;
  const missing = n - evaluated.length;
  const data = (state: AlarmStateValue, reason: string): AlarmEvaluation => ({
    state,
    reason,
    reasonData: reasonData(rule, evaluated, tickMs),
  });
  if (evaluated.length >= m) {
    const state = breaching >= m ? 'ALARM' : 'OK';
    return data(state, crossedReason(rule, evaluated, breaching, state));
  }
  switch (rule.treatMissingData) {
    case 'breaching': {
      const state = breaching + missing >= m ? 'ALARM' : 'OK';
      return data(state, missingReason(rule, evaluated, breaching, missing, 'Breaching', state));
    }
    case 'notBreaching':
      return data('OK', missingReason(rule, evaluated, breaching, missing, 'NonBreaching', 'OK'));
    default: {
      if (evaluated.length === 0) {
        if (rule.treatMissingData === 'ignore') return undefined;
        return data(
          'INSUFFICIENT_DATA',
          `Insufficient Data: ${plural(n, 'datapoint')} ${n === 1 ? 'was' : 'were'} unknown.`,
        );
      }
      const state = breaching === evaluated.length ? 'ALARM' : 'OK';
      return data(state, crossedReason(rule, evaluated, breaching, state));
    }
  }
}

function crossedReason(
  rule: AlarmRule,
  evaluated: Point[],
  breaching: number,
  state: AlarmStateValue,
): string {
  const words = OPERATOR_WORDS[rule.comparisonOperator] ?? rule.comparisonOperator;
  const shown = state === 'ALARM' ? evaluated.filter((p) => isBreaching(rule, p.value)) : evaluated;
  const count = state === 'ALARM' ? breaching : evaluated.length - breaching;
  const verb = count === 1 ? 'was' : 'were';
  const not = state === 'ALARM' ? '' : 'not ';
  if (rule.evaluationPeriods === 1 && evaluated.length === 1) {
    return `Threshold Crossed: 1 datapoint ${formatPoints(evaluated)} ${verb} ${not}${words} the threshold (${formatNumber(rule.threshold)}).`;
  }
  const transition = state === 'ALARM' ? 'OK -> ALARM' : 'ALARM -> OK';
  const minimum =
    state === 'ALARM' ? rule.datapointsToAlarm : rule.evaluationPeriods - rule.datapointsToAlarm + 1;
  return `Threshold Crossed: ${count} out of the last ${evaluated.length} datapoints ${formatPoints(shown)} ${verb} ${not}${words} the threshold (${formatNumber(rule.threshold)}) (minimum ${plural(minimum, 'datapoint')} for ${transition} transition).`;
}

function missingReason(
  rule: AlarmRule,
  evaluated: Point[],
  breaching: number,
  missing: number,
  treatedAs: string,
  state: AlarmStateValue,
): string {
  const treated = `${plural(missing, 'missing datapoint')} ${missing === 1 ? 'was' : 'were'} treated as [${treatedAs}]`;
  if (evaluated.length === 0) {
    return `Threshold Crossed: no datapoints were received for ${plural(rule.evaluationPeriods, 'period')} and ${treated}.`;
  }
  return `${crossedReason(rule, evaluated, breaching, state).replace(/\.$/, '')} and ${treated}.`;
}

function reasonData(rule: AlarmRule, evaluated: Point[], tickMs: number): string {
  const ascending = [...evaluated].sort((a, b) => a.ts - b.ts);
  return JSON.stringify({
    version: '1.0',
    queryDate: isoWithOffset(tickMs),
    startDate: isoWithOffset(tickMs - (rule.evaluationPeriods + EXTRA_PERIODS) * rule.periodSeconds * 1000),
    statistic: rule.statistic,
    period: rule.periodSeconds,
    recentDatapoints: ascending.map((p) => p.value),
    threshold: rule.threshold,
    evaluatedDatapoints: ascending.map((p) => ({ timestamp: isoWithOffset(p.ts), value: p.value })),
  });
}

/** `[21.0 (12/03/24 10:01:00), …]` newest first, like CloudWatch's StateReason. */
function formatPoints(points: Point[]): string {
  return `[${points.map((p) => `${formatNumber(p.value)} (${formatDate(p.ts)})`).join(', ')}]`;
}

/** Java-style doubles as CloudWatch prints them: `12.0`, `0.5`. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? `${value}.0` : String(value);
}

function formatDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function isoWithOffset(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
