/**
 * The canary analysis's options from the flags and the config file (docs/analysis.md): one gate
 * per flag, named by where its value came from when it is refused.
 */
import type { AnalysisConfig, AnalysisConfigInput, AnalysisSources } from '../domain/analysis/config.js';
import { resolveAnalysisConfig } from '../domain/analysis/config-resolve.js';
import { UsageError } from '../domain/errors.js';
import type { DeployFlags } from './deploy-flags.js';
import {
  ANALYSIS_OPTION_KEYS,
  type AnalysisOptionKey,
  analysisInputKey,
  type LshiftConfig,
} from './option-schema.js';

/**
 * Where a config value came from when it is not the top-level key: a `functions:` entry's own
 * canary-analysis gate (`the config file’s functions[1] (orders) \`max-p99\``, release-options.ts).
 */
export type ConfigPlaces = Partial<Record<AnalysisOptionKey, string>>;

/** Where an option's value came from, for errors: `--bake` or the config file’s `bake` (flags win). */
export function sourceOf(
  flags: DeployFlags,
  config: LshiftConfig,
  key: keyof DeployFlags & keyof LshiftConfig,
): string {
  return flags[key] !== undefined || config[key] === undefined ? `--${key}` : `the config file’s \`${key}\``;
}

/**
 * Flag names map 1:1 to config keys (`--max-p99` ↔ `max-p99`). `--no-analysis` (or
 * `analysis: false`) turns off the default comparison with the stable version; absolute
 * gates still apply when set.
 */
export function resolveAnalysis(
  flags: DeployFlags,
  config: LshiftConfig,
  places: ConfigPlaces = {},
): AnalysisConfig {
  refuseEmptyAnalysisFlags(flags);
  const input: AnalysisConfigInput = {};
  const sources: AnalysisSources = {};
  for (const name of ANALYSIS_OPTION_KEYS) {
    const value = flags[name] ?? config[name];
    if (value !== undefined) input[analysisInputKey(name)] = value;
    const place = flags[name] === undefined ? places[name] : undefined;
    sources[analysisInputKey(name)] = place ?? sourceOf(flags, config, name);
  }
  if ((flags.analysis ?? config.analysis) === false) {
    input.maxErrorRateIncrease ??= 'off';
    input.maxLatencyIncrease ??= 'off';
  }
  return resolveAnalysisConfig(input, sources);
}

/**
 * `--max-error-rate "$RATE"` with RATE unset is `--max-error-rate ''`, which the analysis reads as
 * no value: the gate stayed off, or the config file's gate was dropped (the flag wins), and the
 * deploy ran without it, silently. Refused, as an empty code flag is.
 */
function refuseEmptyAnalysisFlags(flags: DeployFlags): void {
  const empty = ANALYSIS_OPTION_KEYS.find((key) => {
    const value: unknown = flags[key];
    return typeof value === 'string' && value.trim() === '';
  });
  if (empty === undefined) return;
  throw new UsageError('ANALYSIS_FLAG_INVALID', `--${empty} was given an empty value.`, {
    hint: `Give --${empty} a value (an unset variable?), \`off\` to turn a gate off, or leave the flag out.`,
  });
}

/**
 * Whether the canary analysis compares the new version with the stable one: what `--no-analysis`
 * turns off (absolute gates may still be on). A guard the record keeps (`gd=`).
 */
export function comparesWithStable(analysis: AnalysisConfig): boolean {
  return analysis.maxErrorRateIncreasePp !== undefined || analysis.maxLatencyIncreasePct !== undefined;
}
