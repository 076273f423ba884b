/**
 * A command printing millions of lines: those past the shown ones cost no masking (found by a
 * hostile pass: `seq 1 3000000` spent half a minute masking lines no one saw, and with its pipe full
 * it timed out). What is shown or kept is masked as before: the hidden lines that stay among the last
 * ones are masked when read, a secret in them, or split over the chunks that carried them, too.
 */
import { describe, expect, it } from 'vitest';
import { createOutputMasker, KnownSecrets } from '../../src/domain/output-secrets.js';
import { MAX_SHOWN_LINES, OutputTail, TAIL_LINES } from '../../src/hooks/hook-output.js';

const SECRET = 'zq9zq9zq9zq9-the-rest-of-the-secret';

function counted(known?: KnownSecrets) {
  const mask = createOutputMasker({ MY_SECRET_TOKEN: SECRET }, known);
  const calls = { count: 0 };
  return {
    calls,
    mask: (line: string) => {
      calls.count++;
      return mask(line);
    },
  };
}

/** `count` numbered lines in chunks of 64 KiB, as a pipe gives them. */
function feed(tail: OutputTail, count: number, last: string[] = []): void {
  const splitter = tail.createSplitter();
  const lines = [...Array.from({ length: count }, (_, i) => String(i + 1)), ...last];
  const text = `${lines.join('\n')}\n`;
  for (let at = 0; at < text.length; at += 65_536) splitter.push(text.slice(at, at + 65_536));
  splitter.flush();
}

describe('a command that floods its output', () => {
  it('masks only the lines shown and the last ones kept, not every line it printed', () => {
    const { calls, mask } = counted();
    const shown: string[] = [];
    const tail = new OutputTail((line) => shown.push(line), mask);
    feed(tail, 60_000);
    expect(calls.count).toBe(MAX_SHOWN_LINES);
    expect(shown).toHaveLength(MAX_SHOWN_LINES + 1);
    expect(tail.text().split('\n')).toEqual(Array.from({ length: TAIL_LINES }, (_, i) => String(59_981 + i)));
    tail.showHiddenTail();
    expect(calls.count).toBe(MAX_SHOWN_LINES + TAIL_LINES);
    expect(shown.slice(-TAIL_LINES - 1)).toEqual([
      `… its last ${TAIL_LINES} lines:`,
      ...Array.from({ length: TAIL_LINES }, (_, i) => String(59_981 + i)),
    ]);
  });

  it('masks a secret in the hidden last lines, whole or split over two chunks, wherever they are read', () => {
    const { mask } = counted();
    const shown: string[] = [];
    const tail = new OutputTail((line) => shown.push(line), mask, 3, 5);
    const splitter = tail.createSplitter();
    splitter.push('1\n2\n3\n4\n5\n6\n');
    splitter.push(`token ${SECRET.slice(0, 10)}`);
    splitter.push(`${SECRET.slice(10)} used\r\nplain ${SECRET}\n`);
    splitter.push('last');
    splitter.flush();
    const kept = tail.text();
    expect(kept).toBe('token *** used\nplain ***\nlast');
    tail.showHiddenTail();
    expect(shown.slice(5)).toEqual([
      '… the command printed more than 5 lines: the rest is not shown (the last 3 are, if it fails)',
      '… its last 3 lines:',
      'token *** used',
      'plain ***',
      'last',
    ]);
    expect(JSON.stringify([shown, kept])).not.toMatch(/zq9|the-rest-of/);
  });

  it('keeps the shown lines it still holds masked once, and masks each hidden one at most once', () => {
    const { calls, mask } = counted();
    const tail = new OutputTail(undefined, mask, 4, 2);
    feed(tail, 3, [SECRET]);
    expect(calls.count).toBe(2);
    expect(tail.text()).toBe('1\n2\n3\n***');
    expect(calls.count).toBe(4);
    expect(tail.text()).toBe('1\n2\n3\n***');
    expect(calls.count).toBe(4);
    // More lines after a read: only the new ones are masked when read again.
    const splitter = tail.createSplitter();
    splitter.push(`again ${SECRET}\n`);
    expect(tail.text()).toBe('2\n3\n***\nagain ***');
    expect(calls.count).toBe(5);
  });

  it('masks a hidden line with the function values lshift learned after the line was printed', () => {
    const known = new KnownSecrets();
    const { mask } = counted(known);
    const tail = new OutputTail(undefined, mask, 2, 1);
    feed(tail, 1, ['the database is hunter2hunter2']);
    known.add(['hunter2hunter2']);
    expect(tail.text()).toBe('1\nthe database is ***');
  });
});
