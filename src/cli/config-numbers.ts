/**
 * A number a config file cannot mean: YAML reads `.inf`, `-.inf` and `.nan` as such, and both
 * YAML and JSON.parse read a number too large for a double (`1e309`) as Infinity. The schema's
 * `integer`/`number` lets them through (ajv counts Infinity as an integer), and later they were
 * printed as `null` (JSON.stringify) under a flag's name the user never typed: refused here, by key.
 */
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';

/** The first non-finite number in `data`, as its place (`functions[0].min-invocations`) and value. */
export function findNonFiniteNumber(data: unknown, place = ''): { place: string; value: number } | undefined {
  if (typeof data === 'number') return Number.isFinite(data) ? undefined : { place, value: data };
  if (data === null || typeof data !== 'object') return undefined;
  const entries: [string, unknown][] = Array.isArray(data)
    ? data.map((item, i) => [`${place}[${i}]`, item])
    : Object.entries(data).map(([key, value]) => [place ? `${place}.${key}` : key, value]);
  for (const [where, value] of entries) {
    const found = findNonFiniteNumber(value, where);
    if (found) return found;
  }
  return undefined;
}

export function refuseNonFiniteNumbers(path: string, data: unknown): void {
  const found = findNonFiniteNumber(data);
  if (!found) return;
  const what = Number.isNaN(found.value)
    ? 'not a number (.nan)'
    : `infinite (${found.value > 0 ? '' : '-'}.inf, or a number too large to hold, such as 1e309)`;
  throw new UsageError(
    'CONFIG_INVALID',
    `Config file ${path} is invalid: ${echoInput(found.place) || '(top level)'}: the number is ${what}.`,
    {
      hint: 'Give a finite number in the documented range (see docs/configuration.md), e.g. `min-invocations: 100`.',
    },
  );
}
