/**
 * Preflight for container images and run settings (issue 14): the digest an image deploy would
 * bring against the one the alias runs, and what the new version runs differently (architecture,
 * image config). Lambda reports the digest a tag resolved to only in GetFunction's
 * `Code.ResolvedImageUri` (https://docs.aws.amazon.com/lambda/latest/api/API_GetFunction.html,
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html), and the image
 * config only in GetFunctionConfiguration's `ImageConfigResponse`
 * (https://docs.aws.amazon.com/lambda/latest/api/API_ImageConfigResponse.html).
 */
import { PreflightError } from '../domain/errors.js';
import { compareRunSettings, describeChanges, digestOf } from '../domain/image.js';
import type { CodeLocation, CodeSource, FunctionInfo, LambdaPort } from '../ports/lambda.js';
import { logWarn } from './emit.js';
import { type CheckDeps, guard, pass, refuse } from './preflight-checks.js';

type Deps = CheckDeps & { lambda: LambdaPort };

/** What a deploy of an Image function ran and brings; `--json` results carry it. */
export interface ImageReport {
  /** The new version's image URI as given (tag or digest). */
  imageUri?: string;
  /** The digest URI Lambda resolved it to (`repo@sha256:…`). */
  resolvedImageUri?: string;
  /** The same for the stable version. */
  stableResolvedImageUri?: string;
}

interface Where {
  functionName: string;
  alias: string;
  stableVersion: string;
}

/**
 * Before the upload: the stable version's digest. A digest URI equal to it is refused here,
 * before any write; a tag can only be compared once Lambda has resolved it (checkUploadedImage).
 */
export async function checkImageBeforeUpload(
  deps: Deps,
  where: Where,
  source: CodeSource | undefined,
): Promise<CodeLocation | undefined> {
  if (source?.kind !== 'image') return undefined;
  const { functionName: fn, stableVersion } = where;
  const stable = await guard(deps, 'image-digest', () => deps.lambda.getCodeLocation(fn, stableVersion));
  const wanted = digestOf(source.imageUri);
  if (wanted !== undefined && wanted === digestOf(stable.resolvedImageUri)) {
    refuse(deps, 'image-digest', unchanged(where, source.imageUri, stable, 'before any change'));
  }
  pass(
    deps,
    'image-digest',
    `alias ${where.alias} runs ${stable.resolvedImageUri ?? 'an image Lambda did not resolve'} (version ${stableVersion})`,
  );
  return stable;
}

/**
 * After UpdateFunctionCode, before PublishVersion: a tag that resolved to the digest the alias
 * already runs would publish a version identical in code, so refuse ("nothing changed").
 * `$LATEST` then holds that same image, which is what the alias runs: no traffic changes.
 */
export async function checkUploadedImage(
  deps: Deps,
  where: Where,
  source: CodeSource | undefined,
  stable: CodeLocation | undefined,
): Promise<void> {
  if (source?.kind !== 'image' || !stable) return;
  const latest = await guard(deps, 'image-resolved', () => deps.lambda.getCodeLocation(where.functionName));
  const digest = digestOf(latest.resolvedImageUri);
  if (digest !== undefined && digest === digestOf(stable.resolvedImageUri)) {
    refuse(
      deps,
      'image-resolved',
      unchanged(where, source.imageUri, stable, 'nothing was published; $LATEST now holds that same image'),
    );
  }
  pass(deps, 'image-resolved', `${source.imageUri} resolved to ${latest.resolvedImageUri ?? 'no digest'}`);
}

function unchanged(where: Where, imageUri: string, stable: CodeLocation, after: string): PreflightError {
  const digest = digestOf(stable.resolvedImageUri) ?? stable.resolvedImageUri;
  return new PreflightError(
    'IMAGE_UNCHANGED',
    `Image ${imageUri} resolves to ${digest}, which alias ${where.alias} of function ${where.functionName} already runs (version ${where.stableVersion}): nothing changed; ${after}, and the alias is unchanged.`,
    {
      hint: 'Push the new image and deploy its tag or digest (check that the build pushed the tag you meant).',
      context: { functionName: where.functionName, alias: where.alias },
    },
  );
}

/**
 * Full preflight, both versions known: show what the new version runs differently
 * (checkRunSettingChanges). For an Image function, both digests are read and reported.
 */
export async function checkRunSettings(
  deps: Deps,
  where: Where,
  stable: FunctionInfo,
  target: FunctionInfo,
): Promise<ImageReport | undefined> {
  checkRunSettingChanges(deps, stable, target);
  if (target.packageType !== 'Image') return undefined;
  const fn = where.functionName;
  const [stableCode, targetCode] = await guard(deps, 'image-digest', () =>
    Promise.all([
      deps.lambda.getCodeLocation(fn, stable.version),
      deps.lambda.getCodeLocation(fn, target.version),
    ]),
  );
  const report: ImageReport = {};
  if (targetCode.imageUri) report.imageUri = targetCode.imageUri;
  if (targetCode.resolvedImageUri) report.resolvedImageUri = targetCode.resolvedImageUri;
  if (stableCode.resolvedImageUri) report.stableResolvedImageUri = stableCode.resolvedImageUri;
  pass(
    deps,
    'image-digest',
    `version ${target.version} runs ${targetCode.resolvedImageUri ?? 'an unresolved image'}; version ${stable.version} runs ${stableCode.resolvedImageUri ?? 'an unresolved image'}`,
  );
  return report;
}

/**
 * What the new version runs differently: a different architecture is a warning (native
 * dependencies built for one do not load on the other); an image-config change is shown.
 * `target` is the published target, or `$LATEST` before an upload or publish: lshift's
 * UpdateFunctionCode sends no Architectures, and the image config is configuration, so the
 * version published from `$LATEST` runs with `$LATEST`'s (preflight-publish.ts).
 */
export function checkRunSettingChanges(deps: CheckDeps, stable: FunctionInfo, target: FunctionInfo): void {
  const changes = compareRunSettings(stable, target);
  const name = target.version === '$LATEST' ? 'the new version ($LATEST)' : `version ${target.version}`;
  const arch = changes.find((c) => c.setting === 'architecture');
  if (arch) {
    logWarn(
      deps,
      `architecture differs: stable version ${stable.version} runs ${arch.stable}, ${name} runs ${arch.target}; both take traffic during the shift`,
      'preflight',
    );
  }
  pass(
    deps,
    'run-settings',
    changes.length === 0
      ? `${name} runs with the same architecture${target.packageType === 'Image' ? ' and image config' : ''} as version ${stable.version}`
      : `${name} differs from version ${stable.version}: ${describeChanges(changes)}`,
  );
}
