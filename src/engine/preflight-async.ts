/**
 * Preflight for asynchronous invocation (issue 14): which settings will handle each version's
 * share of the alias's asynchronous events during the shift (src/domain/async-invoke.ts), and a
 * refusal before any traffic moves when the new version would lose the stable version's
 * on-failure destination (its failed events would be dropped). A lost dead-letter queue is
 * already refused by the same-DLQ check: Lambda will not split an alias between versions whose
 * DLQs differ (https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html).
 *
 * With code to publish, the refusal is decided before the upload (checkAsyncBeforePublish): a
 * version not published yet has no config of its own, so its settings are known from the
 * alias's config and `$LATEST`'s dead-letter queue — and a refused deploy changes nothing. The
 * full preflight checks the published version again (checkAsyncSettings): the one check of this
 * kind that needs the version itself, for when the publish gave another version than foreseen
 * (Lambda returned an existing one) or a config changed during the upload.
 */
import {
  type AsyncSettings,
  compareAsyncSettings,
  type EventInvokeConfig,
  NEW_VERSION,
  settingsDuringShift,
  settingsOfNewVersion,
} from '../domain/async-invoke.js';
import { OperationError } from '../domain/errors.js';
import type { FunctionInfo, LambdaPort } from '../ports/lambda.js';
import { type CheckDeps, guard, pass, refuse } from './preflight-checks.js';
import { forecastPublish, readNewestVersion } from './publish-forecast.js';

type Deps = CheckDeps & { lambda: LambdaPort };

interface Where {
  functionName: string;
  alias: string;
}

export async function checkAsyncSettings(
  deps: Deps,
  where: Where,
  stable: FunctionInfo,
  target: FunctionInfo,
): Promise<void> {
  const { functionName: fn, alias } = where;
  const configs = await guard(deps, 'async-destinations', () => deps.lambda.listEventInvokeConfigs(fn));
  const s = settingsDuringShift(configs, alias, stable.version, stable.deadLetterTargetArn);
  const t = settingsDuringShift(configs, alias, target.version, target.deadLetterTargetArn);
  const { lost, changed } = compareAsyncSettings(s, t);
  if (lost.length > 0) {
    refuse(
      deps,
      'async-destinations',
      // Exit 1 (OperationError), as before the publish. Reached after a publish only when it gave
      // another version than the checks before it foresaw, or a config changed meanwhile: the CLI
      // then says which version this deploy left behind (src/cli/left-behind.ts).
      new OperationError(
        'ASYNC_DESTINATION_LOST',
        `Function ${fn}: during the shift, version ${t.version} would handle its share of alias ${alias}'s asynchronous events without the ${lost.join(' and ')} that version ${s.version} has (from ${s.source}; version ${t.version} gets ${t.source}); its failed events would be lost.`,
        { hint: fixFor(fn, alias, s, t), context: { functionName: fn, alias } },
      ),
    );
  }
  pass(
    deps,
    'async-destinations',
    changed.length > 0
      ? `asynchronous invocation differs: ${changed.join('; ')} (version ${s.version}: ${origin(s)}; version ${t.version}: ${origin(t)})`
      : `both versions handle asynchronous events alike (${describe(s)})`,
  );
}

function origin(s: AsyncSettings): string {
  return s.source === 'defaults' ? "Lambda's defaults" : `the config on ${s.source}`;
}

function describe(s: AsyncSettings): string {
  const failure = s.onFailure ? `on failure → ${s.onFailure}` : 'no on-failure destination';
  return `${s.source}: ${failure}, ${s.retryAttempts} retries, max age ${s.maxEventAgeSeconds} s`;
}

/** The AWS CLI line that gives the new version the stable one's destination, or the alias-wide fix. */
function fixFor(fn: string, alias: string, s: AsyncSettings, t: AsyncSettings): string {
  const destination = JSON.stringify({ OnFailure: { Destination: s.onFailure } });
  return (
    `Give version ${t.version} the same destination: \`aws lambda put-function-event-invoke-config --function-name ${fn} --qualifier ${t.version} --destination-config '${destination}'\` ` +
    `(keep its retry/age settings), or configure it once on the alias (\`--qualifier ${alias}\`) so both versions share it; then deploy again.`
  );
}

/** What the checks before an upload know of the version a publish will give. */
export interface BeforePublishVersions {
  /** The version the new one shifts from (the alias's, or where --supersede's rollback leaves it). */
  stable: FunctionInfo;
  /** `$LATEST` as read before the upload: the new version takes its dead-letter queue. */
  latest: FunctionInfo;
  /** The CodeSha256 the published code will have, when known before the upload (a zip, `$LATEST`). */
  codeSha256: string | undefined;
}

/**
 * Before the upload and publish (DESIGN.md §6): would the version the publish gives lose the
 * stable version's on-failure destination? A new version has no config of its own
 * (settingsOfNewVersion); only when it would lose one is the newest version read, because
 * Lambda returns that one instead of a new version when nothing changed since it
 * (publish-forecast.ts): then the deploy has nothing to do (the alias is on it) or shifts to it,
 * and its own config decides. Refused here, nothing was uploaded or published.
 */
export async function checkAsyncBeforePublish(
  deps: Deps,
  where: Where & { stableVersion: string },
  versions: BeforePublishVersions,
): Promise<void> {
  const { functionName: fn, alias } = where;
  const { stable, latest } = versions;
  const configs = await guard(deps, 'async-destinations', () => deps.lambda.listEventInvokeConfigs(fn));
  const s = settingsDuringShift(configs, alias, stable.version, stable.deadLetterTargetArn);
  const fresh = settingsOfNewVersion(configs, alias, latest.deadLetterTargetArn);
  const lostByNew = compareAsyncSettings(s, fresh);
  if (lostByNew.lost.length === 0) {
    pass(
      deps,
      'async-destinations',
      lostByNew.changed.length > 0
        ? `asynchronous invocation of the new version differs: ${lostByNew.changed.join('; ')} (version ${s.version}: ${origin(s)}; the new version: ${origin(fresh)})`
        : `the new version will handle asynchronous events as version ${s.version} does (${describe(s)})`,
    );
    return;
  }
  const newest = await guard(deps, 'async-destinations', () => readNewestVersion(deps, fn));
  const forecast = forecastPublish(latest, newest, versions.codeSha256);
  if (newest && forecast.outcome === 'likely-same') {
    // Lambda would most likely give the newest version back: judged as that one.
    const kept = keptByNewest(configs, where, s, newest);
    if (kept) {
      pass(deps, 'async-destinations', kept);
      return;
    }
    const n = settingsDuringShift(configs, alias, newest.version, newest.deadLetterTargetArn);
    refuseBeforePublish(deps, where, s, n, compareAsyncSettings(s, n).lost);
  }
  // The code is known only once Lambda has it (an S3 object, an image tag): a new version,
  // unless it is exactly the newest version's — said when that one would lose nothing.
  const unless =
    newest && forecast.outcome === 'unknown' && keptByNewest(configs, where, s, newest)
      ? newest.version
      : undefined;
  refuseBeforePublish(deps, where, s, fresh, lostByNew.lost, unless);
}

/**
 * The newest version, which Lambda would return when `$LATEST` has not changed since it: a pass
 * message when the deploy would then lose nothing (nothing to deploy, or its own config keeps
 * the destination), undefined when it would lose the destination too.
 */
function keptByNewest(
  configs: EventInvokeConfig[],
  where: Where,
  s: AsyncSettings,
  newest: FunctionInfo,
): string | undefined {
  if (newest.version === s.version) {
    return `the publish most likely gives version ${s.version} back (nothing changed since it), which alias ${where.alias} is on: nothing to deploy`;
  }
  const n = settingsDuringShift(configs, where.alias, newest.version, newest.deadLetterTargetArn);
  if (compareAsyncSettings(s, n).lost.length > 0) return undefined;
  return `the publish most likely gives version ${n.version} back (nothing changed since it), which handles asynchronous events with ${describe(n)}`;
}

/**
 * ASYNC_DESTINATION_LOST before any write. `t` is the version the publish would give (a new one,
 * or the newest); `unlessSameAs`: the code is known only after the upload, and the deploy would
 * not lose the destination if it were exactly that version's.
 */
function refuseBeforePublish(
  deps: Deps,
  where: Where & { stableVersion: string },
  s: AsyncSettings,
  t: AsyncSettings,
  lost: string[],
  unlessSameAs?: string,
): never {
  const { functionName: fn, alias } = where;
  const existing = t.version !== NEW_VERSION;
  const who = existing
    ? `version ${t.version}, which the publish would most likely give back (nothing changed since it),`
    : 'the new version this deploy would publish';
  const why = existing
    ? `version ${t.version} gets ${t.source}`
    : `a version not published yet has no asynchronous-invocation config of its own, so it gets ${t.source === 'defaults' ? "Lambda's defaults" : `the config on ${t.source}`}`;
  const unless =
    unlessSameAs === undefined
      ? ''
      : unlessSameAs === s.version
        ? ` (unless the code is exactly version ${s.version}'s and nothing else changed: then there is nothing to deploy)`
        : ` (unless the code is exactly version ${unlessSameAs}'s and nothing else changed: Lambda would return version ${unlessSameAs}, which keeps it — deploy that one with \`--version ${unlessSameAs}\`)`;
  refuse(
    deps,
    'async-destinations',
    new OperationError(
      'ASYNC_DESTINATION_LOST',
      `Function ${fn}: during the shift, ${who} would handle its share of alias ${alias}'s asynchronous events without the ${lost.join(' and ')} that version ${s.version} has (from ${s.source}; ${why}); its failed events would be lost${unless}. Nothing was uploaded or published.`,
      {
        hint: existing ? fixFor(fn, alias, s, t) : fixForNew(fn, alias, s),
        context: { functionName: fn, alias },
      },
    ),
  );
}

/** The new version has no number yet: the alias-wide fix, or publish first and configure it. */
function fixForNew(fn: string, alias: string, s: AsyncSettings): string {
  const destination = JSON.stringify({ OnFailure: { Destination: s.onFailure } });
  return (
    `Configure it once on the alias, so every version behind it shares it: \`aws lambda put-function-event-invoke-config --function-name ${fn} --qualifier ${alias} --destination-config '${destination}'\` (keep version ${s.version}'s retry/age settings), then deploy again. ` +
    `Or publish first (\`lshift publish ${fn}\` with the same code flags), give that version the destination (\`--qualifier <version>\`) and deploy it with \`--version <version>\`.`
  );
}
