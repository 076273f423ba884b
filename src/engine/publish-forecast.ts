/**
 * What a publish would give, told from reads alone. Lambda's PublishVersion returns the newest
 * version instead of a new one when `$LATEST`'s code and configuration have not changed since it
 * (https://docs.aws.amazon.com/lambda/latest/api/API_PublishVersion.html); the real deploy then
 * shifts to that version, or has nothing to deploy when the alias is already on it. Lambda does
 * not say which settings it compares, so a match is told as "most likely", and only a difference
 * the reads show is told as certain.
 */
import type { FunctionInfo, LambdaPort } from '../ports/lambda.js';

export type PublishForecast =
  /** A new version for sure: none exists yet, or the code or a setting differs from the newest. */
  | { outcome: 'new'; because: 'first' }
  | { outcome: 'new'; because: 'code'; newestVersion: string }
  | { outcome: 'new'; because: 'configuration'; newestVersion: string; settings: string[] }
  /** Code and every setting read equal the newest version's: Lambda would most likely return it. */
  | { outcome: 'likely-same'; newestVersion: string }
  /** The code (an S3 object, an image tag) is known only once Lambda has taken it. */
  | { outcome: 'unknown'; newestVersion: string };

/** The newest published version, read like `$LATEST` (GetFunctionConfiguration) so both compare. */
export async function readNewestVersion(
  deps: { lambda: Pick<LambdaPort, 'listVersions' | 'getFunction'> },
  functionName: string,
): Promise<FunctionInfo | undefined> {
  const newest = (await deps.lambda.listVersions(functionName)).at(-1);
  return newest ? deps.lambda.getFunction(functionName, newest.version) : undefined;
}

/**
 * `codeSha256`: the code `$LATEST` would hold when published (a zip's own hash, `$LATEST`'s),
 * undefined when it is known only after the upload.
 */
export function forecastPublish(
  latest: FunctionInfo,
  newest: FunctionInfo | undefined,
  codeSha256: string | undefined,
): PublishForecast {
  if (!newest) return { outcome: 'new', because: 'first' };
  const newestVersion = newest.version;
  if (codeSha256 !== undefined && codeSha256 !== newest.codeSha256) {
    return { outcome: 'new', because: 'code', newestVersion };
  }
  const settings = differentSettings(latest, newest);
  if (settings.length > 0) return { outcome: 'new', because: 'configuration', newestVersion, settings };
  return codeSha256 === undefined
    ? { outcome: 'unknown', newestVersion }
    : { outcome: 'likely-same', newestVersion };
}

/** The names of the settings that differ, from what both reads hold. */
export function differentSettings(a: FunctionInfo, b: FunctionInfo): string[] {
  const named = (f: FunctionInfo): Record<string, string> => ({
    role: JSON.stringify(f.role),
    'dead-letter queue': JSON.stringify(f.deadLetterTargetArn),
    architectures: JSON.stringify(f.architectures),
    'image config': JSON.stringify(f.imageConfig),
    ...f.settings,
  });
  const left = named(a);
  const right = named(b);
  const names = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  return names.filter((name) => left[name] !== right[name]);
}
