import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { loadConfig } from '../src/cli/config-file.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag, awsFlags, configFlag } from '../src/cli/flags.js';
import { renderStatus } from '../src/cli/renderers/status-text.js';
import { createRuntime, mergeAwsTarget } from '../src/cli/runtime.js';
import { parseDuration } from '../src/domain/duration.js';
import { type AliasStatus, getStatus } from '../src/engine/status.js';

export default class Status extends BaseCommand {
  static override summary =
    'Show an alias: version(s) and weights, alarm states, and the deployment in progress.';
  static override description = `Unreadable alarms are shown as UNKNOWN, never as OK.\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> status my-fn',
    '<%= config.bin %> status my-fn --alias live --alarm my-fn-errors --json',
  ];
  static override args = { function: Args.string({ description: 'function name or ARN', required: true }) };
  static override flags = {
    ...aliasFlag,
    alarm: Flags.string({
      description: 'alarm to show (repeatable; default: the config file’s alarms)',
      multiple: true,
    }),
    watch: Flags.boolean({
      description: 'refresh until the deployment in progress ends (not with --json)',
      exclusive: ['json'],
    }),
    interval: Flags.string({
      description: 'refresh period with --watch [default: 5s]',
      dependsOn: ['watch'],
    }),
    ...configFlag,
    ...awsFlags,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Status);
    const { config } = await loadConfig(flags.config);
    const intervalMs = parseDuration(flags.interval ?? '5s', '--interval') * 1000;
    const runtime = await createRuntime(mergeAwsTarget(flags, config));
    const read = () =>
      getStatus(
        { lambda: runtime.lambda, metrics: runtime.metrics, clock: runtime.clock, store: runtime.store },
        {
          functionName: args.function,
          alias: flags.alias ?? config.alias ?? 'live',
          alarms: flags.alarm ?? config.alarms ?? [],
        },
      );
    let status = await read();
    this.say(renderStatus(status));
    while (flags.watch && isInProgress(status)) {
      await runtime.clock.sleep(intervalMs);
      status = await read();
      this.say(`\n— ${new Date(runtime.clock.now()).toISOString()}\n${renderStatus(status)}`);
    }
    return status;
  }
}

/** A deployment is still moving: a live record that has not ended. Paused or abandoned ones are not. */
function isInProgress(status: AliasStatus): boolean {
  if (status.record?.stale || status.record?.phase === 'paused') return false;
  const phase = status.record?.phase;
  const ended = phase === undefined || ['promoted', 'rolled-back', 'failed'].includes(phase);
  return status.split || !ended;
}
