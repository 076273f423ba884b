/**
 * Provisioned-concurrency spillover of the new version (issue 14), reported as a health signal:
 * `ProvisionedConcurrencySpilloverInvocations` counts invocations that ran on standard (cold-
 * start-prone) concurrency because provisioned concurrency was used up or not yet allocated
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-concurrency.html). During a shift
 * that means cold starts the stable version, warm on the alias's provisioned concurrency, did not
 * have. It is shown in a `pass` verdict, never a failure on its own: latency and errors are what
 * the other gates judge. Read per version ({FunctionName, Resource=<fn>:<alias>, ExecutedVersion})
 * in the poll's single GetMetricData call (metric-batch.ts). Silent when there is no spillover.
 */
import type { Verdict } from '../domain/verdict.js';
import type { MetricsPort } from '../ports/metrics.js';
import type { HealthGate, HealthWindow } from './health-gate.js';
import { type GateReadOptions, unreadableVerdict } from './ignored-read.js';

export const SPILLOVER_GATE = 'pc-spillover';
const MINUTE_MS = 60_000;

export function createSpilloverGate(metrics: MetricsPort, opts: GateReadOptions = {}): HealthGate {
  return {
    name: SPILLOVER_GATE,
    async evaluate(window: HealthWindow): Promise<Verdict[]> {
      const start = Math.floor(window.stepStartedAt / MINUTE_MS) * MINUTE_MS;
      const end = Math.floor(window.now / MINUTE_MS) * MINUTE_MS;
      if (end <= start) return [];
      const dims = (version: string) => ({
        FunctionName: window.functionName,
        Resource: `${window.functionName}:${window.alias}`,
        ExecutedVersion: version,
      });
      const query = (id: string, version: string) => ({
        id,
        namespace: 'AWS/Lambda',
        metricName: 'ProvisionedConcurrencySpilloverInvocations',
        dimensions: dims(version),
        stat: 'Sum',
        periodSeconds: 60,
      });
      try {
        const series = await metrics.getMetricData(
          [query('lspc_target', window.targetVersion), query('lspc_stable', window.stableVersion)],
          start,
          end,
        );
        const sum = (id: string) =>
          (series.find((s) => s.id === id)?.values ?? []).reduce((a, b) => a + b, 0);
        const target = sum('lspc_target');
        const stable = sum('lspc_stable');
        if (target === 0 && stable === 0) return [];
        return [
          {
            outcome: 'pass',
            gate: SPILLOVER_GATE,
            summary: `provisioned-concurrency spillover since this step began: version ${window.targetVersion} ${target}, version ${window.stableVersion} ${stable} invocations on standard concurrency (possible cold starts)`,
            details: { gate: SPILLOVER_GATE, target, stable },
            at: window.now,
          },
        ];
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [
          unreadableVerdict(opts, {
            gate: SPILLOVER_GATE,
            summary: `could not read ProvisionedConcurrencySpilloverInvocations of ${window.functionName}:${window.alias}: ${message}`,
            at: window.now,
          }),
        ];
      }
    },
  };
}
