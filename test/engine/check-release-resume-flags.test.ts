/**
 * `lshift check` of a release whose runner died: the resume it offers names what the resume needs
 * of every function. It named only the line's own function's guards (`plus the first run's
 * --alarm flag`) though another function had its own hook and the analysis off, so the resume
 * copied from it was refused (RESUME_GUARDS_DIFFER) for that function (found by a docs pass, session 59).
 */
import { describe, expect, it } from 'vitest';
import { fingerprintGuards } from '../../src/domain/guard-fingerprint.js';
import { parseHookSpec } from '../../src/domain/hook-spec.js';
import { runCheck } from '../../src/engine/check.js';
import { checkReleases } from '../../src/engine/check-release.js';
import { abandonedRelease, NAMES } from './release-world.js';
import { ALIAS, type World } from './world.js';

const watched = (fn: string) => ({ alarms: [`${fn}-errors`], hooks: [], bakeSeconds: 0, analysis: true });

async function check(w: World) {
  const deps = { ...w.deps, store: w.store };
  const request = { functionNames: NAMES, alias: ALIAS, windowSeconds: 3600, alarms: ['{function}-errors'] };
  return checkReleases(deps, await runCheck(deps, request), { named: true });
}

function releaseWithGuards(guardsOf: (fn: string) => Parameters<typeof fingerprintGuards>[0]): World {
  const w = abandonedRelease();
  for (const fn of NAMES) {
    w.metrics.setAlarm(`${fn}-errors`, 'OK');
    w.store.seed(fn, ALIAS, { ...w.store.peek(fn, ALIAS)!, guards: fingerprintGuards(guardsOf(fn)) });
  }
  return w;
}

describe('lshift check of a stalled release: the resume names every function’s guards', () => {
  it('functions with guards of their own: the first run’s flags and config file, each function’s said', async () => {
    const w = releaseWithGuards((fn) =>
      fn === 'fb'
        ? {
            ...watched(fn),
            hooks: [{ pre: [parseHookSpec('cmd:./smoke.sh', '--pre-hook')] }],
            analysis: false,
          }
        : watched(fn),
    );
    const report = await check(w);
    for (const fn of NAMES) {
      const line = report.results.find((r) => r.functionName === fn)!;
      expect(line.action).toBe('stalled');
      expect(line.reason).toContain(
        "finish it with `lshift deploy fa fb fc --alias live --resume` plus the first run's flags and config file, not the same for every function " +
          '(fa watched 1 alarm; fb watched 1 alarm, ran a pre-traffic hook and had the canary analysis off; fc watched 1 alarm), or undo it',
      );
    }
  });

  it('the same guards in every function: one set of flags, as before', async () => {
    const report = await check(releaseWithGuards(watched));
    for (const line of report.results) {
      expect(line.reason).toContain(
        "finish it with `lshift deploy fa fb fc --alias live --resume` plus the first run's --alarm flag (it watched 1 alarm), or undo it",
      );
    }
  });
});
