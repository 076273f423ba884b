import { Args } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import {
  describeAnswer,
  operatorFlags,
  operatorJson,
  reasonFlag,
  runOperatorVerb,
} from '../src/cli/operator-verb.js';

export default class Abort extends BaseCommand {
  static override summary = 'Roll a running deployment back, with a reason.';
  static override description =
    `The running deployment rolls back at its next health poll (its rollback hooks run as after any failure) and exits 3 with a reason naming who aborted it and why. This waits for the rollback to end (at most --wait) and prints how it ended. For a deployment nobody runs any more, use \`lshift rollback\`.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> abort my-fn --reason "p99 latency doubled"',
    '<%= config.bin %> abort my-fn --alias live',
  ];
  static override args = { function: Args.string({ description: 'function name or ARN', required: true }) };
  static override flags = { ...reasonFlag, ...operatorFlags };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Abort);
    const result = await runOperatorVerb({ functionName: args.function, verb: 'abort', flags });
    this.say(describeAnswer(result));
    const json = operatorJson(result);
    this.setExitCode(json.exitCode as 0 | 2);
    return json;
  }
}
