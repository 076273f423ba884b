import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { trafficForRecord } from '../src/cli/codedeploy-engine.js';
import { loadConfig } from '../src/cli/config-file.js';
import { type ReasonedResult, withReason } from '../src/cli/describe-outcome.js';
import { EXIT_CODES_HELP, exitCodeForRollback } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag } from '../src/cli/flags.js';
import { createRuntime, mergeAwsTarget } from '../src/cli/runtime.js';
import { describeAliasState } from '../src/engine/deploy-result.js';
import { type RollbackResult, rollbackDeployment } from '../src/engine/rollback.js';

export default class Rollback extends BaseCommand {
  static override summary = 'Put all traffic back on the stable version of an alias (or on --to).';
  static override description =
    `All traffic goes back to the stable version of the deployment on the alias: the alias's primary version when it is split, the recorded stable version of an unfinished or promoted deployment. A deployment that was already rolled back is left alone (exit 0, "already rolled back"), so running it twice never goes further back than once; pass --to for another version. A deployment record that does not add up is refused (RECORD_INVALID) unless --to is given. The write carries the alias RevisionId (exit 5 if someone else changed it).\n\n${EXIT_CODES_HELP}`;
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
    const result = withReason(
      await rollbackDeployment(
        {
          lambda: runtime.lambda,
          clock: runtime.clock,
          store: runtime.store,
          traffic: runtime.traffic,
          trafficFor: trafficForRecord(runtime),
          events: { emit: () => {} },
        },
        {
          functionName: args.function,
          alias: flags.alias ?? config.alias ?? 'live',
          to: flags.to,
          reason: flags.reason,
        },
      ),
    );
    this.say(describeRollback(result));
    const exitCode = exitCodeForRollback(result.status);
    this.setExitCode(exitCode);
    return { ...result, exitCode };
  }
}

/** A rollback's own wording: its fromVersion/toVersion read "from 4 to 2", unlike a deploy's. */
function describeRollback(result: ReasonedResult<RollbackResult>): string {
  const target = `${result.functionName}:${result.alias}`;
  switch (result.status) {
    case 'rolled_back':
      return `✔ Rolled back ${target} from version ${result.fromVersion} to ${result.toVersion}: all traffic is on version ${result.toVersion}.`;
    case 'nothing_to_deploy':
      return `✔ Nothing to roll back: ${result.reason ?? `all traffic of ${target} is on version ${result.toVersion}`}.`;
    case 'conflict':
      return `✖ Stopped: ${target} changed underneath lshift; nothing was overwritten.\n  Reason: ${result.reason ?? 'unknown'}`;
    case 'failed':
      return `✖ Rollback failed, alias unchanged: ${result.reason ?? 'unknown error'}`;
    default:
      return [
        `✖ UNSAFE: ${target} may still be split and needs a human.`,
        `  Reason: ${result.reason ?? 'unknown'}`,
        `  Alias as last seen: ${result.aliasState ? describeAliasState(result.aliasState) : 'unknown'}`,
        result.fixCommand ? `  Fix: ${result.fixCommand}` : '',
      ]
        .filter(Boolean)
        .join('\n');
  }
}
