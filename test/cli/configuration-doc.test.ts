import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../../src/cli/option-schema.js';
import { formatDurationCompact } from '../../src/domain/duration.js';
import { DEFAULT_SETTLE_SECONDS } from '../../src/domain/plan.js';

const DOC = readFileSync(resolve(import.meta.dirname, '../../docs/configuration.md'), 'utf8');

/** `| \`settle\` | \`--settle\` | \`6m\` (…) |` → settle → `6m` (…). */
function documentedDefaults(): Map<string, string> {
  const rows = DOC.split('\n').filter((line) => /^\| `[a-z-]+` +\|/.test(line));
  return new Map(
    rows.map((row) => {
      const [key, , value] = row
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim());
      return [key!.replaceAll('`', ''), value!];
    }),
  );
}

describe('docs/configuration.md', () => {
  it('gives every key the default its help text gives', () => {
    const properties = CONFIG_SCHEMA.properties as Record<string, { description?: string }>;
    const documented = documentedDefaults();
    const checked = [...documented].flatMap(([key, cell]) => {
      const help = /\[default: ([^\]]+)\]/.exec(properties[key]?.description ?? '')?.[1];
      return help === undefined ? [] : [[key, cell.replaceAll('`', '').split(' ')[0], help]];
    });
    expect(checked.length).toBeGreaterThan(4);
    expect(checked.filter(([, doc, help]) => doc !== help)).toEqual([]);
  });

  it('gives the settle default the plan really uses', () => {
    expect(documentedDefaults().get('settle')).toContain(
      `\`${formatDurationCompact(DEFAULT_SETTLE_SECONDS)}\``,
    );
  });
});
