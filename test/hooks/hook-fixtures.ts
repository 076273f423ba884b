import type { FunctionHookPayload, ReleaseHookPayload } from '../../src/ports/hooks.js';

export function makePayload(overrides: Partial<FunctionHookPayload> = {}): FunctionHookPayload {
  return {
    deploymentId: 'dep-0001',
    phase: 'pre',
    functionName: 'orders-api',
    alias: 'live',
    stableVersion: '6',
    targetVersion: '7',
    weight: 10,
    strategy: 'canary:10%:5m',
    startedAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}

/** A release hook's payload: two functions of release r-0001, at 10% each. */
export function makeReleasePayload(overrides: Partial<ReleaseHookPayload> = {}): ReleaseHookPayload {
  return {
    releaseId: 'r-0001',
    phase: 'pre',
    functions: [
      {
        functionName: 'orders-api',
        alias: 'live',
        deploymentId: 'dep-0001',
        stableVersion: '6',
        targetVersion: '7',
        weight: 10,
      },
      {
        functionName: 'billing',
        alias: 'prod',
        deploymentId: 'dep-0002',
        stableVersion: '3',
        targetVersion: '4',
        weight: 10,
      },
    ],
    strategy: 'canary:10%:5m',
    startedAt: '2026-01-02T03:04:05.000Z',
    ...overrides,
  };
}
