import { Flags } from '@oclif/core';
import { mergeAwsTarget } from '../src/cli/aws-target.js';
import { BaseCommand } from '../src/cli/base-command.js';
import { resolveCodeChoice } from '../src/cli/code-choice.js';
import { readCodeSource } from '../src/cli/code-source.js';
import { loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { awsFlags, configFlag, progressFlags, progressMode } from '../src/cli/flags.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { guardWithoutTraffic } from '../src/cli/interrupts.js';
import { endInterrupts } from '../src/cli/late-interrupt.js';
import { createProgress } from '../src/cli/progress.js';
import { createRuntime } from '../src/cli/runtime.js';
import { checkVersionDescription } from '../src/domain/limits.js';
import { describePublishChanges, publishFunction, startPublishChanges } from '../src/engine/publish.js';

export default class Publish extends BaseCommand {
  static override summary =
    'Upload code (optional), wait until the function is updated, and publish an immutable version.';
  static override description =
    `Without a code flag, publishes $LATEST as it is. When nothing changed since the last version, Lambda returns that version and lshift says so. Ctrl-C (SIGTERM, SIGHUP, SIGQUIT) abandons the AWS call in flight and makes no other: INTERRUPTED, exit 1, saying what may have changed (the code of $LATEST, a version); no alias moves. A second signal exits at once (exit 1).\n\n${EXIT_CODES_HELP}`;
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
        "version description, 1 to 256 characters on one line, no control characters (default: the function's own); a version Lambda reuses keeps its own",
    }),
    ...configFlag,
    ...awsFlags,
    ...progressFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Publish);
    // Before the package is read or uploaded: Lambda would refuse it only at PublishVersion.
    checkVersionDescription(flags.description);
    const source = readCodeSource(resolveCodeChoice(flags, 'publish'));
    // The config file's region, profile and endpoint, as deploy reads them (hostile pass).
    const { config } = await loadConfig(flags.config);
    const mode = progressMode(flags, (t) => this.note(t));
    // Ctrl-C/SIGTERM abandons the call in flight and makes no other: INTERRUPTED (exit 1), saying
    // what may have changed. Without this the process died silently (exit 130, the spinner left on
    // screen and the cursor hidden), an upload held at the time landing in $LATEST unsaid.
    const changes = startPublishChanges(args.function, 'publish');
    let progress: ReturnType<typeof createProgress> | undefined;
    const guard = guardWithoutTraffic({
      // At a TTY inside the task list (Progress.say), as deploy says it.
      say: (text) => (progress?.say ? progress.say(text) : this.note(text.trim())),
      stopping: 'stopping the publish: the AWS call in flight is abandoned and no other is made',
      json: this.jsonEnabled(),
      leftBehind: () => describePublishChanges(changes),
    });
    let published: Awaited<ReturnType<typeof publishFunction>>;
    try {
      const runtime = await createRuntime(
        mergeAwsTarget(flags, config),
        { functions: [args.function] },
        undefined,
        guard.signal,
      );
      progress = createProgress(mode, this.jsonEnabled(), {
        publish: true,
        shift: false,
        preHooks: 0,
        bakeSeconds: 0,
        postHooks: 0,
      });
      published = await publishFunction(
        { lambda: runtime.lambda, clock: runtime.clock, events: progress.sink },
        {
          functionName: args.function,
          source,
          description: flags.description,
          signal: guard.signal,
          changes,
        },
      );
    } finally {
      await progress?.finish();
      // From here to the process's end a signal has nothing left to stop (late-interrupt.ts).
      endInterrupts(guard);
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
