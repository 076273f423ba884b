/**
 * The flags of `lshift check` its own words repeat in the `lshift check …` commands they offer
 * (check-unnamed.ts): every one the check was given but `--alias` (which those commands set per
 * alias) and the function names. `lshift check g4 --alarm '{function}-errors'` offered
 * `lshift check g4 g5 g6`, which, copied without a config file, is refused (CHECK_NO_ALARMS) —
 * or with one, judges by other alarms than the check did (found by a hostile pass, session 63).
 */
import { maskUserinfo } from '../domain/hook-spec.js';
import { shellQuote } from '../domain/shell-quote.js';

export interface CheckFlagsGiven {
  alarm?: string[];
  window?: string;
  'stale-after'?: string;
  config?: string;
  region?: string;
  profile?: string;
  'endpoint-url'?: string;
}

const SINGLE = ['window', 'stale-after', 'config', 'region', 'profile', 'endpoint-url'] as const;

/** ` --alarm '{function}-errors' --window 2h`, each value shell-quoted; '' when none was given. */
export function describeCheckFlagsToRepeat(flags: CheckFlagsGiven): string {
  const alarms = (flags.alarm ?? []).map((alarm) => ` --alarm ${shellQuote(alarm)}`);
  const others = SINGLE.flatMap((name) => {
    const value = flags[name];
    if (value === undefined) return [];
    // A password in the endpoint's userinfo is a secret: masked, as every message masks it (it
    // was printed in the `lshift check …` commands offered: h2's pass, session 65).
    const shown = name === 'endpoint-url' ? maskUserinfo(value) : value;
    return [` --${name} ${shellQuote(shown)}`];
  });
  return [...alarms, ...others].join('');
}
