/**
 * The engine events of a demo deployment, for renderer and interrupt tests: function `demo`,
 * alias `live`, version 1 → 2, `canary:10%:5m`, at time 0. A test overrides what it is about.
 */
import type { EngineEvent } from '../../src/domain/events.js';
import { planShift } from '../../src/domain/plan.js';
import { parseStrategy } from '../../src/domain/strategy.js';

type PreflightCompleted = Extract<EngineEvent, { type: 'preflight.completed' }>;
type ShiftStarted = Extract<EngineEvent, { type: 'shift.started' }>;

export function demoPreflightDone(overrides: Partial<PreflightCompleted> = {}): PreflightCompleted {
  return {
    type: 'preflight.completed',
    at: 0,
    functionName: 'demo',
    alias: 'live',
    stableVersion: '1',
    targetVersion: '2',
    ...overrides,
  };
}

export function demoShiftStarted(overrides: Partial<ShiftStarted> = {}): ShiftStarted {
  return {
    type: 'shift.started',
    at: 0,
    deploymentId: 'd-1',
    functionName: 'demo',
    alias: 'live',
    stableVersion: '1',
    targetVersion: '2',
    plan: planShift(parseStrategy('canary:10%:5m')),
    ...overrides,
  };
}
