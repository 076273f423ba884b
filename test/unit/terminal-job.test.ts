import { describe, expect, it } from 'vitest';
import { isBackgroundJobOf, parseProcStat, sttySaysTostop } from '../../src/domain/terminal-job.js';

const PTS_3 = 34819; // major 136, minor 3

describe('parseProcStat (/proc/self/stat, proc(5))', () => {
  it.each([
    [
      'a plain name',
      '4242 (node) S 4200 4242 4200 34819 4250 4194560 0',
      { pgrp: 4242, ttyNr: PTS_3, tpgid: 4250 },
    ],
    ['a name with spaces and a parenthesis', '7 (a) b (c)) R 1 7 1 0 -1 0', { pgrp: 7, ttyNr: 0, tpgid: -1 }],
  ])('%s', (_what, text, stat) => {
    expect(parseProcStat(text)).toEqual(stat);
  });

  it.each([
    ['no name', '4242 node S 1'],
    ['too few fields', '4242 (node) S 4200'],
    ['empty', ''],
  ])('%s: undefined', (_what, text) => {
    expect(parseProcStat(text)).toBeUndefined();
  });
});

describe('sttySaysTostop (`stty -a`)', () => {
  it.each([
    ['isig icanon iexten echo echoe echok -echonl -noflsh -xcase tostop -echoprt', true],
    ['isig icanon iexten echo echoe echok -echonl -noflsh -xcase -tostop -echoprt', false],
    ['tostop\n', true],
    ['', false],
  ])('%j → %s', (output, on) => {
    expect(sttySaysTostop(output)).toBe(on);
  });
});

describe('isBackgroundJobOf: would a write to this terminal raise SIGTTOU?', () => {
  it.each([
    ['the foreground job', { pgrp: 10, ttyNr: PTS_3, tpgid: 10 }, PTS_3, false],
    ['a background job (`&`)', { pgrp: 10, ttyNr: PTS_3, tpgid: 20 }, PTS_3, true],
    ['another terminal than the controlling one', { pgrp: 10, ttyNr: PTS_3, tpgid: 20 }, 34820, false],
    ['no controlling terminal (setsid, a daemon)', { pgrp: 10, ttyNr: 0, tpgid: -1 }, PTS_3, false],
    ['a terminal without a foreground group', { pgrp: 10, ttyNr: PTS_3, tpgid: -1 }, PTS_3, false],
  ])('%s: %s', (_what, stat, rdev, background) => {
    expect(isBackgroundJobOf(stat, rdev)).toBe(background);
  });
});
