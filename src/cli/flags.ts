/** Flags shared by several commands. Defaults that a config file may override are applied later, not here. */
import { Flags } from '@oclif/core';
import { UsageError } from '../domain/errors.js';

export const awsFlags = {
  region: Flags.string({
    description: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile’s region)',
    helpGroup: 'AWS',
  }),
  profile: Flags.string({ description: 'named profile from the AWS config files', helpGroup: 'AWS' }),
  'endpoint-url': Flags.string({
    description: 'send AWS requests to this endpoint (LocalStack, a sandbox); AWS_ENDPOINT_URL* also work',
    helpGroup: 'AWS',
  }),
};

/**
 * A repeatable flag takes one value per occurrence (`--alarm a --alarm b`). oclif's default takes
 * every word up to the next flag, so `lshift check --alarm x orders` read `orders` as an alarm and
 * checked every function in the account instead of `orders`.
 */
export const REPEATABLE = { multiple: true, multipleNonGreedy: true } as const;

export const aliasFlag = {
  alias: Flags.string({ char: 'a', description: 'alias to act on [default: live]' }),
};

export const configFlag = {
  config: Flags.string({
    description: 'config file (default: lshift.config.json|yaml in the working directory)',
  }),
};

export const PROGRESS_MODES = ['auto', 'plain', 'ndjson', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/**
 * `--progress` is how lshift reports a run as it goes. It was called `--output`, which in the AWS
 * CLI picks the RESULT format (json|text|table): an AWS CLI user would expect `--output json` to
 * mean `--json`. The old spelling still works, hidden, with a deprecation note on stderr.
 */
export const progressFlags = {
  progress: Flags.option({
    options: PROGRESS_MODES,
    description:
      'progress format: auto (listr2 at a TTY, plain lines otherwise), plain (lines on stderr), ndjson (events on stdout) or none [default: auto]',
  })(),
  output: Flags.option({
    options: ['auto', 'plain', 'ndjson'] as const,
    hidden: true,
    description: 'deprecated spelling of --progress',
    // Declared on the hidden flag only: oclif's usage line joins a visible flag's `exclusive`
    // list with " | ", and a hidden one prints as nothing (`[--progress … | ]`).
    exclusive: ['progress'],
  })(),
};

/**
 * The progress mode of a run; warns (stderr) when the deprecated --output was used. `--json` with
 * `--progress ndjson` is refused: both are stdout's, one object against one event per line, and
 * the events were dropped without a word (found by a hostile pass).
 */
export function progressMode(
  flags: { progress?: ProgressMode; output?: ProgressMode; json?: boolean },
  warn: (text: string) => void,
): ProgressMode {
  if (flags.json && (flags.progress ?? flags.output) === 'ndjson') {
    const given = flags.progress === undefined ? '--output' : '--progress';
    throw new UsageError(
      'CONFLICTING_FLAGS',
      `--json and ${given} ndjson both write to stdout: give one of them.`,
      {
        hint: '--json prints one result object at the end; --progress ndjson prints every event as it happens, one per line (docs/events.md).',
      },
    );
  }
  if (flags.output !== undefined) {
    warn(
      `warning: --output is deprecated (in the AWS CLI it selects the result format); use --progress ${flags.output}. For a JSON result use --json.`,
    );
  }
  return flags.progress ?? flags.output ?? 'auto';
}
