/**
 * `lshift status`: the canary analysis's current evidence for a deployment in progress,
 * recomputed from CloudWatch (one GetMetricData call) the way the running deployment computes
 * it: since the deployment started, across its steps. Never throws (the gate never does).
 */
import type { AnalysisConfig } from '../domain/analysis/config.js';
import type { DeploymentRecord } from '../domain/deployment-record.js';
import type { Verdict } from '../domain/verdict.js';
import type { MetricsPort } from '../ports/metrics.js';
import { createAnalysisGate } from './analysis-gate.js';

export async function readAnalysisEvidence(
  metrics: MetricsPort,
  config: AnalysisConfig,
  target: { functionName: string; alias: string; record: DeploymentRecord; now: number },
): Promise<Verdict[]> {
  const { record } = target;
  return createAnalysisGate(metrics, config).evaluate({
    functionName: target.functionName,
    alias: target.alias,
    stableVersion: record.stableVersion,
    targetVersion: record.targetVersion,
    phase: record.phase === 'baking' ? 'bake' : 'shift',
    stepIndex: record.stepIndex,
    percent: record.percent,
    // The record does not keep when the 100% weight was written; in a bake the pairing with
    // the baseline starts from the deployment's start, a conservative approximation for a look.
    stepStartedAt: record.startedAt,
    deploymentStartedAt: record.startedAt,
    // The record does not keep whether a shift will end with a bake (which keeps the error gate's
    // whole prior, error-prior.ts): a look during such a shift shows the cut prior's evidence.
    bakes: record.phase === 'baking',
    now: target.now,
    endOfStep: false,
  });
}
