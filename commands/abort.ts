import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { functionOrReleaseArg } from '../src/cli/function-args.js';
import { operatorFlags, reasonFlag, WHEN_COMMANDS_ARE_READ } from '../src/cli/operator-verb.js';
import { releaseFlag, runVerbOrRelease } from '../src/cli/release-abort.js';
import type { ExitCode } from '../src/domain/errors.js';

export default class Abort extends BaseCommand {
  static override summary = 'Roll a running deployment back, with a reason.';
  static override description =
    `The running deployment rolls back at its next health poll (its rollback hooks run as after any failure) and exits 3 with a reason naming who aborted it and why. This waits for the rollback to end (at most --wait) and prints how it ended. For a deployment nobody runs any more, use \`lshift rollback\`. Two aborts sent at the same moment: the second waits for the first's answer and reports it as its own (same exit).\n\nWith --release <id> and the release's functions, the whole release (\`lshift deploy fnA fnB …\`) is aborted: the command goes to one of its running functions, and the release rolls every function back; this waits until every function has ended (each wait — for the answer, for the rollbacks — at most --wait). With no function named (and none listed in the config file), the records in reach name them, as for \`lshift rollback --release\` (lambda:ListFunctions).\n\n${WHEN_COMMANDS_ARE_READ}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> abort my-fn --reason "p99 latency doubled"',
    '<%= config.bin %> abort my-fn --alias live',
    '<%= config.bin %> abort --release r-k3j9x2 orders billing mailer --reason "bad release"',
    '<%= config.bin %> abort --release r-k3j9x2 --reason "bad release"',
  ];
  // `--release <id> fnA fnB …` names several functions.
  static override strict = false;
  static override args = { function: functionOrReleaseArg() };
  static override flags = {
    ...releaseFlag('abort'),
    ...reasonFlag,
    ...operatorFlags,
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Abort);
    const { text, json } = await runVerbOrRelease('abort', argv as string[], flags);
    this.sayProse(text);
    this.setExitCode(json.exitCode as ExitCode);
    return json;
  }
}
