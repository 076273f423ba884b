import { describe, expect, it } from 'vitest';
import { wrapProse } from '../../src/cli/terminal-wrap.js';

const WARNING =
  '  Warning: all-at-once with no --bake: the alarms (--alarm) are read before the traffic moves and never after it';

describe('wrapProse', () => {
  it('wraps at word boundaries, continued lines two further in than the line they continue', () => {
    const lines = wrapProse(`✔ Promoted demo:live to version 2.\n${WARNING}`, 50).split('\n');
    expect(lines[0]).toBe('✔ Promoted demo:live to version 2.');
    expect(lines[1]).toBe('  Warning: all-at-once with no --bake: the');
    for (const line of lines.slice(2)) expect(line).toMatch(/^ {4}\S/);
    for (const line of lines) expect(line.length).toBeLessThan(50);
    // Nothing lost or broken mid-word.
    expect(
      lines
        .slice(1)
        .map((l) => l.trim())
        .join(' '),
    ).toBe(WARNING.trim());
  });

  it('leaves lines that fit, and everything at no or a very narrow width', () => {
    expect(wrapProse('✔ Promoted demo:live.', 80)).toBe('✔ Promoted demo:live.');
    expect(wrapProse(WARNING, undefined)).toBe(WARNING);
    expect(wrapProse(WARNING, 12)).toBe(WARNING);
  });

  it('a word longer than the line is cut (a long ARN), not left to run past the edge', () => {
    const arn = `arn:aws:lambda:us-east-1:123456789012:function:${'x'.repeat(60)}`;
    for (const line of wrapProse(`  Fix: ${arn}`, 40).split('\n')) expect(line.length).toBeLessThan(40);
  });
});
