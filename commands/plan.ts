import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { resolveSettle } from '../src/cli/deploy-options.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { renderPlanTable } from '../src/cli/renderers/plan-table.js';
import { formatDuration } from '../src/domain/duration.js';
import { planShift } from '../src/domain/plan.js';
import { ACCEPTED_STRATEGY_FORMS, formatStrategy, parseStrategy } from '../src/domain/strategy.js';

export default class Plan extends BaseCommand {
  static override summary = 'Print the timeline of a traffic-shifting strategy (no AWS calls).';
  static override description =
    `Accepted strategies:\n${ACCEPTED_STRATEGY_FORMS.map((f) => `  ${f}`).join('\n')}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> plan CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    '<%= config.bin %> plan canary:5%:10m --json',
    "<%= config.bin %> plan 'steps:1%@2m,10%@5m,50%@10m,100%'",
  ];
  static override args = {
    strategy: Args.string({ description: 'strategy name or spec', required: true }),
  };
  static override flags = {
    'allow-long-shift': Flags.boolean({ description: 'allow a total shift time over 48 hours' }),
    settle: Flags.string({
      description: 'longest wait before 100% for the last metrics to arrive; 0 = off [default: 4m]',
    }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Plan);
    const strategy = parseStrategy(args.strategy, { allowLong: flags['allow-long-shift'] });
    const plan = planShift(strategy, { settleSeconds: resolveSettle(flags.settle) });
    this.say(renderPlanTable(plan));
    return {
      strategy: formatStrategy(strategy),
      name: strategy.name,
      stepCount: plan.steps.length,
      totalSeconds: plan.totalSeconds,
      total: formatDuration(plan.totalSeconds),
      settleSeconds: plan.settleSeconds ?? 0,
      steps: plan.steps.map((s) => ({
        step: s.index + 1,
        offsetSeconds: s.offsetSeconds,
        percent: s.percent,
        holdSeconds: s.holdSeconds,
      })),
    };
  }
}
