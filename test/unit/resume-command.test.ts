import { describe, expect, it } from 'vitest';
import { buildResumeCommand } from '../../src/engine/deploy-result.js';

describe('buildResumeCommand: the resume a person is told to run', () => {
  const shifting = { phase: 'shifting' as const, guards: undefined };
  it.each([
    ['one function', shifting, undefined, '`lshift deploy orders --alias live --resume`'],
    [
      'a function of a release, its functions known',
      { ...shifting, releaseId: 'r-k3j9x2' },
      ['orders', 'billing'],
      '`lshift deploy orders billing --alias live --resume`',
    ],
    [
      'a function of a release, only its record at hand',
      { ...shifting, releaseId: 'r-k3j9x2' },
      undefined,
      '`lshift deploy orders <the other functions of release r-k3j9x2> --alias live --resume`',
    ],
    [
      'a function of a --stagger release: alone (its release is not resumed as one)',
      { ...shifting, releaseId: 'r-k3j9x2', stagger: true as const },
      ['orders', 'billing'],
      '`lshift deploy orders --alias live --resume`',
    ],
  ])('%s', (_, record, functions, expected) => {
    // The command, then the guard flags to pass again (guard-fingerprint.ts).
    const said = buildResumeCommand('orders', 'live', record, functions);
    expect(said.slice(0, expected.length)).toBe(expected);
    expect(said.slice(expected.length)).toMatch(/^ plus the first run's --alarm, hook and --bake flags/);
  });

  // A detached CodeDeploy deployment was told to resume, which CODEDEPLOY_NOT_RESUMABLE refuses.
  it.each([
    [
      'a CodeDeploy deployment: followed, not resumed',
      { codeDeployId: 'd-CD12345' },
      '`lshift wait d-CD12345`',
    ],
    [
      'a CodeDeploy deployment whose id was never recorded',
      {},
      '`lshift rollback orders --alias live` (its CodeDeploy deployment id was never recorded, so it cannot be followed)',
    ],
  ])('%s', (_, ids, expected) => {
    const record = { ...shifting, phase: 'paused' as const, engine: 'codedeploy' as const, ...ids };
    expect(buildResumeCommand('orders', 'live', record)).toBe(expected);
  });
});
