import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { hookFlags, OPTION_FLAGS } from '../src/cli/deploy-flags.js';
import { resolveSettle } from '../src/cli/deploy-options.js';
import { EXIT_CODES_HELP } from '../src/cli/exit-codes.js';
import { aliasFlag, REPEATABLE } from '../src/cli/flags.js';
import { checkFunctionName, refuseDuplicateFunctions } from '../src/cli/function-args.js';
import { checkPlanArgv, readPlanArgv } from '../src/cli/plan-args.js';
import { FUNCTION_PLACEHOLDER } from '../src/cli/release-options.js';
import { renderPlanTable } from '../src/cli/renderers/plan-table.js';
import { renderProgram, serializeProgram } from '../src/cli/renderers/program-text.js';
import { describeIgnoredSettle } from '../src/cli/settle-warning.js';
import { parseTypedStrategy } from '../src/cli/strategy-arg.js';
import { formatDuration } from '../src/domain/duration.js';
import { parseHookSpec } from '../src/domain/hook-spec.js';
import { parseBoundedDuration } from '../src/domain/limits.js';
import { checkPlanRecord } from '../src/domain/plan-record.js';
import { formatTarget, planRelease } from '../src/domain/release-program.js';
import { ACCEPTED_STRATEGY_FORMS, formatStrategy } from '../src/domain/strategy.js';

export default class Plan extends BaseCommand {
  static override summary = 'Print the timeline and the release program of a strategy (no AWS calls).';
  static override description =
    `The release program is every step a deploy runs, in order: hooks, weights, holds, the final promote, the bake. Pass the same --bake, --settle, --no-analysis and hook flags as the deploy to see its whole program.\n\nAccepted strategies:\n${ACCEPTED_STRATEGY_FORMS.map((f) => `  ${f}`).join('\n')}\n\n${EXIT_CODES_HELP}`;
  static override examples = [
    '<%= config.bin %> plan CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    '<%= config.bin %> plan canary:5%:10m --json',
    '<%= config.bin %> plan canary:10%:5m --bake 10m --pre-hook cmd:true --json',
    "<%= config.bin %> plan 'steps:1%@2m,10%@5m,50%@10m,100%'",
    '<%= config.bin %> plan linear:20%:1m --function orders --function billing --stagger',
  ];
  static override args = {
    strategy: Args.string({ description: 'strategy name or spec', required: true, ignoreStdin: true }),
  };
  static override flags = {
    'allow-long-shift': Flags.boolean({ description: 'allow a total shift time over 48 hours' }),
    function: Flags.string({
      description:
        'function named in the program; repeat it for a release of several (`{function}` in a hook spec: that function’s own hook) [default: <function>]',
      ...REPEATABLE,
    }),
    stagger: Flags.boolean({
      description: 'several functions: one after the other instead of in lockstep (as `deploy --stagger`)',
    }),
    ...aliasFlag,
    bake: OPTION_FLAGS.bake,
    'pre-hook': hookFlags['pre-hook'],
    'step-hook': hookFlags['step-hook'],
    'post-hook': hookFlags['post-hook'],
    settle: OPTION_FLAGS.settle,
    // Copied from a deploy's flags: without any analysis gate the deploy has no settle wait.
    analysis: Flags.boolean({
      allowNo: true,
      helpGroup: 'HEALTH',
      description:
        'as `deploy --no-analysis` with no --max-* gate: no metrics are read, so no settle wait (on by default)',
    }),
  };

  async run(): Promise<unknown> {
    // Before oclif's parse, which would only say "Unexpected argument" or misread a function.
    checkPlanArgv(readPlanArgv(this.argv, { ...Plan.baseFlags, ...Plan.flags }));
    const { args, flags } = await this.parse(Plan);
    const strategy = parseTypedStrategy(args.strategy, { allowLong: flags['allow-long-shift'] });
    checkPlanFunctions(flags.function ?? []);
    const targets = (flags.function ?? ['<function>']).map((functionName) => ({
      functionName,
      alias: flags.alias ?? 'live',
    }));
    const release = targets.length > 1;
    // As in a release (src/cli/release-options.ts): a spec with {function} is each function's own.
    const hooks = (phase: 'pre' | 'step' | 'post', fn?: string) =>
      (flags[`${phase}-hook`] ?? [])
        .filter((text) => !release || text.includes(FUNCTION_PLACEHOLDER) === (fn !== undefined))
        .map((text) =>
          parseHookSpec(fn ? text.replaceAll(FUNCTION_PLACEHOLDER, fn) : text, `--${phase}-hook`),
        );
    const phases = (fn?: string) => ({
      pre: hooks('pre', fn),
      step: hooks('step', fn),
      post: hooks('post', fn),
    });
    const bakeSeconds = flags.bake === undefined ? 0 : parseBoundedDuration(flags.bake, 'bake', '--bake');
    const settleSeconds = resolveSettle(flags.settle);
    // As the deploy warns of it (src/cli/settle-warning.ts): a --settle nothing would wait for.
    const settleIgnored =
      flags.analysis === false && (settleSeconds ?? 0) > 0
        ? describeIgnoredSettle({
            seconds: settleSeconds!,
            settleSource: '--settle',
            analysisSource: '--no-analysis',
            nothingToSettle: strategy.kind === 'all-at-once' && bakeSeconds === 0,
          })
        : undefined;
    const program = planRelease(
      strategy,
      {
        hooks: phases(),
        targetHooks: release
          ? Object.fromEntries(targets.map((t) => [formatTarget(t), phases(t.functionName)]))
          : undefined,
        stagger: flags.stagger,
        bakeSeconds,
        settleSeconds: flags.analysis === false ? 0 : settleSeconds,
      },
      targets,
    );
    const { plan } = program;
    // A plan no deploy could record is refused as deploy refuses it; one that fits only a small
    // deployment is warned of.
    const recordWarning = checkPlanRecord({
      plan,
      hooks: release ? [phases(), phases(targets[0]!.functionName)] : [phases()],
      bakeSeconds,
      ...(release ? { release: { stagger: flags.stagger } } : {}),
    });
    this.say(`${renderPlanTable(plan)}\n\n${renderProgram(program)}`);
    const warnings = [settleIgnored, recordWarning].filter((w): w is string => w !== undefined);
    for (const warning of warnings) this.warn(warning);
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
      ...(warnings.length === 0 ? {} : { warnings }),
    };
  }
}

/** The names `lshift deploy` would take: the program must not show a deploy it would refuse. */
function checkPlanFunctions(names: readonly string[]): void {
  for (const name of names) {
    checkFunctionName(name, {
      where: 'argument',
      label: '--function',
      qualifierHint: 'Give the alias with -a/--alias.',
    });
  }
  refuseDuplicateFunctions(names);
}
