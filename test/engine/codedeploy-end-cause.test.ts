/**
 * The cause (`y=`) a CodeDeploy deployment's end gives the record `lshift wait` and `lshift check`
 * close as rolled back (codedeploy-end-cause.ts): CodeDeploy's own alarm, a hook with its phase, a
 * stop from outside, `lshift wait`'s own stop — and nothing for anything else.
 */
import { describe, expect, it } from 'vitest';
import type { RecordCause } from '../../src/domain/record-cause.js';
import {
  failedHookOf,
  mayNameHook,
  ownEndOf,
  recordCauseOfCodeDeployEnd,
} from '../../src/engine/codedeploy-end-cause.js';
import type { DeploymentInfo, LifecycleEventInfo } from '../../src/ports/codedeploy.js';
import { cmdHook } from '../helpers/fake-hooks.js';

const failed = (name: string): LifecycleEventInfo => ({ name, status: 'Failed' });
const passed = (name: string): LifecycleEventInfo => ({ name, status: 'Succeeded' });
const MANUAL_STOP = { code: 'MANUAL_STOP', message: 'The deployment was stopped by the user' };
const ALARM = { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated' };
const HOOK = { code: 'HOOK_EXECUTION_FAILURE', message: 'The lifecycle event failed' };

type Row = [
  string,
  Pick<DeploymentInfo, 'status' | 'error'>,
  LifecycleEventInfo[] | undefined,
  boolean,
  RecordCause | undefined,
];

const rows: Row[] = [
  [
    'its alarm stopped it',
    { status: 'Stopped', error: ALARM },
    [failed('AllowTraffic')],
    false,
    { code: 'GATE_FAILED', gates: ['alarms'] },
  ],
  [
    'its alarm, reported Failed',
    { status: 'Failed', error: ALARM },
    undefined,
    false,
    { code: 'GATE_FAILED', gates: ['alarms'] },
  ],
  [
    'its alarm, though wait had asked for a stop too',
    { status: 'Stopped', error: ALARM },
    undefined,
    true,
    { code: 'GATE_FAILED', gates: ['alarms'] },
  ],
  [
    'the BeforeAllowTraffic hook',
    { status: 'Failed', error: HOOK },
    [failed('BeforeAllowTraffic')],
    false,
    { code: 'HOOK_FAILED', phase: 'pre' },
  ],
  [
    'the AfterAllowTraffic hook',
    { status: 'Failed', error: HOOK },
    [passed('BeforeAllowTraffic'), passed('AllowTraffic'), failed('AfterAllowTraffic')],
    false,
    { code: 'HOOK_FAILED', phase: 'post' },
  ],
  ['a hook, its events unread', { status: 'Failed', error: HOOK }, undefined, false, { code: 'HOOK_FAILED' }],
  [
    'a hook, no hook event failed',
    { status: 'Failed', error: HOOK },
    [failed('AllowTraffic')],
    false,
    { code: 'HOOK_FAILED' },
  ],
  [
    'another code, the pre hook’s event Failed',
    { status: 'Failed', error: { code: 'TIMEOUT' } },
    [failed('BeforeAllowTraffic')],
    false,
    { code: 'HOOK_FAILED', phase: 'pre' },
  ],
  [
    'stopped from outside',
    { status: 'Stopped', error: MANUAL_STOP },
    [failed('AllowTraffic')],
    false,
    { code: 'STOPPED_IN_CODEDEPLOY' },
  ],
  [
    'stopped by lshift wait’s own Ctrl-C',
    { status: 'Stopped', error: MANUAL_STOP },
    [failed('AllowTraffic')],
    true,
    { code: 'INTERRUPTED' },
  ],
  ['Stopped without a code', { status: 'Stopped' }, undefined, true, undefined],
  [
    'Failed for another reason',
    { status: 'Failed', error: { code: 'INVALID_LAMBDA_FUNCTION' } },
    [failed('AllowTraffic')],
    false,
    undefined,
  ],
  ['Failed, no code at all', { status: 'Failed' }, [], false, undefined],
  [
    'MANUAL_STOP on a Failed one (not a stop)',
    { status: 'Failed', error: MANUAL_STOP },
    undefined,
    false,
    undefined,
  ],
  ['Succeeded', { status: 'Succeeded' }, undefined, false, undefined],
  ['still running', { status: 'InProgress', error: ALARM }, undefined, false, undefined],
];

describe('recordCauseOfCodeDeployEnd', () => {
  it.each(rows)('%s', (_, info, events, stoppedByUs, cause) => {
    expect(recordCauseOfCodeDeployEnd(info, events, stoppedByUs)).toEqual(cause);
  });
});

describe('mayNameHook: whether a caller must read the lifecycle events first', () => {
  it('only for a Failed deployment its alarm did not end', () => {
    expect(mayNameHook({ status: 'Failed', error: HOOK })).toBe(true);
    expect(mayNameHook({ status: 'Failed', error: { code: 'TIMEOUT' } })).toBe(true);
    expect(mayNameHook({ status: 'Failed', error: ALARM })).toBe(false);
    expect(mayNameHook({ status: 'Stopped', error: MANUAL_STOP })).toBe(false);
    expect(mayNameHook({ status: 'Succeeded' })).toBe(false);
  });
});

// What a deploy that follows its CodeDeploy deployment names (traffic-steps.ts, codedeploy-gate.ts).
describe('ownEndOf and failedHookOf: the ends a following deploy names as a native deploy would', () => {
  const hooks = { pre: [cmdHook('smoke')], post: [cmdHook('journey'), cmdHook('load')] };
  it.each<[string, RecordCause | undefined, object | undefined]>([
    [
      'a post hook',
      { code: 'HOOK_FAILED', phase: 'post' },
      { phase: 'post', hooks: ['cmd:journey', 'cmd:load'] },
    ],
    ['a pre hook', { code: 'HOOK_FAILED', phase: 'pre' }, { phase: 'pre', hooks: ['cmd:smoke'] }],
    ['a hook of no known phase: not named', { code: 'HOOK_FAILED' }, undefined],
    ['CodeDeploy’s alarm: no hook', { code: 'GATE_FAILED', gates: ['alarms'] }, undefined],
    ['a stop from outside: no hook', { code: 'STOPPED_IN_CODEDEPLOY' }, undefined],
    ['nothing said', undefined, undefined],
  ])('%s', (_name, cause, hook) => {
    expect(failedHookOf(ownEndOf(cause), hooks)).toEqual(hook);
  });

  it('CodeDeploy’s alarm is GATE_FAILED (alarms); a stop from outside is not one of its own ends', () => {
    expect(ownEndOf({ code: 'GATE_FAILED', gates: ['alarms'] })).toEqual({
      code: 'GATE_FAILED',
      gates: ['alarms'],
    });
    expect(ownEndOf({ code: 'STOPPED_IN_CODEDEPLOY' })).toBeUndefined();
  });
});
