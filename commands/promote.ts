import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { functionOrReleaseArg } from '../src/cli/function-args.js';
import { operatorFlags, WHEN_COMMANDS_ARE_READ } from '../src/cli/operator-verb.js';
import { releaseFlag, runVerbOrRelease } from '../src/cli/release-abort.js';

export default class Promote extends BaseCommand {
  static override summary =
    'Skip the rest of the current hold of a running deployment (--full: every remaining step).';
  static override description =
    `Acts on the deployment running on the alias wherever it runs (another terminal, a CI runner): the command travels through the deployment record, the deployment obeys at its next health poll, and this prints what it did. Waits at most --wait for the answer; none (no running deployment, a stale heartbeat, a deployment that ended first) is an error and the command is withdrawn. --full skips every remaining weight, hold, step hook, settle and bake: all traffic moves to the new version, then the post-traffic hooks run. A promote of a paused deployment (\`lshift pause\`) lifts the pause too, and says so. With --release <id> and the release's functions (\`lshift deploy fnA fnB …\`), every function's current hold ends (--full: every function goes to 100%); one function of a release cannot be promoted on its own (exit 2). With no function named (and none listed in the config file), the records in reach name them (lambda:ListFunctions).\n\n${WHEN_COMMANDS_ARE_READ}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> promote my-fn',
    '<%= config.bin %> promote my-fn --alias live --full',
    '<%= config.bin %> promote --release r-k3j9x2 orders billing mailer',
  ];
  // `--release <id> fnA fnB …` names several functions.
  static override strict = false;
  static override args = { function: functionOrReleaseArg() };
  static override flags = {
    full: Flags.boolean({ description: 'skip every remaining step, not only the current hold' }),
    ...releaseFlag('promote'),
    ...operatorFlags,
  };

  async run(): Promise<unknown> {
    const { argv, flags } = await this.parse(Promote);
    const { text, json } = await runVerbOrRelease(
      flags.full ? 'promote-full' : 'promote',
      argv as string[],
      flags,
    );
    this.sayProse(text);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
