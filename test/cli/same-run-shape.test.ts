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

  // CloudWatch's reason says whether it had a datapoint when it last evaluated: the machine's speed.
  const verdict = (reason: string) => ({
    ...run([...head, ...tail]),
    stdout: `{\n  "verdicts": [\n    {\n      "summary": "alarm demo-errors is OK",\n      "reason": "${reason}"\n    }\n  ]\n}`,
  });
  const NO_DATA =
    'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching].';
  const ONE_POINT =
    'Threshold Crossed: 1 datapoint [0.0 (06/12/26 05:59:00)] was not greater than the threshold (1.0).';
  const SOME_POINTS =
    'Threshold Crossed: 2 out of the last 3 datapoints [0.0 (06/12/26 05:59:00), 0.0 (06/12/26 05:58:00)] were not greater than the threshold (1.0) (minimum 2 datapoints for ALARM -> OK transition).';

  it.each([ONE_POINT, SOME_POINTS])("masks an alarm's own reason: %s", (reason) => {
    expect(sameRunShape(verdict(reason))).toEqual(sameRunShape(verdict(NO_DATA)));
  });

  it("keeps lshift's words around an alarm's reason", () => {
    const said = (state: string) =>
      run([
        ...head,
        `2026-12-06T06:01:00.000Z rolled back: alarm demo-errors is ${state}: ${NO_DATA}`,
        ...tail,
      ]);
    expect(sameRunShape(said('ALARM'))).not.toEqual(sameRunShape(said('OK')));
    const longer = verdict(`${NO_DATA} (and a word more)`);
    expect(sameRunShape(longer)).not.toEqual(sameRunShape(verdict(NO_DATA)));
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
