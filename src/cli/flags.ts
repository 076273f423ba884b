/** Flags shared by several commands. Defaults that a config file may override are applied later, not here. */
import { Flags } from '@oclif/core';

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

export const aliasFlag = {
  alias: Flags.string({ char: 'a', description: 'alias to act on [default: live]' }),
};

export const configFlag = {
  config: Flags.string({
    description: 'config file (default: lshift.config.json|yaml in the working directory)',
  }),
};

export const outputFlag = {
  output: Flags.option({
    options: ['auto', 'plain', 'ndjson'] as const,
    default: 'auto',
    description:
      'progress format: auto (listr2 at a TTY, plain lines otherwise), plain, or ndjson events on stdout',
  })(),
};
