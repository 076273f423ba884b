/**
 * `lshift check` as one use-case: runCheck decides each function, then checkReleases gives each
 * release one verdict (a function rolled back takes its release's others along). The order is
 * not a detail: runCheck holds back the lines of a release's functions (check-held-reports.ts)
 * and only checkReleases says them, once, with what the release's verdict did to them. Called
 * alone, or the other way round, those lines would never be said — so the command calls this.
 */
import { runCheck } from './check.js';
import { checkReleases } from './check-release.js';
import type { CheckDeps, CheckReport, CheckRequest } from './check-types.js';
import { shareListing } from './records-in-reach.js';

export async function runCheckWithReleases(given: CheckDeps, req: CheckRequest): Promise<CheckReport> {
  // One listing for both: the words of the release's functions say what the close's listing found.
  const deps = { ...given, releaseListing: given.releaseListing ?? shareListing(given.lambda) };
  const checked = await runCheck(deps, req);
  return checkReleases(deps, checked, {
    staleAfterSeconds: req.staleAfterSeconds,
    named: req.functionNames !== undefined,
    flagsToRepeat: req.flagsToRepeat,
    ...(req.signal ? { signal: req.signal } : {}),
  });
}
