/**
 * Every warning the engine says carries what it is about (the `about` of its `log` event: the
 * title of its GitHub `::warning`, docs/ci.md). logWarn takes the topic as a required argument,
 * so the compiler refuses one without; this test keeps logWarn the engine's only way to say a
 * warning: no `log` event is built by hand in src/engine outside emit.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ENGINE = resolve(import.meta.dirname, '../../src/engine');
/** An event literal of type `log` (a comparison, `e.type === 'log'`, is no event). */
const LOG_EVENT = /type:\s*'log'/;

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function builtLogEvents(source: string): string[] {
  return source.split('\n').filter((line) => LOG_EVENT.test(line));
}

describe('engine warnings carry their topic', () => {
  it('no file of src/engine but emit.ts builds a log event (logWarn/logInfo say them)', () => {
    const files = sourcesUnder(ENGINE);
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .filter((f) => !f.endsWith('/emit.ts'))
      .filter((f) => builtLogEvents(readFileSync(f, 'utf8')).length > 0)
      .map((f) => relative(ENGINE, f));
    expect(offenders).toEqual([]);
  });

  it('the check sees a hand-built log event, and not a comparison with one', () => {
    expect(
      builtLogEvents("deps.events.emit({ type: 'log', at: deps.clock.now(), level: 'warn', message });"),
    ).toHaveLength(1);
    expect(builtLogEvents("deps.events.emit({\n    type:  'log',\n    level,\n  });")).toHaveLength(1);
    expect(builtLogEvents("if (e.type === 'log' && e.level === 'warn') return;")).toEqual([]);
  });
});
