/**
 * Readers of one field of an untrusted scenario: each returns the value checked, or calls `fail`
 * with the field's path and what is wrong with it.
 */
import { DURATION_UNITS, parseDuration } from '../domain/duration.js';
import type { MetricDelaySetting, ScenarioTime } from './scenario.js';

export type Fail = (field: string, problem: string) => never;

export function asObject(raw: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(field, 'must be an object');
  return raw as Record<string, unknown>;
}

export function checkKeys(obj: Record<string, unknown>, allowed: string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      fail(`${prefix}${key}`, `is not a known field (expected one of ${allowed.join(', ')})`);
  }
}

export function str(raw: unknown, field: string, fail: Fail): string {
  if (typeof raw !== 'string' || raw.trim() === '') fail(field, 'must be a non-empty string');
  return raw as string;
}

export function num(
  raw: unknown,
  field: string,
  fail: Fail,
  opts: { min?: number; max?: number; integer?: boolean } = {},
): number {
  if (typeof raw !== 'number' || !Number.isFinite(raw)) return fail(field, 'must be a number');
  if (opts.integer && !Number.isInteger(raw)) fail(field, 'must be a whole number');
  if (opts.min !== undefined && raw < opts.min) fail(field, `must be at least ${opts.min}`);
  if (opts.max !== undefined && raw > opts.max) fail(field, `must be at most ${opts.max}`);
  return raw;
}

export function metricDelay(raw: unknown, field: string, fail: Fail): MetricDelaySetting {
  if (!Array.isArray(raw)) return num(raw, field, fail, { min: 0, max: 1440 });
  if (raw.length !== 2) return fail(field, 'must be a number of minutes or a range [min, max]');
  const min = num(raw[0], `${field}[0]`, fail, { min: 0, max: 1440 });
  const max = num(raw[1], `${field}[1]`, fail, { min, max: 1440 });
  return [min, max];
}

export function rate(raw: unknown, field: string, fail: Fail): number {
  return num(raw, field, fail, { min: 0, max: 1 });
}

export function time(raw: unknown, field: string, fail: Fail): ScenarioTime {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0)
      fail(
        field,
        `must be seconds ≥ 0, a duration like \`5m\` (units ${DURATION_UNITS}), or an ISO timestamp`,
      );
    return raw;
  }
  if (typeof raw !== 'string')
    return fail(field, `must be a duration like \`5m\` (units ${DURATION_UNITS}) or an ISO timestamp`);
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) {
    if (Number.isNaN(Date.parse(raw))) fail(field, `is not a valid ISO timestamp: ${raw}`);
    return raw;
  }
  try {
    parseDuration(raw, field, { allowZero: true });
  } catch (error) {
    fail(
      field,
      `is not a duration like \`5m\` (units ${DURATION_UNITS}) or an ISO timestamp (${(error as Error).message})`,
    );
  }
  return raw;
}
