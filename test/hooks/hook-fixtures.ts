import type { HookPayload } from '../../src/ports/hooks.js';

export function makePayload(overrides: Partial<HookPayload> = {}): HookPayload {
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
