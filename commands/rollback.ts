import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP, exitCodeForRollback } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag } from '../src/cli/flags.js';
import { renderDeployResult } from '../src/cli/render-result.js';
import { createRuntime, mergeAwsTarget } from '../src/cli/runtime.js';
import { rollbackDeployment } from '../src/engine/rollback.js';

export default class Rollback extends BaseCommand {
  static override summary = 'Put all traffic back on the stable version of an alias (or on --to).';
  static override description =
    `On a split alias (a shift in progress or abandoned), all traffic goes back to the alias's primary (stable) version. With --to, the alias moves to that published version. The write carries the alias RevisionId (exit 5 if someone else changed it).\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> rollback my-fn',
    '<%= config.bin %> rollback my-fn --alias live --to 6',
  ];
  static override args = { function: Args.string({ description: 'function name or ARN', required: true }) };
  static override flags = {
    ...aliasFlag,
    to: Flags.string({ description: 'published version to put all traffic on' }),
    reason: Flags.string({ description: 'why (recorded and shown)', default: 'manual rollback' }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Rollback);
    const { config } = await loadConfig(flags.config);
    const runtime = await createRuntime(mergeAwsTarget(flags, config));
    const result = await rollbackDeployment(
      {
        lambda: runtime.lambda,
        clock: runtime.clock,
        store: runtime.store,
        traffic: runtime.traffic,
        events: { emit: () => {} },
      },
      {
        functionName: args.function,
        alias: flags.alias ?? config.alias ?? 'live',
        to: flags.to,
        reason: flags.reason,
      },
    );
    this.say(
      result.status === 'rolled_back'
        ? `✔ Rolled back ${result.functionName}:${result.alias}: all traffic is on version ${result.fromVersion}.`
        : renderDeployResult(result),
    );
    const exitCode = exitCodeForRollback(result.status);
    this.setExitCode(exitCode);
    return { ...result, exitCode };
  }
}
