/**
 * `deploy --engine codedeploy` in the shell: decide what CodeDeploy gets (pure, before any
 * write or upload: a strategy or hook it cannot run is refused here), then swap the CodeDeploy
 * TrafficDriver and its status gate into the runtime. The engine runs the same release
 * program; lshift's own hooks are handed to CodeDeploy's AppSpec instead of the program.
 */
import { randomBytes } from 'node:crypto';
import { type CodeDeployHooks, mapHooksToCodeDeploy } from '../domain/codedeploy-hooks.js';
import {
  type CodeDeployConfig,
  checkAlarmCount,
  mapStrategyToCodeDeploy,
  resolveCodeDeployNames,
} from '../domain/codedeploy-plan.js';
import { OperationError } from '../domain/errors.js';
import { refusingBesideCodeDeploy } from '../engine/codedeploy-beside.js';
import { checkOwnConfig } from '../engine/codedeploy-config-check.js';
import type { CodeDeploySetup } from '../engine/codedeploy-driver-deps.js';
import { createCodeDeployGate } from '../engine/codedeploy-gate.js';
import { ensureCodeDeploySetup } from '../engine/codedeploy-setup.js';
import { findCodeDeployDriver, type SplitAlias } from '../engine/codedeploy-split-driver.js';
import { createCodeDeployTrafficDriver } from '../engine/codedeploy-traffic-driver.js';
import type { DeployHooks } from '../engine/deploy-types.js';
import type { HealthGate } from '../engine/health-gate.js';
import type { EventSink } from '../ports/event-sink.js';
import type { TrafficDriver } from '../ports/traffic-driver.js';
import { tellStopNews } from './codedeploy-stop-lines.js';
import type { DeployOptions } from './deploy-options.js';
import type { GroupAlarms } from './detach-warning.js';
import type { Runtime } from './runtime.js';

export interface CodeDeployPlan {
  application: string;
  group: string;
  config: CodeDeployConfig;
  hooks: CodeDeployHooks;
}

/** The sandbox accepts any role; this one only names what a real group needs. */
const SANDBOX_ROLE = 'arn:aws:iam::123456789012:role/lshift-sandbox-codedeploy';

/** Undefined for the native engine; throws ENGINE_CANNOT_RUN for what CodeDeploy cannot run. */
export function planCodeDeployEngine(
  functionName: string,
  options: DeployOptions,
): CodeDeployPlan | undefined {
  const engine = options.engine;
  if (engine.kind !== 'codedeploy') return undefined;
  const config = mapStrategyToCodeDeploy(options.strategy, { bakeSeconds: options.bakeSeconds });
  const hooks = mapHooksToCodeDeploy(options.hooks, options.hookSources, options.hookTimeoutSource);
  const names = resolveCodeDeployNames(
    functionName,
    options.alias,
    { application: engine.application, group: engine.group },
    engine.sources,
  );
  return { ...names, config, hooks };
}

/** Options for the engine: CodeDeploy runs the hooks, so the program has none. */
export function withoutLshiftHooks(options: DeployOptions): DeployOptions {
  return { ...options, hooks: { pre: [], step: [], post: [], rollback: [] } };
}

export interface AttachedCodeDeploy {
  traffic: TrafficDriver;
  gate: HealthGate;
  /** The id of the deployment this run started (or follows), once there is one. */
  deploymentId(): string | undefined;
  /** The alarms its deployment group stops on (`--detach` leaves the deployment to them). */
  groupAlarms: GroupAlarms;
}

/**
 * Checks the group exists (the sandbox creates it, as `lshift codedeploy init` would, watching
 * the demo's alarm), then builds the driver and the gate.
 */
export async function attachCodeDeploy(
  runtime: Runtime,
  plan: CodeDeployPlan,
  ctx: {
    functionName: string;
    alarms: string[];
    sandbox: boolean;
    pollSeconds: number;
    signal: AbortSignal;
    description: string;
    /**
     * The run's token in the deployment's description: the record's id, so that `lshift
     * rollback` recognises the deployment of a runner killed before it recorded the id.
     */
    runToken?: string;
    events: EventSink;
    /** lshift's hooks CodeDeploy runs, for the words of one that fails. */
    hooks?: DeployHooks;
    /** Called once the deployment started (`--detach` stops following here). */
    onStarted?: (deploymentId: string) => void;
    /** Called before its stop without rollback for a person's move (CodeDeploySetup.onKeepingMove). */
    onKeepingMove?: () => void;
    /** Told what the alias read beside a rollback's stop came to (CodeDeploySetup.onBesideStop). */
    onBesideStop?: CodeDeploySetup['onBesideStop'];
  },
): Promise<AttachedCodeDeploy> {
  const where = { application: plan.application, group: plan.group };
  let groupAlarms: GroupAlarms = { ...where, alarms: ctx.alarms, enabled: true };
  if (ctx.sandbox) {
    checkAlarmCount(ctx.alarms);
    await ensureCodeDeploySetup(runtime.codedeploy, {
      application: plan.application,
      group: plan.group,
      serviceRoleArn: SANDBOX_ROLE,
      alarms: ctx.alarms,
      config: plan.config.name,
      update: true,
    });
    await checkOwnConfig(runtime.codedeploy, plan.config);
  } else {
    const found = await checkCodeDeployGroup(runtime, plan, ctx.functionName);
    groupAlarms = { ...where, alarms: found.alarms, enabled: found.alarmsEnabled };
  }
  let current: string | undefined;
  // Read by the status gate at each poll of a hold; the driver's hold ends on it.
  const succeeded = new Set<string>();
  const driver = createCodeDeployTrafficDriver(
    { codedeploy: runtime.codedeploy, lambda: runtime.lambda, clock: runtime.clock },
    {
      start: {
        application: plan.application,
        group: plan.group,
        config: plan.config,
        hooks: plan.hooks,
        description: ctx.description,
        // Finds this run's deployment again after a lost CreateDeployment answer.
        runToken: ctx.runToken ?? randomBytes(6).toString('base64url'),
      },
      pollSeconds: ctx.pollSeconds,
      signal: ctx.signal,
      onStarted: (id) => {
        current = id;
        const message = `codedeploy: started deployment ${id} (${plan.config.name}) in ${plan.application}/${plan.group}`;
        ctx.events.emit({ type: 'log', at: runtime.clock.now(), level: 'info', message });
        ctx.onStarted?.(id);
      },
      onKeepingMove: ctx.onKeepingMove,
      onBesideStop: ctx.onBesideStop,
      onStop: tellStopNews({ clock: runtime.clock, events: ctx.events }),
      succeeded: (id) => succeeded.has(id),
      onProgress: (info, percent) => {
        const message = `codedeploy: ${info.id} ${info.status}, ${percent}% on the new version`;
        ctx.events.emit({ type: 'log', at: runtime.clock.now(), level: 'info', message });
      },
    },
  );
  return {
    traffic: driver,
    gate: createCodeDeployGate(
      runtime.codedeploy,
      () => current,
      ctx.hooks,
      (id) => succeeded.add(id),
    ),
    deploymentId: () => current,
    groupAlarms,
  };
}

/**
 * The deployment group the deploy would start its deployment in; CODEDEPLOY_GROUP_NOT_FOUND when there
 * is none, CODEDEPLOY_CONFIG_MISMATCH when lshift's config of that name routes otherwise.
 */
export async function checkCodeDeployGroup(
  runtime: Pick<Runtime, 'codedeploy'>,
  plan: CodeDeployPlan,
  functionName: string,
) {
  const found = await runtime.codedeploy.getDeploymentGroup(plan.application, plan.group);
  if (!found) throw groupNotFound(functionName, plan);
  // A config of lshift's name made by hand with another routing: refused before any upload.
  await checkOwnConfig(runtime.codedeploy, plan.config);
  return found;
}

function groupNotFound(functionName: string, plan: CodeDeployPlan): OperationError {
  return new OperationError(
    'CODEDEPLOY_GROUP_NOT_FOUND',
    `CodeDeploy deployment group ${plan.group} of application ${plan.application} does not exist.`,
    {
      hint: `Create it with \`lshift codedeploy init ${functionName} --role <service-role-arn> --application ${plan.application} --deployment-group ${plan.group}\`, or name an existing one with --application/--deployment-group.`,
    },
  );
}

/** Seconds between polls while `rollback`/`check` wait for CodeDeploy to put an alias back. */
const RESTORE_POLL_SECONDS = 5;

/**
 * The driver a record's deployment needs: CodeDeploy's for one it runs (a rollback stops it
 * with auto-rollback), the runtime's native one otherwise.
 */
export function trafficForRecord(
  runtime: Runtime,
  opts: { group?: { application: string; group: string } } = {},
): (record?: { engine?: string; id?: string }) => TrafficDriver {
  return (record) =>
    record?.engine !== 'codedeploy'
      ? // A native write beside a deployment CodeDeploy runs on the function's group is refused.
        opts.group
        ? refusingBesideCodeDeploy(runtime.traffic, runtime.codedeploy, opts.group)
        : runtime.traffic
      : createCodeDeployTrafficDriver(
          { codedeploy: runtime.codedeploy, lambda: runtime.lambda, clock: runtime.clock },
          {
            pollSeconds: RESTORE_POLL_SECONDS,
            ...(opts.group ? { group: opts.group } : {}),
            // The record's id is the token its deploy put in the deployment's description.
            ...(record.id ? { runToken: record.id } : {}),
          },
        );
}

/**
 * The group `lshift rollback` checks when a CodeDeploy record names no deployment: the config
 * file's names, else the defaults. Undefined when they are not valid names (nothing to check).
 */
export function guessCodeDeployGroup(
  functionName: string,
  alias: string,
  config: { application?: string; 'deployment-group'?: string },
): { application: string; group: string } | undefined {
  try {
    return resolveCodeDeployNames(functionName, alias, {
      application: config.application,
      group: config['deployment-group'],
    });
  } catch {
    return undefined;
  }
}

/**
 * The running CodeDeploy deployment that drives a split alias (preflight-split.ts leaves the split
 * to it), looked for on the group the deploy names, else the one `lshift codedeploy init` makes.
 */
export function splitDriverOf(
  runtime: Pick<Runtime, 'codedeploy'>,
  options: Pick<DeployOptions, 'engine'>,
): (split: SplitAlias) => Promise<string | undefined> {
  const names =
    options.engine.kind === 'codedeploy'
      ? { application: options.engine.application, 'deployment-group': options.engine.group }
      : {};
  return (split) =>
    findCodeDeployDriver(
      runtime.codedeploy,
      guessCodeDeployGroup(split.functionName, split.alias, names),
      split,
    );
}
