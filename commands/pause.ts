import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { functionOrReleaseArg } from '../src/cli/function-args.js';
import { operatorFlags, WHEN_COMMANDS_ARE_READ } from '../src/cli/operator-verb.js';
import { releaseFlag, runVerbOrRelease } from '../src/cli/release-abort.js';

export default class Pause extends BaseCommand {
  static override summary = 'Hold a running deployment where it is until `lshift resume`.';
  static override description =
    `The deployment's hold clock stops; its health gates are still polled, and a failure while paused still rolls it back. A pause has no time limit, but a deployment that cannot read (or write) its deployment record for 2 minutes cannot see \`lshift resume\` or \`abort\`, and rolls back (exit 3, RECORD_UNREAD or RECORD_UNWRITTEN, saying it was paused). The command travels through the deployment record and is obeyed at the next health poll; this prints what the deployment did, or fails (and withdraws the command) when nobody answers within --wait. With --release <id> and the release's functions (\`lshift deploy fnA fnB …\`), the whole release is paused: every function holds its weight, still watched, until \`lshift resume --release\`; one function of a release cannot be paused on its own (exit 2). With no function named (and none listed in the config file), the records in reach name them (lambda:ListFunctions).\n\n${WHEN_COMMANDS_ARE_READ}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> pause my-fn',
    '<%= config.bin %> pause my-fn --alias live',
    '<%= config.bin %> pause --release r-k3j9x2 orders billing mailer',
  ];
  // `--release <id> fnA fnB …` names several functions.
  static override strict = false;
  static override args = { function: functionOrReleaseArg() };
  static override flags = { ...releaseFlag('pause'), ...operatorFlags };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Pause);
    const { text, json } = await runVerbOrRelease('pause', argv as string[], flags);
    this.sayProse(text);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
