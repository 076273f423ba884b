/**
 * The region a client uses, checked before any work starts: the AWS CLI's precedence (with
 * AWS_DEFAULT_REGION, which the JS SDK ignores), a malformed one named with its source, a missing
 * one said at once instead of a hang. Used by the client factory (clients.ts).
 */
import { assertRegionName } from '../domain/aws-names.js';
import { LshiftError, OperationError } from '../domain/errors.js';
import type { ResolvedConfig } from './client-config.js';

const REGION_TIMEOUT_MS = 5_000;

/**
 * The AWS CLI reads AWS_DEFAULT_REGION when AWS_REGION is unset; the JS SDK ignores it. Users
 * expect the CLI's behaviour, so lshift honours it with the CLI's precedence: --region, then
 * AWS_REGION (the SDK reads it when we pass nothing), then AWS_DEFAULT_REGION, then the profile's
 * region (https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html).
 */
export function defaultRegionFromEnv(): string | undefined {
  if (process.env['AWS_REGION']?.trim()) return undefined;
  return process.env['AWS_DEFAULT_REGION']?.trim() || undefined;
}

/**
 * A region that is set but malformed is REGION_INVALID (exit 2) naming where it came from; the
 * SDK would only say "Region not accepted", which lshift used to report as no region at all.
 * Only the source that is used is checked, in the AWS CLI's order (see defaultRegionFromEnv).
 */
export function assertGivenRegion(fromFlag: string | undefined, flagSource = '--region'): void {
  if (fromFlag !== undefined) {
    assertRegionName(fromFlag, flagSource);
    return;
  }
  const name = ['AWS_REGION', 'AWS_DEFAULT_REGION'].find((n) => process.env[n]?.trim());
  if (name) assertRegionName(process.env[name]?.trim() ?? '', name);
}

/** The profile's `region` is the last source (the SDK reads it); name the profile when it is malformed. */
function profileRegionSource(profile: string | undefined): string {
  const name = profile?.trim() || process.env['AWS_PROFILE']?.trim() || 'default';
  return `the region of AWS profile ${name}`;
}

function regionMissing(service: string, cause?: unknown): OperationError {
  return new OperationError('REGION_MISSING', `No AWS region is configured for ${service}.`, {
    cause,
    hint: 'Pass --region or set AWS_REGION / AWS_DEFAULT_REGION (or add `region = …` to your AWS profile).',
  });
}

/** Resolves the region now, so a missing one fails before any work starts (never hangs). */
export async function assertRegion(
  config: ResolvedConfig,
  service: string,
  profile?: string,
): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(regionMissing(service)), REGION_TIMEOUT_MS);
    timer.unref();
  });
  try {
    const region = await Promise.race([config.region(), timeout]);
    if (!region) throw regionMissing(service);
    assertRegionName(region, profileRegionSource(profile));
    return region;
  } catch (error) {
    if (error instanceof LshiftError) throw error;
    const rejected = /Region not accepted: region="(.*)"/.exec(String((error as Error)?.message));
    // An empty AWS_REGION is "not accepted" too: that is no region, not a malformed one.
    if (rejected?.[1]?.trim()) assertRegionName(rejected[1], profileRegionSource(profile));
    throw regionMissing(service, error);
  } finally {
    clearTimeout(timer);
  }
}
