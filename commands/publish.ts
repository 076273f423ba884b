import { Flags } from '@oclif/core';
import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { resolveCodeChoice } from '../src/cli/code-choice.js';
import { readCodeSource } from '../src/cli/code-source.js';
import { loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { awsFlags, configFlag, progressFlags, progressMode } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { createProgress } from '../src/cli/progress.js';
import { createRuntime } from '../src/cli/runtime.js';
import { checkVersionDescription } from '../src/domain/limits.js';
import { publishFunction } from '../src/engine/publish.js';

export default class Publish extends BaseCommand {
  static override summary =
    'Upload code (optional), wait until the function is updated, and publish an immutable version.';
  static override description =
    `Without a code flag, publishes $LATEST as it is. When nothing changed since the last version, Lambda returns that version and lshift says so.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> publish my-fn --zip build/my-fn.zip',
    '<%= config.bin %> publish my-fn --s3-bucket artifacts --s3-key my-fn/1.2.3.zip --json',
    '<%= config.bin %> publish my-fn --image-uri 123456789012.dkr.ecr.us-east-1.amazonaws.com/my-fn:1.2.3',
  ];
  static override args = { function: functionArg({ description: FUNCTION_WORDS, required: true }) };
  static override flags = {
    zip: Flags.string({ description: 'zip file to upload first (max 50 MB; larger: use S3)' }),
    's3-bucket': Flags.string({ description: 'S3 bucket of the code to upload first' }),
    's3-key': Flags.string({ description: 'S3 key of the code to upload first' }),
    'image-uri': Flags.string({ description: 'container image URI (image functions)' }),
    description: Flags.string({
      description:
        "version description, 1 to 256 characters (default: the function's own); a version Lambda reuses keeps its own",
    }),
    ...configFlag,
    ...awsFlags,
    ...progressFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Publish);
    // Before the package is read or uploaded: Lambda would refuse it only at PublishVersion.
    checkVersionDescription(flags.description);
    const source = readCodeSource(resolveCodeChoice(flags));
    // The config file's region, profile and endpoint, as deploy reads them (hostile pass).
    const { config } = await loadConfig(flags.config);
    const runtime = await createRuntime(mergeAwsTarget(flags, config), { functions: [args.function] });
    const mode = progressMode(flags, (t) => this.note(t));
    const progress = createProgress(mode, this.jsonEnabled(), {
      publish: true,
      shift: false,
      preHooks: 0,
      bakeSeconds: 0,
      postHooks: 0,
    });
    let published: Awaited<ReturnType<typeof publishFunction>>;
    try {
      published = await publishFunction(
        { lambda: runtime.lambda, clock: runtime.clock, events: progress.sink },
        { functionName: args.function, source, description: flags.description },
      );
    } finally {
      await progress.finish();
    }
    // Under --progress ndjson stdout holds events only, one JSON object a line (docs/events.md):
    // the sentence goes to stderr beside the other words (found by the docs audit).
    const tell = (text: string) => (mode === 'ndjson' ? this.note(text) : this.say(text));
    tell(
      published.created
        ? `Published ${published.functionName} version ${published.version} (CodeSha256 ${published.codeSha256}).`
        : `Nothing changed since version ${published.version} of ${published.functionName}: Lambda returned the existing version${flags.description === undefined ? '' : ', with its own description (--description applies only to a new version)'}.`,
    );
    return published;
  }
}
