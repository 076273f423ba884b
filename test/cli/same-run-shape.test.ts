import { describe, expect, it } from 'vitest';
import { sameRunShape } from '../helpers/run-shape.js';

/**
 * sameRunShape compares an in-process run with its built-CLI twin: the lines a poll prints (how
 * many fit in a hold or a settle depends on the machine's load) are left out, and nothing else.
 */
const run = (stderr: string[]) => ({ code: 0, signal: null, stdout: 'done\n', stderr: stderr.join('\n') });
const head = [
  '2026-12-06T05:58:48.871Z shift: d-7eromv demo:live 1 → 2, 2 steps over 1m',
  '2026-12-06T05:58:49.000Z settle: holding 50% while waiting for metrics to arrive, at most 6m',
];
const tail = ['2026-12-06T06:04:49.000Z result: promoted'];

describe('sameRunShape (the in-process twins)', () => {
  it.each([
    'settle: still waiting for metrics at 50%, at most 4m 20s left (alarms ok, analysis inconclusive)',
    'step 1/2: still holding at 50%, 40s left (alarms ok)',
    'bake: still watching at 100%, 3m left (alarms ok)',
    'health at 50%: alarms ok, analysis inconclusive',
  ])('leaves out a progress line a poll prints: %s', (line) => {
    const withLine = run([...head, `2026-12-06T06:01:00.000Z ${line}`, ...tail]);
    expect(sameRunShape(withLine)).toEqual(sameRunShape(run([...head, ...tail])));
  });

  it('keeps every other line: a run that said something more is not alike', () => {
    const more = run([
      ...head,
      '2026-12-06T06:01:00.000Z warning: the alarm demo-errors is missing',
      ...tail,
    ]);
    expect(sameRunShape(more)).not.toEqual(sameRunShape(run([...head, ...tail])));
  });
});
