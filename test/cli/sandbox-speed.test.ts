import { describe, expect, it } from 'vitest';
import { describeSpeed } from '../../src/cli/sandbox-address.js';

describe('lshift sandbox: the speed on its first line', () => {
  it.each([
    [60, 'speed 60×: a simulated minute takes 1 real second'],
    [1, 'speed 1×: a simulated minute takes 1 real minute'],
    [0.5, 'speed 0.5×: a simulated minute takes 2 real minutes'],
    [600, 'speed 600×: a simulated minute takes 100 real ms'],
    [30, 'speed 30×: a simulated minute takes 2 real seconds'],
    [7, 'speed 7×: a simulated minute takes 8.57 real seconds'],
    [0.7, 'speed 0.7×: a simulated minute takes 85.71 real seconds'],
    [100_000, 'speed 100000×: a simulated minute takes 0.6 real ms'],
  ])('speed %f says the real time in words that agree with it', (speed, line) => {
    expect(describeSpeed(speed)).toBe(line);
  });
});
