/**
 * Blank canary-analysis values in the config file (`max-error-rate: ""`, a template whose variable
 * was unset). The analysis reads a blank as no value, so the gate stayed off without a word, while
 * `--max-error-rate ''` is refused (ANALYSIS_FLAG_INVALID, deploy-options.ts): the file is refused
 * the same way, naming the file, the key and its line. `off` is how a file turns a gate off.
 */
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { functionKeyOf } from '../domain/function-ref.js';
import { ANALYSIS_OPTION_KEYS, type LshiftConfig } from './option-schema.js';

interface BlankValue {
  key: string;
  /** The entry's function when the key is in a `functions:` entry. */
  entry?: { index: number; name: string };
}

/** Throws CONFIG_INVALID (exit 2) for the first blank analysis value; `text` is the file's text. */
export function refuseBlankAnalysisValues(path: string, config: LshiftConfig, text: string): void {
  const blank = findBlankValue(config);
  if (blank === undefined) return;
  const line = lineOf(text, blank);
  const place = blank.entry ? `functions[${blank.entry.index}] (${functionKeyOf(blank.entry.name)}): ` : '';
  throw new UsageError(
    'CONFIG_INVALID',
    `Config file ${path} is invalid: ${echoInput(place)}${blank.key}${line === undefined ? '' : ` (line ${line})`} is blank.`,
    {
      hint: `Give \`${blank.key}\` a value (an unset variable in a template?), \`off\` to turn the gate off, or remove the key (see docs/configuration.md).`,
    },
  );
}

function findBlankValue(config: LshiftConfig): BlankValue | undefined {
  const top = blankKeyOf(config as Record<string, unknown>);
  if (top !== undefined) return { key: top };
  for (const [index, entry] of (config.functions ?? []).entries()) {
    if (typeof entry === 'string') continue;
    const key = blankKeyOf(entry as Record<string, unknown>);
    if (key !== undefined) return { key, entry: { index, name: entry.name } };
  }
  return undefined;
}

function blankKeyOf(settings: Record<string, unknown>): string | undefined {
  return ANALYSIS_OPTION_KEYS.find((key) => {
    const value = settings[key];
    return typeof value === 'string' && value.trim() === '';
  });
}

/**
 * The 1-based line holding the blank value, for YAML or JSON: the key with a blank quoted value.
 * At the top level the least indented such line; in an entry the first one after the entry's name.
 * Undefined when the text does not show it so (a flow mapping `{…}` on one line still matches).
 */
function lineOf(text: string, blank: BlankValue): number | undefined {
  const lines = text.split(/\r?\n/);
  const key = blank.key.replace(/[-]/g, '\\-');
  const pattern = new RegExp(`["']?${key}["']?\\s*:\\s*(?:"\\s*"|'\\s*')`);
  const candidates = lines.flatMap((line, i) => (pattern.test(line) ? [i] : []));
  if (blank.entry === undefined) {
    const indent = (i: number) => /^\s*/.exec(lines[i]!)![0].length;
    const least = candidates.reduce<number | undefined>(
      (best, i) => (best === undefined || indent(i) < indent(best) ? i : best),
      undefined,
    );
    return least === undefined ? undefined : least + 1;
  }
  const name = blank.entry.name;
  const start = lines.findIndex((line) => line.includes(name) && /name["']?\s*:/.test(line));
  const found = candidates.find((i) => i >= Math.max(start, 0));
  return found === undefined ? undefined : found + 1;
}
