import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { functionOrReleaseArg } from '../src/cli/function-args.js';
import { operatorFlags, WHEN_COMMANDS_ARE_READ } from '../src/cli/operator-verb.js';
import { releaseFlag, runVerbOrRelease } from '../src/cli/release-abort.js';

export default class Resume extends BaseCommand {
  static override summary = 'Release a deployment held by `lshift pause`: its hold counts down again.';
  static override description =
    `The hold continues with the time it had left when it was paused. The command travels through the deployment record and is obeyed at the next health poll; this prints what the deployment did, or fails (and withdraws the command) when nobody answers within --wait. With --release <id> and the release's functions, a paused release goes on; with no function named (and none listed in the config file), the records in reach name them (lambda:ListFunctions). (To finish a deployment whose runner died, use \`lshift deploy --resume\`.)\n\n${WHEN_COMMANDS_ARE_READ}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> resume my-fn',
    '<%= config.bin %> resume my-fn --alias live',
    '<%= config.bin %> resume --release r-k3j9x2 orders billing mailer',
  ];
  // `--release <id> fnA fnB …` names several functions.
  static override strict = false;
  static override args = { function: functionOrReleaseArg() };
  static override flags = { ...releaseFlag('resume'), ...operatorFlags };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Resume);
    const { text, json } = await runVerbOrRelease('resume', argv as string[], flags);
    this.sayProse(text);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
