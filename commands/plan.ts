import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { hookFlags, OPTION_FLAGS } from '../src/cli/deploy-flags.js';
import { resolveSettle } from '../src/cli/deploy-options.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag } from '../src/cli/flags.js';
import { renderPlanTable } from '../src/cli/renderers/plan-table.js';
import { renderProgram, serializeProgram } from '../src/cli/renderers/program-text.js';
import { formatDuration, parseDuration } from '../src/domain/duration.js';
import { parseHookSpec } from '../src/domain/hook-spec.js';
import { planRelease } from '../src/domain/release-program.js';
import { ACCEPTED_STRATEGY_FORMS, formatStrategy, parseStrategy } from '../src/domain/strategy.js';

export default class Plan extends BaseCommand {
  static override summary = 'Print the timeline and the release program of a strategy (no AWS calls).';
  static override description =
    `The release program is every step a deploy runs, in order: hooks, weights, holds, the final promote, the bake. Pass the same --bake and hook flags as the deploy to see its whole program.\n\nAccepted strategies:\n${ACCEPTED_STRATEGY_FORMS.map((f) => `  ${f}`).join('\n')}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> plan CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    '<%= config.bin %> plan canary:5%:10m --json',
    '<%= config.bin %> plan canary:10%:5m --bake 10m --pre-hook cmd:true --json',
    "<%= config.bin %> plan 'steps:1%@2m,10%@5m,50%@10m,100%'",
  ];
  static override args = {
    strategy: Args.string({ description: 'strategy name or spec', required: true }),
  };
  static override flags = {
    'allow-long-shift': Flags.boolean({ description: 'allow a total shift time over 48 hours' }),
    function: Flags.string({ description: 'function named in the program [default: <function>]' }),
    ...aliasFlag,
    bake: OPTION_FLAGS.bake,
    'pre-hook': hookFlags['pre-hook'],
    'step-hook': hookFlags['step-hook'],
    'post-hook': hookFlags['post-hook'],
    settle: OPTION_FLAGS.settle,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Plan);
    const strategy = parseStrategy(args.strategy, { allowLong: flags['allow-long-shift'] });
    const hooks = (phase: 'pre' | 'step' | 'post') =>
      (flags[`${phase}-hook`] ?? []).map((text) => parseHookSpec(text, `--${phase}-hook`));
    const program = planRelease(
      strategy,
      {
        hooks: { pre: hooks('pre'), step: hooks('step'), post: hooks('post') },
        bakeSeconds: flags.bake === undefined ? 0 : parseDuration(flags.bake, '--bake'),
        settleSeconds: resolveSettle(flags.settle),
      },
      [{ functionName: flags.function ?? '<function>', alias: flags.alias ?? 'live' }],
    );
    const { plan } = program;
    this.say(`${renderPlanTable(plan)}\n\n${renderProgram(program)}`);
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
      program: serializeProgram(program),
    };
  }
}
