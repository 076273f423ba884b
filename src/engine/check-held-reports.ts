/**
 * A function of a release is logged once its release's verdict is in (check-release.ts), not as
 * runCheck decides it: a function runCheck leaves stalled may be rolled back with its release in
 * the same run, and a "stalled … finish it with --resume" warning before "rolled back" told the
 * operator to do what the check then undid. runCheck holds those lines here, keyed by its report;
 * checkReleases logs each with its final words.
 */
import { report } from './check-entry.js';
import type { CheckDeps, CheckReport, CheckResult } from './check-types.js';

const held = new WeakMap<CheckReport, ReadonlySet<string>>();

export function targetKey(t: { functionName: string; alias: string }): string {
  return `${t.functionName}\u0000${t.alias}`;
}

/** Marks the functions of `checked` whose lines runCheck held back. */
export function holdReports(checked: CheckReport, keys: ReadonlySet<string>): CheckReport {
  held.set(checked, keys);
  return checked;
}

/** Logs the held functions' final results: once each, with what was done to them. */
export function reportHeld(deps: CheckDeps, checked: CheckReport, results: readonly CheckResult[]): void {
  const keys = held.get(checked);
  if (!keys) return;
  for (const r of results) if (keys.has(targetKey(r))) report(deps, r);
}
