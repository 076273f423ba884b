/**
 * Ports whose SDK client is imported on first use: each client costs ~170 ms of start-up, so a
 * command pays only for the services it calls.
 */
import type { CodeDeployPort } from '../ports/codedeploy.js';
import type { MetricsPort } from '../ports/metrics.js';

/**
 * The CloudWatch client (~170 ms to import) is created on first use, so `publish` and `alias`
 * never pay for it.
 */
export function createLazyMetrics(create: () => Promise<MetricsPort>): MetricsPort {
  const get = onFirstUse(create);
  return {
    describeAlarms: async (names) => (await get()).describeAlarms(names),
    describeAlarmHistory: async (name, startMs, endMs) =>
      (await get()).describeAlarmHistory(name, startMs, endMs),
    getMetricData: async (queries, startMs, endMs) => (await get()).getMetricData(queries, startMs, endMs),
  };
}

/** The CodeDeploy client (~170 ms to import) is created on first use: only its engine pays for it. */
export function createLazyCodeDeploy(create: () => Promise<CodeDeployPort>): CodeDeployPort {
  const get = onFirstUse(create);
  return {
    getApplication: async (name) => (await get()).getApplication(name),
    createApplication: async (name) => (await get()).createApplication(name),
    getDeploymentGroup: async (app, group) => (await get()).getDeploymentGroup(app, group),
    createDeploymentGroup: async (spec) => (await get()).createDeploymentGroup(spec),
    updateDeploymentGroup: async (spec) => (await get()).updateDeploymentGroup(spec),
    getDeploymentConfig: async (name) => (await get()).getDeploymentConfig(name),
    createDeploymentConfig: async (name, routing) => (await get()).createDeploymentConfig(name, routing),
    createDeployment: async (input) => (await get()).createDeployment(input),
    getDeployment: async (id) => (await get()).getDeployment(id),
    listActiveDeployments: async (app, group) => (await get()).listActiveDeployments(app, group),
    listDeploymentsSince: async (app, group, since) => (await get()).listDeploymentsSince(app, group, since),
    stopDeployment: async (id, rollback) => (await get()).stopDeployment(id, rollback),
    getLifecycleEvents: async (id) => (await get()).getLifecycleEvents(id),
  };
}

/** `create` runs at the first call and its port is shared; a failed creation is tried again next time. */
function onFirstUse<T>(create: () => Promise<T>): () => Promise<T> {
  let port: Promise<T> | undefined;
  return () => {
    port ??= create().catch((error) => {
      port = undefined;
      throw error;
    });
    return port;
  };
}
