/**
 * Deployments progress on the sandbox clock. Like alarm evaluation (alarm-ticks.ts) it happens
 * lazily: before every request the sandbox replays what happened since the last one, in time
 * order — hook reports and timeouts, traffic steps, and the group's alarm checks each minute —
 * so alias writes land in the traffic history at their own simulated times and a deployment
 * nobody watched has still finished on time.
 * Lifecycle of a Lambda deployment: BeforeAllowTraffic hook → AllowTraffic (the config's
 * schedule) → AfterAllowTraffic hook → Succeeded.
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html
 */
import { advanceAlarms } from '../alarm-ticks.js';
import { own } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { setTargetWeight, targetProblem } from './alias-shift.js';
import { requireConfig, schedule } from './configs.js';
import { end, groupOf, succeed, syncGroup } from './finish.js';
import { invokeHook } from './hooks.js';
import type { DeploymentData, LifecycleEventData, LifecycleEventName } from './types.js';

const MINUTE_MS = 60_000;
/** A safety net: a day of one-minute alarm checks for a handful of deployments. */
const MAX_EVENTS = 50_000;

export function advanceDeployments(sb: Sandbox): void {
  const all = sb.data.codeDeploy?.deployments;
  if (!all) return;
  const now = sb.simNow();
  for (let n = 0; n < MAX_EVENTS; n++) {
    const active = Object.values(all).filter((d) => d.phase.kind !== 'done');
    if (active.length === 0) return;
    const t = Math.min(...active.map((d) => Math.min(nextDue(d), nextAlarmCheck(sb, d))));
    if (t > now) {
      // Alarms set since the last request (SetAlarmState) stop a deployment now.
      advanceAlarms(sb, now);
      for (const d of active) checkAlarms(sb, d, now);
      return;
    }
    advanceAlarms(sb, t);
    for (const d of active) {
      if (!checkAlarms(sb, d, t)) processDue(sb, d, t);
    }
  }
}

function nextDue(d: DeploymentData): number {
  const { phase } = d;
  if (phase.kind === 'created') return d.createMs;
  if (phase.kind === 'hook')
    return Math.min(phase.run.reportAtMs ?? Number.POSITIVE_INFINITY, phase.run.timeoutAtMs);
  if (phase.kind === 'shift') return phase.steps[phase.next]?.atMs ?? Number.POSITIVE_INFINITY;
  return Number.POSITIVE_INFINITY;
}

function nextAlarmCheck(sb: Sandbox, d: DeploymentData): number {
  if (d.status !== 'InProgress' || d.alarmsCheckedMs === undefined) return Number.POSITIVE_INFINITY;
  if (!groupOf(sb, d)?.alarmConfiguration.enabled) return Number.POSITIVE_INFINITY;
  return Math.floor(d.alarmsCheckedMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
}

/**
 * An alarm of the group in ALARM stops the deployment (ALARM_ACTIVE). An alarm that does not
 * exist cannot be read: unless the group says ignorePollAlarmFailure, that stops it too.
 */
function checkAlarms(sb: Sandbox, d: DeploymentData, at: number): boolean {
  if (d.status !== 'InProgress') return false;
  const config = groupOf(sb, d)?.alarmConfiguration;
  if (!config?.enabled) return false;
  d.alarmsCheckedMs = at;
  const missing = config.alarms.filter((name) => !own(sb.data.alarms, name));
  const firing = config.alarms.filter((name) => own(sb.data.alarms, name)?.stateValue === 'ALARM');
  if (firing.length > 0) {
    end(sb, d, at, {
      status: 'Stopped',
      code: 'ALARM_ACTIVE',
      message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${firing.join(', ')}>`,
      trigger: 'DEPLOYMENT_STOP_ON_ALARM',
    });
    return true;
  }
  if (missing.length > 0 && !config.ignorePollAlarmFailure) {
    end(sb, d, at, {
      status: 'Stopped',
      code: 'ALARM_ACTIVE',
      message: `The state of alarm(s) <${missing.join(', ')}> could not be retrieved from CloudWatch (they do not exist), and the deployment group does not ignore alarm poll failures.`,
      trigger: 'DEPLOYMENT_STOP_ON_ALARM',
    });
    return true;
  }
  return false;
}

function processDue(sb: Sandbox, d: DeploymentData, t: number): void {
  for (;;) {
    const { phase } = d;
    if (phase.kind === 'created') {
      if (d.createMs > t) return;
      start(sb, d, d.createMs);
    } else if (phase.kind === 'hook') {
      const { run } = phase;
      if (run.reportAtMs !== undefined && run.reportAtMs <= t && run.reportAtMs <= run.timeoutAtMs) {
        finishHook(sb, d, run.event, run.reportAtMs, run.reportStatus === 'Succeeded', run.functionName);
      } else if (run.timeoutAtMs <= t) {
        const event = eventOf(d, run.event);
        event.errorCode = 'ScriptTimedOut';
        event.message = `The ${run.event} hook function ${run.functionName} did not report its status within an hour.`;
        end(sb, d, run.timeoutAtMs, {
          status: 'Failed',
          code: 'HOOK_EXECUTION_FAILURE',
          message: `The ${run.event} lifecycle event timed out: the hook function ${run.functionName} did not call PutLifecycleEventHookExecutionStatus within an hour.`,
          trigger: 'DEPLOYMENT_FAILURE',
        });
      } else {
        return;
      }
    } else if (phase.kind === 'shift') {
      const step = phase.steps[phase.next];
      if (!step || step.atMs > t) return;
      shiftStep(sb, d, step.atMs, step.weight);
    } else {
      return;
    }
  }
}

function start(sb: Sandbox, d: DeploymentData, at: number): void {
  d.status = 'InProgress';
  d.startMs = at;
  d.alarmsCheckedMs = at;
  syncGroup(sb, d);
  sb.markDirty();
  const problem = targetProblem(sb, d.target);
  if (problem) {
    end(sb, d, at, { status: 'Failed', ...problem, trigger: 'DEPLOYMENT_FAILURE', rollback: false });
    return;
  }
  // An alarm already firing stops the deployment before it changes anything.
  advanceAlarms(sb, at);
  if (checkAlarms(sb, d, at)) return;
  enterHook(sb, d, 'BeforeAllowTraffic', at);
}

function enterHook(
  sb: Sandbox,
  d: DeploymentData,
  name: 'BeforeAllowTraffic' | 'AfterAllowTraffic',
  at: number,
): void {
  const event = eventOf(d, name);
  const ref = d.hooks[name];
  event.startMs = at;
  if (!ref) {
    event.status = 'Skipped';
    event.endMs = at;
    afterHook(sb, d, name, at);
    return;
  }
  event.status = 'InProgress';
  const started = invokeHook(sb, d, name, ref, at);
  if (started.ok) {
    d.phase = { kind: 'hook', run: started.run };
    return;
  }
  event.errorCode = started.errorCode;
  event.message = started.message;
  end(sb, d, at, {
    status: 'Failed',
    code: 'HOOK_EXECUTION_FAILURE',
    message: started.message,
    trigger: 'DEPLOYMENT_FAILURE',
  });
}

function finishHook(
  sb: Sandbox,
  d: DeploymentData,
  name: 'BeforeAllowTraffic' | 'AfterAllowTraffic',
  at: number,
  succeeded: boolean,
  functionName: string,
): void {
  const event = eventOf(d, name);
  if (succeeded) {
    event.status = 'Succeeded';
    event.endMs = at;
    afterHook(sb, d, name, at);
    return;
  }
  event.errorCode = 'ScriptFailed';
  event.message = `The ${name} hook function ${functionName} reported Failed.`;
  end(sb, d, at, {
    status: 'Failed',
    code: 'HOOK_EXECUTION_FAILURE',
    message: `The ${name} lifecycle event failed: the hook function ${functionName} reported Failed with PutLifecycleEventHookExecutionStatus.`,
    trigger: 'DEPLOYMENT_FAILURE',
  });
}

function afterHook(
  sb: Sandbox,
  d: DeploymentData,
  name: 'BeforeAllowTraffic' | 'AfterAllowTraffic',
  at: number,
): void {
  if (name === 'AfterAllowTraffic') {
    succeed(sb, d, at);
    return;
  }
  const event = eventOf(d, 'AllowTraffic');
  event.status = 'InProgress';
  event.startMs = at;
  const steps = schedule(requireConfig(sb, d.configName).trafficRouting).map((s) => ({
    atMs: at + s.offsetMs,
    weight: s.weight,
  }));
  d.phase = { kind: 'shift', steps, next: 0 };
}

function shiftStep(sb: Sandbox, d: DeploymentData, at: number, weight: number): void {
  if (d.phase.kind !== 'shift') return;
  d.phase.next++;
  if (!setTargetWeight(sb, d.target, weight, at)) {
    end(sb, d, at, {
      status: 'Failed',
      code: 'INVALID_LAMBDA_FUNCTION',
      message: `The alias ${d.target.alias} of Lambda function ${d.target.functionName} no longer exists.`,
      trigger: 'DEPLOYMENT_FAILURE',
    });
    return;
  }
  if (d.phase.next < d.phase.steps.length) return;
  const event = eventOf(d, 'AllowTraffic');
  event.status = 'Succeeded';
  event.endMs = at;
  enterHook(sb, d, 'AfterAllowTraffic', at);
}

function eventOf(d: DeploymentData, name: LifecycleEventName): LifecycleEventData {
  return d.events.find((e) => e.name === name)!;
}
