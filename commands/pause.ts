import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { describeAnswer, operatorFlags, operatorJson, runOperatorVerb } from '../src/cli/operator-verb.js';

export default class Pause extends BaseCommand {
  static override summary = 'Hold a running deployment where it is until `lshift resume`.';
  static override description =
    `The deployment's hold clock stops; its health gates are still polled, and a failure while paused still rolls it back. The command travels through the deployment record and is obeyed at the next health poll; this prints what the deployment did, or fails (and withdraws the command) when nobody answers within --wait. A function of a running release cannot be paused on its own (exit 2): the others would wait for it unwatched; stop the whole release with \`lshift abort --release\`.\n\n${EXIT_CODES_HELP}`;
  static override examples = ['<%= config.bin %> pause my-fn', '<%= config.bin %> pause my-fn --alias live'];
  static override args = { function: functionArg({ description: FUNCTION_WORDS, required: true }) };
  static override flags = { ...operatorFlags };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Pause);
    const result = await runOperatorVerb({ functionName: args.function, verb: 'pause', flags });
    this.say(describeAnswer(result));
    const json = operatorJson(result);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
