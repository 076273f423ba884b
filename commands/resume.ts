import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { FUNCTION_WORDS, functionArg } from '../src/cli/function-args.js';
import { describeAnswer, operatorFlags, operatorJson, runOperatorVerb } from '../src/cli/operator-verb.js';

export default class Resume extends BaseCommand {
  static override summary = 'Release a deployment held by `lshift pause`: its hold counts down again.';
  static override description =
    `The hold continues with the time it had left when it was paused. The command travels through the deployment record and is obeyed at the next health poll; this prints what the deployment did, or fails (and withdraws the command) when nobody answers within --wait. (To finish a deployment whose runner died, use \`lshift deploy --resume\`.)\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> resume my-fn',
    '<%= config.bin %> resume my-fn --alias live',
  ];
  static override args = { function: functionArg({ description: FUNCTION_WORDS, required: true }) };
  static override flags = { ...operatorFlags };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Resume);
    const result = await runOperatorVerb({ functionName: args.function, verb: 'resume', flags });
    this.say(describeAnswer(result));
    const json = operatorJson(result);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
