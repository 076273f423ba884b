/**
 * The cause (`y=`) a CodeDeploy deployment's end gives the record `lshift wait` and `lshift check`
 * close as rolled back (codedeploy-end-cause.ts): CodeDeploy's own alarm, a hook with its phase, a
 * stop from outside, `lshift wait`'s own stop — and nothing for anything else.
 */
import { describe, expect, it } from 'vitest';
import type { RecordCause } from '../../src/domain/record-cause.js';
import { mayNameHook, recordCauseOfCodeDeployEnd } from '../../src/engine/codedeploy-end-cause.js';
import type { DeploymentInfo, LifecycleEventInfo } from '../../src/ports/codedeploy.js';

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
