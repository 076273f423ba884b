/**
 * The lshift sandbox: a local endpoint the real AWS SDK clients talk to unchanged, with
 * synthetic traffic, metrics, alarms and faults (docs/sandbox.md).
 */

export { ENV_HOOK_DELAY, ENV_HOOK_STATUS } from './codedeploy/hook-env.js';
export { HOOK_TIMEOUT_MS } from './codedeploy/hooks.js';
export { ControlPlaneRate, DEFAULT_SANDBOX_LAMBDA_RATE } from './control-plane-rate.js';
export { DEMO_SCENARIOS, type DemoInfo, demoAlarmThreshold, type SeedDemoOptions, seedDemo } from './demo.js';
export { type DemoHooks, type HookBehaviour, hookFunctionName } from './demo-hooks.js';
export { Sandbox } from './sandbox.js';
export {
  type ApiFault,
  DEMO_PRESET_NAMES,
  type DemoPresetName,
  type DemoTarget,
  type MetricDelayFault,
  type SandboxScenario,
  type ScenarioDemo,
  type ScenarioFault,
  type ScenarioTime,
  type VersionFault,
} from './scenario.js';
export { loadScenarioFile } from './scenario-file.js';
export { validateScenario } from './scenario-validation.js';
export { type SandboxHandle, type SandboxOptions, startSandbox } from './server.js';
export {
  DEFAULT_RPM,
  ENV_ERROR_RATE,
  ENV_P50,
  ENV_P99,
  ENV_RESPONSE,
  ENV_THROTTLE_RATE,
  RPM_TAG,
} from './traffic-params.js';
export type { ClockInfo, SandboxData } from './types.js';
