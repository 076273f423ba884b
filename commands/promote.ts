import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { describeAnswer, operatorFlags, operatorJson, runOperatorVerb } from '../src/cli/operator-verb.js';

export default class Promote extends BaseCommand {
  static override summary =
    'Skip the rest of the current hold of a running deployment (--full: every remaining step).';
  static override description =
    `Acts on the deployment running on the alias wherever it runs (another terminal, a CI runner): the command travels through the deployment record, the deployment obeys at its next health poll, and this prints what it did. Waits at most --wait for the answer; none (no running deployment, a stale heartbeat, a deployment that ended first) is an error and the command is withdrawn. --full skips every remaining weight, hold, step hook, settle and bake: all traffic moves to the new version, then the post-traffic hooks run. A function of a running release cannot be promoted on its own (exit 2); stop the whole release with \`lshift abort --release\`.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> promote my-fn',
    '<%= config.bin %> promote my-fn --alias live --full',
  ];
  static override args = { function: functionArg({ description: FUNCTION_WORDS, required: true }) };
  static override flags = {
    full: Flags.boolean({ description: 'skip every remaining step, not only the current hold' }),
    ...operatorFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Promote);
    const verb = flags.full ? 'promote-full' : 'promote';
    const result = await runOperatorVerb({ functionName: args.function, verb, flags });
    this.say(describeAnswer(result));
    const json = operatorJson(result);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
