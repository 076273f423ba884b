/**
 * Deployment configs: the predefined `CodeDeployDefault.Lambda*` ones and custom ones
 * (CreateDeploymentConfig, GetDeploymentConfig, DeleteDeploymentConfig), and the traffic schedule
 * each one means.
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_CreateDeploymentConfig.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_DeleteDeploymentConfig.html
 * https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_TrafficRoutingConfig.html
 * https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html
 */
import { own, setOwn } from '../own.js';
import type { Sandbox } from '../sandbox.js';
import { codeDeployErrors } from './errors.js';
import { checkName, type Input, optionalObject, optionalString, requiredString, seconds } from './input.js';
import { codeDeployOf } from './state.js';
import type { DeploymentConfigData, TrafficRoutingData } from './types.js';

const MINUTE_MS = 60_000;
export const PREDEFINED_PREFIX = 'CodeDeployDefault.';

const canary = (percent: number, minutes: number): TrafficRoutingData => ({
  type: 'TimeBasedCanary',
  timeBasedCanary: { canaryPercentage: percent, canaryInterval: minutes },
});
const linear = (percent: number, minutes: number): TrafficRoutingData => ({
  type: 'TimeBasedLinear',
  timeBasedLinear: { linearPercentage: percent, linearInterval: minutes },
});

const PREDEFINED: Record<string, TrafficRoutingData> = {
  'CodeDeployDefault.LambdaAllAtOnce': { type: 'AllAtOnce' },
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': canary(10, 5),
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': canary(10, 10),
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': canary(10, 15),
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': canary(10, 30),
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': linear(10, 1),
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': linear(10, 2),
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': linear(10, 3),
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': linear(10, 10),
};

export function findConfig(sb: Sandbox, name: string): DeploymentConfigData | undefined {
  const predefined = own(PREDEFINED, name);
  if (predefined) {
    // Predefined configs have fixed ids in AWS; any stable string stands in for them.
    return {
      id: `predefined-${name.slice(PREDEFINED_PREFIX.length)}`,
      name,
      createdMs: 0,
      trafficRouting: predefined,
    };
  }
  return own(codeDeployOf(sb).configs, name);
}

export function requireConfig(sb: Sandbox, name: string): DeploymentConfigData {
  const config = findConfig(sb, name);
  if (!config) throw codeDeployErrors.configMissing(name);
  return config;
}

export function createDeploymentConfig(sb: Sandbox, input: Input): Input {
  const name = configName(input);
  if (name.startsWith(PREDEFINED_PREFIX)) {
    throw codeDeployErrors.make(
      'InvalidDeploymentConfigNameException',
      `Deployment config names starting with ${PREDEFINED_PREFIX} are reserved for the predefined configs.`,
    );
  }
  const platform = optionalString(input, 'computePlatform') ?? 'Server';
  if (platform !== 'Lambda') {
    throw codeDeployErrors.make(
      'InvalidComputePlatformException',
      `The lshift sandbox models the Lambda compute platform only; pass computePlatform Lambda (got ${platform}).`,
    );
  }
  if (findConfig(sb, name)) {
    throw codeDeployErrors.make(
      'DeploymentConfigAlreadyExistsException',
      `Deployment config ${name} already exists.`,
    );
  }
  const config: DeploymentConfigData = {
    id: sb.nextId(),
    name,
    createdMs: sb.simNow(),
    trafficRouting: readTrafficRouting(optionalObject(input, 'trafficRoutingConfig')),
  };
  setOwn(codeDeployOf(sb).configs, name, config);
  sb.markDirty();
  return { deploymentConfigId: config.id };
}

export function getDeploymentConfig(sb: Sandbox, input: Input): Input {
  const config = requireConfig(sb, configName(input));
  return {
    deploymentConfigInfo: {
      deploymentConfigId: config.id,
      deploymentConfigName: config.name,
      createTime: seconds(config.createdMs),
      computePlatform: 'Lambda',
      trafficRoutingConfig: config.trafficRouting,
    },
  };
}

/**
 * Deletes a custom config, as CODEDEPLOY_CONFIG_MISMATCH's hint says to (a config made by hand
 * under lshift's name). AWS refuses a predefined one (InvalidOperationException) and one in use
 * (DeploymentConfigInUseException: a deployment group's default config, or a deployment that has
 * not ended); deleting one that does not exist lists no error of its own and changes nothing.
 */
export function deleteDeploymentConfig(sb: Sandbox, input: Input): Input {
  const name = configName(input);
  if (own(PREDEFINED, name) || name.startsWith(PREDEFINED_PREFIX)) {
    throw codeDeployErrors.make(
      'InvalidOperationException',
      `Deployment config ${name} is predefined (${PREDEFINED_PREFIX}*): predefined configs cannot be deleted.`,
    );
  }
  const data = codeDeployOf(sb);
  if (!own(data.configs, name)) return {};
  const user = configUser(sb, name);
  if (user) {
    throw codeDeployErrors.make(
      'DeploymentConfigInUseException',
      `Deployment config ${name} is still in use (${user}).`,
    );
  }
  delete data.configs[name];
  sb.markDirty();
  return {};
}

/** What uses config `name`: a deployment group's default config, or a deployment not ended. */
function configUser(sb: Sandbox, name: string): string | undefined {
  const data = codeDeployOf(sb);
  for (const app of Object.values(data.applications)) {
    for (const group of Object.values(app.groups)) {
      if (group.deploymentConfigName === name)
        return `deployment group ${group.name} of application ${app.name} names it its default`;
    }
  }
  const running = Object.values(data.deployments).find(
    (d) => d.configName === name && !ENDED.includes(d.status),
  );
  return running ? `deployment ${running.id} is ${running.status}` : undefined;
}

const ENDED: readonly string[] = ['Succeeded', 'Failed', 'Stopped'];

function configName(input: Input): string {
  const name = requiredString(
    input,
    'deploymentConfigName',
    'DeploymentConfigNameRequiredException',
    'deployment config name',
  );
  return checkName(name, 'InvalidDeploymentConfigNameException', 'deployment config name');
}

function readTrafficRouting(raw: Input | undefined): TrafficRoutingData {
  const invalid = (message: string) =>
    codeDeployErrors.make('InvalidTrafficRoutingConfigurationException', `trafficRoutingConfig: ${message}`);
  if (!raw) throw invalid('a Lambda deployment config needs a trafficRoutingConfig.');
  const type = raw.type;
  if (type === 'AllAtOnce') return { type };
  if (type === 'TimeBasedCanary') {
    const spec = (raw.timeBasedCanary ?? {}) as Input;
    const percent = whole(spec.canaryPercentage, 1, 99, 'timeBasedCanary.canaryPercentage', invalid);
    const interval = whole(spec.canaryInterval, 1, 2880, 'timeBasedCanary.canaryInterval', invalid);
    return canary(percent, interval);
  }
  if (type === 'TimeBasedLinear') {
    const spec = (raw.timeBasedLinear ?? {}) as Input;
    const percent = whole(spec.linearPercentage, 1, 99, 'timeBasedLinear.linearPercentage', invalid);
    const interval = whole(spec.linearInterval, 1, 2880, 'timeBasedLinear.linearInterval', invalid);
    return linear(percent, interval);
  }
  throw invalid(`type ${JSON.stringify(type)} is not TimeBasedCanary, TimeBasedLinear or AllAtOnce.`);
}

function whole(
  raw: unknown,
  min: number,
  max: number,
  member: string,
  invalid: (message: string) => Error,
): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    throw invalid(`${member} must be a whole number from ${min} to ${max} (got ${JSON.stringify(raw)}).`);
  }
  return raw;
}

/**
 * The weights of the target version over time, as offsets from the start of AllowTraffic:
 * canary X% N → X% at 0, 100% at N; linear X% every N → X%, 2X%, … one step every N, then 100%
 * (the same timeline as lshift's own engine, src/domain/plan.ts); all at once → 100% at 0.
 */
export function schedule(routing: TrafficRoutingData): { offsetMs: number; weight: number }[] {
  if (routing.type === 'TimeBasedCanary' && routing.timeBasedCanary) {
    const { canaryPercentage, canaryInterval } = routing.timeBasedCanary;
    return [
      { offsetMs: 0, weight: canaryPercentage / 100 },
      { offsetMs: canaryInterval * MINUTE_MS, weight: 1 },
    ];
  }
  if (routing.type === 'TimeBasedLinear' && routing.timeBasedLinear) {
    const { linearPercentage, linearInterval } = routing.timeBasedLinear;
    const steps: { offsetMs: number; weight: number }[] = [];
    for (let i = 1; i * linearPercentage < 100; i++) {
      steps.push({ offsetMs: (i - 1) * linearInterval * MINUTE_MS, weight: (i * linearPercentage) / 100 });
    }
    steps.push({ offsetMs: steps.length * linearInterval * MINUTE_MS, weight: 1 });
    return steps;
  }
  return [{ offsetMs: 0, weight: 1 }];
}
