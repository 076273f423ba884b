/**
 * Container-image facts lshift reasons about, pure: the digest in an image URI, and how two
 * versions differ in what decides how they run (architecture, image config).
 *
 * An image URI is `<registry>/<repository>:<tag>` or `<registry>/<repository>@sha256:<hex>`;
 * Lambda resolves a tag to a digest when the code is set and reports it as GetFunction's
 * `Code.ResolvedImageUri` (https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCodeLocation.html).
 */

export interface ImageSettings {
  entryPoint?: string[];
  command?: string[];
  workingDirectory?: string;
}

export interface RunSettings {
  version: string;
  architectures?: string[];
  imageConfig?: ImageSettings;
}

export interface SettingChange {
  /** `architecture`, `entry point`, `command`, `working directory`. */
  setting: string;
  stable: string;
  target: string;
}

const DIGEST = /@(sha256:[0-9a-f]{64})$/;

/** `sha256:<hex>` of a digest URI (`repo@sha256:…`); undefined for a tag URI. */
export function digestOf(imageUri: string | undefined): string | undefined {
  return imageUri ? DIGEST.exec(imageUri)?.[1] : undefined;
}

/** True for `repo@sha256:<64 hex>`: the URI names one image and cannot move. */
export function isDigestUri(imageUri: string): boolean {
  return digestOf(imageUri) !== undefined;
}

/**
 * What differs between the stable and the new version. Lambda's default architecture is
 * x86_64 (https://docs.aws.amazon.com/lambda/latest/dg/foundation-arch.html), so an absent
 * value counts as that; an absent image-config field means "as the image's Dockerfile says".
 */
export function compareRunSettings(stable: RunSettings, target: RunSettings): SettingChange[] {
  const changes: SettingChange[] = [];
  const arch = (s: RunSettings) => (s.architectures?.length ? s.architectures.join(',') : 'x86_64');
  if (arch(stable) !== arch(target))
    changes.push({ setting: 'architecture', stable: arch(stable), target: arch(target) });
  const fields: [keyof ImageSettings, string][] = [
    ['entryPoint', 'entry point'],
    ['command', 'command'],
    ['workingDirectory', 'working directory'],
  ];
  for (const [key, setting] of fields) {
    const a = showSetting(stable.imageConfig?.[key]);
    const b = showSetting(target.imageConfig?.[key]);
    if (a !== b) changes.push({ setting, stable: a, target: b });
  }
  return changes;
}

function showSetting(value: string | string[] | undefined): string {
  return value === undefined ? '(image default)' : JSON.stringify(value);
}

/** One line per change: `architecture: x86_64 → arm64`. */
export function describeChanges(changes: SettingChange[]): string {
  return changes.map((c) => `${c.setting}: ${c.stable} → ${c.target}`).join('; ');
}
