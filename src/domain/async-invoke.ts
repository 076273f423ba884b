/**
 * Which asynchronous-invocation settings apply to each version's traffic while an alias is
 * split, pure. Lambda keeps one event invoke config per qualifier — the function (unqualified),
 * a version or an alias (https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionEventInvokeConfig.html,
 * listed together by https://docs.aws.amazon.com/lambda/latest/api/API_ListFunctionEventInvokeConfigs.html),
 * and the dead-letter queue is part of each version's configuration (DeadLetterConfig).
 *
 * Rule used here: events sent to `fn:alias` and routed to version V are handled with the alias's
 * config when the alias has one (the same for both versions), else with V's own config. AWS's
 * documentation does not say that a version falls back to the unqualified function's config, so
 * lshift does not assume it: that config is reported, never counted on. When unsure, this errs
 * towards "the new version has no failure destination" — a refusal with a fix, never a silent loss.
 * Defaults when nothing is configured: 2 retries, 6 hours
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html).
 */

export interface EventInvokeConfig {
  /** `$LATEST` for the unqualified function, a version number or an alias name. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  onSuccess?: string;
  onFailure?: string;
}

export interface AsyncSettings {
  version: string;
  /** Where the settings come from: `alias live`, `version 7`, or `defaults`. */
  source: string;
  retryAttempts: number;
  maxEventAgeSeconds: number;
  onSuccess?: string;
  onFailure?: string;
  deadLetterQueue?: string;
}

export const DEFAULT_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 21_600;

/** The settings that handle version `version`'s share of the alias's asynchronous events. */
export function settingsDuringShift(
  configs: EventInvokeConfig[],
  alias: string,
  version: string,
  deadLetterQueue?: string,
): AsyncSettings {
  const onAlias = configs.find((c) => c.qualifier === alias);
  const onVersion = configs.find((c) => c.qualifier === version);
  const config = onAlias ?? onVersion;
  const settings: AsyncSettings = {
    version,
    source: onAlias ? `alias ${alias}` : onVersion ? `version ${version}` : 'defaults',
    retryAttempts: config?.maximumRetryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
    maxEventAgeSeconds: config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS,
  };
  if (config?.onSuccess) settings.onSuccess = config.onSuccess;
  if (config?.onFailure) settings.onFailure = config.onFailure;
  if (deadLetterQueue) settings.deadLetterQueue = deadLetterQueue;
  return settings;
}

/**
 * The settings of a version not published yet: Lambda keeps a version's own config only once the
 * version exists (PutFunctionEventInvokeConfig names an existing qualifier, and version numbers
 * are never reused), so a version a deploy is about to publish has none — its share of the
 * alias's events is handled by the alias's config, or by Lambda's defaults.
 */
export function settingsOfNewVersion(
  configs: EventInvokeConfig[],
  alias: string,
  deadLetterQueue?: string,
): AsyncSettings {
  const onAlias = configs.filter((c) => c.qualifier === alias);
  return { ...settingsDuringShift(onAlias, alias, NEW_VERSION, deadLetterQueue), version: NEW_VERSION };
}

/** How settingsOfNewVersion names the version it describes (no qualifier can be spelled so). */
export const NEW_VERSION = 'the new version';

export interface AsyncComparison {
  stable: AsyncSettings;
  target: AsyncSettings;
  /** What the new version would lose: `on-failure destination …`, `dead-letter queue …`. */
  lost: string[];
  /** Other differences, shown: retries, maximum event age, on-success destination. */
  changed: string[];
}

export function compareAsyncSettings(stable: AsyncSettings, target: AsyncSettings): AsyncComparison {
  const lost: string[] = [];
  if (stable.onFailure && !target.onFailure) lost.push(`on-failure destination ${stable.onFailure}`);
  if (stable.deadLetterQueue && !target.deadLetterQueue)
    lost.push(`dead-letter queue ${stable.deadLetterQueue}`);
  const changed: string[] = [];
  const diff = (what: string, a: string | number | undefined, b: string | number | undefined) => {
    if (a !== b) changed.push(`${what}: ${a ?? 'none'} → ${b ?? 'none'}`);
  };
  diff('retry attempts', stable.retryAttempts, target.retryAttempts);
  diff('maximum event age (s)', stable.maxEventAgeSeconds, target.maxEventAgeSeconds);
  diff('on-success destination', stable.onSuccess, target.onSuccess);
  if (stable.onFailure && target.onFailure)
    diff('on-failure destination', stable.onFailure, target.onFailure);
  if (!stable.onFailure && target.onFailure)
    changed.push(`on-failure destination: none → ${target.onFailure}`);
  return { stable, target, lost, changed };
}
