/**
 * Which code a deploy (or `lshift publish`) ships: `--zip`, `--s3-bucket`/`--s3-key`, `--image-uri`,
 * `--version` of an already published version, or what $LATEST holds. Checked before anything
 * touches AWS; every bad value is a UsageError (exit 2) naming the flag. code-source.ts reads it.
 */
import { echoInput } from '../domain/echo.js';
import { UsageError } from '../domain/errors.js';
import { isPublishedVersionNumber } from '../domain/version-number.js';
import type { DeployFlags } from './deploy-flags.js';

export type CodeChoice =
  | { kind: 'latest' }
  | { kind: 'version'; version: string }
  | { kind: 'zip'; path: string }
  | { kind: 's3'; bucket: string; key: string }
  | { kind: 'image'; imageUri: string };

const CODE_FLAGS = ['zip', 's3-bucket', 's3-key', 'image-uri', 'version'] as const;
export type CodeKey = (typeof CODE_FLAGS)[number];

/**
 * Where a code key's value came from when it was not a flag: a config file entry's key
 * (`config file ./lshift.yaml: functions[0] (fa) \`zip\``, release-options.ts). Errors name it:
 * an entry with both `version:` and `zip:` was refused as "not --zip and --version", flags that
 * were not given (h4's list, session 68).
 */
export type CodePlaces = Partial<Record<CodeKey, string>>;

/**
 * Which command chose: `lshift publish` has no --version (it publishes one) and deploys nothing,
 * so its hints name only what it takes (found by a hostile pass: publish's hints offered
 * `--version`, which publish refuses, and "publish and deploy").
 */
export type CodeCommand = 'deploy' | 'publish';

/**
 * `--zip "$ZIP"` with ZIP unset is `--zip ''`, which counted as no code source: lshift published
 * whatever $LATEST held instead of the build meant. Refused, as `--config ""` is.
 */
function refuseEmptyCodeFlags(flags: DeployFlags, command: CodeCommand): void {
  const empty = CODE_FLAGS.find((key) => flags[key] !== undefined && flags[key].trim() === '');
  if (empty === undefined) return;
  const latest = command === 'publish' ? 'publish $LATEST as it is' : 'publish and deploy what $LATEST holds';
  throw new UsageError('INVALID_FLAG', `--${empty} was given an empty value.`, {
    hint: `Give --${empty} a value (an unset variable?), or drop the code flags to ${latest}.`,
  });
}

/**
 * Lambda's own limits on an S3 code location (UpdateFunctionCode answers a ValidationException,
 * after the checks and, in a release, after other functions' uploads):
 * https://docs.aws.amazon.com/lambda/latest/api/API_FunctionCode.html
 */
const S3_BUCKET = /^[0-9A-Za-z.\-_]{3,63}$/;
const S3_KEY_MAX_CHARS = 1024;

function checkS3Location(bucket: string, key: string): void {
  if (!S3_BUCKET.test(bucket) || bucket.endsWith('.')) {
    const length = bucket.length < 3 || bucket.length > 63 ? ` (${bucket.length} characters)` : '';
    throw new UsageError(
      'INVALID_FLAG',
      `--s3-bucket \`${echoInput(bucket)}\`${length} is not an S3 bucket name Lambda takes: 3–63 letters, digits, dots, hyphens or underscores, not ending in a dot.`,
      {
        hint: 'Give the name of the bucket alone (no s3:// and no key), e.g. --s3-bucket my-artifacts --s3-key builds/fn.zip.',
      },
    );
  }
  const keyChars = [...key].length;
  if (keyChars > S3_KEY_MAX_CHARS) {
    throw new UsageError(
      'INVALID_FLAG',
      `--s3-key is ${keyChars} characters; Lambda takes an S3 key of at most ${S3_KEY_MAX_CHARS}.`,
      { hint: 'Check the --s3-key value (the object key in the bucket, e.g. builds/fn.zip).' },
    );
  }
}

export function resolveCodeChoice(
  flags: DeployFlags,
  command: CodeCommand = 'deploy',
  places: CodePlaces = {},
): CodeChoice {
  refuseEmptyCodeFlags(flags, command);
  const named = (key: CodeKey) => places[key] ?? `--${key}`;
  const s3 = [flags['s3-bucket'] && 's3-bucket', flags['s3-key'] && 's3-key'].filter((key): key is CodeKey =>
    Boolean(key),
  );
  const given = [
    ...(flags.zip ? [['zip']] : []),
    ...(s3.length > 0 ? [s3] : []),
    ...(flags['image-uri'] ? [['image-uri']] : []),
    ...(flags.version ? [['version']] : []),
  ] as CodeKey[][];
  if (given.length > 1) {
    const keys = given.flat();
    if (keys.every((key) => places[key] !== undefined)) throw twoInConfig(given, places);
    const said = given.map((source) =>
      source.every((key) => places[key] === undefined) && source.length > 1
        ? '--s3-bucket/--s3-key'
        : source.map(named).join(' and '),
    );
    throw new UsageError('CONFLICTING_FLAGS', `Give one code source, not ${said.join(' and ')}.`, {
      hint:
        command === 'publish'
          ? 'Use one of --zip, --s3-bucket with --s3-key, or --image-uri (none: publish $LATEST as it is).'
          : 'Use --zip, --s3-bucket with --s3-key, --image-uri, or --version of an already published version.',
    });
  }
  if (flags.zip) return { kind: 'zip', path: flags.zip };
  if (flags['s3-bucket'] || flags['s3-key']) {
    if (!flags['s3-bucket'] || !flags['s3-key']) {
      throw new UsageError(
        'CONFLICTING_FLAGS',
        capitalize(`${named('s3-bucket')} and ${named('s3-key')} must be given together.`),
      );
    }
    checkS3Location(flags['s3-bucket'], flags['s3-key']);
    return { kind: 's3', bucket: flags['s3-bucket'], key: flags['s3-key'] };
  }
  if (flags['image-uri']) return { kind: 'image', imageUri: flags['image-uri'] };
  if (flags.version) {
    if (!isPublishedVersionNumber(flags.version)) {
      throw new UsageError(
        'INVALID_FLAG',
        `--version must be a published version number, not "${echoInput(flags.version)}".`,
        {
          hint: '$LATEST cannot take weighted traffic; publish it first (lshift publish) or omit --version.',
        },
      );
    }
    return { kind: 'version', version: flags.version };
  }
  return { kind: 'latest' };
}

/**
 * Every source from one config file entry (flags win over the file: release-options.ts keeps an
 * entry's code keys only when no flag gives another source): its place, both keys, which to keep.
 */
function twoInConfig(given: readonly (readonly CodeKey[])[], places: CodePlaces): UsageError {
  const keys = given.flat();
  const place = (places[keys[0]!] ?? '').replace(/ `[^`]*`$/, '');
  const entry = capitalize(place);
  const listed = keys.map((key) => `\`${key}\``);
  const all = `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
  const count = given.length === 2 ? 'two' : String(given.length);
  return new UsageError(
    'CONFIG_INVALID',
    `${entry} gives ${count} code sources, ${all}: a deploy ships one.`,
    {
      hint: 'Keep one of them in the entry: `version` deploys an already published version; `zip`, `s3-bucket` with `s3-key`, or `image-uri` publishes a new one (a code flag given on the command line wins over the entry’s).',
    },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
