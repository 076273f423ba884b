import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { createLiveFunction, shopVersionQuery, T0, useTestSandboxes } from './helpers.js';

/**
 * The null the canary analysis is measured against (test/bench/detection.ts, scenario a): two
 * versions with the same behaviour must give, minute by minute, independent samples of one
 * latency law — the per-minute p99 and the counts above a fixed threshold T that the latency gate
 * reads (docs/analysis.md#latency-latency-increase). If the versions shared draws (the same
 * requests' latencies, or one stream replayed per version), their p99s would move together and
 * the count above T would split between them more evenly than chance: the bench's false-rollback
 * column would then be optimistic. Checked here on what CloudWatch serves, over 300 minutes.
 */
const MINUTE = 60_000;
const MINUTES = 300;
/** T: the versions' configured p99 (LSHIFT_SANDBOX_P99_MS), fixed as the gate fixes it before the deployment. */
const T_MS = 120;
const sandbox = useTestSandboxes();

const env = { LSHIFT_SANDBOX_P50_MS: '40', LSHIFT_SANDBOX_P99_MS: String(T_MS) };

interface VersionMinutes {
  calls: number[];
  p99: number[];
  above: number[];
}

/** v1 and v2 equal, v2 at `weight` of `live` from the first minute; per-minute metrics of both. */
async function equalVersions(
  seed: number,
  weight: number,
): Promise<{ v1: VersionMinutes; v2: VersionMinutes }> {
  const t = await sandbox({ seed, metricDelayMinutes: 1 });
  await createLiveFunction(t, 'shop', env, { 'lshift-sandbox:rpm': '1000' });
  // Version 2: the same behaviour, another description (so there is something to publish).
  await t.lambda.send(
    new UpdateFunctionConfigurationCommand({
      FunctionName: 'shop',
      Description: 'v2',
      Environment: { Variables: env },
    }),
  );
  await t.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'shop' }));
  await t.lambda.send(new PublishVersionCommand({ FunctionName: 'shop' }));
  const alias = await t.lambda.send(new GetAliasCommand({ FunctionName: 'shop', Name: 'live' }));
  await t.lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'shop',
      Name: 'live',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': weight } },
      RevisionId: alias.RevisionId,
    }),
  );
  t.advance((MINUTES + 2) * MINUTE);
  const out = await t.cloudWatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(T0),
      EndTime: new Date(T0 + MINUTES * MINUTE),
      MetricDataQueries: ['1', '2'].flatMap((v) => [
        shopVersionQuery(`n${v}`, 'Invocations', 'Sum', v),
        shopVersionQuery(`p${v}`, 'Duration', 'p99', v),
        shopVersionQuery(`a${v}`, 'Duration', `TC(${T_MS}:)`, v),
      ]),
      ScanBy: 'TimestampAscending',
    }),
  );
  const values = (id: string) => {
    const r = out.MetricDataResults?.find((x) => x.Id === id);
    expect(r?.Values).toHaveLength(MINUTES);
    return r?.Values ?? [];
  };
  const version = (v: string) => ({ calls: values(`n${v}`), p99: values(`p${v}`), above: values(`a${v}`) });
  return { v1: version('1'), v2: version('2') };
}

/**
 * Given a minute's margins (both versions' calls, the calls above T in all), v2's count above T is
 * hypergeometric when the calls are exchangeable. Returns the standardised sum of v2's excess over
 * the minutes (≈ N(0, 1)) and the dispersion Σ(X − E)² / ΣVar (≈ 1; ≈ 0 when the versions split
 * their slow calls evenly by construction, as shared draws would).
 */
function hypergeometricFit(v1: VersionMinutes, v2: VersionMinutes): { z: number; dispersion: number } {
  let excess = 0;
  let squares = 0;
  let variance = 0;
  for (let i = 0; i < v1.calls.length; i++) {
    const n2 = v2.calls[i]!;
    const total = v1.calls[i]! + n2;
    const slow = v1.above[i]! + v2.above[i]!;
    const share = slow / total;
    const expected = n2 * share;
    excess += v2.above[i]! - expected;
    squares += (v2.above[i]! - expected) ** 2;
    variance += (n2 * share * (1 - share) * (total - n2)) / (total - 1);
  }
  return { z: excess / Math.sqrt(variance), dispersion: squares / variance };
}

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i]! - ma) * (b[i]! - mb);
    aa += (a[i]! - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

const sum = (x: number[]) => x.reduce((s, v) => s + v, 0);

describe('equal versions draw independent samples of one latency law', () => {
  it('at 50/50 their per-minute p99s are independent: each is the higher half the time, uncorrelated, never the same', async () => {
    const { v1, v2 } = await equalVersions(3, 0.5);
    const higher = v2.p99.filter((p, i) => p > v1.p99[i]!).length / MINUTES;
    const same = v2.p99.filter((p, i) => p === v1.p99[i]!).length;
    // Independent draws: Binomial(300, 1/2) minutes (sd 0.029), correlation 0 (sd ≈ 0.058).
    expect(higher).toBeGreaterThan(0.38);
    expect(higher).toBeLessThan(0.62);
    expect(Math.abs(correlation(v1.p99, v2.p99))).toBeLessThan(0.25);
    expect(same).toBeLessThanOrEqual(3);
    expect(Math.abs(correlation(v1.above, v2.above))).toBeLessThan(0.25);
    // The tail is drawn, not thinned: each version has about 1% of its calls above its p99.
    for (const v of [v1, v2]) {
      expect(sum(v.above) / sum(v.calls)).toBeGreaterThan(0.0085);
      expect(sum(v.above) / sum(v.calls)).toBeLessThan(0.0115);
    }
    const fit = hypergeometricFit(v1, v2);
    expect(Math.abs(fit.z)).toBeLessThan(4);
    expect(fit.dispersion).toBeGreaterThan(0.7);
    expect(fit.dispersion).toBeLessThan(1.3);
  });

  it('at 10% (a first canary step) the count above T splits between them as exchangeable calls would', async () => {
    const { v1, v2 } = await equalVersions(5, 0.1);
    expect(sum(v2.calls) / (sum(v1.calls) + sum(v2.calls))).toBeCloseTo(0.1, 2);
    // Poisson traffic split by independent routing: each version's slow calls of a minute are
    // independent of the other's (r ≈ 0, sd ≈ 0.058); if v2 replayed v1's draws, r ≈ 0.3 here.
    expect(Math.abs(correlation(v1.above, v2.above))).toBeLessThan(0.25);
    for (const v of [v1, v2]) {
      expect(sum(v.above) / sum(v.calls)).toBeGreaterThan(0.0075);
      expect(sum(v.above) / sum(v.calls)).toBeLessThan(0.0125);
    }
    const fit = hypergeometricFit(v1, v2);
    expect(Math.abs(fit.z)).toBeLessThan(4);
    expect(fit.dispersion).toBeGreaterThan(0.65);
    expect(fit.dispersion).toBeLessThan(1.35);
  });
});
